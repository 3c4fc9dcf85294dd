#!/usr/bin/env node
'use strict';
// `npm run bench`: measures the Wan Video nodes through n8n's engine (test/helpers/engine.ts)
// against the EvoLink simulator, next to baselines measured in the same run, then writes
// bench/RESULTS.md and prints it. `node bench/run.js --quick` is a smoke test (tasks 10× shorter,
// smaller files, fewer callbacks) that prints the report without writing RESULTS.md.
//
// Each suite (bench/*.bench.ts) runs in its own Node process (bench/lib/child.js), so the suites
// run side by side on separate cores and each memory case is measured in a process doing nothing
// else. The long suites (polling, items) mostly sleep; the short CPU-heavy ones (callback burst,
// downloads) run one after another meanwhile.

const { execFileSync, fork } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createSimulator } = require('../test/simulator/evolink-simulator');
const { buildReport } = require('./lib/report');

const quick = process.argv.includes('--quick');
const scale = quick ? 0.1 : 1;
const MB = 1024 * 1024;
const ROOT = path.resolve(__dirname, '..');

/** `count` lengths spread evenly over `widthMs` around `centerMs`. */
const spread = (centerMs, widthMs, count) =>
	Array.from({ length: count }, (_, k) =>
		Math.round(centerMs - widthMs / 2 + ((k + 0.5) * widthMs) / count),
	);

const CONFIG = {
	poll: {
		lengthsMs: spread(120_000 * scale, 10_000 * scale, 8),
		fixedIntervalsMs: [2000, 5000, 10_000],
		callbackLengthsMs: [120_000 * scale, 120_000 * scale, 120_000 * scale],
	},
	schedule: { fixedIntervalsMs: [2000, 5000, 10_000] },
	items: { itemMs: 60_000 * scale, counts: [1, 10, 50], singleRuns: 3, sequentialItems: 3 },
	budget: {
		items: quick ? 100 : 500,
		itemMs: 60_000 * scale,
		limit: { perSecond: 5 },
		loopIntervalMs: 10_000 * scale,
	},
	memory: { sizes: quick ? [5 * MB, 50 * MB] : [50 * MB, 500 * MB], warmBytes: 1 * MB },
	trigger: { tasks: quick ? 50 : 200, deliveriesPerTask: 2 },
	/** The burst and the downloads start once the long suites have created their tasks. */
	sideDelayMs: quick ? 2000 : 8000,
};

function log(message) {
	process.stderr.write(
		`[bench ${((Date.now() - benchStartedAt) / 1000).toFixed(1)} s] ${message}\n`,
	);
}

/** Runs bench/<file> in a child process; resolves with { ok, result | error, ms }. */
function runSuite(file, input) {
	const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-video-bench-'));
	const env = {
		...process.env,
		N8N_USER_FOLDER: home,
		N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
		// n8n-core 2.41 BinaryDataConfig: mode from N8N_DEFAULT_BINARY_DATA_MODE ('filesystem' is
		// stored as 'filesystem-v2'), files under N8N_BINARY_DATA_STORAGE_PATH.
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_BINARY_DATA_STORAGE_PATH: path.join(home, 'storage'),
	};
	const startedAt = Date.now();
	log(`start ${file} ${JSON.stringify(input).slice(0, 120)}`);
	return new Promise((resolve) => {
		const child = fork(path.join(__dirname, 'lib', 'child.js'), [file, JSON.stringify(input)], {
			cwd: ROOT,
			env,
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		let message;
		child.on('message', (received) => (message = received));
		child.on('exit', (code, signal) => {
			fs.rmSync(home, { recursive: true, force: true });
			const ms = Date.now() - startedAt;
			if (message && message.ok) {
				log(`done ${file} in ${(ms / 1000).toFixed(1)} s`);
				resolve({ ok: true, result: message.result, ms });
				return;
			}
			const error =
				(message && message.error) || `exited with ${signal || code}\n${output.slice(-4000)}`;
			log(`FAILED ${file}: ${error}`);
			resolve({ ok: false, error, ms });
		});
	});
}

/** Finished tasks with files of the given sizes, served by a simulator in this process. */
async function memoryTasks(sim, sizes) {
	const create = async (bytes) => {
		const response = await fetch(`${sim.baseUrl}/v1/videos/generations`, {
			method: 'POST',
			headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'wan2.6-image-to-video',
				prompt: `bench-memory [bytes:${bytes}] [ms:3600000]`,
				image_urls: ['https://cdn.example.com/cat.png'],
			}),
		});
		const { id } = await response.json();
		sim.completeNow(id);
		return id;
	};
	return {
		warm: await create(CONFIG.memory.warmBytes),
		bySize: await Promise.all(sizes.map(async (bytes) => ({ bytes, taskId: await create(bytes) }))),
	};
}

function machine() {
	const version = (name) => require(path.join(ROOT, 'node_modules', name, 'package.json')).version;
	let git = 'unknown';
	try {
		git = execFileSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT }).toString().trim();
	} catch {
		// not a git checkout
	}
	return {
		date: new Date().toISOString(),
		cpu: os.cpus()[0]?.model ?? 'unknown CPU',
		cores: os.cpus().length,
		ramGiB: os.totalmem() / 1024 ** 3,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		node: process.version,
		n8nCore: version('n8n-core'),
		n8nWorkflow: version('n8n-workflow'),
		packageVersion: require(path.join(ROOT, 'package.json')).version,
		git,
	};
}

const benchStartedAt = Date.now();

async function main() {
	const info = machine();
	const memorySim = createSimulator({ apiKey: `sim-${crypto.randomBytes(16).toString('hex')}` });
	await memorySim.start();
	try {
		const tasks = await memoryTasks(memorySim, CONFIG.memory.sizes);
		const poll = runSuite('poll.bench.ts', CONFIG.poll);
		const schedule = runSuite('schedule.bench.ts', CONFIG.schedule);
		const items = runSuite('items.bench.ts', CONFIG.items);
		const budget = runSuite('budget.bench.ts', CONFIG.budget);
		const side = (async () => {
			await new Promise((resolve) => setTimeout(resolve, CONFIG.sideDelayMs));
			const trigger = await runSuite('trigger.bench.ts', CONFIG.trigger);
			const memory = [];
			for (const { bytes, taskId } of tasks.bySize) {
				for (const mode of ['node', 'fetch']) {
					memory.push(
						await runSuite('memory.bench.ts', {
							mode,
							bytes,
							taskId,
							warmTaskId: tasks.warm,
							baseUrl: memorySim.baseUrl,
							apiKey: memorySim.apiKey,
						}),
					);
				}
			}
			return { trigger, memory };
		})();
		const results = {
			poll: await poll,
			schedule: await schedule,
			items: await items,
			budget: await budget,
			...(await side),
		};
		const wallMs = Date.now() - benchStartedAt;
		const report = buildReport({ info, config: CONFIG, results, wallMs, quick });
		if (!quick) fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report);
		process.stdout.write(`${report}\n`);
		log(quick ? 'quick run: RESULTS.md not written' : 'wrote bench/RESULTS.md');
		const failed = [
			results.poll,
			results.schedule,
			results.items,
			results.budget,
			results.trigger,
			...results.memory,
		].some((suite) => !suite.ok);
		return failed ? 1 : 0;
	} finally {
		await memorySim.stop();
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${error.stack || error}\n`);
		process.exit(1);
	},
);
