// Checks the EvoLink simulator itself (test/simulator/), which the node tests, the e2e suite and the
// benchmark rely on. Talks to it over real HTTP with Node's fetch.
import { randomBytes, randomUUID } from 'crypto';
import { sleep } from 'n8n-workflow';

import { spawnCli } from './simulator/cli';
import { createCallbackReceiver, createSimulator } from './simulator/evolink-simulator';
import type { ApiTask } from './simulator';

type Credits = { remaining_credits: number; used_credits: number; unlimited_credits?: boolean };
type ErrorBody = {
	error: { code: string | number; message: string; type: string; param?: string };
};
type CreditsBody = { success: boolean; data: { user: Credits; token: Credits } };
/** Whatever the simulator answered, typed loosely for assertions. */
type Body = ApiTask & ErrorBody & CreditsBody;

const apiKey = `sk-test-${randomBytes(12).toString('hex')}`;
const sim = createSimulator({
	apiKey,
	taskMs: 400,
	videoBytes: 4096,
	callbackRetryDelaysMs: [50, 50, 50],
});
let baseUrl = '';

const validBody = {
	model: 'wan2.6-image-to-video',
	prompt: 'A cat surfs a wave',
	image_urls: ['https://example.com/cat.png'],
};

async function call(
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = { authorization: `Bearer ${apiKey}` },
) {
	const res = await fetch(baseUrl + path, {
		method,
		headers: { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json: unknown = undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json: json as Body };
}

const create = async (body: unknown = validBody, headers?: Record<string, string>) =>
	await call('POST', '/v1/videos/generations', body, {
		authorization: `Bearer ${apiKey}`,
		...headers,
	});

async function waitFor(check: () => boolean, timeoutMs = 3000) {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await sleep(20);
	}
}

beforeAll(async () => {
	({ baseUrl } = await sim.start());
});
afterEach(() => sim.reset());
afterAll(async () => await sim.stop());

test('rejects a missing or wrong API key with 401 and never logs the key', async () => {
	const missing = await call('GET', '/v1/credits', undefined, {});
	expect(missing.status).toBe(401);
	expect(missing.json.error).toEqual({
		code: 'unauthorized',
		message: 'Invalid or expired API key',
		type: 'authentication_error',
	});
	const wrong = await create(validBody, { authorization: 'Bearer sk-wrong' });
	expect(wrong.status).toBe(401);
	expect(sim.tasks.size).toBe(0);
	expect(sim.requests.map((r) => r.headers.authorization)).toEqual(['<missing>', 'Bearer <bad>']);
	expect((await call('GET', '/v1/credits')).json.data.user).toEqual({
		remaining_credits: 1_000_000,
		used_credits: 0,
	});
	expect(sim.requests[2].headers.authorization).toBe('Bearer <ok>');
	expect(JSON.stringify(sim.requests)).not.toContain(apiKey);
});

test('validates the create body like the real API (400 invalid_request + param)', async () => {
	const cases: Array<[Record<string, unknown>, string]> = [
		[{ ...validBody, model: 'wan9-video' }, 'model'],
		[{ ...validBody, seed: 1 }, 'seed'],
		[{ ...validBody, model: 'wan2.6-text-to-video' }, 'image_urls'],
		[{ ...validBody, model: 'wan2.5-image-to-video', duration: 15 }, 'duration'],
		[
			{ ...validBody, model: 'wan2.5-image-to-video', audio_url: 'https://a.example/x.mp3' },
			'audio_url',
		],
		[{ ...validBody, aspect_ratio: '16:9' }, 'aspect_ratio'],
		[{ ...validBody, prompt: '' }, 'prompt'],
		[{ ...validBody, prompt: 'x'.repeat(1501) }, 'prompt'],
		[{ ...validBody, image_urls: [] }, 'image_urls'],
		[{ ...validBody, image_urls: ['ftp://example.com/a.png'] }, 'image_urls'],
		[{ ...validBody, duration: 1 }, 'duration'],
		[{ ...validBody, duration: 5.5 }, 'duration'],
		[{ ...validBody, quality: '480p' }, 'quality'],
		[{ ...validBody, prompt_extend: 'yes' }, 'prompt_extend'],
		[{ ...validBody, model_params: { shot_type: 'triple' } }, 'model_params.shot_type'],
		[{ ...validBody, callback_url: 'https://example.com/' + 'a'.repeat(2048) }, 'callback_url'],
		[{ ...validBody, generate_audio: false }, 'generate_audio'],
	];
	for (const [body, param] of cases) {
		const res = await create(body);
		expect({ param, status: res.status }).toEqual({ param, status: 400 });
		expect(res.json.error).toMatchObject({
			code: 'invalid_request',
			type: 'invalid_request_error',
			param,
		});
	}
	const badKey = await create(validBody, { 'idempotency-key': 'short' });
	expect(badKey.json.error).toMatchObject({ code: 'invalid_request', param: 'Idempotency-Key' });
	// Plain-http loopback callbacks are accepted by the simulator (the real API wants public HTTPS).
	const ok = await create({
		...validBody,
		model: 'wan2.6-image-to-video-flash',
		generate_audio: false,
		duration: 15,
		callback_url: 'http://127.0.0.1:9/cb',
	});
	expect(ok.status).toBe(200);
	expect(sim.tasks.size).toBe(1);
});

test('create -> pending -> processing -> completed, then the file downloads', async () => {
	sim.setNextTask({ durationMs: 1500 });
	const created = await create({ ...validBody, duration: 10, quality: '1080p' });
	expect(created.status).toBe(200);
	const task = created.json as ApiTask;
	expect(task.id).toMatch(/^task-unified-\d{10}-[a-z0-9]{8}$/);
	expect(task).toMatchObject({
		object: 'video.generation.task',
		type: 'video',
		model: 'wan2.6-image-to-video',
		status: 'pending',
		progress: 0,
		task_info: { can_cancel: true, estimated_time: 2 },
		usage: { credits_reserved: 20 },
	});
	expect((await call('GET', `/v1/tasks/${task.id}`)).json.status).toBe('pending');

	await sleep(500);
	const running = (await call('GET', `/v1/tasks/${task.id}`)).json as ApiTask;
	expect(running.status).toBe('processing');
	expect(running.progress).toBeGreaterThan(0);
	expect(running.progress).toBeLessThan(99);
	expect(running.results).toBeUndefined();

	await sleep(1100);
	const done = (await call('GET', `/v1/tasks/${task.id}`)).json as ApiTask;
	expect(done).toMatchObject({
		status: 'completed',
		progress: 100,
		task_info: { can_cancel: false },
	});
	expect(done.results).toEqual([`${baseUrl}/files/${task.id}.mp4`]);

	const file = await fetch(done.results![0]);
	expect(file.status).toBe(200);
	expect(file.headers.get('content-type')).toBe('video/mp4');
	expect(file.headers.get('content-length')).toBe('4096');
	const bytes = Buffer.from(await file.arrayBuffer());
	expect(bytes.length).toBe(4096);
	expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');

	expect((await call('GET', '/v1/tasks/nope')).json.error.code).toBe('invalid_task_id');
	const unknown = await call('GET', '/v1/tasks/task-unified-1700000000-abcdefgh');
	expect([unknown.status, unknown.json.error.code]).toEqual([404, 'task_not_found']);
});

test('failed and cancelled tasks carry an error; markers and errorFormat work', async () => {
	sim.setNextTask([
		{ durationMs: 30, outcome: 'failed', errorCode: 'image_processing_error' },
		{ durationMs: 30, outcome: 'cancelled', estimate: 'none' },
	]);
	const failed = (await create()).json as ApiTask;
	const cancelled = (await create()).json as ApiTask;
	expect(cancelled.task_info.estimated_time).toBeUndefined();
	const marked = (await create({ ...validBody, prompt: 'x [ms:30] [fail:generation_timeout]' }))
		.json as ApiTask;
	const forced = (await create()).json as ApiTask;
	sim.failNow(forced.id, 'service_error');
	await sleep(80);

	const get = async (id: string) => (await call('GET', `/v1/tasks/${id}`)).json as ApiTask;
	expect(await get(failed.id)).toMatchObject({
		status: 'failed',
		error: { code: 'image_processing_error', type: 'task_error' },
	});
	expect(await get(cancelled.id)).toMatchObject({
		status: 'cancelled',
		error: { code: 'request_cancelled', type: 'task_error' },
	});
	expect((await get(marked.id)).error?.code).toBe('generation_timeout');
	expect((await get(forced.id)).error?.code).toBe('service_error');
	expect((await get(failed.id)).results).toBeUndefined();

	sim.errorFormat = 'number';
	try {
		expect((await call('GET', '/v1/tasks/nope')).json.error.code).toBe(400);
	} finally {
		sim.errorFormat = 'string';
	}
});

test('Idempotency-Key: replay returns the same task, a different body is a conflict', async () => {
	const idemKey = randomUUID();
	const first = await create(validBody, { 'idempotency-key': idemKey });
	const again = await create(validBody, { 'idempotency-key': idemKey });
	expect(again.status).toBe(200);
	expect(again.headers.get('idempotency-replayed')).toBe('true');
	expect(again.json.id).toBe(first.json.id);
	expect(sim.tasks.size).toBe(1);
	const conflict = await create({ ...validBody, prompt: 'other' }, { 'idempotency-key': idemKey });
	expect(conflict.status).toBe(409);
	expect(conflict.json.error.code).toBe('idempotency_conflict');

	// The connection drops after the task was created: a retry with the same key gets that task.
	sim.inject({ kind: 'dropAfterCreate', match: { method: 'POST' } });
	const dropKey = randomUUID();
	await expect(create(validBody, { 'idempotency-key': dropKey })).rejects.toThrow();
	expect(sim.tasks.size).toBe(2);
	const retried = await create(validBody, { 'idempotency-key': dropKey });
	expect(retried.headers.get('idempotency-replayed')).toBe('true');
	expect(sim.tasks.has(retried.json.id)).toBe(true);
	expect(sim.tasks.size).toBe(2);
});

test('faults: 429 with Retry-After, then a connection reset, each used once', async () => {
	sim.inject({ kind: 'status', status: 429, retryAfter: 2, match: { path: '/v1/credits' } });
	sim.inject({ kind: 'reset', match: { method: 'GET', path: /^\/v1\/credits/ } });
	const limited = await call('GET', '/v1/credits');
	expect(limited.status).toBe(429);
	expect(limited.headers.get('retry-after')).toBe('2');
	expect(limited.json.error).toMatchObject({ code: 'rate_limit_exceeded' });
	await expect(call('GET', '/v1/credits')).rejects.toThrow();
	expect((await call('GET', '/v1/credits')).status).toBe(200);
	expect(sim.requestsTo('GET', '/v1/credits').map((r) => r.fault)).toEqual([
		'status',
		'reset',
		undefined,
	]);
	expect(sim.faults).toHaveLength(0);
});

test('callback: POSTs the final task, retries after a non-2xx, deliverCallback re-posts', async () => {
	const receiver = createCallbackReceiver({ statuses: [500] });
	await receiver.start();
	try {
		sim.setNextTask({ durationMs: 50 });
		const task = (await create({ ...validBody, callback_url: receiver.url })).json as ApiTask;
		await waitFor(() => sim.callbacks.length >= 2);
		expect(receiver.received.map((r) => r.status)).toEqual([500, 200]);
		expect(receiver.received[1].headers['content-type']).toBe('application/json');
		expect(receiver.received[1].body).toMatchObject({ id: task.id, status: 'completed' });
		expect(sim.callbacks.map((c) => [c.attempt, c.status])).toEqual([
			[1, 500],
			[2, 200],
		]);
		await sleep(120); // no further retries after the 2xx
		expect(receiver.received).toHaveLength(2);
		expect(await sim.deliverCallback(task.id)).toBe(200);
		expect(receiver.received).toHaveLength(3);
	} finally {
		await receiver.stop();
	}
});

test('cli.js starts, prints its JSON line and answers /v1/credits', async () => {
	const cliKey = `sk-test-${randomBytes(12).toString('hex')}`;
	const cli = await spawnCli(['--port', '0', '--key', cliKey, '--task-ms', '1000']);
	try {
		expect(cli.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(cli.apiKey).toBe(cliKey);
		const res = await fetch(`${cli.baseUrl}/v1/credits`, {
			headers: { authorization: `Bearer ${cliKey}` },
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({
			success: true,
			data: { token: { unlimited_credits: true } },
		});
	} finally {
		expect(await cli.stop()).toBe(0);
	}
});

test('the Wan family: each model gets its own fields accepted', async () => {
	const textBody = { model: validBody.model, prompt: validBody.prompt };
	const accepted = [
		{ ...textBody, model: 'wan2.6-text-to-video', aspect_ratio: '9:16', duration: 12 },
		{ ...validBody, model: 'wan2.5-image-to-video', duration: 10, quality: '480p' },
		{ ...validBody, model: 'wan2.6-image-to-video-flash', generate_audio: true },
	];
	for (const body of accepted) expect((await create(body)).status).toBe(200);
});

test('file API: a multipart upload is stored, served back byte for byte, and refused without the key', async () => {
	const bytes = randomBytes(3000);
	const upload = async (type: string, key = apiKey) => {
		const form = new FormData();
		form.append('file', new Blob([bytes], { type }), 'frame.png');
		const res = await fetch(`${baseUrl}/api/v1/files/upload/stream`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}` },
			body: form,
		});
		return { status: res.status, json: (await res.json()) as { data: { file_url: string } } };
	};
	const ok = await upload('image/png');
	expect(ok).toMatchObject({
		status: 200,
		json: {
			success: true,
			data: { file_size: 3000, mime_type: 'image/png', original_name: 'frame.png' },
		},
	});
	const served = await fetch(ok.json.data.file_url);
	expect(served.headers.get('content-type')).toBe('image/png');
	expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
	expect((await upload('image/png', 'sk-wrong')).json).toMatchObject({ success: false, code: 401 });
	expect((await upload('image/heic')).json).toMatchObject({ success: false, code: 400 });
	expect(sim.uploads.size).toBe(1);
});

describe('progress shapes (the [progress:<shape>] marker)', () => {
	it.each([
		['proportional', [0, 25, 62, 95]],
		['stuck', [0, 0, 0, 0]],
		['steps', [5, 30, 60, 60]],
		['behind', [2, 17, 32, 47]],
	] as const)('%s reports the shape over a 3 s task', async (shape, expected) => {
		const created = await create({ ...validBody, prompt: `A cat [ms:3000] [progress:${shape}]` });
		expect(created.status).toBe(200);
		const seen: number[] = [];
		for (const atMs of [100, 1000, 2000, 2900]) {
			await sleep(Math.max(0, sim.tasks.get(created.json.id)!.createdAt + atMs - Date.now()));
			seen.push((await call('GET', `/v1/tasks/${created.json.id}`)).json.progress);
		}
		// each read lands a few ms after its instant, which may move integer progress by one
		seen.forEach((progress, i) => expect(Math.abs(progress - expected[i])).toBeLessThanOrEqual(1));
	});

	it('refuses an unknown shape given to setNextTask', () => {
		expect(() => sim.setNextTask({ progressShape: 'sideways' as never })).toThrow(/progressShape/);
	});
});

describe('rate limit', () => {
	it('limits creates per model, answering 429 with Retry-After; reads pass', async () => {
		sim.setRateLimit({ perSecond: 1, burst: 2 });
		const answers = [await create(), await create(), await create()];
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
		expect(answers[2].json.error.code).toBe('rate_limit_exceeded');
		expect(answers[2].headers.get('retry-after')).toBe('1');
		expect(sim.requests[2].rateLimited).toBe(true);
		const other = await create({ ...validBody, model: 'wan2.6-image-to-video-flash' });
		expect(other.status).toBe(200);
		for (let i = 0; i < 4; i++) {
			expect((await call('GET', `/v1/tasks/${answers[0].json.id}`)).status).toBe(200);
		}
		await sleep(1000);
		expect((await create()).status).toBe(200);
	});

	it('counts every request of the key in scope "key", with or without Retry-After', async () => {
		sim.setRateLimit({ perSecond: 1, burst: 1, scope: 'key', retryAfter: false });
		const { json } = await create();
		const read = await call('GET', `/v1/tasks/${json.id}`);
		expect(read.status).toBe(429);
		expect(read.headers.get('retry-after')).toBeNull();
		sim.reset();
		expect(sim.rateLimit).toBeNull();
		expect(() => sim.setRateLimit({ perSecond: 0 })).toThrow(/perSecond/);
	});
});
