// End-to-end scenarios against a running real n8n (started by test/e2e/run.sh).
// Everything is set up and read back through n8n's public API (/api/v1), never from logs.
//
// Environment (all set by run.sh):
//   E2E_LABEL        "regular" or "queue": prefixes every result line
//   E2E_SCENARIOS    comma list: demo,a,b,c,disk,form,pair,agent (r1/r2: run.sh's restart check)
//   E2E_API_BASE     n8n main, for /api/v1 (e.g. http://127.0.0.1:15678)
//   E2E_HOOK_BASE    where production webhooks are served (main, or the webhook process in queue mode)
//   E2E_WEBHOOK_URL  n8n's N8N_WEBHOOK_URL (base of production and resume URLs), with a trailing /
//   E2E_API_KEY      n8n public API key
//   E2E_SIM_BASE, E2E_SIM_KEY   the EvoLink simulator and its API key
//   E2E_PKG_DIR      the installed package (…/.n8n/nodes/node_modules/n8n-nodes-wan-video)
//   E2E_DEMO_EXEC    optional: a shell command that runs the demo workflow with `n8n execute`
//   E2E_RESULTS      file to which one JSON line {label, passed, failed, skipped, ms} is appended
//   E2E_FILES_DIR    n8n's N8N_RESTRICT_FILE_ACCESS_TO: where the disk example may write
//   E2E_SAVED, E2E_SAVED_MODE   the upgrade check: "save" records what the scenarios make in that
//                    file, "reuse" runs the workflows saved there again (see keep() below)
//
// Each scenario is a node:test test (see "main" at the end); every check prints "PASS <label>
// <scenario>: <check>", "FAIL …" or "SKIP …" as it happens. Exit code 1 on any failure.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { Agent as HttpAgent } from 'node:http';
import axios from 'axios';
import { deflateSync } from 'node:zlib';

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
const PKG_DIR = env('E2E_PKG_DIR');
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const N8N_FOLDER = path.resolve(PKG_DIR, '..', '..', '..'); // <user folder>/.n8n

const PKG = 'n8n-nodes-wan-video';
const T_WAN = `${PKG}.wanVideo`;
const T_TRIGGER = `${PKG}.wanVideoTrigger`;
const IMAGE_URL = 'https://example.com/e2e/first-frame.png';

const counts = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function pass(sc, msg) {
	counts.passed++;
	console.log(`PASS ${LABEL} ${sc}: ${msg}`);
}
const failures = []; // the failed checks, for the test that made them
let lastSkip = '';
function fail(sc, msg, detail) {
	counts.failed++;
	const line = `FAIL ${LABEL} ${sc}: ${msg}${detail !== undefined ? ` -- ${short(detail)}` : ''}`;
	failures.push(line);
	console.log(line);
}
function skip(sc, msg) {
	counts.skipped++;
	lastSkip = msg;
	console.log(`SKIP ${LABEL} ${sc}: ${msg}`);
}
function check(sc, ok, msg, detail) {
	if (ok) pass(sc, msg);
	else fail(sc, msg, detail);
	return !!ok;
}
function short(v) {
	const s = typeof v === 'string' ? v : JSON.stringify(v);
	return s && s.length > 600 ? `${s.slice(0, 600)}…` : s;
}

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

/** POST to a production webhook, retrying while n8n answers 404 (not registered yet: nothing ran). */
async function postWebhook(webhookPath, body, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await http('POST', `${HOOK}/webhook/${webhookPath}`, { body });
		if (r.status !== 404 || Date.now() > deadline) return r;
		await sleep(200);
	}
}

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

function nodeOutput(execution, nodeName) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	return runs?.[runs.length - 1]?.data?.main?.[0] ?? [];
}
/** Checks that an execution (maybe missing) ended with success; the detail says why not. */
function succeeded(sc, ex, what) {
	return check(
		sc,
		ex?.status === 'success',
		what,
		ex ? (execError(ex) ?? ex.status) : 'no execution',
	);
}

/** Waits for a workflow's first execution and checks that it finished with success: the execution, or undefined. */
async function successfulExecution(sc, workflowId, timeoutMs, since, what = 'execution') {
	const { timedOut, list } = await waitExecutions(workflowId, 1, timeoutMs);
	const finished = `${what} finished (${secs(Date.now() - since)})`;
	if (
		!check(
			sc,
			!timedOut,
			finished,
			list.map((e) => e.status),
		)
	)
		return undefined;
	const ex = list[0];
	return succeeded(sc, ex, `${what} status success`) ? ex : undefined;
}

function execError(execution) {
	const e = execution?.data?.resultData?.error;
	return e ? `${e.message}${e.description ? ` (${e.description})` : ''}` : undefined;
}

// ---------------------------------------------------------------- workflow builders

// ---------------------------------------------------------------- saved workflows (the upgrade check)
// E2E_SAVED=<file>. "save": every credential, workflow, webhook path and id a scenario makes is
// recorded there. "reuse" (after run.sh upgraded the package and restarted n8n): the scenarios get
// those back instead of making new ones, so the very workflows saved under the old version run again
// with the same credentials; their earlier executions are deleted first, so each check counts only
// this run's executions.
const SAVED_FILE = process.env.E2E_SAVED || '';
const REUSE = !!SAVED_FILE && process.env.E2E_SAVED_MODE === 'reuse';
const saved =
	SAVED_FILE && existsSync(SAVED_FILE) ? JSON.parse(readFileSync(SAVED_FILE, 'utf8')) : {};

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
		writeFileSync(SAVED_FILE, JSON.stringify(saved, null, 2));
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

async function createCredential() {
	await apiReady();
	// the simulator serves the files API (uploads of binary images) on its own base URL too
	credential = await keep('credential: evoLinkApi', async () => {
		const created = await api('POST', '/credentials', {
			name: `EvoLink simulator (${LABEL})`,
			type: 'evoLinkApi',
			data: await credentialData('evoLinkApi', {
				apiKey: SIM_KEY,
				baseUrl: SIM,
				filesBaseUrl: SIM,
			}),
		});
		return { id: created.id, name: created.name };
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
function itemsNode(items) {
	// a Code node (runs in n8n's task runner) turning the webhook call into N items
	return node(
		'Make items',
		'n8n-nodes-base.code',
		{ jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
		[220, 0],
		{ typeVersion: 2 },
	);
}
function wanNode(name, parameters, position) {
	return node(name, T_WAN, { resource: 'video', ...parameters }, position, {
		credentials: { evoLinkApi: credential },
	});
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

/** Items of a node output that carry a finished video as binary, byte-identical to the result file. */
async function checkVideoItems(sc, items, n, what, { executionId } = {}) {
	check(sc, items.length === n, `${what}: ${n} output items`, items.length);
	const ids = new Set();
	for (const [i, it] of items.entries()) {
		const j = it.json ?? {};
		const b = it.binary?.data;
		ids.add(j.taskId);
		check(
			sc,
			/^task-unified-/.test(j.taskId ?? '') &&
				j.status === 'completed' &&
				typeof j.videoUrl === 'string',
			`${what}: item ${i} taskId ${j.taskId}, status ${j.status}`,
			j,
		);
		if (
			!check(
				sc,
				b && b.mimeType === 'video/mp4' && b.id,
				`${what}: item ${i} has binary.data, video/mp4, ${b?.fileSize ?? '?'}`,
				it.binary,
			)
		)
			continue;
		if (!restCookie) continue;
		// the stored binary must be the simulator's file, byte for byte
		let stored = await getBytes(
			`${API}/rest/binary-data?${new URLSearchParams({ id: b.id, action: 'download' })}`,
			{ cookie: restCookie, 'browser-id': 'e2e' },
		);
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
			sc,
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
	if (n > 1) check(sc, ids.size === n, `${what}: ${n} distinct task ids`, [...ids]);
	return [...ids];
}

// ---------------------------------------------------------------- scenarios

const scenarios = {};

// demo: the example workflow that `npm start` imports, run as-is with `n8n execute` (Manual Trigger)
/** The example pair of the README imports into n8n, and the trigger's workflow activates. */
async function importExamplePair(sc) {
	for (const [file, activate] of [
		['create-with-callback.json', false],
		['on-video-ready.json', true],
		['create-and-wait-by-callback.json', false],
	]) {
		const example = JSON.parse(readFileSync(path.join(REPO, 'examples', file), 'utf8'));
		for (const n of example.nodes)
			if (n.credentials?.evoLinkApi) n.credentials.evoLinkApi = credential;
		// each import gets its own trigger URL, so runs of the suite never share one
		for (const n of example.nodes) if (n.webhookId) n.webhookId = randomUUID();
		try {
			const wf = await createWorkflow(
				`${example.name} [import]`,
				example.nodes,
				example.connections,
				{
					activate,
				},
			);
			pass(sc, `examples/${file} imports${activate ? ' and activates' : ''} (id ${wf.id})`);
		} catch (e) {
			fail(sc, `examples/${file} imports${activate ? ' and activates' : ''}`, e.message);
		}
	}
}

scenarios.demo = async (sc) => {
	await importExamplePair(sc);
	if (!process.env.E2E_DEMO_EXEC)
		return skip(sc, 'no E2E_DEMO_EXEC (n8n execute) given for this mode');
	const demo = JSON.parse(
		readFileSync(path.join(REPO, 'examples', 'demo-create-and-wait.json'), 'utf8'),
	);
	for (const n of demo.nodes) if (n.credentials?.evoLinkApi) n.credentials.evoLinkApi = credential;
	// shorten the simulated task: the prompt marker [ms:N] sets its run time
	const wan = demo.nodes.find((n) => n.type === T_WAN);
	wan.parameters.prompt = `[ms:2500] ${wan.parameters.prompt}`;
	const wf = await api('POST', '/workflows', {
		name: `${demo.name} (${LABEL})`,
		nodes: demo.nodes,
		connections: demo.connections,
		settings: demo.settings ?? {},
	});
	const t = Date.now();
	let out = '';
	try {
		out = execSync(`${process.env.E2E_DEMO_EXEC} --id=${wf.id}`, {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 120000,
		});
		pass(sc, `n8n execute --id=${wf.id} exits 0 (${secs(Date.now() - t)})`);
	} catch (e) {
		return fail(
			sc,
			'n8n execute exits 0',
			`${e.status}: ${(e.stdout ?? '').slice(-400)} ${(e.stderr ?? '').slice(-400)}`,
		);
	}
	void out;
	const { list } = await waitExecutions(wf.id, 1, 15000);
	const ex = list[0];
	if (!succeeded(sc, ex, 'demo execution read back via the public API: success')) return;
	await checkVideoItems(sc, nodeOutput(ex, wan.name), 1, `demo "${wan.name}"`);
};

// a: Webhook -> Code (3 items) -> Create -> Wait (polling, download): 3 videos as binary
scenarios.a = async (sc) => {
	const hookPath = keep('hookPath: a', () => `e2e-a-${LABEL}-${Date.now()}`);
	const items = [1, 2, 3].map((i) => ({
		prompt: `[ms:${2000 + i * 700}] e2e clip ${i}: the cat turns its head`,
		imageUrl: IMAGE_URL,
	}));
	const wf = await createWorkflow(
		'E2E a: create, wait (poll), download',
		[
			webhookNode(hookPath),
			itemsNode(items),
			wanNode(
				'Create',
				{
					operation: 'create',
					prompt: '={{ $json.prompt }}',
					imageUrl: '={{ $json.imageUrl }}',
					duration: 5,
					quality: '720p',
					promptExtend: true,
					shotType: 'single',
					waitForCompletion: false,
					options: {},
				},
				[440, 0],
			),
			wanNode(
				'Wait',
				{
					operation: 'wait',
					taskId: '={{ $json.taskId }}',
					waitOptions: {
						timeout: 90,
						onTimeout: 'error',
						onFailure: 'error',
						download: true,
						binaryProperty: 'data',
					},
				},
				[660, 0],
			),
		],
		chain('Webhook', 'Make items', 'Create', 'Wait'),
		{ activate: true },
	);
	const t = Date.now();
	const r = await postWebhook(hookPath, { run: 'a' });
	if (!check(sc, r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	const ex = await successfulExecution(sc, wf.id, 120000, t);
	if (!ex) return;
	const created = nodeOutput(ex, 'Create');
	check(
		sc,
		created.length === 3 && created.every((it) => /^task-unified-/.test(it.json?.taskId ?? '')),
		'Create: 3 items with a taskId',
		created.map((it) => it.json),
	);
	const ids = await checkVideoItems(sc, nodeOutput(ex, 'Wait'), 3, 'Wait');
	check(
		sc,
		JSON.stringify(ids) === JSON.stringify(created.map((it) => it.json.taskId)),
		'Wait keeps the item order of Create',
		{ ids, created: created.map((it) => it.json.taskId) },
	);
};

// b: Wan Video Trigger started by the simulator's callbacks; forged and repeated callbacks start nothing
scenarios.b = async (sc) => {
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
		{ prompt: '[ms:2000] e2e trigger clip 1' },
		{ prompt: '[ms:2600] e2e trigger clip 2' },
		{
			prompt:
				'[ms:2300] [fail:content_policy_violation] e2e trigger clip 3 (fails; not a selected event)',
		},
	].map((x) => ({ ...x, imageUrl: IMAGE_URL }));
	const creator = await createWorkflow(
		'E2E b: create with callback',
		[
			webhookNode(hookPath),
			itemsNode(items),
			wanNode(
				'Create',
				{
					operation: 'create',
					prompt: '={{ $json.prompt }}',
					imageUrl: '={{ $json.imageUrl }}',
					waitForCompletion: false,
					options: { callbackUrl },
				},
				[440, 0],
			),
		],
		chain('Webhook', 'Make items', 'Create'),
		{ activate: true },
	);
	const t = Date.now();
	const r = await postWebhook(hookPath, { run: 'b' });
	if (!check(sc, r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	const c = await waitExecutions(creator.id, 1, 60000);
	const cex = c.list[0];
	if (
		!check(
			sc,
			!c.timedOut && cex?.status === 'success',
			'creator execution success',
			cex ? (execError(cex) ?? cex.status) : 'none',
		)
	)
		return;
	const created = nodeOutput(cex, 'Create').map((it) => it.json.taskId);
	check(sc, created.length === 3, 'creator started 3 tasks', created);
	const okIds = created.slice(0, 2);

	const tr = await waitExecutions(triggerWf.id, 2, 60000);
	if (
		!check(
			sc,
			!tr.timedOut,
			`2 trigger executions after the callbacks (${secs(Date.now() - t)})`,
			tr.list.map((e) => e.status),
		)
	)
		return;
	await sleep(2500); // let the failed task's callback (filtered: not a selected event) land too
	let list = await executions(triggerWf.id);
	check(
		sc,
		list.length === 2,
		'exactly one trigger execution per completed task (the failed one is filtered)',
		list.length,
	);
	const seen = list.map((e) => nodeOutput(e, 'Wan Video Trigger')[0]?.json ?? {});
	check(
		sc,
		list.every((e) => e.status === 'success'),
		'trigger executions succeeded',
		list.map((e) => execError(e) ?? e.status),
	);
	check(
		sc,
		JSON.stringify(seen.map((j) => j.taskId).sort()) === JSON.stringify([...okIds].sort()),
		'trigger outputs are the two completed tasks',
		{ seen: seen.map((j) => j.taskId), okIds },
	);
	check(
		sc,
		seen.every((j) => j.status === 'completed' && typeof j.videoUrl === 'string'),
		'trigger output: status completed + videoUrl',
		seen,
	);

	// forged and repeated callbacks: none may start an execution
	const require = createRequire(import.meta.url);
	const { signCallbackUrl } = require(path.join(PKG_DIR, 'dist/nodes/shared/callbackSignature.js'));
	const signed = new URL(signCallbackUrl(callbackUrl, SIM_KEY));
	const signedLocal = `${HOOK}${signed.pathname}${signed.search}`;
	const unsignedLocal = `${HOOK}/webhook/${trigger.webhookId}/callback`;
	const real = (
		await http('GET', `${SIM}/v1/tasks/${okIds[0]}`, {
			headers: { Authorization: `Bearer ${SIM_KEY}` },
		})
	).json;
	check(sc, real?.status === 'completed', 'simulator reports the first task completed', real);

	let f = await http('POST', unsignedLocal, { body: real });
	check(sc, f.status === 401, 'real body on the unsigned URL: 401', f.status);
	f = await http('POST', `${unsignedLocal}?wvsig=${'A'.repeat(43)}`, { body: real });
	check(sc, f.status === 401, 'real body with a wrong signature: 401', f.status);
	f = await http('POST', signedLocal, {
		body: {
			...real,
			id: 'task-unified-0000000000-forged01',
			results: ['https://evil.example/x.mp4'],
		},
	});
	check(
		sc,
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
		sc,
		f.status === 200 && !!f.json?.ignored,
		'signed URL, failed task claimed "completed": API says failed, ignored',
		f,
	);
	f = await http('POST', signedLocal, { body: real });
	check(
		sc,
		f.status === 200 && !!f.json?.ignored,
		'repeated callback of a completed task: ignored as already received',
		f,
	);
	await sleep(2000);
	list = await executions(triggerWf.id, { includeData: false });
	check(
		sc,
		list.length === 2,
		'no new trigger execution after forged and repeated callbacks',
		list.length,
	);
};

/** Webhook → items → Create (resume this execution on completion) → Wait in callback mode → extra. */
async function createCallbackWaitWorkflow(name, hookPath, prompts, timeout, extraNodes = []) {
	return await createWorkflow(
		name,
		[
			webhookNode(hookPath),
			itemsNode(prompts.map((prompt) => ({ prompt, imageUrl: IMAGE_URL }))),
			wanNode(
				'Create',
				{
					operation: 'create',
					prompt: '={{ $json.prompt }}',
					imageUrl: '={{ $json.imageUrl }}',
					options: { resumeOnCallback: true },
				},
				[440, 0],
			),
			wanNode(
				'Wait',
				{
					operation: 'wait',
					taskId: '={{ $json.taskId }}',
					waitOptions: { waitMode: 'callback', timeout, download: true, binaryProperty: 'data' },
				},
				[660, 0],
			),
			...extraNodes,
		],
		chain('Webhook', 'Make items', 'Create', 'Wait', ...extraNodes.map((n) => n.name)),
		{ activate: true },
	);
}

// c: Create sends the execution's resume URL; Wait in callback mode parks the execution until
// the simulator calls back for every task, then resumes with the videos
scenarios.c = async (sc) => {
	const hookPath = keep('hookPath: c', () => `e2e-c-${LABEL}-${Date.now()}`);
	const wf = await createCallbackWaitWorkflow(
		'E2E c: create, wait for callback',
		hookPath,
		['[ms:4000] e2e callback clip one', '[ms:7000] e2e callback clip two'],
		120,
		[node('After', 'n8n-nodes-base.noOp', {}, [880, 0])],
	);
	const t = Date.now();
	const r = await postWebhook(hookPath, { run: 'c' });
	if (!check(sc, r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	const statuses = new Set();
	let waitingId;
	const { timedOut, list } = await waitExecutions(wf.id, 1, 90000, {
		onPoll: async (l) => {
			const parked = l.some((e) => e.status === 'waiting') ? [] : await parkedExecutions(wf.id);
			[...l, ...parked].forEach((e) => {
				statuses.add(e.status);
				if (e.status === 'waiting') waitingId = e.id;
			});
		},
	});
	check(sc, statuses.has('waiting'), `execution was seen "waiting" (id ${waitingId ?? '?'})`, [
		...statuses,
	]);
	if (!check(sc, !timedOut, `execution finished (${secs(Date.now() - t)})`, [...statuses])) return;
	const ex = list[0];
	if (!succeeded(sc, ex, 'resumed execution status success')) return;
	await checkVideoItems(sc, nodeOutput(ex, 'Wait'), 2, 'Wait (callback)');
	check(
		sc,
		nodeOutput(ex, 'After').length === 2,
		'node after Wait ran after the resume, with both items',
		nodeOutput(ex, 'After').length,
	);
};

// r1 / r2: n8n restarts while an execution waits by callback (run.sh restarts n8n between them);
// the simulator's callback arrives after the restart and resumes the execution
const RESTART_STATE = path.join(process.cwd(), 'restart-state.json');
scenarios.r1 = async (sc) => {
	const hookPath = `e2e-r-${LABEL}-${Date.now()}`;
	const wf = await createCallbackWaitWorkflow(
		'E2E r: wait by callback across a restart',
		hookPath,
		['[ms:60000] e2e restart clip'],
		300,
	);
	const r = await postWebhook(hookPath, { run: 'r' });
	if (!check(sc, r.status === 200, `webhook ${hookPath} accepted (200)`, r)) return;
	let waitingId;
	const deadline = Date.now() + 30000;
	while (!waitingId && Date.now() < deadline) {
		const list = await executions(wf.id, { includeData: false });
		waitingId = [...list, ...(await parkedExecutions(wf.id))].find(
			(e) => e.status === 'waiting',
		)?.id;
		if (!waitingId) await sleep(300);
	}
	if (!check(sc, !!waitingId, `execution is waiting before the restart (id ${waitingId})`)) return;
	writeFileSync(RESTART_STATE, JSON.stringify({ workflowId: wf.id, executionId: waitingId }));
};
scenarios.r2 = async (sc) => {
	if (!existsSync(RESTART_STATE)) return fail(sc, 'no execution was left waiting by r1');
	const { workflowId, executionId } = JSON.parse(readFileSync(RESTART_STATE, 'utf8'));
	const { timedOut, list } = await waitExecutions(workflowId, 1, 120000);
	const ex = list.find((e) => String(e.id) === String(executionId));
	if (
		!check(
			sc,
			!timedOut && ex?.status === 'success',
			`execution ${executionId} resumed after the restart: success`,
			ex ? (execError(ex) ?? ex.status) : 'not found',
		)
	)
		return;
	await checkVideoItems(sc, nodeOutput(ex, 'Wait'), 1, 'Wait (callback, after restart)');
};

// ---------------------------------------------------------------- the examples/ workflows, run as shipped

/** examples/<file> with the e2e credential, fresh webhook ids (so runs never share a URL). */
function loadExample(file, variant = '') {
	const wf = JSON.parse(readFileSync(path.join(REPO, 'examples', file), 'utf8'));
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
/** Runs a saved workflow with `n8n execute` (regular mode) and returns its execution (public API). */
async function executeByCli(sc, wf) {
	const t = Date.now();
	try {
		execSync(`${process.env.E2E_DEMO_EXEC} --id=${wf.id}`, {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 120000,
		});
		pass(sc, `n8n execute --id=${wf.id} exits 0 (${secs(Date.now() - t)})`);
	} catch (e) {
		fail(
			sc,
			'n8n execute exits 0',
			`${e.status}: ${(e.stdout ?? '').slice(-600)} ${(e.stderr ?? '').slice(-400)}`,
		);
		return undefined;
	}
	const { list } = await waitExecutions(wf.id, 1, 15000);
	return list[0];
}

/** A real PNG (RGB, w×h, a colour gradient), built with zlib: the form scenario uploads it. */
function makePng(w = 480, h = 360) {
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
			raw[row + 3 + x * 3] = 160;
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

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

// disk: examples/image-url-to-video-file.json (Create + wait + download -> Read/Write Files from Disk),
// run with `n8n execute`; the file it wrote must be the simulator's video, byte for byte
scenarios.disk = async (sc) => {
	const file = 'image-url-to-video-file.json';
	const FILES = process.env.E2E_FILES_DIR;
	if (!process.env.E2E_DEMO_EXEC || !FILES)
		return skip(sc, 'no E2E_DEMO_EXEC (n8n execute) / E2E_FILES_DIR for this mode');
	const wf = loadExample(file);
	const wan = wf.nodes.find((n) => n.type === T_WAN);
	const save = wf.nodes.find((n) => n.type === 'n8n-nodes-base.readWriteFile');
	wan.parameters.prompt = `[ms:2500] ${wan.parameters.prompt}`;
	// the example writes to the Docker default folder; here N8N_RESTRICT_FILE_ACCESS_TO is E2E_FILES_DIR
	const before = save.parameters.fileName;
	save.parameters.fileName = before.replace('/home/node/.n8n-files/', `${FILES}/${LABEL}-`);
	if (
		!check(
			sc,
			save.parameters.fileName !== before,
			'the example writes under /home/node/.n8n-files/',
			before,
		)
	)
		return;
	const created = await createExample(file, wf);
	pass(sc, `examples/${file} imports (id ${created.id})`);
	const ex = await executeByCli(sc, created);
	if (!succeeded(sc, ex, 'execution read back via the public API: success')) return;
	const [taskId] = await checkVideoItems(sc, nodeOutput(ex, wan.name), 1, `"${wan.name}"`);
	const saved = nodeOutput(ex, save.name)[0]?.json ?? {};
	const expected = path.join(FILES, `${LABEL}-wan-video-${taskId}.mp4`);
	check(
		sc,
		saved.fileName === expected,
		`"${save.name}" reports ${path.basename(expected)}`,
		saved,
	);
	if (!check(sc, existsSync(expected), `${expected} exists`)) return;
	const source = await getBytes(saved.videoUrl ?? nodeOutput(ex, wan.name)[0]?.json?.videoUrl);
	const onDisk = readFileSync(expected);
	check(
		sc,
		source.status === 200 && onDisk.length > 0 && onDisk.equals(source.bytes),
		`the file on disk is the simulator's video (${onDisk.length} of ${source.bytes.length} bytes)`,
		{ status: source.status, disk: onDisk.length, source: source.bytes.length },
	);
};

// form: examples/form-upload-to-video.json activated; a multipart submission with a real PNG to the
// form's production URL starts Create (binary image, uploaded to the files API) -> Wait -> download
scenarios.form = async (sc) => {
	const file = 'form-upload-to-video.json';
	const wf = loadExample(file);
	const form = wf.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
	const wanNodes = wf.nodes.filter((n) => n.type === T_WAN);
	const create = wanNodes.find((n) => n.parameters.operation === 'create');
	const waitNode = wanNodes.find((n) => n.parameters.operation === 'wait');
	let created;
	try {
		created = await createExample(file, wf, { activate: true });
		pass(sc, `examples/${file} imports and activates (id ${created.id})`);
	} catch (e) {
		return fail(sc, `examples/${file} imports and activates`, e.message);
	}
	if (
		!check(
			sc,
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
	const url = `${HOOK}/form/${form.parameters.path || form.webhookId}`;
	const t = Date.now();
	let r;
	for (const deadline = Date.now() + 30000; ; ) {
		r = await postMultipart(url, [
			{
				name: `field-${fileIdx}`,
				filename: 'first-frame.png',
				contentType: 'image/png',
				data: png,
			},
			{
				name: `field-${promptIdx}`,
				value: '[ms:2500] e2e form clip: the gradient starts to swirl',
			},
		]);
		if (r.status !== 404 || Date.now() > deadline) break;
		await sleep(200);
	}
	if (
		!check(sc, r.status === 200, `form submission with a ${png.length}-byte PNG accepted (200)`, {
			status: r.status,
			body: r.text?.slice(0, 300),
		})
	)
		return;
	const ex = await successfulExecution(sc, created.id, 90000, t);
	if (!ex) return;
	const trig = nodeOutput(ex, form.name)[0];
	const upBin = trig?.binary?.[create.parameters.imageBinaryProperty];
	check(
		sc,
		upBin?.mimeType === 'image/png',
		`form trigger output: binary "${create.parameters.imageBinaryProperty}" is the PNG`,
		trig?.binary,
	);
	const c = nodeOutput(ex, create.name)[0]?.json ?? {};
	check(
		sc,
		/^task-unified-/.test(c.taskId ?? ''),
		`Create started a task from the uploaded image (${c.taskId})`,
		c,
	);
	await checkVideoItems(sc, nodeOutput(ex, waitNode.name), 1, `"${waitNode.name}"`);
};

// pair: examples/on-video-ready.json (Wan Video Trigger) activated, examples/create-with-callback.json
// pointed at it and run with `n8n execute`: the trigger's workflow gets the finished video
scenarios.pair = async (sc) => {
	if (!process.env.E2E_DEMO_EXEC) return skip(sc, 'no E2E_DEMO_EXEC (n8n execute) for this mode');
	const b = loadExample('on-video-ready.json');
	const trigger = b.nodes.find((n) => n.type === T_TRIGGER);
	const bWf = await createExample('on-video-ready.json', b, { activate: true });
	pass(sc, `examples/on-video-ready.json imports and activates (id ${bWf.id})`);
	const a = loadExample('create-with-callback.json');
	const create = a.nodes.find((n) => n.type === T_WAN);
	create.parameters.prompt = `[ms:2000] ${create.parameters.prompt}`;
	create.parameters.options.callbackUrl = `${WEBHOOK_URL}webhook/${trigger.webhookId}/callback`;
	const aWf = await createExample('create-with-callback.json', a);
	pass(
		sc,
		`examples/create-with-callback.json imports (id ${aWf.id}), Callback URL = the trigger's production URL`,
	);
	const t = Date.now();
	const ex = await executeByCli(sc, aWf);
	if (!succeeded(sc, ex, 'workflow A: success')) return;
	const taskId = nodeOutput(ex, create.name)[0]?.json?.taskId;
	const tr = await waitExecutions(bWf.id, 1, 60000);
	if (
		!check(
			sc,
			!tr.timedOut,
			`workflow B started by the callback (${secs(Date.now() - t)})`,
			tr.list.map((e) => e.status),
		)
	)
		return;
	const bex = tr.list[0];
	if (!succeeded(sc, bex, 'workflow B: success')) return;
	const ready = nodeOutput(bex, 'Use the Video (binary: data)');
	const ids = await checkVideoItems(sc, ready, 1, 'workflow B "Video Ready?" true branch', {
		executionId: bex.id,
	});
	check(sc, ids[0] === taskId, 'workflow B got the task workflow A started', { ids, taskId });
};

// agent: examples/agent-with-video-tool.json (Chat Trigger -> AI Agent + OpenAI chat model + Wan Video
// Tool with $fromAI), once with the AI Agent version this n8n gives a new agent (3.1 in n8n 2.41.1: the
// tool runs as an engine request, with main input) and once with Agent 2.2 (the tool runs in process,
// from the agent's ai_tool input). Each time: imports, activates, and n8n knows the tool node type.
// With E2E_FAKE_LLM_BASE (test/e2e/fake-llm.mjs, an OpenAI-compatible model scripted to call the tool
// once): a chat message to the public chat URL runs the agent, the tool starts a task on the
// simulator, and the tool's answer reaches the model and the chat.
const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';

/** The AI Agent version n8n gives a new agent node (its defaultVersion), from n8n's node types. */
async function defaultAgentVersion() {
	if (!restCookie) return undefined;
	const r = await http('GET', `${API}/types/nodes.json`, {
		headers: { cookie: restCookie, 'browser-id': 'e2e' },
	});
	const agents = (Array.isArray(r.json) ? r.json : []).filter((t) => t.name === AGENT_TYPE);
	const versions = agents.flatMap((t) => [t.version].flat());
	return agents.find((t) => t.defaultVersion)?.defaultVersion ?? Math.max(...versions);
}

scenarios.agent = async (sc) => {
	const byDefault = await defaultAgentVersion();
	if (!check(sc, byDefault !== undefined, `this n8n's default AI Agent version: ${byDefault}`))
		return;
	for (const version of [...new Set([byDefault, 2.2])]) await runAgent(sc, version);
};

async function runAgent(sc, version) {
	const file = 'agent-with-video-tool.json';
	const FAKE = process.env.E2E_FAKE_LLM_BASE;
	const wf = loadExample(file, `Agent ${version}`);
	const agentNode = wf.nodes.find((n) => n.type === AGENT_TYPE);
	agentNode.typeVersion = version;
	sc = `${sc} (Agent ${version})`;
	const T_TOOL = `${PKG}.wanVideoTool`;
	const tool = wf.nodes.find((n) => n.type === T_TOOL && n.parameters.operation === 'create');
	const getTool = wf.nodes.find((n) => n.type === T_TOOL && n.parameters.operation === 'get');
	const chat = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger');
	const model = wf.nodes.find((n) => n.credentials?.openAiApi);
	if (
		!check(
			sc,
			tool && getTool && chat && model,
			`the example has ${T_TOOL} nodes for Create and Get, a Chat Trigger and an OpenAI chat model`,
		)
	)
		return;
	check(
		sc,
		/\$fromAI\(/.test(tool.parameters.prompt) && /\$fromAI\(/.test(tool.parameters.imageUrl),
		'the tool takes prompt and image URL from the model ($fromAI)',
		tool.parameters,
	);
	// n8n lists the tool variant of the package's node among its node types
	if (restCookie) {
		const r = await http('GET', `${API}/types/nodes.json`, {
			headers: { cookie: restCookie, 'browser-id': 'e2e' },
		});
		const names = Array.isArray(r.json) ? r.json.map((t) => t.name) : [];
		check(
			sc,
			names.includes(T_TOOL),
			`n8n's node types include ${T_TOOL} (${names.length} types)`,
			{ status: r.status, wan: names.filter((n) => n.startsWith(PKG)) },
		);
	}
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
	let created;
	try {
		created = await createExample(file, wf, { activate: true });
		pass(sc, `examples/${file} imports and activates (id ${created.id})`);
	} catch (e) {
		return fail(sc, `examples/${file} imports and activates`, e.message);
	}
	if (!FAKE) return skip(sc, 'no E2E_FAKE_LLM_BASE: the agent is not run');
	const t = Date.now();
	const sessionId = `e2e-${randomUUID()}`;
	const nonce = `ref ${randomUUID().slice(0, 8)}`;
	const chatUrl = `${HOOK}/webhook/${chat.webhookId}/chat`;
	let r;
	for (const deadline = Date.now() + 30000; ; ) {
		r = await http('POST', chatUrl, {
			body: {
				action: 'sendMessage',
				sessionId,
				chatInput: `Please make a short video of my cat looking up at a butterfly (${nonce}).`,
			},
		});
		if (r.status !== 404 || Date.now() > deadline) break;
		await sleep(200);
	}
	if (
		!check(sc, r.status === 200, `chat message accepted (200, ${secs(Date.now() - t)})`, {
			status: r.status,
			body: r.json,
		})
	)
		return;
	const ex = await successfulExecution(sc, created.id, 60000, t, 'agent execution');
	if (!ex) return;
	const runData = ex.data?.resultData?.runData ?? {};
	const toolRuns = runData[tool.name] ?? [];
	check(
		sc,
		toolRuns.length === 1,
		`"${tool.name}" ran once as the agent's tool`,
		Object.keys(runData),
	);
	const toolError = toolRuns.find((run) => run.error)?.error;
	if (
		!check(
			sc,
			toolRuns.length && !toolError,
			`"${tool.name}" ran without an error`,
			toolError && String(toolError.message).replace(/\s+/g, ' '),
		)
	)
		return;
	const answer = String(r.json?.output ?? nodeOutput(ex, 'AI Agent')[0]?.json?.output ?? '');
	const taskId = /task-unified-[A-Za-z0-9-]+/.exec(answer)?.[0];
	if (!check(sc, !!taskId, `the agent's answer names the task: "${answer.slice(0, 160)}"`, r.json))
		return;
	// Create waited (bounded) for the simulator's short task and answered in words, with the link.
	check(
		sc,
		new RegExp(`The tool said: The video of task ${taskId} is ready: http\\S+\\.mp4`).test(answer),
		"the tool's answer (passed on by the model) gives the finished video's link",
		answer,
	);
	const task = (
		await http('GET', `${SIM}/v1/tasks/${taskId}`, {
			headers: { Authorization: `Bearer ${SIM_KEY}` },
		})
	).json;
	check(sc, task?.id === taskId, `the simulator has task ${taskId} (${task?.status})`, task);
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
			sc,
			calls.length >= 2,
			`the model was asked twice (tool call, then the answer): ${calls.length}`,
			calls.length,
		);
		check(
			sc,
			offered.length === 2,
			`the model was offered both Wan Video tools: ${offered.join(', ')}`,
			calls[0]?.body?.tools,
		);
		const createTool = (calls[0]?.body?.tools ?? []).find((x) => /create/i.test(x.function?.name));
		const args = createTool?.function?.parameters?.properties ?? {};
		check(
			sc,
			'prompt' in args && 'imageUrl' in args,
			'the tool schema has the $fromAI parameters prompt and imageUrl',
			args,
		);
	}
}

// budget: the request budget per key in a real n8n. Two workflows on a credential allowing 2
// requests per second run at once: their 16 reads share the budget (~7 s; alone each would take
// ~3 s). A credential saying 0 stops the node before anything is sent.
async function budgetCredential(requestsPerSecond) {
	const data = await credentialData('evoLinkApi', {
		apiKey: SIM_KEY,
		baseUrl: SIM,
		filesBaseUrl: SIM,
		requestsPerSecond,
	});
	const created = await api('POST', '/credentials', {
		name: `EvoLink simulator, ${requestsPerSecond} requests/s (${LABEL})`,
		type: 'evoLinkApi',
		data,
	});
	return { data, credential: created?.id ? { id: created.id, name: created.name } : undefined };
}

async function getWorkflow(name, hookPath, taskIds, evoLinkApi) {
	return await createWorkflow(
		name,
		[
			webhookNode(hookPath),
			itemsNode(taskIds.map((taskId) => ({ taskId }))),
			node(
				'Get',
				T_WAN,
				{ resource: 'video', operation: 'get', taskId: '={{ $json.taskId }}' },
				[440, 0],
				{ credentials: { evoLinkApi } },
			),
		],
		chain('Webhook', 'Make items', 'Get'),
		{ activate: true },
	);
}

scenarios.budget = async (sc) => {
	const slow = await budgetCredential(2);
	if (
		!check(
			sc,
			slow.data.requestsPerSecond === 2,
			'the credential has a Requests per Second field',
			slow.data,
		)
	)
		return;
	if (!check(sc, !!slow.credential, 'credential with 2 requests/s created')) return;
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
			wf: await getWorkflow(
				`E2E budget: Get of 8 tasks #${half + 1}`,
				hookPath,
				ids,
				slow.credential,
			),
		});
	}
	const posted = await Promise.all(
		flows.map(({ hookPath }) => postWebhook(hookPath, { run: 'budget' })),
	);
	if (
		!check(
			sc,
			posted.every((r) => r.status === 200),
			'both webhooks accepted (200)',
			posted,
		)
	)
		return;
	const runs = [];
	for (const { wf } of flows) {
		const ex = await successfulExecution(sc, wf.id, 60000, stamp, `workflow ${wf.id}`);
		if (!ex) return;
		const out = nodeOutput(ex, 'Get');
		check(
			sc,
			out.length === 8 && out.every((it) => it.json?.status === 'completed'),
			'Get: 8 completed tasks',
			out.map((it) => it.json?.status),
		);
		runs.push({ start: Date.parse(ex.startedAt), stop: Date.parse(ex.stoppedAt) });
	}
	const overlapped = runs[0].start < runs[1].stop && runs[1].start < runs[0].stop;
	const span = Math.max(...runs.map((r) => r.stop)) - Math.min(...runs.map((r) => r.start));
	if (!overlapped)
		skip(sc, `the two executions did not overlap (${short(runs)}), so sharing is not shown`);
	else
		check(
			sc,
			span >= 6000,
			`the two executions shared the key's budget: 16 reads at 2/s took ${secs(span)} (≥ 6 s; alone each takes ~3 s)`,
			runs,
		);

	const zero = await budgetCredential(0);
	if (!zero.credential) return skip(sc, 'n8n refused a credential with 0 requests/s itself');
	const hookPath = `e2e-budget-zero-${LABEL}-${stamp}`;
	const wf = await getWorkflow(
		'E2E budget: Requests per Second 0',
		hookPath,
		taskIds.slice(0, 1),
		zero.credential,
	);
	const before = Date.now();
	await postWebhook(hookPath, { run: 'budget-zero' });
	const { list } = await waitExecutions(wf.id, 1, 30000);
	check(
		sc,
		/Requests per Second \(EvoLink API credential\): must be a number above 0/.test(
			execError(list[0]) ?? '',
		),
		'Requests per Second 0: the node stops naming the field and the rule',
		execError(list[0]) ?? list[0]?.status,
	);
	check(sc, Date.now() - before < 30000, 'and does not wait');
};

// bigvideo (opt-in, queue mode; E2E_QUEUE_SCENARIOS=bigvideo): how large a downloaded video n8n can
// store and read back with its default binary-data mode for queue mode (the database). For each size in
// E2E_BIG_VIDEO_MB (MiB), Create waits and downloads a video of that size on the worker; then the file
// is read back through n8n's REST API. Prints one MEASURE line per size; the check is that every size
// up to E2E_BIG_VIDEO_OK_MB (the limit README gives) reads back whole.
scenarios.bigvideo = async (sc) => {
	const sizes = (process.env.E2E_BIG_VIDEO_MB ?? '64,255,256,300').split(',').map(Number);
	const okUpTo = Number(process.env.E2E_BIG_VIDEO_OK_MB ?? 255);
	const hookPath = `e2e-big-${LABEL}-${Date.now()}`;
	const wf = await createWorkflow(
		'E2E bigvideo: create, wait, download',
		[
			webhookNode(hookPath),
			wanNode(
				'Create',
				{
					operation: 'create',
					prompt: '={{ $json.body.prompt }}',
					imageUrl: IMAGE_URL,
					waitForCompletion: true,
					waitOptions: { timeout: 600, download: true, binaryProperty: 'data' },
					options: {},
				},
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
		if (!check(sc, r.status === 200, `${mib} MiB: webhook accepted`, r)) continue;
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
		console.log(
			`MEASURE ${LABEL} bigvideo: ${mib} MiB (${bytes} bytes): ${outcome} (${secs(Date.now() - t)})`,
		);
		if (mib <= okUpTo)
			check(sc, outcome === 'stored and read back whole', `${mib} MiB: ${outcome}`, outcome);
	}
};

// ---------------------------------------------------------------- main
// Each scenario is a node:test test (run.sh: `node --test-reporter=spec scenarios.mjs`; narrow it
// with --test-name-pattern, E2E_TEST_NAME_PATTERN). Every check prints its PASS/FAIL/SKIP line as it
// happens; a test fails when any of its checks failed and is skipped when all it could do was skip.
// The counts also go to E2E_RESULTS, for run.sh's total over every n8n process and version.

describe(`${LABEL} on n8n ${process.env.E2E_N8N_VERSION ?? ''}`.trim(), () => {
	before(async () => {
		try {
			await createCredential();
			await restLogin();
		} catch (e) {
			fail('setup', 'setup threw', e?.stack ?? String(e));
			throw e;
		}
		if (!restCookie)
			skip(
				'setup',
				'no owner login (E2E_OWNER_EMAIL/PASSWORD): stored video bytes are not compared',
			);
		pass(
			'setup',
			REUSE
				? `credential "${credential.name}" as saved before (id ${credential.id})`
				: `credential "${credential.name}" created through the public API (id ${credential.id})`,
		);
	});

	after(() => {
		const ms = Date.now() - started;
		if (process.env.E2E_RESULTS)
			appendFileSync(
				process.env.E2E_RESULTS,
				`${JSON.stringify({ label: LABEL, ...counts, ms })}\n`,
			);
	});

	for (const sc of SCENARIOS) {
		it(sc, async (t) => {
			const { passed, skipped } = counts;
			const failedAt = failures.length;
			if (!scenarios[sc]) fail(sc, 'unknown scenario');
			else {
				try {
					await scenarios[sc](sc);
				} catch (e) {
					fail(
						sc,
						'scenario threw',
						`${e?.stack ?? String(e)}${e?.cause ? ` cause: ${e.cause.stack ?? e.cause}` : ''}`,
					);
				}
			}
			if (failures.length > failedAt) assert.fail(failures.slice(failedAt).join('\n'));
			if (counts.passed === passed && counts.skipped > skipped) t.skip(lastSkip);
		});
	}
});
