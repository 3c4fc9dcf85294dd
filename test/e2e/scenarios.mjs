// End-to-end scenarios against a running real n8n (started by test/e2e/run.sh), as node:test tests:
// one test per scenario, one subtest per check (test/e2e/checks.mjs), reported by node:test's spec
// reporter; the exit code is node:test's. Everything is set up and read back through n8n's public
// API (/api/v1), never from n8n's logs (the queue topology aside); what EvoLink saw comes from the
// simulator's request log (test/simulator/cli.js --log).
//
// Environment (all set by run.sh):
//   E2E_LABEL        the run ("regular", "queue", "upgrade-…"): names workflows and credentials
//   E2E_SCENARIOS    comma list (see run.sh for what each does)
//   E2E_API_BASE     n8n main, for /api/v1 (e.g. http://127.0.0.1:15678)
//   E2E_HOOK_BASE    where production webhooks are served (main, or the webhook process in queue mode)
//   E2E_WEBHOOK_URL  n8n's N8N_WEBHOOK_URL (base of production and resume URLs), with a trailing /
//   E2E_API_KEY      n8n public API key
//   E2E_SIM_BASE, E2E_SIM_KEY, E2E_SIM_LOG   the EvoLink simulator, its API key and its request log
//   E2E_PKG_DIR      the installed package (…/.n8n/nodes/node_modules/n8n-nodes-wan-video)
//   E2E_INSTALL_KIND "n8n" (as n8n's Community Nodes installer does) or "manual" (README's command)
//   E2E_DEMO_EXEC    optional: a shell command that runs a saved workflow with `n8n execute`
//   E2E_FILES_DIR    n8n's N8N_RESTRICT_FILE_ACCESS_TO: where the disk example may write
//   E2E_RUN_DIR      where extra simulators write their logs; E2E_FIGURES: file for measured figures
//   E2E_NODE_VERSION Wan Video node version of the workflows the scenarios build (default 2; the
//                    upgrade check builds 1, what the old releases know)
//   E2E_EXAMPLES_DIR the examples to import (default examples/; the upgrade check: the old release's)
//   E2E_SAVED, E2E_SAVED_MODE   the upgrade check: "save" records what the scenarios make in that
//                    file, "reuse" runs the workflows saved there again (see keep() below)
//   E2E_MAIN_LOG, E2E_WEBHOOK_LOG, E2E_WORKER_LOGS   queue mode: the processes' logs (topology)
//   E2E_STARTUP_ERROR  set when n8n did not start: every scenario fails with it

import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { Agent as HttpAgent } from 'node:http';
import axios from 'axios';
import { deflateSync } from 'node:zlib';

import { check, fail, group, note, pass, passedSoFar, short, skip, withChecks } from './checks.mjs';

const env = (name, fallback) => {
	const v = process.env[name] ?? fallback;
	if (v === undefined) throw new Error(`${name} is not set`);
	return v;
};
const LABEL = env('E2E_LABEL', 'regular');
const SCENARIOS = env('E2E_SCENARIOS', 'a,b,c')
	.split(',')
	.map((s) => s.trim())
	.filter(Boolean);
const API = env('E2E_API_BASE').replace(/\/+$/, '');
const HOOK = env('E2E_HOOK_BASE', API).replace(/\/+$/, '');
const WEBHOOK_URL = env('E2E_WEBHOOK_URL', `${HOOK}/`).replace(/\/?$/, '/');
const API_KEY = env('E2E_API_KEY');
const SIM = env('E2E_SIM_BASE').replace(/\/+$/, '');
const SIM_KEY = env('E2E_SIM_KEY');
const SIM_LOG = process.env.E2E_SIM_LOG ?? '';
const PKG_DIR = env('E2E_PKG_DIR');
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const N8N_FOLDER = path.resolve(PKG_DIR, '..', '..', '..'); // <user folder>/.n8n
const RUN_DIR = process.env.E2E_RUN_DIR || process.cwd();
const V = Number(process.env.E2E_NODE_VERSION || 2);
const EXAMPLES = process.env.E2E_EXAMPLES_DIR || path.join(REPO, 'examples');
const require = createRequire(import.meta.url);

const PKG = 'n8n-nodes-wan-video';
const T_WAN = `${PKG}.wanVideo`;
const T_TRIGGER = `${PKG}.wanVideoTrigger`;
const IMAGE_URL = 'https://example.com/e2e/first-frame.png';
/** Create sends at most this many creates of a run at once (nodes/WanVideo/actions/create.ts). */
const CREATE_CONCURRENCY = 5;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

// ---------------------------------------------------------------- HTTP helpers

// Every request of the suite goes through one axios client: a fresh connection per request (no
// keep-alive: n8n closes idle sockets after 5 s, which fails a reused one with "other side closed"),
// any status answered rather than thrown, the body kept as bytes.
const client = axios.create({
	httpAgent: new HttpAgent({ keepAlive: false }),
	validateStatus: () => true,
	responseType: 'arraybuffer',
	transformResponse: (data) => data,
	maxContentLength: Infinity,
	maxBodyLength: Infinity,
	maxRedirects: 0,
});

/** A request with a JSON (or raw Buffer) body: { status, json, text (raw only), headers }. */
async function http(method, url, { body, headers = {}, raw = false, timeoutMs = 60000 } = {}) {
	const data =
		body === undefined || Buffer.isBuffer(body)
			? body
			: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
	// without a body, no content type (axios would default to a form encoding n8n refuses)
	const h = { ...headers };
	if (data !== undefined) h['content-type'] ??= 'application/json';
	else h['content-type'] = false;
	let r;
	try {
		r = await client.request({ method, url, data, headers: h, timeout: timeoutMs });
	} catch (e) {
		throw new Error(
			`${method} ${url}: ${e.code === 'ECONNABORTED' ? `no answer in ${timeoutMs / 1000} s` : e.message}`,
		);
	}
	const text = Buffer.from(r.data ?? []).toString('utf8');
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: r.status, json, text: raw ? text : undefined, headers: r.headers };
}

async function api(method, p, body) {
	const r = await http(method, `${API}/api/v1${p}`, {
		body,
		headers: { 'X-N8N-API-KEY': API_KEY },
	});
	if (r.status < 200 || r.status > 299) {
		throw new Error(`${method} /api/v1${p} -> ${r.status}: ${short(r.json ?? r.text)}`);
	}
	return r.json;
}

/** Retries a request while n8n answers 404 (a webhook or form not registered yet: nothing ran). */
async function until404Ends(send, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await send();
		if (r.status !== 404 || Date.now() > deadline) return r;
		await sleep(200);
	}
}
/** POST to a production webhook, retrying while n8n answers 404. */
const postWebhook = (webhookPath, body, timeoutMs) =>
	until404Ends(() => http('POST', `${HOOK}/webhook/${webhookPath}`, { body }), timeoutMs);

async function executions(workflowId, { includeData = true, limit = 50 } = {}) {
	const qs = new URLSearchParams({
		workflowId,
		includeData: String(includeData),
		limit: String(limit),
	});
	return (await api('GET', `/executions?${qs}`)).data ?? [];
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Waits until the workflow has `count` finished executions; returns them (newest first). */
async function waitExecutions(workflowId, count, timeoutMs, { onPoll } = {}) {
	const deadline = Date.now() + timeoutMs;
	let list = [];
	for (;;) {
		list = await executions(workflowId, { includeData: false });
		if (onPoll) await onPoll(list);
		if (list.filter((e) => FINISHED.has(e.status)).length >= count) break;
		if (Date.now() > deadline) return { timedOut: true, list };
		await sleep(300);
	}
	const full = await executions(workflowId);
	return { timedOut: false, list: full };
}

/**
 * Waiting executions of a workflow that the list leaves out: n8n 2.0's public API omits every
 * execution still held in memory, parked ones included (newer n8n list them). They are read by id
 * instead, around the newest listed execution id.
 */
async function parkedExecutions(workflowId) {
	const newest = Number(
		(await api('GET', '/executions?limit=1&includeData=false')).data?.[0]?.id ?? 0,
	);
	const found = [];
	for (let id = Math.max(1, newest - 10); id <= newest + 5; id++) {
		const r = await http('GET', `${API}/api/v1/executions/${id}`, {
			headers: { 'X-N8N-API-KEY': API_KEY },
		});
		if (
			r.status === 200 &&
			String(r.json?.workflowId) === String(workflowId) &&
			r.json?.status === 'waiting'
		)
			found.push(r.json);
	}
	return found;
}

/** Watches a workflow's executions until one finished; says whether it was seen "waiting" first. */
async function waitThroughParking(workflowId, timeoutMs) {
	const statuses = new Set();
	let waitingId;
	const { timedOut, list } = await waitExecutions(workflowId, 1, timeoutMs, {
		onPoll: async (l) => {
			const parked = l.some((e) => e.status === 'waiting')
				? []
				: await parkedExecutions(workflowId);
			[...l, ...parked].forEach((e) => {
				statuses.add(e.status);
				if (e.status === 'waiting') waitingId = e.id;
			});
		},
	});
	return { timedOut, list, statuses, waitingId };
}

function nodeRun(execution, nodeName) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	return runs?.[runs.length - 1];
}
function nodeOutput(execution, nodeName) {
	return nodeRun(execution, nodeName)?.data?.main?.[0] ?? [];
}
/** Checks that an execution (maybe missing) ended with success; the detail says why not. */
function succeeded(ex, what) {
	return check(ex?.status === 'success', what, ex ? (execError(ex) ?? ex.status) : 'no execution');
}

/** Waits for a workflow's first execution and checks that it finished with success: the execution, or undefined. */
async function successfulExecution(workflowId, timeoutMs, since, what = 'execution') {
	const { timedOut, list } = await waitExecutions(workflowId, 1, timeoutMs);
	const finished = `${what} finished (${secs(Date.now() - since)})`;
	if (
		!check(
			!timedOut,
			finished,
			list.map((e) => e.status),
		)
	)
		return undefined;
	const ex = list[0];
	return succeeded(ex, `${what} status success`) ? ex : undefined;
}

function execError(execution) {
	const e = execution?.data?.resultData?.error;
	return e ? `${e.message}${e.description ? ` (${e.description})` : ''}` : undefined;
}
/** How long an execution ran, from the public API's startedAt and stoppedAt. */
const execMs = (ex) => Date.parse(ex.stoppedAt) - Date.parse(ex.startedAt);

// ---------------------------------------------------------------- the simulator's request log

/** The lines of a simulator's log (test/simulator/cli.js --log): requests, callbacks, task ends. */
function readSimLog(file = SIM_LOG) {
	if (!file || !existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line));
}
const isCreate = (r) => r.method === 'POST' && r.path?.split('?')[0] === '/v1/videos/generations';
/** The creates a log holds whose prompt contains `marker`. */
const createsWith = (log, marker) =>
	log.filter((r) => isCreate(r) && String(r.body?.prompt ?? '').includes(marker));
/** The uploads a log records, by the URL a create sent for them: { fileName, mimeType, bytes, sha256 }. */
function uploadOf(log) {
	const byId = new Map(log.filter((r) => r.upload).map((r) => [r.upload.fileId, r.upload]));
	return (url) => byId.get(/\/uploads\/([^/.]+)\./.exec(String(url))?.[1] ?? '');
}

/**
 * Another simulator, for one scenario (its own balance, rate limit or task length), through the
 * simulator's CLI with a request log; stopped when the scenario ends (or with this process).
 */
async function ownSimulator(name, args) {
	const { spawnCli } = require(path.join(REPO, 'test', 'simulator', 'cli.js'));
	const log = path.join(RUN_DIR, `simulator-${name}-${LABEL}.jsonl`);
	const sim = await spawnCli(['--port', '0', '--host', '127.0.0.1', '--log', log, ...args]);
	return { baseUrl: sim.baseUrl, apiKey: sim.apiKey, log, stop: () => sim.stop() };
}

// ---------------------------------------------------------------- saved workflows (the upgrade check)
// E2E_SAVED=<file>. "save": every credential, workflow, webhook path and id a scenario makes is
// recorded there, and how many checks each scenario passed. "reuse" (after run.sh upgraded the
// package and restarted n8n): the scenarios get those back instead of making new ones, so the very
// workflows saved under the old version run again with the same credentials; their earlier
// executions are deleted first, so each check counts only this run's executions; and each scenario
// must pass as many checks as it did before the upgrade.
const SAVED_FILE = process.env.E2E_SAVED || '';
const REUSE = !!SAVED_FILE && process.env.E2E_SAVED_MODE === 'reuse';
const saved =
	SAVED_FILE && existsSync(SAVED_FILE) ? JSON.parse(readFileSync(SAVED_FILE, 'utf8')) : {};
const writeSaved = () => writeFileSync(SAVED_FILE, JSON.stringify(saved, null, 2));

/**
 * make()'s value (or, when it returns a promise, the promise of it), recorded under key when saving;
 * the recorded value when reusing.
 */
function keep(key, make) {
	if (!SAVED_FILE) return make();
	if (REUSE) {
		if (!(key in saved)) throw new Error(`the upgrade check saved nothing under "${key}"`);
		return saved[key];
	}
	const record = (value) => {
		saved[key] = value;
		writeSaved();
		return value;
	};
	const made = make();
	return made instanceof Promise ? made.then(record) : record(made);
}

/** Saves a workflow made by create(), or hands back the saved one with its executions cleared. */
async function keepWorkflow(name, create) {
	const wf = await keep(`workflow: ${name}`, async () => {
		const created = await create();
		return { id: created.id, name: created.name };
	});
	if (REUSE) {
		for (const e of await executions(wf.id, { includeData: false, limit: 250 }))
			await api('DELETE', `/executions/${e.id}`);
	}
	return wf;
}

/** The upgrade check: as many checks of the scenario pass after the upgrade as before it. */
function compareWithSaved(sc) {
	if (!SAVED_FILE) return;
	const passed = passedSoFar();
	saved.checks ??= {};
	if (!REUSE) {
		saved.checks[sc] = passed;
		writeSaved();
		return;
	}
	const before = saved.checks[sc];
	check(
		passed === before,
		`the same checks pass as before the upgrade (${passed} here, ${before} with the release)`,
		{ after: passed, before },
	);
}

let credential; // { id, name }

/**
 * Credential data completed for the public API of this n8n: n8n 2.0's schema for credentials with
 * "allowedHttpRequestDomains" wrongly requires "allowedDomains" unless that field is given ("all" is
 * its default); newer n8n accept it too. Only fields the type's schema knows are sent.
 */
async function credentialData(type, data) {
	const schema = await api('GET', `/credentials/schema/${type}`);
	const known = schema?.properties ?? {};
	const out = Object.fromEntries(Object.entries(data).filter(([k]) => k in known));
	if ('allowedHttpRequestDomains' in known) out.allowedHttpRequestDomains ??= 'all';
	return out;
}

/** Waits until n8n serves its public API (n8n 2.0 is "ready" before its routes are mounted). */
async function apiReady(timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await http('GET', `${API}/api/v1/workflows?limit=1`, {
			headers: { 'X-N8N-API-KEY': API_KEY },
		});
		if (r.status === 200 || Date.now() > deadline) return;
		await sleep(250);
	}
}

/** An EvoLink API credential on a simulator (its files API on the same base URL): { id, name }. */
async function evoLinkCredential(name, { baseUrl = SIM, apiKey = SIM_KEY, ...more } = {}) {
	const data = await credentialData('evoLinkApi', {
		apiKey,
		baseUrl,
		filesBaseUrl: baseUrl,
		...more,
	});
	const created = await api('POST', '/credentials', {
		name: `${name} (${LABEL})`,
		type: 'evoLinkApi',
		data,
	});
	return { id: created.id, name: created.name, data };
}

async function createCredential() {
	await apiReady();
	credential = await keep('credential: evoLinkApi', async () => {
		const { id, name } = await evoLinkCredential('EvoLink simulator');
		return { id, name };
	});
}

function node(name, type, parameters, position, extra = {}) {
	return { id: randomUUID(), name, type, typeVersion: 1, position, parameters, ...extra };
}
function webhookNode(p) {
	return node(
		'Webhook',
		'n8n-nodes-base.webhook',
		{ httpMethod: 'POST', path: p, responseMode: 'onReceived', options: {} },
		[0, 0],
		{ typeVersion: 2, webhookId: randomUUID() },
	);
}
/** A Code node (runs in n8n's task runner) turning the webhook call into these items (binary kept). */
function itemsNode(items, { keepBinary = false } = {}) {
	const code = keepBinary
		? `const binary = $input.first().binary;\nreturn ${JSON.stringify(items)}.map((json) => ({ json, binary }));`
		: `return ${JSON.stringify(items.map((json) => ({ json })))};`;
	return node('Make items', 'n8n-nodes-base.code', { jsCode: code }, [220, 0], {
		typeVersion: 2,
	});
}
/** A Wan Video node of this run's version (E2E_NODE_VERSION) on the given credential. */
function wanNode(name, parameters, position, { evoLinkApi = credential, extra = {} } = {}) {
	return node(name, T_WAN, { resource: 'video', ...parameters }, position, {
		typeVersion: V,
		credentials: { evoLinkApi },
		...extra,
	});
}
/** Items that fail carry on as error items (n8n's "On Error: Continue"). */
const continueOnFail = { onError: 'continueRegularOutput' };

/**
 * Create's parameters from an image URL (the default model of the version: Wan 2.6 in 1, 3.0 in 2).
 * wait: Create waits (and downloads) itself; options: Create's options (callback, resume).
 */
function createParameters({ prompt, imageUrl = IMAGE_URL, wait, timeout = 120, options = {} }) {
	if (V === 1) {
		return {
			operation: 'create',
			prompt,
			imageUrl,
			duration: 5,
			quality: '720p',
			promptExtend: true,
			shotType: 'single',
			waitForCompletion: !!wait,
			options,
			...(wait ? { waitOptions: { timeout, download: true, binaryProperty: 'data' } } : {}),
		};
	}
	return {
		operation: 'create',
		startFrom: 'image',
		model: 'wan3.0-image-to-video',
		prompt,
		imageSource: 'url',
		imageUrl,
		duration: 5,
		quality: '720p',
		waitForCompletion: !!wait,
		download: !!wait,
		options: { ...options, ...(wait ? { timeout } : {}) },
	};
}
/** Wait's parameters (download into "data"): version 1 has Wait Options, 2 Options and Download. */
function waitParameters({ timeout = 120, waitMode, download = true } = {}) {
	const options = {
		timeout,
		onTimeout: 'error',
		onFailure: 'error',
		...(waitMode ? { waitMode } : {}),
		binaryProperty: 'data',
	};
	return V === 1
		? { operation: 'wait', taskId: '={{ $json.taskId }}', waitOptions: { ...options, download } }
		: { operation: 'wait', taskId: '={{ $json.taskId }}', download, options };
}
function chain(...names) {
	const c = {};
	for (let i = 0; i + 1 < names.length; i++)
		c[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return c;
}
async function createWorkflow(name, nodes, connections, { activate = false } = {}) {
	return await keepWorkflow(name, async () => {
		const wf = await api('POST', '/workflows', {
			name: `${name} (${LABEL})`,
			nodes,
			connections,
			settings: { executionOrder: 'v1' },
		});
		if (activate) {
			const a = await api('POST', `/workflows/${wf.id}/activate`);
			if (a.active !== true) throw new Error(`workflow ${wf.id} did not activate: ${short(a)}`);
		}
		return wf;
	});
}
/** A webhook-started workflow: Webhook -> Make items -> the given nodes, in a chain; activated. */
async function webhookWorkflow(name, hookPath, items, nodes, { keepBinary } = {}) {
	return await createWorkflow(
		name,
		[webhookNode(hookPath), itemsNode(items, { keepBinary }), ...nodes],
		chain('Webhook', 'Make items', ...nodes.map((n) => n.name)),
		{ activate: true },
	);
}

/** n8n's REST session (cookie), only to read binary data back: the public API does not serve it. */
let restCookie;
async function restLogin() {
	const email = process.env.E2E_OWNER_EMAIL;
	const password = process.env.E2E_OWNER_PASSWORD;
	if (!email || !password) return;
	const res = await http('POST', `${API}/rest/login`, {
		body: { emailOrLdapLoginId: email, password },
		headers: { 'browser-id': 'e2e' },
	});
	restCookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
}
/** GETs a file whole; with timeoutMs, a request without an answer by then ends as status 0. */
async function getBytes(url, headers = {}, timeoutMs = 0) {
	try {
		const r = await client.get(url, { headers, timeout: timeoutMs });
		return { status: r.status, bytes: Buffer.from(r.data ?? []) };
	} catch (e) {
		if (e.code === 'ECONNABORTED') return { status: 0, bytes: Buffer.alloc(0) };
		throw e;
	}
}
/** A stored binary, through n8n's REST API. */
const storedBinary = (id) =>
	getBytes(`${API}/rest/binary-data?${new URLSearchParams({ id, action: 'download' })}`, {
		cookie: restCookie,
		'browser-id': 'e2e',
	});

// ---------------------------------------------------------------- output checks

/** What version 2 outputs for a task: each value once (nodes/shared/task.ts, toTaskItemV2). */
const V2_KEYS = [
	'taskId',
	'model',
	'status',
	'final',
	'progress',
	'videoUrl',
	'videoUrlExpiresAt',
	'createdAt',
	'usage',
	'error',
];
const V1_ONLY_KEYS = ['id', 'results', 'created', 'object', 'type', 'task_info', 'creditsReserved'];

/** A version 2 task item: the keys it must have and the raw API keys it must not repeat. */
function v2ShapeProblem(j) {
	const missing = V2_KEYS.filter((k) => !(k in j));
	const repeated = V1_ONLY_KEYS.filter((k) => k in j);
	const problems = [
		...(missing.length ? [`missing ${missing.join(', ')}`] : []),
		...(repeated.length ? [`repeats ${repeated.join(', ')}`] : []),
	];
	if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(j.createdAt ?? '')) problems.push('createdAt not ISO');
	const u = j.usage ?? {};
	if (!('creditsReserved' in u && 'billingRule' in u && 'userGroup' in u))
		problems.push(`usage ${JSON.stringify(u)}`);
	if (j.final !== true) problems.push(`final ${j.final}`);
	return problems.join('; ');
}

/**
 * Items of a node output that carry a finished video as binary, byte-identical to the result file.
 * shape 2: the items are version 2's (each value once).
 */
async function checkVideoItems(items, n, what, { executionId, shape } = {}) {
	check(items.length === n, `${what}: ${n} output items`, items.length);
	const ids = new Set();
	for (const [i, it] of items.entries()) {
		const j = it.json ?? {};
		const b = it.binary?.data;
		ids.add(j.taskId);
		check(
			/^task-unified-/.test(j.taskId ?? '') &&
				j.status === 'completed' &&
				typeof j.videoUrl === 'string',
			`${what}: item ${i} taskId ${j.taskId}, status ${j.status}`,
			j,
		);
		if (shape === 2) {
			const problem = v2ShapeProblem(j);
			check(
				!problem,
				`${what}: item ${i} has version 2's fields, each once`,
				`${problem}: ${short(j)}`,
			);
		}
		if (
			!check(
				b && b.mimeType === 'video/mp4' && b.id,
				`${what}: item ${i} has binary.data, video/mp4, ${b?.fileSize ?? '?'}`,
				it.binary,
			)
		)
			continue;
		if (!restCookie) continue;
		// the stored binary must be the simulator's file, byte for byte
		let stored = await storedBinary(b.id);
		let where = '';
		const movedFrom = /^filesystem-v2:(.+)\/executions\/temp\/(.+)$/.exec(b.id);
		if (stored.status === 404 && movedFrom && executionId) {
			// n8n 2.0 bug: a trigger's binary is written under executions/temp, moved to the execution's
			// folder once the execution exists, but the saved execution keeps the temp id (the editor
			// cannot show it either). The moved file itself must still be the video.
			const moved = path.join(
				N8N_FOLDER,
				'binaryData',
				movedFrom[1],
				'executions',
				String(executionId),
				movedFrom[2],
			);
			if (existsSync(moved)) {
				stored = { status: 200, bytes: readFileSync(moved) };
				where = `; n8n ${process.env.E2E_N8N_VERSION ?? ''} saved the temp id, read from executions/${executionId}/`;
			}
		}
		const source = await getBytes(j.videoUrl);
		check(
			stored.status === 200 &&
				source.status === 200 &&
				stored.bytes.length > 0 &&
				stored.bytes.equals(source.bytes),
			`${what}: item ${i} binary is the full video (${stored.bytes.length} of ${source.bytes.length} bytes${where})`,
			{
				storedStatus: stored.status,
				stored: stored.bytes.length,
				source: source.bytes.length,
				fileSize: b.fileSize,
			},
		);
	}
	if (n > 1) check(ids.size === n, `${what}: ${n} distinct task ids`, [...ids]);
	return [...ids];
}

// ---------------------------------------------------------------- scenarios

const scenarios = {};

/** examples/<file> (E2E_EXAMPLES_DIR) with the e2e credential, fresh webhook ids (runs never share a URL). */
function loadExample(file, variant = '') {
	const wf = JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8'));
	if (variant) wf.name = `${wf.name} (${variant})`;
	for (const n of wf.nodes) {
		if (n.credentials?.evoLinkApi) n.credentials.evoLinkApi = credential;
		if (n.webhookId) n.webhookId = keep(`webhookId: ${wf.name}: ${n.name}`, randomUUID);
	}
	return wf;
}
async function createExample(file, wf, { activate = false } = {}) {
	return await createWorkflow(`${wf.name} [examples/${file}]`, wf.nodes, wf.connections, {
		activate,
	});
}
/** Imports an example (and activates it), checking that n8n takes it; the workflow or undefined. */
async function importExample(file, wf, { activate = false } = {}) {
	const what = `examples/${file} imports${activate ? ' and activates' : ''}`;
	try {
		const created = await createExample(file, wf, { activate });
		pass(`${what} (id ${created.id})`);
		return created;
	} catch (e) {
		fail(what, e.message);
		return undefined;
	}
}
/** The "[ms:N]" marker of the simulator: a task of that many milliseconds. */
const fast = (text, ms = 2500) => `[ms:${ms}] ${text}`;

/** Runs a saved workflow with `n8n execute` (regular mode) and returns its execution (public API). */
async function executeByCli(wf) {
	const t = Date.now();
	try {
		execSync(`${process.env.E2E_DEMO_EXEC} --id=${wf.id}`, {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 180000,
		});
		pass(`n8n execute --id=${wf.id} exits 0 (${secs(Date.now() - t)})`);
	} catch (e) {
		fail(
			'n8n execute exits 0',
			`${e.status}: ${(e.stdout ?? '').slice(-600)} ${(e.stderr ?? '').slice(-400)}`,
		);
		return undefined;
	}
	const { list } = await waitExecutions(wf.id, 1, 15000);
	return list[0];
}

// install: the package is where n8n loads it, as installed (E2E_INSTALL_KIND): n8n's installer drops
// the dev and peer dependencies; neither way brings a second n8n-workflow under ~/.n8n/nodes
scenarios.install = async () => {
	const manifest = JSON.parse(readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
	const files = [...(manifest.n8n?.credentials ?? []), ...(manifest.n8n?.nodes ?? [])];
	const missing = files.filter((f) => !existsSync(path.join(PKG_DIR, f)));
	check(
		files.length >= 3 && !missing.length,
		`${PKG}@${manifest.version}: its ${files.length} nodes and credentials are installed`,
		missing,
	);
	const seconds = [];
	const walk = (dir, depth) => {
		if (depth > 8 || !existsSync(dir)) return;
		for (const entry of readdirSync(dir)) {
			const p = path.join(dir, entry);
			if (!statSync(p).isDirectory()) continue;
			if (entry === 'n8n-workflow' && existsSync(path.join(p, 'package.json'))) seconds.push(p);
			else walk(p, depth + 1);
		}
	};
	walk(path.join(N8N_FOLDER, 'nodes'), 0);
	check(!seconds.length, 'no second n8n-workflow under ~/.n8n/nodes', seconds);
	if (process.env.E2E_INSTALL_KIND === 'n8n')
		check(
			!manifest.devDependencies && !manifest.peerDependencies,
			"installed as n8n's Community Nodes installer does: dev and peer dependencies dropped",
			Object.keys(manifest),
		);
	else if (process.env.E2E_INSTALL_KIND === 'manual')
		pass("installed with README's manual command (npm install --omit=peer --ignore-scripts)");
};

/** The example pair of the README imports into n8n, and the trigger's workflow activates. */
async function importExamplePair() {
	for (const [file, activate] of [
		['create-with-callback.json', false],
		['on-video-ready.json', true],
		['create-and-wait-by-callback.json', false],
	]) {
		await importExample(file, loadExample(file), { activate });
	}
}

// demo: the example workflow that `npm start` imports, run as-is with `n8n execute` (Manual Trigger):
// a version 2 Create that waits and downloads a video that plays (the simulator serves a real MP4)
scenarios.demo = async () => {
	await importExamplePair();
	if (!process.env.E2E_DEMO_EXEC) return skip('no E2E_DEMO_EXEC (n8n execute) given for this mode');
	const demo = JSON.parse(
		readFileSync(path.join(REPO, 'examples', 'demo-create-and-wait.json'), 'utf8'),
	);
	for (const n of demo.nodes) if (n.credentials?.evoLinkApi) n.credentials.evoLinkApi = credential;
	const wan = demo.nodes.find((n) => n.type === T_WAN);
	check(wan.typeVersion === 2, `the demo's Wan Video node is version 2 (${wan.typeVersion})`);
	wan.parameters.prompt = fast(wan.parameters.prompt);
	const wf = await api('POST', '/workflows', {
		name: `${demo.name} (${LABEL})`,
		nodes: demo.nodes,
		connections: demo.connections,
		settings: demo.settings ?? {},
	});
	const ex = await executeByCli(wf);
	if (!succeeded(ex, 'demo execution read back via the public API: success')) return;
	const out = nodeOutput(ex, wan.name);
	await checkVideoItems(out, 1, `demo "${wan.name}"`, { shape: 2 });
	const b = out[0]?.binary?.data;
	if (!b || !restCookie) return;
	const stored = (await storedBinary(b.id)).bytes;
	const demoMp4 = readFileSync(path.join(REPO, 'test', 'fixtures', 'demo.mp4'));
	check(
		stored.subarray(0, demoMp4.length).equals(demoMp4) && b.fileName?.endsWith('.mp4'),
		`the downloaded video plays: it is test/fixtures/demo.mp4 (H.264, 3 s) and padding, named ${b.fileName}`,
		{ fileName: b.fileName, head: stored.subarray(0, 12).toString('hex') },
	);
};

// a: Webhook -> Code (3 items) -> Create -> Wait (polling, download): 3 videos as binary
scenarios.a = async () => {
	const hookPath = keep('hookPath: a', () => `e2e-a-${LABEL}-${Date.now()}`);
	const items = [1, 2, 3].map((i) => ({
		prompt: fast(`e2e clip ${i}: the cat turns its head`, 2000 + i * 700),
		imageUrl: IMAGE_URL,
	}));
	const wf = await webhookWorkflow('E2E a: create, wait (poll), download', hookPath, items, [
		wanNode(
			'Create',
			createParameters({ prompt: '={{ $json.prompt }}', imageUrl: '={{ $json.imageUrl }}' }),
			[440, 0],
		),
		wanNode('Wait', waitParameters({ timeout: 90 }), [660, 0]),
	]);
	const t = Date.now();
	const r = await postWebhook(hookPath, { run: 'a' });
	if (!check(r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	const ex = await successfulExecution(wf.id, 120000, t);
	if (!ex) return;
	const created = nodeOutput(ex, 'Create');
	check(
		created.length === 3 && created.every((it) => /^task-unified-/.test(it.json?.taskId ?? '')),
		'Create: 3 items with a taskId',
		created.map((it) => it.json),
	);
	const ids = await checkVideoItems(nodeOutput(ex, 'Wait'), 3, 'Wait', { shape: V });
	check(
		JSON.stringify(ids) === JSON.stringify(created.map((it) => it.json.taskId)),
		'Wait keeps the item order of Create',
		{ ids, created: created.map((it) => it.json.taskId) },
	);
};

// b: Wan Video Trigger started by the simulator's callbacks; forged and repeated callbacks start nothing
scenarios.b = async () => {
	const trigger = node(
		'Wan Video Trigger',
		T_TRIGGER,
		{ events: ['completed'], options: {} },
		[0, 0],
		{
			webhookId: keep('webhookId: b: trigger', randomUUID),
			credentials: { evoLinkApi: credential },
		},
	);
	const triggerWf = await createWorkflow('E2E b: trigger', [trigger], {}, { activate: true });
	const callbackUrl = `${WEBHOOK_URL}webhook/${trigger.webhookId}/callback`;
	const hookPath = keep('hookPath: b', () => `e2e-b-${LABEL}-${Date.now()}`);
	const items = [
		{ prompt: fast('e2e trigger clip 1', 2000) },
		{ prompt: fast('e2e trigger clip 2', 2600) },
		{
			prompt: fast(
				'[fail:content_policy_violation] e2e trigger clip 3 (fails; not a selected event)',
				2300,
			),
		},
	].map((x) => ({ ...x, imageUrl: IMAGE_URL }));
	const creator = await webhookWorkflow('E2E b: create with callback', hookPath, items, [
		wanNode(
			'Create',
			createParameters({
				prompt: '={{ $json.prompt }}',
				imageUrl: '={{ $json.imageUrl }}',
				options: { callbackUrl },
			}),
			[440, 0],
		),
	]);
	const t = Date.now();
	const r = await postWebhook(hookPath, { run: 'b' });
	if (!check(r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	const c = await waitExecutions(creator.id, 1, 60000);
	const cex = c.list[0];
	if (
		!check(
			!c.timedOut && cex?.status === 'success',
			'creator execution success',
			cex ? (execError(cex) ?? cex.status) : 'none',
		)
	)
		return;
	const created = nodeOutput(cex, 'Create').map((it) => it.json.taskId);
	check(created.length === 3, 'creator started 3 tasks', created);
	const okIds = created.slice(0, 2);

	const tr = await waitExecutions(triggerWf.id, 2, 60000);
	if (
		!check(
			!tr.timedOut,
			`2 trigger executions after the callbacks (${secs(Date.now() - t)})`,
			tr.list.map((e) => e.status),
		)
	)
		return;
	await sleep(2500); // let the failed task's callback (filtered: not a selected event) land too
	let list = await executions(triggerWf.id);
	check(
		list.length === 2,
		'exactly one trigger execution per completed task (the failed one is filtered)',
		list.length,
	);
	const seen = list.map((e) => nodeOutput(e, 'Wan Video Trigger')[0]?.json ?? {});
	check(
		list.every((e) => e.status === 'success'),
		'trigger executions succeeded',
		list.map((e) => execError(e) ?? e.status),
	);
	check(
		JSON.stringify(seen.map((j) => j.taskId).sort()) === JSON.stringify([...okIds].sort()),
		'trigger outputs are the two completed tasks',
		{ seen: seen.map((j) => j.taskId), okIds },
	);
	check(
		seen.every((j) => j.status === 'completed' && typeof j.videoUrl === 'string'),
		'trigger output: status completed + videoUrl',
		seen,
	);

	// forged and repeated callbacks: none may start an execution
	const { signCallbackUrl } = require(path.join(PKG_DIR, 'dist/nodes/shared/callbackSignature.js'));
	const signed = new URL(signCallbackUrl(callbackUrl, SIM_KEY));
	const signedLocal = `${HOOK}${signed.pathname}${signed.search}`;
	const unsignedLocal = `${HOOK}/webhook/${trigger.webhookId}/callback`;
	const real = (
		await http('GET', `${SIM}/v1/tasks/${okIds[0]}`, {
			headers: { Authorization: `Bearer ${SIM_KEY}` },
		})
	).json;
	check(real?.status === 'completed', 'simulator reports the first task completed', real);

	let f = await http('POST', unsignedLocal, { body: real });
	check(f.status === 401, 'real body on the unsigned URL: 401', f.status);
	f = await http('POST', `${unsignedLocal}?wvsig=${'A'.repeat(43)}`, { body: real });
	check(f.status === 401, 'real body with a wrong signature: 401', f.status);
	f = await http('POST', signedLocal, {
		body: {
			...real,
			id: 'task-unified-0000000000-forged01',
			results: ['https://evil.example/x.mp4'],
		},
	});
	check(
		f.status === 200 && !!f.json?.ignored,
		'signed URL, forged task id unknown to the API: ignored',
		f,
	);
	const failedTask = (
		await http('GET', `${SIM}/v1/tasks/${created[2]}`, {
			headers: { Authorization: `Bearer ${SIM_KEY}` },
		})
	).json;
	f = await http('POST', signedLocal, {
		body: { ...failedTask, status: 'completed', results: ['https://evil.example/x.mp4'] },
	});
	check(
		f.status === 200 && !!f.json?.ignored,
		'signed URL, failed task claimed "completed": API says failed, ignored',
		f,
	);
	f = await http('POST', signedLocal, { body: real });
	check(
		f.status === 200 && !!f.json?.ignored,
		'repeated callback of a completed task: ignored as already received',
		f,
	);
	await sleep(2000);
	list = await executions(triggerWf.id, { includeData: false });
	check(
		list.length === 2,
		'no new trigger execution after forged and repeated callbacks',
		list.length,
	);
};

/**
 * Webhook -> items -> Create (resume this execution on completion) -> Wait in callback mode -> After.
 * With continueOnFail, both nodes carry on with error items.
 */
async function createCallbackWaitWorkflow(
	name,
	hookPath,
	items,
	timeout,
	{ continueOnFail: cof } = {},
) {
	const extra = cof ? continueOnFail : {};
	return await webhookWorkflow(name, hookPath, items, [
		wanNode(
			'Create',
			createParameters({
				prompt: '={{ $json.prompt }}',
				imageUrl: '={{ $json.imageUrl }}',
				options: { resumeOnCallback: true },
			}),
			[440, 0],
			{ extra },
		),
		wanNode('Wait', waitParameters({ waitMode: 'callback', timeout }), [660, 0], { extra }),
		node('After', 'n8n-nodes-base.noOp', {}, [880, 0]),
	]);
}
const promptItems = (prompts) => prompts.map((prompt) => ({ prompt, imageUrl: IMAGE_URL }));

// c: Create sends the execution's resume URL; Wait in callback mode parks the execution until
// the simulator calls back for every task, then resumes with the videos
scenarios.c = async () => {
	const hookPath = keep('hookPath: c', () => `e2e-c-${LABEL}-${Date.now()}`);
	const wf = await createCallbackWaitWorkflow(
		'E2E c: create, wait for callback',
		hookPath,
		promptItems([fast('e2e callback clip one', 3000), fast('e2e callback clip two', 5000)]),
		120,
	);
	const t = Date.now();
	const r = await postWebhook(hookPath, { run: 'c' });
	if (!check(r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	const { timedOut, list, statuses, waitingId } = await waitThroughParking(wf.id, 90000);
	check(statuses.has('waiting'), `execution was seen "waiting" (id ${waitingId ?? '?'})`, [
		...statuses,
	]);
	if (!check(!timedOut, `execution finished (${secs(Date.now() - t)})`, [...statuses])) return;
	const ex = list[0];
	if (!succeeded(ex, 'resumed execution status success')) return;
	await checkVideoItems(nodeOutput(ex, 'Wait'), 2, 'Wait (callback)', { shape: V });
	check(
		nodeOutput(ex, 'After').length === 2,
		'node after Wait ran after the resume, with both items',
		nodeOutput(ex, 'After').length,
	);
};

// cbfail: Continue On Fail in Create and in a callback Wait; one of three items is refused by Create
// (an error item). The execution parks, resumes as soon as the two valid tasks are final, and the
// error item comes out of Wait as an error at its own index
scenarios.cbfail = async () => {
	const marker = `cbfail-${LABEL}-${Date.now()}`;
	const hookPath = `e2e-${marker}`;
	const wf = await createCallbackWaitWorkflow(
		'E2E cbfail: callback wait with an error item',
		hookPath,
		[
			{ prompt: fast(`e2e ${marker} clip one`, 3000), imageUrl: IMAGE_URL },
			{ prompt: `e2e ${marker} refused: no image`, imageUrl: 'not a url' },
			{ prompt: fast(`e2e ${marker} clip three`, 6000), imageUrl: IMAGE_URL },
		],
		120,
		{ continueOnFail: true },
	);
	const t = Date.now();
	const r = await postWebhook(hookPath, { run: 'cbfail' });
	if (!check(r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	const { timedOut, list, statuses } = await waitThroughParking(wf.id, 90000);
	check(statuses.has('waiting'), 'execution was seen "waiting"', [...statuses]);
	if (!check(!timedOut, `execution finished (${secs(Date.now() - t)})`, [...statuses])) return;
	const ex = list[0];
	if (!succeeded(ex, 'resumed execution status success')) return;
	const created = nodeOutput(ex, 'Create');
	check(
		created.length === 3 &&
			created[1].json?.error &&
			/First Frame URL/.test(created[1].json.error.message) &&
			/^task-unified-/.test(created[0].json?.taskId ?? '') &&
			/^task-unified-/.test(created[2].json?.taskId ?? ''),
		'Create: item 1 is an error item naming the First Frame URL, items 0 and 2 have tasks',
		created.map((it) => it.json),
	);
	const out = nodeOutput(ex, 'Wait');
	check(out.length === 3, 'Wait: 3 items after the resume', out.length);
	check(
		out[1]?.json?.error && !out[1]?.binary && out[1]?.pairedItem?.item === 1,
		'Wait: item 1 comes out as an error item, at its own index',
		out[1],
	);
	await checkVideoItems([out[0], out[2]].filter(Boolean), 2, 'Wait: items 0 and 2', { shape: V });
	// the callbacks resumed it (before the fix every callback was answered 400 until the timeout);
	// how soon after the last task is a figure, printed, not a pass mark
	const ids = [out[0]?.json?.taskId, out[2]?.json?.taskId];
	const log = readSimLog();
	const ends = log.filter((l) => ids.includes(l.final));
	if (ends.length === 2) {
		const answered = log.filter((l) => ids.includes(l.callback)).map((l) => l.status);
		check(
			answered.length > 0 && answered.every((status) => status === 200),
			'every callback of the two tasks was answered 200',
			answered,
		);
		const lastEnd = Math.max(...ends.map((l) => l.at));
		const lag = Date.parse(ex.stoppedAt) - lastEnd;
		note(`${LABEL} cbfail: resumed and finished ${secs(lag)} after the last valid task ended`);
	} else skip('the simulator log has no task ends (E2E_SIM_LOG)');
};

// r1 / r2: n8n restarts while an execution waits by callback (run.sh restarts n8n between them);
// the simulator's callback arrives after the restart and resumes the execution
const RESTART_STATE = path.join(RUN_DIR, 'restart-state.json');
scenarios.r1 = async () => {
	const hookPath = `e2e-r-${LABEL}-${Date.now()}`;
	const wf = await createCallbackWaitWorkflow(
		'E2E r: wait by callback across a restart',
		hookPath,
		promptItems([fast('e2e restart clip', 20000)]),
		300,
	);
	const r = await postWebhook(hookPath, { run: 'r' });
	if (!check(r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	let waitingId;
	const deadline = Date.now() + 30000;
	while (!waitingId && Date.now() < deadline) {
		const list = await executions(wf.id, { includeData: false });
		waitingId = [...list, ...(await parkedExecutions(wf.id))].find(
			(e) => e.status === 'waiting',
		)?.id;
		if (!waitingId) await sleep(300);
	}
	if (!check(!!waitingId, `execution is waiting before the restart (id ${waitingId})`)) return;
	writeFileSync(RESTART_STATE, JSON.stringify({ workflowId: wf.id, executionId: waitingId }));
};
scenarios.r2 = async () => {
	if (!existsSync(RESTART_STATE)) return fail('no execution was left waiting by r1');
	const { workflowId, executionId } = JSON.parse(readFileSync(RESTART_STATE, 'utf8'));
	const { timedOut, list } = await waitExecutions(workflowId, 1, 120000);
	const ex = list.find((e) => String(e.id) === String(executionId));
	if (
		!check(
			!timedOut && ex?.status === 'success',
			`execution ${executionId} resumed after the restart: success`,
			ex ? (execError(ex) ?? ex.status) : 'not found',
		)
	)
		return;
	await checkVideoItems(nodeOutput(ex, 'Wait'), 1, 'Wait (callback, after restart)', { shape: V });
};

// spread: 4 tasks of 4, 8, 12 and 16 s in one Create, then a polling Wait (separate node): every
// task is downloaded; how close the execution comes to 16 s is printed (bench/ measures it)
scenarios.spread = async () => {
	const hookPath = `e2e-spread-${LABEL}-${Date.now()}`;
	const lengths = [4, 8, 12, 16];
	const wf = await webhookWorkflow(
		'E2E spread: 4, 8, 12 and 16 s tasks',
		hookPath,
		promptItems(lengths.map((s) => fast(`e2e ${s} s clip`, s * 1000))),
		[
			wanNode('Create', createParameters({ prompt: '={{ $json.prompt }}' }), [440, 0]),
			wanNode('Wait', waitParameters({ timeout: 60 }), [660, 0]),
		],
	);
	const t = Date.now();
	const r = await postWebhook(hookPath, { run: 'spread' });
	if (!check(r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	const ex = await successfulExecution(wf.id, 90000, t);
	if (!ex) return;
	await checkVideoItems(nodeOutput(ex, 'Wait'), 4, 'Wait', { shape: V });
	const ms = execMs(ex);
	const create = nodeRun(ex, 'Create')?.executionTime;
	const wait = nodeRun(ex, 'Wait')?.executionTime;
	note(
		`${LABEL} spread: 4 tasks of 4/8/12/16 s, Create -> Wait: execution ${secs(ms)} (Create ${secs(create ?? 0)}, Wait ${secs(wait ?? 0)}), ${(ms / 16000).toFixed(2)}x the longest task`,
	);
};

// ---------------------------------------------------------------- real files

/** A real PNG (RGB, w×h, a colour gradient; `tint` makes another picture), built with zlib. */
function makePng(w = 480, h = 360, tint = 160) {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc32 = (buf) => {
		let c = 0xffffffff;
		for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type, data) => {
		const len = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(td));
		return Buffer.concat([len, td, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // RGB
	const raw = Buffer.alloc((w * 3 + 1) * h);
	for (let y = 0; y < h; y++) {
		const row = y * (w * 3 + 1);
		for (let x = 0; x < w; x++) {
			raw[row + 1 + x * 3] = (x * 255) / w;
			raw[row + 2 + x * 3] = (y * 255) / h;
			raw[row + 3 + x * 3] = tint;
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
const fixture = (name) => readFileSync(path.join(REPO, 'test', 'fixtures', name));

/** POST multipart/form-data (parts: {name, value} or {name, filename, contentType, data}). */
function postMultipart(url, parts) {
	const boundary = `----e2e${randomUUID().replace(/-/g, '')}`;
	const body = Buffer.concat(
		parts
			.flatMap((p) => [
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"` +
						(p.filename ? `; filename="${p.filename}"\r\nContent-Type: ${p.contentType}` : '') +
						'\r\n\r\n',
				),
				p.data ?? Buffer.from(String(p.value)),
				Buffer.from('\r\n'),
			])
			.concat([Buffer.from(`--${boundary}--\r\n`)]),
	);
	return http('POST', url, {
		body,
		headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
		raw: true,
	});
}
/** Submits a Form Trigger's production form (retrying while n8n answers 404). */
const submitForm = (form, parts) =>
	until404Ends(() =>
		postMultipart(`${HOOK}/form/${form.parameters.path || form.webhookId}`, parts),
	);

// disk: examples/image-url-to-video-file.json (Create + wait + download -> Read/Write Files from Disk),
// run with `n8n execute`; the file it wrote must be the simulator's video, byte for byte
scenarios.disk = async () => {
	const file = 'image-url-to-video-file.json';
	const FILES = process.env.E2E_FILES_DIR;
	if (!process.env.E2E_DEMO_EXEC || !FILES)
		return skip('no E2E_DEMO_EXEC (n8n execute) / E2E_FILES_DIR for this mode');
	const wf = loadExample(file);
	const wan = wf.nodes.find((n) => n.type === T_WAN);
	const save = wf.nodes.find((n) => n.type === 'n8n-nodes-base.readWriteFile');
	wan.parameters.prompt = fast(wan.parameters.prompt);
	// the example writes to the Docker default folder; here N8N_RESTRICT_FILE_ACCESS_TO is E2E_FILES_DIR
	const before = save.parameters.fileName;
	save.parameters.fileName = before.replace('/home/node/.n8n-files/', `${FILES}/${LABEL}-`);
	if (
		!check(
			save.parameters.fileName !== before,
			'the example writes under /home/node/.n8n-files/',
			before,
		)
	)
		return;
	const created = await importExample(file, wf);
	if (!created) return;
	const ex = await executeByCli(created);
	if (!succeeded(ex, 'execution read back via the public API: success')) return;
	const [taskId] = await checkVideoItems(nodeOutput(ex, wan.name), 1, `"${wan.name}"`, {
		shape: wan.typeVersion,
	});
	const written = nodeOutput(ex, save.name)[0]?.json ?? {};
	const expected = path.join(FILES, `${LABEL}-wan-video-${taskId}.mp4`);
	check(
		written.fileName === expected,
		`"${save.name}" reports ${path.basename(expected)}`,
		written,
	);
	if (!check(existsSync(expected), `${expected} exists`)) return;
	const source = await getBytes(written.videoUrl ?? nodeOutput(ex, wan.name)[0]?.json?.videoUrl);
	const onDisk = readFileSync(expected);
	check(
		source.status === 200 && onDisk.length > 0 && onDisk.equals(source.bytes),
		`the file on disk is the simulator's video (${onDisk.length} of ${source.bytes.length} bytes)`,
		{ status: source.status, disk: onDisk.length, source: source.bytes.length },
	);
};

// form: examples/form-upload-to-video.json activated; a multipart submission with a real PNG to the
// form's production URL starts Create (binary image, uploaded to the files API), which waits and
// downloads (the 0.1/0.2 example: Create, then a Wait that downloads)
scenarios.form = async () => {
	const file = 'form-upload-to-video.json';
	const wf = loadExample(file);
	const form = wf.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
	const wanNodes = wf.nodes.filter((n) => n.type === T_WAN);
	const create = wanNodes.find((n) => n.parameters.operation === 'create');
	const last = wanNodes.at(-1);
	const created = await importExample(file, wf, { activate: true });
	if (!created) return;
	if (
		!check(
			create.parameters.imageSource === 'binary',
			'the example sends the uploaded image as binary',
			create.parameters,
		)
	)
		return;
	const fields = form.parameters.formFields.values;
	const fileIdx = fields.findIndex((f) => f.fieldType === 'file');
	const promptIdx = fields.findIndex((f) => f.fieldType !== 'file');
	const png = makePng();
	const t = Date.now();
	const r = await submitForm(form, [
		{ name: `field-${fileIdx}`, filename: 'first-frame.png', contentType: 'image/png', data: png },
		{ name: `field-${promptIdx}`, value: fast('e2e form clip: the gradient starts to swirl') },
	]);
	if (
		!check(r.status === 200, `form submission with a ${png.length}-byte PNG accepted (200)`, {
			status: r.status,
			body: r.text?.slice(0, 300),
		})
	)
		return;
	const ex = await successfulExecution(created.id, 90000, t);
	if (!ex) return;
	const trig = nodeOutput(ex, form.name)[0];
	const upBin = trig?.binary?.[create.parameters.imageBinaryProperty];
	check(
		upBin?.mimeType === 'image/png',
		`form trigger output: binary "${create.parameters.imageBinaryProperty}" is the PNG`,
		trig?.binary,
	);
	const c = nodeOutput(ex, create.name)[0]?.json ?? {};
	check(
		/^task-unified-/.test(c.taskId ?? ''),
		`Create started a task from the uploaded image (${c.taskId})`,
		c,
	);
	await checkVideoItems(nodeOutput(ex, last.name), 1, `"${last.name}"`, {
		shape: last.typeVersion,
	});
};

// twoimages: examples/two-images-first-to-last-frame.json activated; a form submission with two
// real images: Create uploads both (first and last frame of Wan 3.0), waits and downloads
scenarios.twoimages = async () => {
	const file = 'two-images-first-to-last-frame.json';
	const wf = loadExample(file);
	const form = wf.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
	const create = wf.nodes.find((n) => n.type === T_WAN);
	const created = await importExample(file, wf, { activate: true });
	if (!created) return;
	const fields = form.parameters.formFields.values;
	const files = fields.map((f, i) => ({ ...f, i })).filter((f) => f.fieldType === 'file');
	const text = fields.findIndex((f) => f.fieldType !== 'file');
	const pictures = [makePng(640, 480, 40), makePng(640, 480, 220)];
	const marker = `twoimages-${LABEL}-${Date.now()}`;
	const t = Date.now();
	const r = await submitForm(form, [
		...files.map((f, k) => ({
			name: `field-${f.i}`,
			filename: `frame-${k}.png`,
			contentType: 'image/png',
			data: pictures[k],
		})),
		{ name: `field-${text}`, value: fast(`e2e ${marker}: the dusk turns to day`) },
	]);
	if (
		!check(
			r.status === 200 && files.length === 2,
			'form submission with two PNGs accepted (200)',
			r.status,
		)
	)
		return;
	const ex = await successfulExecution(created.id, 90000, t);
	if (!ex) return;
	// the binary fields Create reads are the ones n8n's Form Trigger makes of the two file fields
	const trig = nodeOutput(ex, form.name)[0];
	const names = [create.parameters.imageBinaryProperty, create.parameters.lastFrameBinaryProperty];
	check(
		names.every((name) => trig?.binary?.[name]?.mimeType === 'image/png'),
		`the Form Trigger's binary fields are the ones Create reads: ${names.join(', ')}`,
		Object.keys(trig?.binary ?? {}),
	);
	await checkVideoItems(nodeOutput(ex, create.name), 1, `"${create.name}"`, { shape: 2 });
	const log = readSimLog();
	const [post] = createsWith(log, marker);
	const upload = uploadOf(log);
	const sent = [post?.body?.image_start, post?.body?.image_end].map(upload);
	check(
		post?.status === 200 &&
			post.body.model === 'wan3.0-image-to-video' &&
			sent.every((u, k) => u?.sha256 === sha256(pictures[k])),
		'the create sent both uploaded images, first and last frame, byte for byte',
		{ body: post?.body, sent },
	);
};

// pair: examples/on-video-ready.json (Wan Video Trigger) activated, examples/create-with-callback.json
// pointed at it and run with `n8n execute`: the trigger's workflow gets the finished video
scenarios.pair = async () => {
	if (!process.env.E2E_DEMO_EXEC) return skip('no E2E_DEMO_EXEC (n8n execute) for this mode');
	const b = loadExample('on-video-ready.json');
	const trigger = b.nodes.find((n) => n.type === T_TRIGGER);
	const bWf = await importExample('on-video-ready.json', b, { activate: true });
	const a = loadExample('create-with-callback.json');
	const create = a.nodes.find((n) => n.type === T_WAN);
	create.parameters.prompt = fast(create.parameters.prompt, 2000);
	create.parameters.options.callbackUrl = `${WEBHOOK_URL}webhook/${trigger.webhookId}/callback`;
	const aWf = await importExample('create-with-callback.json', a);
	if (!bWf || !aWf) return;
	const t = Date.now();
	const ex = await executeByCli(aWf);
	if (!succeeded(ex, "workflow A (Callback URL = the trigger's production URL): success")) return;
	const taskId = nodeOutput(ex, create.name)[0]?.json?.taskId;
	const tr = await waitExecutions(bWf.id, 1, 60000);
	if (
		!check(
			!tr.timedOut,
			`workflow B started by the callback (${secs(Date.now() - t)})`,
			tr.list.map((e) => e.status),
		)
	)
		return;
	const bex = tr.list[0];
	if (!succeeded(bex, 'workflow B: success')) return;
	const ready = nodeOutput(bex, 'Use the Video (binary: data)');
	const ids = await checkVideoItems(ready, 1, 'workflow B "Video Ready?" true branch', {
		executionId: bex.id,
	});
	check(ids[0] === taskId, 'workflow B got the task workflow A started', { ids, taskId });
};

// chain: examples/three-chained-clips.json run with `n8n execute`: Wan 3.0 makes a clip, Wan 2.7
// continues it twice from the previous clip's URL (5 -> 10 -> 15 s); only the last is downloaded
scenarios.chain = async () => {
	const file = 'three-chained-clips.json';
	if (!process.env.E2E_DEMO_EXEC) return skip('no E2E_DEMO_EXEC (n8n execute) for this mode');
	const wf = loadExample(file);
	const marker = `chain-${LABEL}-${Date.now()}`;
	const clips = wf.nodes.filter((n) => n.type === T_WAN);
	for (const clip of clips)
		clip.parameters.prompt = fast(`${clip.parameters.prompt} (${marker})`, 2000);
	const created = await importExample(file, wf);
	if (!created) return;
	const ex = await executeByCli(created);
	if (!succeeded(ex, 'execution read back via the public API: success')) return;
	const outs = clips.map((clip) => nodeOutput(ex, clip.name)[0] ?? {});
	check(
		outs.every((o) => o.json?.status === 'completed' && o.json?.videoUrl),
		`each of the ${clips.length} clips completed`,
		outs.map((o) => o.json),
	);
	check(
		outs.slice(0, -1).every((o) => !o.binary),
		'the first clips are not downloaded (Download Video off)',
		outs.map((o) => Object.keys(o.binary ?? {})),
	);
	await checkVideoItems([outs.at(-1)], 1, `the last clip, "${clips.at(-1).name}"`, { shape: 2 });
	const posts = createsWith(readSimLog(), marker);
	check(
		posts.length === 3 && posts.every((p) => p.status === 200),
		'EvoLink got 3 creates, each accepted',
		posts.map((p) => p.status),
	);
	check(
		JSON.stringify(posts.map((p) => [p.body.model, p.body.duration])) ===
			JSON.stringify([
				['wan3.0-text-to-video', 5],
				['wan2.7-image-to-video', 10],
				['wan2.7-image-to-video', 15],
			]),
		'Wan 3.0 for 5 s, then Wan 2.7 continuing to 10 s and 15 s',
		posts.map((p) => p.body),
	);
	for (const k of [1, 2]) {
		const previous = outs[k - 1].json?.videoUrl;
		check(
			posts[k]?.body?.generation_mode === 'video_continuation' &&
				JSON.stringify(posts[k]?.body?.video_urls) === JSON.stringify([previous]) &&
				posts[k - 1]?.taskId === outs[k - 1].json?.taskId,
			`clip ${k + 1} continues clip ${k}: video_urls = [${previous}]`,
			posts[k]?.body,
		);
	}
};

// models: one execution creates and waits for a task of each of the 17 models, from one Create whose
// model and inputs come from each item; binary first and last frames, a binary reference video and a
// binary soundtrack (real files, sent as a multipart webhook call) among the URLs. Each task completes
// and its video is downloaded; EvoLink's log shows each model's body with the uploaded files.
const U = (name) => `https://example.com/e2e/${name}`;
const MODEL_CASES = [
	{ model: 'wan2.5-image-to-video', duration: 5, quality: '480p', imageSource: 'binary' },
	{ model: 'wan2.5-text-to-video', duration: 10, quality: '720p' },
	{ model: 'wan2.6-image-to-video', duration: 3, quality: '720p', imageUrl: U('cat.png') },
	{ model: 'wan2.6-image-to-video-flash', duration: 5, quality: '1080p', imageSource: 'binary' },
	{ model: 'wan2.6-text-to-video', duration: 5, quality: '720p' },
	{
		model: 'wan2.6-reference-video',
		duration: 5,
		quality: '720p',
		referenceVideosSource: 'binary',
	},
	{
		model: 'wan2.6-reference-video-flash',
		duration: 5,
		quality: '720p',
		referenceVideoUrls: U('actor.mp4'),
	},
	{
		model: 'wan2.7-image-to-video',
		generationMode: 'first_last_frame',
		duration: 5,
		quality: '720p',
		imageSource: 'binary',
		lastFrameSource: 'binary',
	},
	{ model: 'wan2.7-text-to-video', duration: 5, quality: '720p', audio: 'binary' },
	{
		model: 'wan2.7-reference-video',
		duration: 5,
		quality: '720p',
		referenceImageUrls: `${U('hero.png')}, ${U('dog.png')}`,
	},
	{ model: 'wan2.7-video-edit', duration: 0, quality: '720p', videoUrl: U('street.mp4') },
	{
		model: 'wan3.0-image-to-video',
		duration: 5,
		quality: '720p',
		imageSource: 'binary',
		lastFrameUrl: U('end.png'),
	},
	{ model: 'wan3.0-text-to-video', duration: 5, quality: '480p' },
	{
		model: 'wan3.0-reference-video',
		duration: 5,
		quality: '720p',
		referenceImageUrls: U('hero.png'),
		referenceVideoUrls: U('actor.mp4'),
	},
	{
		model: 'wan3.0-prime-image-to-video',
		duration: 5,
		quality: '720p',
		imageUrl: U('cat.png'),
		lastFrameSource: 'binary',
	},
	{ model: 'wan3.0-prime-text-to-video', duration: -1, quality: '720p' },
	{
		model: 'wan3.0-prime-reference-video',
		duration: 5,
		quality: '1080p',
		referenceImageUrls: U('hero.png'),
	},
];
/** The binary fields the webhook call brings (multipart field names become binary field names). */
const MODEL_FILES = {
	first: { filename: 'first.png', contentType: 'image/png', data: () => makePng(480, 360, 30) },
	last: { filename: 'last.png', contentType: 'image/png', data: () => makePng(480, 360, 230) },
	clip: { filename: 'actor.mp4', contentType: 'video/mp4', data: () => fixture('demo.mp4') },
	tone: { filename: 'voice.wav', contentType: 'audio/wav', data: () => fixture('tone.wav') },
};

scenarios.models = async () => {
	const marker = `models-${LABEL}-${Date.now()}`;
	const hookPath = `e2e-${marker}`;
	const items = MODEL_CASES.map((c, i) => ({
		...c,
		prompt: fast(`e2e ${marker} #${i}: ${c.model}; Image 1 waves`, 2000 + (i % 6) * 300),
	}));
	const item = (name, fallback = '') => `={{ $json.${name} ?? ${JSON.stringify(fallback)} }}`;
	const create = wanNode(
		'Create',
		{
			operation: 'create',
			startFrom: 'image',
			model: item('model'),
			generationMode: item('generationMode', 'first_frame'),
			prompt: item('prompt'),
			imageSource: item('imageSource', 'url'),
			imageUrl: item('imageUrl'),
			imageBinaryProperty: 'first',
			lastFrameSource: item('lastFrameSource', 'url'),
			lastFrameUrl: item('lastFrameUrl'),
			lastFrameBinaryProperty: 'last',
			videoSource: item('videoSource', 'url'),
			videoUrl: item('videoUrl'),
			referenceImagesSource: 'url',
			referenceImageUrls: item('referenceImageUrls'),
			referenceVideosSource: item('referenceVideosSource', 'url'),
			referenceVideoUrls: item('referenceVideoUrls'),
			referenceVideoBinaryProperties: 'clip',
			duration: '={{ $json.duration }}',
			quality: '={{ $json.quality }}',
			waitForCompletion: true,
			download: true,
			options: {
				timeout: 120,
				audioBinaryProperty: `={{ $json.audio === 'binary' ? 'tone' : '' }}`,
			},
		},
		[440, 0],
	);
	const wf = await webhookWorkflow(
		`E2E models: all ${MODEL_CASES.length}`,
		hookPath,
		items,
		[create],
		{
			keepBinary: true,
		},
	);
	const files = Object.fromEntries(Object.entries(MODEL_FILES).map(([k, f]) => [k, f.data()]));
	const t = Date.now();
	const r = await until404Ends(() =>
		postMultipart(
			`${HOOK}/webhook/${hookPath}`,
			Object.entries(MODEL_FILES).map(([name, f]) => ({ name, ...f, data: files[name] })),
		),
	);
	if (!check(r.status === 200, `multipart webhook call with 4 files accepted (200)`, r.status))
		return;
	const ex = await successfulExecution(wf.id, 180000, t);
	if (!ex) return;
	const out = nodeOutput(ex, 'Create');
	await checkVideoItems(out, MODEL_CASES.length, 'Create (waits and downloads)', { shape: 2 });
	check(
		JSON.stringify(out.map((it) => it.json?.model)) ===
			JSON.stringify(MODEL_CASES.map((c) => c.model)),
		`one completed task of each of the ${MODEL_CASES.length} models, in item order`,
		out.map((it) => it.json?.model),
	);
	const log = readSimLog();
	const posts = createsWith(log, marker);
	const upload = uploadOf(log);
	check(
		posts.length === MODEL_CASES.length && posts.every((p) => p.status === 200),
		`EvoLink accepted each of the ${MODEL_CASES.length} bodies (it answers 400 to a body against its docs)`,
		posts.map((p) => `${p.body?.model}: ${p.status}`),
	);
	const byModel = new Map(posts.map((p) => [p.body?.model, p.body]));
	const sentFile = (value, name) => upload(value)?.sha256 === sha256(files[name]);
	const binaries = [
		['wan2.5-image-to-video', 'image_urls', 'first'],
		['wan2.6-image-to-video-flash', 'image_urls', 'first'],
		['wan2.6-reference-video', 'video_urls', 'clip'],
		['wan2.7-image-to-video', 'image_start', 'first'],
		['wan2.7-image-to-video', 'image_end', 'last'],
		['wan2.7-text-to-video', 'audio_urls', 'tone'],
		['wan3.0-image-to-video', 'image_start', 'first'],
		['wan3.0-prime-image-to-video', 'image_end', 'last'],
	];
	for (const [model, field, name] of binaries) {
		const value = [byModel.get(model)?.[field]].flat()[0];
		check(
			sentFile(value, name),
			`${model}: ${field} is the uploaded ${MODEL_FILES[name].filename}, byte for byte`,
			byModel.get(model),
		);
	}
	const urls = [
		['wan2.6-reference-video-flash', 'video_urls', [U('actor.mp4')]],
		['wan2.7-reference-video', 'image_urls', [U('hero.png'), U('dog.png')]],
		['wan2.7-video-edit', 'video_urls', [U('street.mp4')]],
		['wan3.0-image-to-video', 'image_end', U('end.png')],
		['wan3.0-reference-video', 'video_urls', [U('actor.mp4')]],
	];
	for (const [model, field, value] of urls)
		check(
			JSON.stringify(byModel.get(model)?.[field]) === JSON.stringify(value),
			`${model}: ${field} is the URL given`,
			byModel.get(model),
		);
};

// credits: a balance for 4 tasks (a simulator with --credits) and 30 items in one Create with Continue
// On Fail: after the first 402 no further create is sent (at most the creates already on their way
// meet a 402); the items not created name the 402 and the credits left; the 4 tasks wait and download
scenarios.credits = async () => {
	const sim = await ownSimulator('credits', ['--credits', '40', '--task-ms', '3000']);
	try {
		const cred = await evoLinkCredential('EvoLink simulator with 40 credits', {
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
		});
		const hookPath = `e2e-credits-${LABEL}-${Date.now()}`;
		const n = 30;
		const wf = await webhookWorkflow(
			'E2E credits: 30 items, credits for 4',
			hookPath,
			promptItems(Array.from({ length: n }, (_, i) => `e2e credits clip ${i}`)),
			[
				wanNode(
					'Create',
					createParameters({ prompt: '={{ $json.prompt }}', wait: true, timeout: 60 }),
					[440, 0],
					{
						evoLinkApi: cred,
						extra: continueOnFail,
					},
				),
			],
		);
		const t = Date.now();
		const r = await postWebhook(hookPath, { run: 'credits' });
		if (!check(r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
		const ex = await successfulExecution(wf.id, 90000, t);
		if (!ex) return;
		const out = nodeOutput(ex, 'Create');
		const done = out.filter((it) => it.json?.status === 'completed');
		const errors = out.filter((it) => it.json?.error?.message);
		check(out.length === n, `Create: ${n} output items`, out.length);
		check(done.length === 4, `4 tasks (10 credits each) created: ${done.length}`, done.length);
		await checkVideoItems(done, 4, 'the created tasks waited and downloaded', { shape: 2 });
		const creates = readSimLog(sim.log).filter(isCreate);
		const refused = creates.filter((p) => p.status === 402);
		note(
			`${LABEL} credits: 30 items, credits for 4: ${creates.length} creates sent (${creates.length - refused.length} accepted, ${refused.length} answered 402), ${errors.length} error items`,
		);
		check(
			creates.length === 4 + refused.length && creates.every((p) => [200, 402].includes(p.status)),
			`EvoLink got ${creates.length} creates: 4 accepted, ${refused.length} answered 402`,
			creates.map((p) => p.status),
		);
		check(
			refused.length >= 1 && refused.length <= CREATE_CONCURRENCY,
			`at most the creates already on their way met a 402 (${refused.length} of at most ${CREATE_CONCURRENCY})`,
			refused.length,
		);
		const notCreated = errors.filter((it) =>
			/^Not created: EvoLink answered 402 \(insufficient_quota\) for item \d+ of this run; credits left: 0 \[item \d+\]$/.test(
				it.json.error.message,
			),
		);
		check(
			errors.length === n - 4 && notCreated.length === n - 4 - refused.length,
			`${notCreated.length} items name the 402 and the credits left without being sent ("${notCreated[0]?.json.error.message}")`,
			errors.map((it) => it.json.error.message),
		);
		const answered = errors.filter((it) => !notCreated.includes(it));
		check(
			answered.every((it) => /Credits left: 0/.test(JSON.stringify(it.json.error))),
			`the items EvoLink answered 402 say the credits left ("${answered[0]?.json.error.description ?? ''}")`,
			answered.map((it) => it.json.error),
		);
		const hints = JSON.stringify(nodeRun(ex, 'Create')?.hints ?? []);
		if (nodeRun(ex, 'Create')?.hints)
			check(
				/4 tasks created, 40 credits reserved/.test(hints),
				"Create's execution hint: 4 tasks created, 40 credits reserved",
				hints,
			);
		else skip('this n8n keeps no execution hints in the saved execution');
	} finally {
		await sim.stop();
	}
};

// agent: examples/agent-with-video-tool.json (Chat Trigger -> AI Agent + OpenAI chat model + Wan Video
// Tools with $fromAI), once with the AI Agent version this n8n gives a new agent (3.1 in n8n 2.41.1: the
// tool runs as an engine request, with main input) and once with Agent 2.2 (the tool runs in process,
// from the agent's ai_tool input). Each time: imports, activates, and n8n knows the tool node type.
// With E2E_FAKE_LLM_BASE (test/e2e/fake-llm.mjs, an OpenAI-compatible model scripted to call the tool
// once with valid arguments): a chat message to the public chat URL runs the agent, the tool starts a
// task on the simulator, and the tool's answer reaches the model and the chat.
const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';

/** n8n's node types (REST session), or [] without one. */
async function nodeTypes() {
	if (!restCookie) return [];
	const r = await http('GET', `${API}/types/nodes.json`, {
		headers: { cookie: restCookie, 'browser-id': 'e2e' },
	});
	return Array.isArray(r.json) ? r.json : [];
}

/** The AI Agent version n8n gives a new agent node (its defaultVersion), from n8n's node types. */
async function defaultAgentVersion() {
	const agents = (await nodeTypes()).filter((t) => t.name === AGENT_TYPE);
	if (!agents.length) return undefined;
	const versions = agents.flatMap((t) => [t.version].flat());
	return agents.find((t) => t.defaultVersion)?.defaultVersion ?? Math.max(...versions);
}

scenarios.agent = async () => {
	const byDefault = await defaultAgentVersion();
	if (!check(byDefault !== undefined, `this n8n's default AI Agent version: ${byDefault}`)) return;
	for (const version of [...new Set([byDefault, 2.2])])
		await group(`Agent ${version}`, () => runAgent(version));
};

async function runAgent(version) {
	const file = 'agent-with-video-tool.json';
	const FAKE = process.env.E2E_FAKE_LLM_BASE;
	const wf = loadExample(file, `Agent ${version}`);
	const agentNode = wf.nodes.find((n) => n.type === AGENT_TYPE);
	agentNode.typeVersion = version;
	const T_TOOL = `${PKG}.wanVideoTool`;
	const tool = wf.nodes.find((n) => n.type === T_TOOL && n.parameters.operation === 'create');
	const getTool = wf.nodes.find((n) => n.type === T_TOOL && n.parameters.operation === 'get');
	const chat = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger');
	const model = wf.nodes.find((n) => n.credentials?.openAiApi);
	if (
		!check(
			tool && getTool && chat && model,
			`the example has ${T_TOOL} nodes for Create and Get, a Chat Trigger and an OpenAI chat model`,
		)
	)
		return;
	const fromAi = Object.entries(tool.parameters)
		.filter(([, v]) => /\$fromAI\(/.test(String(v)))
		.map(([k]) => k);
	check(
		fromAi.includes('prompt') && fromAi.includes('imageUrl'),
		`the tool takes ${fromAi.join(', ')} from the model ($fromAI)`,
		tool.parameters,
	);
	// n8n lists the tool variant of the package's node among its node types
	const names = (await nodeTypes()).map((t) => t.name);
	if (restCookie)
		check(names.includes(T_TOOL), `n8n's node types include ${T_TOOL} (${names.length} types)`, {
			wan: names.filter((n) => n.startsWith(PKG)),
		});
	model.credentials.openAiApi = await keep('credential: openAiApi', async () => {
		const llmCred = await api('POST', '/credentials', {
			name: `Fake LLM (${LABEL})`,
			type: 'openAiApi',
			data: await credentialData('openAiApi', {
				apiKey: 'sk-e2e-fake-llm',
				url: FAKE || 'http://127.0.0.1:9/v1',
				header: false,
			}),
		});
		return { id: llmCred.id, name: llmCred.name };
	});
	const created = await importExample(file, wf, { activate: true });
	if (!created) return;
	if (!FAKE) return skip('no E2E_FAKE_LLM_BASE: the agent is not run');
	const t = Date.now();
	const sessionId = `e2e-${randomUUID()}`;
	const nonce = `ref ${randomUUID().slice(0, 8)}`;
	const chatUrl = `${HOOK}/webhook/${chat.webhookId}/chat`;
	const r = await until404Ends(() =>
		http('POST', chatUrl, {
			body: {
				action: 'sendMessage',
				sessionId,
				chatInput: `Please make a short video of my cat looking up at a butterfly (${nonce}).`,
			},
		}),
	);
	if (
		!check(r.status === 200, `chat message accepted (200, ${secs(Date.now() - t)})`, {
			status: r.status,
			body: r.json,
		})
	)
		return;
	const ex = await successfulExecution(created.id, 60000, t, 'agent execution');
	if (!ex) return;
	const runData = ex.data?.resultData?.runData ?? {};
	const toolRuns = runData[tool.name] ?? [];
	check(toolRuns.length === 1, `"${tool.name}" ran once as the agent's tool`, Object.keys(runData));
	const toolError = toolRuns.find((run) => run.error)?.error;
	if (
		!check(
			toolRuns.length && !toolError,
			`"${tool.name}" ran without an error`,
			toolError && String(toolError.message).replace(/\s+/g, ' '),
		)
	)
		return;
	const answer = String(r.json?.output ?? nodeOutput(ex, 'AI Agent')[0]?.json?.output ?? '');
	const taskId = /task-unified-[A-Za-z0-9-]+/.exec(answer)?.[0];
	if (!check(!!taskId, `the agent's answer names the task: "${answer.slice(0, 160)}"`, r.json))
		return;
	// Create waited (bounded) for the simulator's short task and answered in words, with the link.
	check(
		new RegExp(`The tool said: The video of task ${taskId} is ready: http\\S+\\.mp4`).test(answer),
		"the tool's answer (passed on by the model) gives the finished video's link",
		answer,
	);
	const task = (
		await http('GET', `${SIM}/v1/tasks/${taskId}`, {
			headers: { Authorization: `Bearer ${SIM_KEY}` },
		})
	).json;
	check(
		task?.id === taskId,
		`the simulator has task ${taskId} (${task?.model}, ${task?.status})`,
		task,
	);
	if (fromAi.includes('model'))
		check(
			task?.model === 'wan3.0-image-to-video',
			`the task is of the model the agent chose ($fromAI('model')): ${task?.model}`,
			task?.model,
		);
	const log = process.env.E2E_FAKE_LLM_LOG;
	if (log && existsSync(log)) {
		const calls = readFileSync(log, 'utf8')
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l))
			.filter((c) => c.path === '/v1/chat/completions' && JSON.stringify(c.body).includes(nonce));
		const offered = (calls[0]?.body?.tools ?? []).map((x) => x.function?.name);
		check(
			calls.length >= 2,
			`the model was asked twice (tool call, then the answer): ${calls.length}`,
			calls.length,
		);
		check(
			offered.length === 2,
			`the model was offered both Wan Video tools: ${offered.join(', ')}`,
			calls[0]?.body?.tools,
		);
		const createTool = (calls[0]?.body?.tools ?? []).find((x) => /create/i.test(x.function?.name));
		const args = Object.keys(createTool?.function?.parameters?.properties ?? {});
		check(
			fromAi.every((name) => args.includes(name)),
			`the tool schema has the $fromAI parameters: ${args.join(', ')}`,
			args,
		);
	}
}

/** The worker process that ran an execution ("worker 1"…), from the workers' logs; queue mode only. */
const WORKER_LOGS = (process.env.E2E_WORKER_LOGS ?? '').split(',').filter(Boolean);
async function workerOf(executionId) {
	if (!WORKER_LOGS.length) return undefined;
	const line = new RegExp(`Worker finished execution ${executionId}\\b`);
	for (const deadline = Date.now() + 5000; ; ) {
		const k = WORKER_LOGS.findIndex((f) => existsSync(f) && line.test(readFileSync(f, 'utf8')));
		if (k >= 0) return `worker ${k + 1}`;
		if (Date.now() > deadline) return undefined;
		await sleep(250);
	}
}

// budget: the request budget per key in a real n8n. Two workflows on a credential allowing 2
// requests per second run at once: their 16 reads share the budget (~7 s; alone each would take
// ~3 s). A credential saying 0 stops the node before anything is sent.
async function getWorkflow(name, hookPath, taskIds, evoLinkApi) {
	const get =
		V === 1
			? { operation: 'get', taskId: '={{ $json.taskId }}' }
			: { operation: 'get', taskId: '={{ $json.taskId }}', download: false, options: {} };
	return await webhookWorkflow(
		name,
		hookPath,
		taskIds.map((taskId) => ({ taskId })),
		[wanNode('Get', get, [440, 0], { evoLinkApi })],
	);
}

scenarios.budget = async () => {
	const slow = await evoLinkCredential('EvoLink simulator, 2 requests/s', { requestsPerSecond: 2 });
	if (
		!check(
			slow.data.requestsPerSecond === 2,
			'the credential has a Requests per Second field',
			slow.data,
		)
	)
		return;
	const taskIds = [];
	for (let i = 0; i < 16; i++) {
		const r = await http('POST', `${SIM}/v1/videos/generations`, {
			body: {
				model: 'wan2.6-image-to-video',
				prompt: `[ms:500] e2e budget ${i}`,
				image_urls: [IMAGE_URL],
			},
			headers: { authorization: `Bearer ${SIM_KEY}` },
		});
		taskIds.push(r.json?.id);
	}
	await sleep(1000);
	const stamp = Date.now();
	const flows = [];
	for (const half of [0, 1]) {
		const hookPath = `e2e-budget-${LABEL}-${stamp}-${half}`;
		const ids = taskIds.slice(half * 8, half * 8 + 8);
		flows.push({
			hookPath,
			wf: await getWorkflow(`E2E budget: Get of 8 tasks #${half + 1}`, hookPath, ids, slow),
		});
	}
	const posted = await Promise.all(
		flows.map(({ hookPath }) => postWebhook(hookPath, { run: 'budget' })),
	);
	if (
		!check(
			posted.every((r) => r.status === 200),
			'both webhooks accepted (200)',
			posted,
		)
	)
		return;
	const runs = [];
	for (const { wf } of flows) {
		const ex = await successfulExecution(wf.id, 60000, stamp, `workflow ${wf.id}`);
		if (!ex) return;
		const out = nodeOutput(ex, 'Get');
		check(
			out.length === 8 && out.every((it) => it.json?.status === 'completed'),
			'Get: 8 completed tasks',
			out.map((it) => it.json?.status),
		);
		runs.push({ id: ex.id, start: Date.parse(ex.startedAt), stop: Date.parse(ex.stoppedAt) });
	}
	const overlapped = runs[0].start < runs[1].stop && runs[1].start < runs[0].stop;
	const span = Math.max(...runs.map((r) => r.stop)) - Math.min(...runs.map((r) => r.start));
	// queue mode: each worker process has a budget of its own (README); sharing needs one process
	const workers = await Promise.all(runs.map((r) => workerOf(r.id)));
	const apart = workers.every(Boolean) && workers[0] !== workers[1];
	if (!overlapped)
		skip(`the two executions did not overlap (${short(runs)}), so sharing is not shown`);
	else if (apart)
		check(
			span < 6000,
			`on two workers (${workers.join(', ')}) each execution had its worker's own budget: 16 reads at 2/s took ${secs(span)} (< 6 s)`,
			runs,
		);
	else
		check(
			span >= 6000,
			`the two executions shared the key's budget${workers[0] ? ` on ${workers[0]}` : ''}: 16 reads at 2/s took ${secs(span)} (≥ 6 s; alone each takes ~3 s)`,
			runs,
		);

	let zero;
	try {
		zero = await evoLinkCredential('EvoLink simulator, 0 requests/s', { requestsPerSecond: 0 });
	} catch {
		return skip('n8n refused a credential with 0 requests/s itself');
	}
	const hookPath = `e2e-budget-zero-${LABEL}-${stamp}`;
	const wf = await getWorkflow(
		'E2E budget: Requests per Second 0',
		hookPath,
		taskIds.slice(0, 1),
		zero,
	);
	const before = Date.now();
	await postWebhook(hookPath, { run: 'budget-zero' });
	const { list } = await waitExecutions(wf.id, 1, 30000);
	check(
		/Requests per Second \(EvoLink API credential\): must be a number above 0/.test(
			execError(list[0]) ?? '',
		),
		'Requests per Second 0: the node stops naming the field and the rule',
		execError(list[0]) ?? list[0]?.status,
	);
	check(Date.now() - before < 30000, 'and does not wait');
};

// workers (queue mode, two worker processes on one key): 4 executions of 50 items each, started at
// once, against a simulator refusing more than 5 creates per second per model, tasks of 20 s. Every
// task is created exactly once; the figures (requests, 429s and their share, wall time against the
// ideal = creates / limit + task length) are printed and kept in the run's figures.
scenarios.workers = async () => {
	const workerLogs = WORKER_LOGS;
	if (workerLogs.length < 2) return skip('needs queue mode with two workers (E2E_WORKER_LOGS)');
	const [runs, perRun, limit, taskS] = [4, 50, 5, 20];
	const sim = await ownSimulator('workers', [
		'--rate-limit',
		String(limit),
		'--task-ms',
		String(taskS * 1000),
	]);
	try {
		const cred = await evoLinkCredential(`EvoLink simulator, ${limit} creates/s per model`, {
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
		});
		const hookPath = `e2e-workers-${LABEL}-${Date.now()}`;
		const wf = await createWorkflow(
			`E2E workers: ${runs} x ${perRun} items`,
			[
				webhookNode(hookPath),
				node(
					'Make items',
					'n8n-nodes-base.code',
					{
						jsCode: `const run = $input.first().json.body.run;\nreturn Array.from({ length: ${perRun} }, (_, i) => ({ json: { prompt: 'e2e workers run ' + run + ' item ' + i } }));`,
					},
					[220, 0],
					{ typeVersion: 2 },
				),
				wanNode(
					'Create',
					{
						...createParameters({ prompt: '={{ $json.prompt }}', wait: true, timeout: 600 }),
						download: false,
					},
					[440, 0],
					{ evoLinkApi: cred },
				),
			],
			chain('Webhook', 'Make items', 'Create'),
			{ activate: true },
		);
		const t = Date.now();
		const posted = await Promise.all(
			Array.from({ length: runs }, (_, run) => postWebhook(hookPath, { run })),
		);
		if (
			!check(
				posted.every((r) => r.status === 200),
				`${runs} webhook calls accepted at once (200)`,
				posted,
			)
		)
			return;
		const { timedOut, list } = await waitExecutions(wf.id, runs, 600000);
		if (
			!check(
				!timedOut,
				`${runs} executions finished (${secs(Date.now() - t)})`,
				list.map((e) => e.status),
			)
		)
			return;
		check(
			list.every((e) => e.status === 'success'),
			`the ${runs} executions succeeded`,
			list.map((e) => execError(e) ?? e.status),
		);
		const items = list.flatMap((ex) => nodeOutput(ex, 'Create'));
		const ids = new Set(items.map((it) => it.json?.taskId));
		check(
			items.length === runs * perRun &&
				items.every((it) => it.json?.status === 'completed') &&
				ids.size === items.length,
			`${items.length} items, each its own completed task`,
			{ items: items.length, distinct: ids.size },
		);
		const log = readSimLog(sim.log).filter((l) => l.method);
		const creates = log.filter(isCreate);
		const made = creates.filter((p) => p.status === 200 && !p.replayed);
		const madeIds = new Set(made.map((p) => p.taskId));
		check(
			made.length === runs * perRun &&
				madeIds.size === made.length &&
				[...ids].every((id) => madeIds.has(id)),
			`every task created exactly once: ${made.length} tasks for ${runs * perRun} items`,
			{ made: made.length, replayed: creates.filter((p) => p.replayed).length },
		);
		const refused = log.filter((l) => l.status === 429).length;
		const share = refused / log.length;
		const first = Math.min(...list.map((e) => Date.parse(e.startedAt)));
		const end = Math.max(...list.map((e) => Date.parse(e.stoppedAt)));
		const wall = end - first;
		const ideal = ((runs * perRun) / limit + taskS) * 1000;
		// which worker ran which execution (n8n logs "Worker finished execution <id>")
		const ranBy = workerLogs.map(
			(f) =>
				new Set(
					readFileSync(f, 'utf8')
						.match(/Worker finished execution (\d+)/g)
						?.map((m) => m.split(' ').pop()),
				),
		);
		const perWorker = ranBy.map((set) => list.filter((e) => set.has(String(e.id))).length);
		note(
			`${LABEL} workers: ${workerLogs.length} worker processes (executions ${perWorker.join(' + ')}), ${runs} executions x ${perRun} items, ${limit} creates/s per model, ${taskS} s tasks: ` +
				`${made.length} tasks created once each; ${log.length} requests (${creates.length} creates, ${log.length - creates.length} reads), ` +
				`${refused} answered 429 (${(share * 100).toFixed(2)} %); wall ${secs(wall)}, ideal ${secs(ideal)} (${(wall / ideal).toFixed(2)}x)`,
		);
		check(
			perWorker.every((k) => k > 0),
			`both workers ran executions (${perWorker.join(' + ')})`,
			perWorker,
		);
	} finally {
		await sim.stop();
	}
};

// topology (queue mode, last): which process enqueued and which ran each execution, from the
// processes' logs (n8n logs "Enqueued execution <id>" where it queues one and "Worker finished
// execution <id>" where it ran). Production webhooks reach only the webhook process
// (N8N_DISABLE_PRODUCTION_MAIN_PROCESS), so it enqueued some; every execution enqueued ran on a worker.
scenarios.topology = async () => {
	const workerLogs = WORKER_LOGS;
	const read = (file) => (file && existsSync(file) ? readFileSync(file, 'utf8') : '');
	const ids = (text, pattern) => [...text.matchAll(pattern)].map((m) => m[1]);
	if (!workerLogs.length) return skip('not queue mode (E2E_WORKER_LOGS)');
	let enqueued;
	let ranBy;
	let notRun = [];
	// the last executions may finish a moment after the API reports them
	for (const deadline = Date.now() + 10000; ; ) {
		enqueued = new Map();
		for (const [name, file] of [
			['main', process.env.E2E_MAIN_LOG],
			['webhook', process.env.E2E_WEBHOOK_LOG],
		])
			for (const id of ids(read(file), /Enqueued execution (\d+)/g))
				enqueued.set(id, [...(enqueued.get(id) ?? []), name]);
		ranBy = workerLogs.map((f) => new Set(ids(read(f), /Worker finished execution (\d+)/g)));
		notRun = [...enqueued.keys()].filter((id) => !ranBy.some((set) => set.has(id)));
		if (!notRun.length || Date.now() > deadline) break;
		await sleep(500);
	}
	const all = [...enqueued.values()];
	const byWebhook = all.filter((by) => by.includes('webhook')).length;
	const byMain = all.filter((by) => by.includes('main')).length;
	// a parked execution resumes as a job of its own, on any worker
	const both = [...enqueued.keys()].filter((id) => ranBy.filter((set) => set.has(id)).length > 1);
	note(
		`${LABEL} topology: ${enqueued.size} executions enqueued, ${byWebhook} by the webhook process, ${byMain} by main; run by the workers: ${ranBy.map((s) => s.size).join(' + ')} (${both.length} resumed on the other worker)`,
	);
	check(
		byWebhook > 0,
		`the webhook process enqueued ${byWebhook} executions (production webhooks, resumes)`,
	);
	check(!notRun.length, 'every enqueued execution ran on a worker', notRun);
};

// bigvideo (opt-in, queue mode; E2E_QUEUE_SCENARIOS=bigvideo): how large a downloaded video n8n can
// store and read back with its default binary-data mode for queue mode (the database). For each size in
// E2E_BIG_VIDEO_MB (MiB), Create waits and downloads a video of that size on the worker; then the file
// is read back through n8n's REST API. Notes one figure per size; the check is that every size up to
// E2E_BIG_VIDEO_OK_MB (the limit README gives) reads back whole.
scenarios.bigvideo = async () => {
	const sizes = (process.env.E2E_BIG_VIDEO_MB ?? '64,255,256,300').split(',').map(Number);
	const okUpTo = Number(process.env.E2E_BIG_VIDEO_OK_MB ?? 255);
	const hookPath = `e2e-big-${LABEL}-${Date.now()}`;
	const wf = await createWorkflow(
		'E2E bigvideo: create, wait, download',
		[
			webhookNode(hookPath),
			wanNode(
				'Create',
				createParameters({ prompt: '={{ $json.body.prompt }}', wait: true, timeout: 600 }),
				[220, 0],
			),
		],
		chain('Webhook', 'Create'),
		{ activate: true },
	);
	for (const mib of sizes) {
		const bytes = Math.round(mib * 1024 * 1024);
		const t = Date.now();
		const before = (await executions(wf.id, { includeData: false })).length;
		const r = await postWebhook(hookPath, { prompt: `[ms:1000] [bytes:${bytes}] e2e big clip` });
		if (!check(r.status === 200, `${mib} MiB: webhook accepted`, r)) continue;
		const { timedOut, list } = await waitExecutions(wf.id, before + 1, 600000);
		const ex = list[0];
		let outcome;
		if (timedOut || ex?.status !== 'success') {
			outcome = `execution ${ex?.status ?? 'missing'}: ${execError(ex) ?? ''}`;
		} else {
			const b = nodeOutput(ex, 'Create')[0]?.binary?.data;
			const stored = b
				? await getBytes(
						`${API}/rest/binary-data?${new URLSearchParams({ id: b.id, action: 'download' })}`,
						{ cookie: restCookie, 'browser-id': 'e2e' },
						120000,
					)
				: { status: 0, bytes: Buffer.alloc(0) };
			const readBack = stored.status
				? `HTTP ${stored.status}, ${stored.bytes.length} bytes ${stored.bytes.toString('utf8', 0, 200)}`
				: 'no answer in 120 s';
			outcome =
				stored.status === 200 && stored.bytes.length === bytes
					? 'stored and read back whole'
					: `stored in ${b?.id?.split(':')[0] ?? 'no binary'} mode, not read back: ${readBack}`;
		}
		note(`${LABEL} bigvideo: ${mib} MiB (${bytes} bytes): ${outcome} (${secs(Date.now() - t)})`);
		if (mib <= okUpTo)
			check(outcome === 'stored and read back whole', `${mib} MiB: ${outcome}`, outcome);
	}
};

// ---------------------------------------------------------------- main
// Each scenario is a node:test test (run.sh: `node --test-reporter=spec scenarios.mjs`; narrow it
// with --test-name-pattern, E2E_TEST_NAME_PATTERN), each of its checks a subtest.

describe(`${LABEL} on n8n ${process.env.E2E_N8N_VERSION ?? ''}`.trim(), () => {
	before(async () => {
		if (process.env.E2E_STARTUP_ERROR) {
			const error = new Error(`startup: ${process.env.E2E_STARTUP_ERROR}`);
			error.stack = error.message; // the reason is all there is to say
			throw error;
		}
		await createCredential();
		await restLogin();
	});

	for (const sc of SCENARIOS) {
		it(sc, async (t) => {
			await withChecks(t, async () => {
				if (!restCookie && sc === SCENARIOS[0])
					skip('no owner login (E2E_OWNER_EMAIL/PASSWORD): stored video bytes are not compared');
				if (!scenarios[sc]) return fail('unknown scenario', sc);
				await scenarios[sc]();
				compareWithSaved(sc);
			});
		});
	}
});
