#!/usr/bin/env node
'use strict';
// `npm run bench`: measures the Wan Video nodes through n8n's engine (test/helpers/engine.ts)
// against the EvoLink simulator, next to baselines measured in the same run, then writes the
// figures to bench/results.json and the report to bench/RESULTS.md (bench/lib/figures.js,
// bench/lib/report.js) and prints the report. The bench judges nothing: the goals are asserted by
// jest, and the report names the test that holds each.
//
//   node bench/run.js --quick              smoke run (shorter tasks, fewer items, smaller files);
//                                          prints the report, writes nothing
//   node bench/run.js --only=workers,items  only those suites (poll, schedule, items, budget,
//                                          workers, trigger, memory); prints, writes nothing
//
// Each suite (bench/*.bench.ts) runs in its own Node process (bench/lib/child.js), so the suites
// run side by side on separate cores and each memory case is measured in a process doing nothing
// else. The long suites (polling, items, rate limit) mostly sleep; the short CPU-heavy ones
// (callback burst, downloads) run one after another meanwhile, then the workers' runs together.

const { execFileSync, fork } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const prettier = require('prettier');

const { createSimulator } = require('../test/simulator/evolink-simulator');
const { buildFigures } = require('./lib/figures');
const { buildReport } = require('./lib/report');

const SUITES = ['poll', 'schedule', 'items', 'budget', 'workers', 'trigger', 'memory'];
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : undefined;
const unknown = (only ?? []).filter((name) => !SUITES.includes(name));
if (unknown.length) {
	process.stderr.write(
		`unknown suite(s) ${unknown.join(', ')}; the suites: ${SUITES.join(', ')}\n`,
	);
	process.exit(2);
}
const selected = (name) => !only || only.includes(name);
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
	/**
	 * Workers sharing one key: each `runs` entry is `workers` processes of `executions` executions
	 * of `items` items each, all run at the same time, each against its own simulator. The first is
	 * the baseline: the second's items in one process (one budget).
	 */
	workers: {
		limit: { perSecond: 5 },
		itemMs: 20_000 * scale,
		items: quick ? 10 : 50,
		runs: [
			{ workers: 1, executions: 4 },
			{ workers: 2, executions: 2 },
			{ workers: 4, executions: 2 },
		],
	},
	trigger: { tasks: quick ? 50 : 200, deliveriesPerTask: 2 },
	/** The burst and the downloads start once the long suites have created their tasks. */
	sideDelayMs: quick ? 2000 : 8000,
};

function log(message) {
	process.stderr.write(
		`[bench ${((Date.now() - benchStartedAt) / 1000).toFixed(1)} s] ${message}\n`,
	);
}

/**
 * Starts a group of child processes together: each loads its suite and says it is ready; they go
 * when the last one is (or has died).
 */
function barrier(count) {
	const ready = [];
	let left = count;
	const release = () => {
		if (ready.length < left) return;
		for (const child of ready.splice(0)) if (child.connected) child.send('go');
	};
	return {
		ready: (child) => (ready.push(child), release()),
		died: () => (left--, release()),
	};
}

/**
 * Runs bench/<file> in a child process; resolves with { ok, result | error, ms, cpuMs }. With a
 * `group` (from barrier()), the suite starts once every child of the group has loaded its suite.
 */
function runSuite(file, input, group) {
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
	const shown = JSON.stringify(input, (key, value) => (key === 'apiKey' ? undefined : value));
	log(`start ${file} ${shown.slice(0, 120)}`);
	return new Promise((resolve) => {
		const args = [file, JSON.stringify(input), ...(group ? ['--barrier'] : [])];
		const child = fork(path.join(__dirname, 'lib', 'child.js'), args, {
			cwd: ROOT,
			env,
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		let message;
		let isReady = false;
		child.on('message', (received) => {
			if (received && received.ready) {
				isReady = true;
				group.ready(child);
			} else message = received;
		});
		child.on('exit', (code, signal) => {
			if (group && !isReady) group.died();
			fs.rmSync(home, { recursive: true, force: true });
			const ms = Date.now() - startedAt;
			if (message && message.ok) {
				log(`done ${file} in ${(ms / 1000).toFixed(1)} s`);
				resolve({ ok: true, result: message.result, ms, cpuMs: message.cpuMs });
				return;
			}
			const error =
				(message && message.error) || `exited with ${signal || code}\n${output.slice(-4000)}`;
			log(`FAILED ${file}: ${error}`);
			resolve({ ok: false, error, ms, cpuMs: message?.cpuMs });
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

/** What a rate-limited key saw: tasks, tasks created twice, requests, 429s, wall and create span. */
function keyLog(sim) {
	const prompts = new Map();
	for (const task of sim.tasks.values()) {
		const prompt = String(task.request.prompt);
		prompts.set(prompt, (prompts.get(prompt) ?? 0) + 1);
	}
	const accepted = [...sim.tasks.values()].map((task) => task.createdAt).sort((a, b) => a - b);
	const at = sim.requests.map((request) => request.at);
	return {
		tasks: sim.tasks.size,
		createdTwice: [...prompts.values()].filter((count) => count > 1).length,
		requests: sim.requests.length,
		creates: sim.requestsTo('POST', '/v1/videos/generations').length,
		reads: sim.requestsTo('GET', '/v1/tasks/').length,
		refused: sim.requests.filter((request) => request.status === 429).length,
		wallMs: at.length ? Math.max(...at) - Math.min(...at) : NaN,
		createSpanMs: accepted.length ? accepted[accepted.length - 1] - accepted[0] : NaN,
	};
}

/** The creates whose prompt starts with `prefix` (one worker's), and how many got a 429. */
function createsOf(sim, prefix) {
	const creates = sim
		.requestsTo('POST', '/v1/videos/generations')
		.filter((request) => String(request.body?.prompt).startsWith(prefix));
	return {
		creates: creates.length,
		refused: creates.filter((request) => request.status === 429).length,
	};
}

/**
 * Several n8n workers on one API key: `workers` processes of bench/workers.bench.ts, each with its
 * own request budget (as in n8n's queue mode), against one rate-limited simulator in this process.
 */
async function runWorkers({ workers, executions }) {
	const { limit, itemMs, items } = CONFIG.workers;
	const sim = createSimulator({
		apiKey: `sim-${crypto.randomBytes(16).toString('hex')}`,
		rateLimit: limit,
	});
	const { baseUrl } = await sim.start();
	const startedAt = Date.now();
	const group = barrier(workers);
	try {
		const runs = await Promise.all(
			Array.from(
				{ length: workers },
				async (_, worker) =>
					await runSuite(
						'workers.bench.ts',
						{ worker, baseUrl, apiKey: sim.apiKey, executions, items, itemMs },
						group,
					),
			),
		);
		const failed = runs.find((run) => !run.ok);
		return {
			ok: !failed,
			...(failed ? { error: failed.error } : {}),
			ms: Date.now() - startedAt,
			cpuMs: runs.reduce((sum, run) => sum + (run.cpuMs ?? 0), 0),
			result: {
				workers,
				executions,
				items,
				itemMs,
				limit,
				workerResults: runs.map((run, worker) => ({
					...(run.result ?? { completed: 0, failed: 0, errors: [] }),
					...createsOf(sim, `bench-workers w${worker}-`),
				})),
				log: keyLog(sim),
			},
		};
	} finally {
		await sim.stop();
	}
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

/** The memory cases, one process each, one after another. */
async function runMemory(sim, tasks) {
	const runs = [];
	for (const { bytes, taskId } of tasks.bySize) {
		for (const mode of ['node', 'fetch']) {
			const input = {
				mode,
				bytes,
				taskId,
				warmTaskId: tasks.warm,
				baseUrl: sim.baseUrl,
				apiKey: sim.apiKey,
			};
			runs.push({ ...(await runSuite('memory.bench.ts', input)), case: { mode, bytes } });
		}
	}
	return runs;
}

async function main() {
	const info = machine();
	const memorySim = createSimulator({ apiKey: `sim-${crypto.randomBytes(16).toString('hex')}` });
	await memorySim.start();
	try {
		const tasks = selected('memory')
			? await memoryTasks(memorySim, CONFIG.memory.sizes)
			: undefined;
		const long = {};
		if (selected('poll')) long.poll = runSuite('poll.bench.ts', CONFIG.poll);
		if (selected('schedule')) long.schedule = runSuite('schedule.bench.ts', CONFIG.schedule);
		if (selected('items')) long.items = runSuite('items.bench.ts', CONFIG.items);
		if (selected('budget')) long.budget = runSuite('budget.bench.ts', CONFIG.budget);
		// The short CPU-heavy suites, then the workers (whose baseline runs beside the 2-worker run).
		const side = (async () => {
			const out = {};
			if (selected('trigger') || selected('memory')) {
				await new Promise((resolve) => setTimeout(resolve, CONFIG.sideDelayMs));
			}
			if (selected('trigger')) out.trigger = await runSuite('trigger.bench.ts', CONFIG.trigger);
			if (selected('memory')) out.memory = await runMemory(memorySim, tasks);
			// All at once, each on its own simulator: the baseline beside the runs it is compared to.
			if (selected('workers')) out.workers = await Promise.all(CONFIG.workers.runs.map(runWorkers));
			return out;
		})();
		const results = {};
		for (const [name, suite] of Object.entries(long)) results[name] = await suite;
		Object.assign(results, await side);
		const wallMs = Date.now() - benchStartedAt;
		const figures = buildFigures({ info, config: CONFIG, results, wallMs, quick, only });
		const report = buildReport(figures);
		if (!quick && !only) {
			// Formatted as the repository's Prettier settings would, so that it stays as written.
			const json = path.join(__dirname, 'results.json');
			const style = { ...(await prettier.resolveConfig(json)), parser: 'json' };
			fs.writeFileSync(json, await prettier.format(JSON.stringify(figures, null, '\t'), style));
			fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report);
			log('wrote bench/results.json and bench/RESULTS.md');
		} else {
			log(`${quick ? 'quick' : 'partial'} run: nothing written`);
		}
		process.stdout.write(`${report}\n`);
		const failed = Object.values(results)
			.flat()
			.some((suite) => !suite.ok);
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
