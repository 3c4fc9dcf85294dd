// Jest runs the nodes through n8n's real execution engine against the local EvoLink simulator.
// N8N_USER_FOLDER keeps n8n-core's instance settings out of the user's home (tests may not touch `process`).
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');

process.env.N8N_USER_FOLDER ??= fs.mkdtempSync(path.join(os.tmpdir(), 'wan-video-jest-'));

module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/captureLogs.js'],
	testTimeout: 60000,
};
