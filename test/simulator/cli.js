#!/usr/bin/env node
'use strict';
// Standalone EvoLink simulator.
//
//   node test/simulator/cli.js --port 5680 --host 127.0.0.1 --key <apiKey> [--task-ms 20000]
//        [--video-bytes N] [--callback-retry-delays 1000,2000,4000] [--credits N] [--key-credits N]
//        [--rate-limit N [--rate-limit-scope model|key] [--rate-limit-burst N]] [--log <file>]
//        [--verbose]
//
// Prints one JSON line {"baseUrl":...,"apiKey":...} on stdout once listening and stops on
// SIGINT/SIGTERM. --port 0 picks a free port. Without --key a random key is generated (and printed).
// --credits / --key-credits: the account's and the key's balance (a create past it answers 402).
// --rate-limit: creates per second per model (scope key: every request of the key) before a 429.
// --log appends one JSON line per request once it is answered ({at, method, path, status,
// rateLimited, replayed, taskId, idempotencyKey; a create's body}), per callback ({callback,
// attempt, status}) and per task that ends ({final, status}): what a test reads from outside.
// --verbose logs one line per request to stderr (off by default: an unread stderr pipe must not
// block the simulator).
//
// From code (TS tests may not import child_process): `const cli = await spawnCli([...])`.

const fs = require('node:fs');
const path = require('node:path');
const { fork } = require('node:child_process');
const { createSimulator } = require('./evolink-simulator');

const USAGE =
	'usage: node test/simulator/cli.js [--port 5680] [--host 127.0.0.1] [--key <apiKey>] ' +
	'[--task-ms 20000] [--video-bytes N] [--callback-retry-delays 1000,2000,4000] [--credits N] ' +
	'[--key-credits N] [--rate-limit N [--rate-limit-scope model|key] [--rate-limit-burst N]] ' +
	'[--log <file>] [--verbose]';

function parseArgs(argv) {
	const opts = {
		port: 5680,
		host: '127.0.0.1',
		key: undefined,
		taskMs: 20000,
		videoBytes: undefined,
		callbackRetryDelaysMs: undefined,
		credits: undefined,
		keyCredits: undefined,
		rateLimit: undefined,
		log: undefined,
		verbose: false,
	};
	const int = (name, v) => {
		if (!/^\d+$/.test(String(v))) throw new Error(`${name} needs a non-negative integer, got ${v}`);
		return Number(v);
	};
	const positive = (name, v) => {
		if (!/^\d+(\.\d+)?$/.test(String(v)) || !(Number(v) > 0))
			throw new Error(`${name} needs a number above 0, got ${v}`);
		return Number(v);
	};
	let scope;
	let burst;
	for (let i = 0; i < argv.length; i++) {
		let arg = argv[i];
		let value;
		const eq = arg.indexOf('=');
		if (arg.startsWith('--') && eq > 0) {
			value = arg.slice(eq + 1);
			arg = arg.slice(0, eq);
		}
		const next = () => {
			if (value !== undefined) return value;
			if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
			return argv[++i];
		};
		switch (arg) {
			case '--port':
				opts.port = int(arg, next());
				break;
			case '--host':
				opts.host = next();
				break;
			case '--key':
				opts.key = next();
				break;
			case '--task-ms':
				opts.taskMs = int(arg, next());
				break;
			case '--video-bytes':
				opts.videoBytes = int(arg, next());
				break;
			case '--callback-retry-delays':
				opts.callbackRetryDelaysMs = next()
					.split(',')
					.filter(Boolean)
					.map((v) => int(arg, v));
				break;
			case '--credits':
				opts.credits = int(arg, next());
				break;
			case '--key-credits':
				opts.keyCredits = int(arg, next());
				break;
			case '--rate-limit':
				opts.rateLimit = { perSecond: positive(arg, next()) };
				break;
			case '--rate-limit-scope':
				scope = next();
				if (scope !== 'model' && scope !== 'key') throw new Error(`${arg} is model or key`);
				break;
			case '--rate-limit-burst':
				burst = positive(arg, next());
				break;
			case '--log':
				opts.log = next();
				break;
			case '--verbose':
				opts.verbose = true;
				break;
			case '--help':
			case '-h':
				opts.help = true;
				break;
			default:
				throw new Error(`unknown argument ${arg}`);
		}
	}
	if ((scope !== undefined || burst !== undefined) && !opts.rateLimit)
		throw new Error('--rate-limit-scope and --rate-limit-burst need --rate-limit');
	if (opts.rateLimit) {
		if (scope !== undefined) opts.rateLimit.scope = scope;
		if (burst !== undefined) opts.rateLimit.burst = burst;
	}
	return opts;
}

async function main(argv) {
	let opts;
	try {
		opts = parseArgs(argv);
	} catch (err) {
		process.stderr.write(`${err.message}\n${USAGE}\n`);
		process.exitCode = 2;
		return;
	}
	if (opts.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const sim = createSimulator({
		apiKey: opts.key,
		port: opts.port,
		host: opts.host,
		taskMs: opts.taskMs,
		videoBytes: opts.videoBytes,
		callbackRetryDelaysMs: opts.callbackRetryDelaysMs,
		credits: opts.credits,
		keyCredits: opts.keyCredits,
		rateLimit: opts.rateLimit,
	});
	if (opts.log) logTo(sim, opts.log);
	if (opts.verbose) {
		sim.on('request', (r) => {
			process.stderr.write(
				`${new Date(r.at).toISOString()} ${r.method} ${r.path}${r.fault ? ` [fault:${r.fault}]` : ''}\n`,
			);
		});
		sim.on('callback', (c) => {
			process.stderr.write(
				`${new Date(c.at).toISOString()} callback ${c.taskId} #${c.attempt} -> ${c.status !== undefined ? c.status : c.error}\n`,
			);
		});
	}
	let baseUrl;
	try {
		({ baseUrl } = await sim.start());
	} catch (err) {
		process.stderr.write(
			`evolink simulator: cannot listen on ${opts.host}:${opts.port}: ${err.message}\n`,
		);
		process.exitCode = 1;
		return;
	}
	let stopping = false;
	const shutdown = () => {
		if (stopping) return;
		stopping = true;
		sim.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
	// An IPC parent (spawnCli) going away also stops us.
	if (process.send) process.on('disconnect', shutdown);
	process.stdout.write(JSON.stringify({ baseUrl, apiKey: sim.apiKey }) + '\n');
}

/**
 * Appends what the simulator sees to `file`, one JSON line each: requests once answered (the
 * record's status is set while it is routed, so the line is written on the next turn), callbacks,
 * and tasks that end. No header but the idempotency key: the API key never reaches the file.
 */
function logTo(sim, file) {
	const write = (entry) => fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
	sim.on('request', (r) => {
		setImmediate(() => {
			const create = r.method === 'POST' && r.path.split('?')[0] === '/v1/videos/generations';
			write({
				at: r.at,
				method: r.method,
				path: r.path,
				status: r.status,
				...(r.rateLimited ? { rateLimited: true } : {}),
				...(r.replayed ? { replayed: true } : {}),
				...(r.fault ? { fault: r.fault } : {}),
				...(r.taskId ? { taskId: r.taskId } : {}),
				...(r.upload ? { upload: r.upload } : {}),
				...(create ? { idempotencyKey: r.headers['idempotency-key'], body: r.body } : {}),
			});
		});
	});
	sim.on('callback', (c) =>
		write({ at: c.at, callback: c.taskId, attempt: c.attempt, status: c.status, error: c.error }),
	);
	sim.on('taskFinal', (task) => write({ at: Date.now(), final: task.id, status: task.status }));
}

/**
 * Starts cli.js as a child process (fork) and resolves once it printed its JSON line.
 * @param {string[]} [args]
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<import('./index').CliHandle>}
 */
function spawnCli(args = [], options = {}) {
	const child = fork(path.join(__dirname, 'cli.js'), args, {
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
	});
	let stderr = '';
	child.stderr.on('data', (c) => {
		stderr = (stderr + c.toString('utf8')).slice(-4000);
	});
	const exited = new Promise((resolve) => {
		child.once('exit', (code, signal) => resolve(code !== null ? code : signal));
	});
	return new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`cli.js did not start within ${options.timeoutMs || 10000} ms: ${stderr}`));
		}, options.timeoutMs || 10000);
		const onData = (c) => {
			out += c.toString('utf8');
			const nl = out.indexOf('\n');
			if (nl < 0) return;
			clearTimeout(timer);
			child.stdout.removeListener('data', onData);
			child.stdout.resume();
			let info;
			try {
				info = JSON.parse(out.slice(0, nl));
			} catch (err) {
				child.kill('SIGKILL');
				reject(new Error(`cli.js printed no JSON line: ${out.slice(0, nl)}`));
				return;
			}
			resolve({
				baseUrl: info.baseUrl,
				apiKey: info.apiKey,
				pid: child.pid,
				get stderr() {
					return stderr;
				},
				stop(signal = 'SIGTERM') {
					if (child.exitCode === null && child.signalCode === null) child.kill(signal);
					return exited;
				},
			});
		};
		child.stdout.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`cli.js exited (${code}) before listening: ${stderr}`));
		});
	});
}

module.exports = { main, parseArgs, spawnCli };

if (require.main === module) {
	main(process.argv.slice(2));
}
