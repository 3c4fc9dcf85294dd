'use strict';
// One bench suite in a fresh Node process: requires bench/<suite>.bench.ts (through ts-register),
// runs its `run(input)` and sends the result, with the CPU time it used, to bench/run.js over IPC.
// argv: suite file, input JSON, and '--barrier' to start only once bench/run.js says 'go' (after
// every process of a group has loaded its suite, so that they start together).

const path = require('node:path');

require('./ts-register');

const [suiteFile, inputJson, barrier] = process.argv.slice(2);

function finish(message, code) {
	// The CPU time this process used (user + system), so the report shows which suites competed.
	const { user, system } = process.cpuUsage();
	// n8n-core and HTTP keep-alive sockets may hold the event loop open: exit once the parent has it.
	process.send({ ...message, cpuMs: (user + system) / 1000 }, () => process.exit(code));
}

(async () => {
	const suite = require(path.resolve(__dirname, '..', suiteFile));
	if (barrier === '--barrier') {
		const go = new Promise((resolve) => process.once('message', resolve));
		process.send({ ready: true });
		await go;
	}
	const result = await suite.run(JSON.parse(inputJson || '{}'));
	finish({ ok: true, result }, 0);
})().catch((error) => finish({ ok: false, error: String((error && error.stack) || error) }, 1));
