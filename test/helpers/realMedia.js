'use strict';
// Real media files for the length readers' tests: the committed fixtures, and files ffmpeg makes
// on the spot where it is installed. JavaScript because the package lint bans `fs`,
// `child_process` and `__dirname` in .ts files.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** A file from test/fixtures (see its README.md). */
function readFixture(name) {
	return fs.readFileSync(path.join(FIXTURES, name));
}

/** ffmpeg's version (such as `5.1.9-0+deb12u1`), or undefined when ffmpeg is not installed. */
function ffmpegVersion() {
	try {
		const banner = execFileSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' });
		return /^ffmpeg version (\S+)/.exec(banner)?.[1] ?? 'unknown';
	} catch {
		return undefined;
	}
}

/**
 * What ffmpeg writes from `args` (inputs and options) to `output`: a file name, made in a temporary
 * directory, or `pipe:1` for a non-seekable output, where writers cannot go back to fill in sizes.
 */
function makeWithFfmpeg(args, output) {
	const run = (target) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, target]);
	if (output === 'pipe:1') return run(output);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-media-'));
	try {
		run(path.join(dir, output));
		return fs.readFileSync(path.join(dir, output));
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

module.exports = { readFixture, ffmpegVersion, makeWithFfmpeg };
