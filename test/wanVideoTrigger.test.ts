/**
 * The Wan Video Trigger behind a real HTTP server run the way n8n runs a production webhook
 * (helpers/trigger.ts), called back by the EvoLink simulator's own callback delivery (with its
 * retries) wherever a real delivery can carry the case; forged or repeated bodies go through
 * `sim.deliverCallback`, and only what the simulator cannot send (a wrong content type, a chunked
 * body) through fetch.
 */
import { type IDataObject, sleep } from 'n8n-workflow';

import { signCallbackUrl } from '../nodes/shared/callbackSignature';
import { binaryBytes, runWorkflow, wanVideoNode } from './helpers/engine';
import {
	createParameters,
	expectNoKey,
	readsOf,
	SIM_KEY,
	startTask,
	useSimulator,
} from './helpers/fixtures';
import {
	freshTriggerNodeType,
	startTrigger,
	type TriggerHarness,
	type TriggerOptions,
} from './helpers/trigger';

const { sim, credentials } = useSimulator();

const EVIL_URL = 'https://evil.example/x.mp4';
const FORGED_ID = 'task-unified-1700000000-forged01';
const STATIC_KEY = 'node:Wan Video Trigger';
const FLASH = 'wan2.6-image-to-video-flash';

let hooks: TriggerHarness[] = [];

async function trigger(
	parameters?: IDataObject,
	extra: Partial<TriggerOptions> = {},
): Promise<TriggerHarness> {
	const hook = await startTrigger({ credentials: credentials(), parameters, ...extra });
	hooks.push(hook);
	return hook;
}

/** The key, a stack trace, file paths or the API's address never reach a caller. */
function expectCleanAnswers(hook: TriggerHarness) {
	for (const entry of hook.log) {
		const body = entry.responseBody ?? '';
		expect(body).not.toContain(SIM_KEY);
		expect(body).not.toMatch(/\n\s+at |node_modules|\/work\/|\.[jt]s:\d+|Bearer/);
		expect(body).not.toContain(sim.baseUrl!);
		expect(body.length).toBeLessThan(400);
		expect(JSON.stringify(entry.responseHeaders ?? {})).not.toContain(SIM_KEY);
	}
}

/** For tests where only the number of EvoLink's retries matters, not their delays. */
function quickRetries() {
	sim.callbackRetryDelaysMs = [20, 20, 20];
}

afterEach(async () => {
	sim.callbackRetryDelaysMs = [200, 400, 800];
	for (const hook of hooks) {
		await hook.idle();
		await hook.stop();
		expectCleanAnswers(hook);
		expectNoKey(hook.log);
		expectNoKey(hook.runs.map((run) => ({ ...run, result: run.result?.run })));
		expectNoKey(hook.staticData());
	}
	hooks = [];
});

async function until(what: string, predicate: () => boolean, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await sleep(20);
	}
}

/** The simulator's own deliveries (first attempt and retries) of a task's callback. */
const deliveries = (taskId: string) =>
	sim.callbacks.filter((attempt) => attempt.taskId === taskId && !attempt.manual);

/** Waits until EvoLink is done calling back (a 2xx, or the last retry), then for the runs. */
async function settled(hook: TriggerHarness, taskId: string) {
	await until(`the callbacks of ${taskId}`, () => {
		const last = deliveries(taskId).at(-1);
		if (!last) return false;
		const ok = last.status !== undefined && last.status >= 200 && last.status < 300;
		return ok || last.attempt === 1 + sim.callbackRetryDelaysMs.length;
	});
	await hook.idle();
}

/** A task that is already final and has no callback URL: only `deliverCallback` posts it. */
async function finishedTask(scenario = {}, extraBody = {}): Promise<string> {
	const taskId = await startTask(sim, { durationMs: 60_000, ...scenario }, extraBody);
	sim.completeNow(taskId);
	return taskId;
}

const statuses = (hook: TriggerHarness) => hook.log.map((entry) => entry.status);
const taskReads = () => sim.requestsTo('GET', '/v1/tasks/');

describe('a finished task starts the workflow', () => {
	it('a completed callback, from a task Wan Video Create started, starts one run with the task as the API gives it', async () => {
		const hook = await trigger();
		const created = await runWorkflow({
			nodes: [
				wanVideoNode(
					createParameters({
						prompt: 'The cat turns its head [ms:300]',
						options: { callbackUrl: hook.url },
					}),
				),
			],
			start: 'Wan Video',
			credentials: credentials(),
		});
		expect(created.error()).toBeUndefined();
		const taskId = String(created.output('Wan Video')[0].json.taskId);
		// Create signed the trigger's URL with the credential's key.
		expect(sim.tasks.get(taskId)!.callbackUrl).toBe(hook.signedUrl);
		expect(hook.signedUrl).toMatch(/\?wvsig=[\w-]{43}$/);

		await settled(hook, taskId);
		expect(deliveries(taskId).map((attempt) => attempt.status)).toEqual([200]);
		expect(hook.log[0].responseJson).toEqual({ received: taskId });
		expect(hook.runs).toHaveLength(1);
		const [run] = hook.runs;
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const task = sim.taskObject(taskId)!;
		expect(run.items[0].json).toMatchObject({
			taskId,
			status: 'completed',
			videoUrl: `${sim.baseUrl}/files/${taskId}.mp4`,
			videoUrlExpiresAt: new Date((task.created + 24 * 3600) * 1000).toISOString(),
			error: null,
			creditsReserved: 5,
		});
		// Then the task exactly as the API returns it.
		expect(run.items[0].json).toMatchObject({ ...task });
		expect(run.items[0].binary).toBeUndefined();
		// Confirmed with one authenticated read.
		expect(readsOf(sim, taskId).map((read) => read.headers.authorization)).toEqual(['Bearer <ok>']);
		expect(hook.staticData()[STATIC_KEY]).toEqual({ seenCallbacks: [`${taskId}:completed`] });
	});

	it('with Download Video on, the run carries the video as binary video/mp4 of the real size', async () => {
		const hook = await trigger({
			events: ['completed'],
			options: { download: true, binaryProperty: 'video' },
		});
		const taskId = await startTask(
			sim,
			{ durationMs: 200, videoBytes: 300_000 },
			{ callback_url: hook.signedUrl },
		);
		await settled(hook, taskId);
		expect(hook.runs).toHaveLength(1);
		const [item] = hook.runs[0].items;
		expect(item.binary?.video).toMatchObject({
			mimeType: 'video/mp4',
			fileName: `${taskId}.mp4`,
		});
		expect(await binaryBytes(item.binary!.video)).toHaveLength(300_000);
		// The pre-signed file link is fetched without the key.
		expect(sim.requestsTo('GET', '/files/').map((r) => r.headers.authorization)).toEqual([
			'<missing>',
		]);
	});

	it('when the download fails after the 200, the execution fails naming the task (EvoLink is not asked again)', async () => {
		const hook = await trigger({ events: ['completed'], options: { download: true } });
		sim.inject({ kind: 'expired', match: { path: '/files/' } });
		const taskId = await startTask(sim, { durationMs: 200 }, { callback_url: hook.signedUrl });
		await settled(hook, taskId);
		expect(statuses(hook)).toEqual([200]);
		expect(hook.runs).toHaveLength(1);
		expect(hook.runs[0].error).toMatch(`The video link answered HTTP 403 for task ${taskId}`);
	});
});

describe('"Start On" and "Models" filters', () => {
	it.each([
		['failed', { outcome: 'failed' }],
		['cancelled', { outcome: 'cancelled' }],
	] as const)(
		'by default (completed only) a %s task answers 200 and starts nothing',
		async (status, scenario) => {
			const hook = await trigger();
			const taskId = await startTask(
				sim,
				{ durationMs: 200, ...scenario },
				{ callback_url: hook.signedUrl },
			);
			await settled(hook, taskId);
			expect(deliveries(taskId).map((attempt) => attempt.status)).toEqual([200]);
			expect(hook.log[0].responseJson).toEqual({
				ignored: `Not selected: ${status} wan2.6-image-to-video`,
			});
			expect(hook.runs).toHaveLength(0);
		},
	);

	it.each([
		['failed', 'image_dimension_mismatch', /360 and 2000 px/],
		['cancelled', 'request_cancelled', /cancelled/],
	] as const)(
		'with %s selected, such a task starts one run carrying the error code and hint',
		async (status, code, hint) => {
			const hook = await trigger({ events: ['completed', status], options: {} });
			const taskId = await startTask(sim, { durationMs: 60_000 }, { callback_url: hook.signedUrl });
			if (status === 'failed') sim.failNow(taskId, code);
			else sim.cancelNow(taskId);
			await settled(hook, taskId);
			expect(hook.runs).toHaveLength(1);
			expect(hook.runs[0].items[0].json).toMatchObject({
				taskId,
				status,
				videoUrl: null,
				error: { code, hint: expect.stringMatching(hint), message: expect.any(String) },
			});
		},
	);

	it('with Models set, only tasks of the listed models start a run', async () => {
		const hook = await trigger({ events: ['completed'], options: { models: ` ${FLASH} ` } });
		const standard = await startTask(sim, { durationMs: 200 }, { callback_url: hook.signedUrl });
		const flash = await startTask(
			sim,
			{ durationMs: 200 },
			{ callback_url: hook.signedUrl, model: FLASH },
		);
		await settled(hook, standard);
		await settled(hook, flash);
		expect(hook.runs).toHaveLength(1);
		expect(hook.runs[0].items[0].json).toMatchObject({ taskId: flash, model: FLASH });
		expect(statuses(hook)).toEqual([200, 200]);
		expect(hook.log.map((entry) => entry.responseJson)).toContainEqual({
			ignored: 'Not selected: completed wan2.6-image-to-video',
		});
	});
});

describe('forged bodies on a correctly signed URL', () => {
	it('an unknown task id starts nothing', async () => {
		const hook = await trigger();
		const real = sim.taskObject(await finishedTask())!;
		const status = await sim.deliverCallback(FORGED_ID, {
			url: hook.signedUrl,
			body: { ...real, id: FORGED_ID, results: [EVIL_URL] },
		});
		await hook.idle();
		expect(status).toBe(200);
		expect(hook.log[0].responseJson).toEqual({ ignored: 'The task is unknown or not finished' });
		expect(readsOf(sim, FORGED_ID).map((read) => read.status)).toEqual([404]);
		expect(hook.runs).toHaveLength(0);
	});

	it('"completed" claimed for a task still running starts nothing, and the real completion later does', async () => {
		const hook = await trigger();
		const taskId = await startTask(sim, { durationMs: 60_000 }, { callback_url: hook.signedUrl });
		const status = await sim.deliverCallback(taskId, {
			body: { ...sim.taskObject(taskId), status: 'completed', progress: 100, results: [EVIL_URL] },
		});
		await hook.idle();
		expect(status).toBe(200);
		expect(hook.log[0].responseJson).toEqual({ ignored: 'The task is unknown or not finished' });
		expect(hook.runs).toHaveLength(0);

		sim.completeNow(taskId);
		await settled(hook, taskId);
		expect(hook.runs).toHaveLength(1);
		expect(hook.runs[0].items[0].json.videoUrl).toBe(`${sim.baseUrl}/files/${taskId}.mp4`);
	});

	it('"completed" claimed for a task that failed starts nothing where Start On is completed only', async () => {
		const hook = await trigger({ events: ['completed'], options: {} });
		const taskId = await startTask(sim, { durationMs: 100, outcome: 'failed' });
		sim.failNow(taskId);
		await sim.deliverCallback(taskId, {
			url: hook.signedUrl,
			body: { ...sim.taskObject(taskId), status: 'completed', progress: 100, results: [EVIL_URL] },
		});
		await hook.idle();
		expect(hook.log[0].responseJson).toEqual({
			ignored: 'Not selected: failed wan2.6-image-to-video',
		});
		expect(hook.runs).toHaveLength(0);
	});

	it("a changed video URL in the body: the run outputs the API's URL, not the body's", async () => {
		const hook = await trigger();
		const taskId = await finishedTask();
		await sim.deliverCallback(taskId, {
			url: hook.signedUrl,
			body: { ...sim.taskObject(taskId), results: [EVIL_URL] },
		});
		await hook.idle();
		expect(hook.runs).toHaveLength(1);
		expect(hook.runs[0].items[0].json).toMatchObject({
			videoUrl: `${sim.baseUrl}/files/${taskId}.mp4`,
			results: [`${sim.baseUrl}/files/${taskId}.mp4`],
		});
		expect(JSON.stringify(hook.runs[0].items)).not.toContain(EVIL_URL);
	});

	it('with "Confirm With the API" off, the body is trusted as sent: documented, for callers you trust', async () => {
		const hook = await trigger({ events: ['completed'], options: { confirm: false } });
		const taskId = await finishedTask();
		await sim.deliverCallback(taskId, {
			url: hook.signedUrl,
			body: { ...sim.taskObject(taskId), results: [EVIL_URL] },
		});
		// Even a task the API never heard of: only the signature stands between a caller and a run.
		await sim.deliverCallback(FORGED_ID, {
			url: hook.signedUrl,
			body: { ...sim.taskObject(taskId), id: FORGED_ID, results: [EVIL_URL] },
		});
		await hook.idle();
		expect(taskReads()).toHaveLength(0);
		expect(hook.runs.map((run) => run.items[0].json.videoUrl)).toEqual([EVIL_URL, EVIL_URL]);
		expect(hook.runs.map((run) => run.items[0].json.taskId)).toEqual([taskId, FORGED_ID]);
	});
});

describe('the URL signature', () => {
	it('a task created with the unsigned URL: every delivery and retry gets 401, nothing is read or run', async () => {
		const hook = await trigger();
		quickRetries();
		const taskId = await startTask(sim, { durationMs: 200 }, { callback_url: hook.url });
		await settled(hook, taskId);
		expect(deliveries(taskId).map((attempt) => attempt.status)).toEqual([401, 401, 401, 401]);
		expect(hook.log[0].responseJson).toEqual({
			error: 'This URL is not signed: use the URL that Wan Video Create sends',
		});
		expect(taskReads()).toHaveLength(0);
		expect(hook.runs).toHaveLength(0);
	});

	it.each([
		['a wrong signature', (hook: TriggerHarness) => `${hook.url}?wvsig=${'A'.repeat(43)}`],
		[
			'a signature made with another key',
			(hook: TriggerHarness) => signCallbackUrl(hook.url, 'sk-other-key'),
		],
		[
			'the signature of another webhook path',
			(hook: TriggerHarness) => {
				const other = hook.url.replace(hook.webhookId, '00000000-0000-4000-8000-000000000000');
				return `${hook.url}?${new URL(signCallbackUrl(other, SIM_KEY)).search.slice(1)}`;
			},
		],
		[
			'the signature of the test URL',
			(hook: TriggerHarness) => {
				const test = new URL(
					signCallbackUrl(hook.url.replace('/webhook/', '/webhook-test/'), SIM_KEY),
				);
				return `${hook.url}${test.search}`;
			},
		],
		[
			'a signed URL with a query parameter added',
			(hook: TriggerHarness) => `${hook.signedUrl}&x=1`,
		],
	])('%s gets 401; nothing is read or run', async (_case, urlOf) => {
		const hook = await trigger();
		const taskId = await finishedTask();
		const status = await sim.deliverCallback(taskId, { url: urlOf(hook) });
		await hook.idle();
		expect(status).toBe(401);
		expect(taskReads()).toHaveLength(0);
		expect(hook.runs).toHaveLength(0);
		// The same callback on the signed URL is accepted: the refusal was the signature's.
		expect(await sim.deliverCallback(taskId, { url: hook.signedUrl })).toBe(200);
		await hook.idle();
		expect(hook.runs).toHaveLength(1);
	});
});

describe('repeated callbacks start one run', () => {
	it('three deliveries of one callback start one run', async () => {
		const hook = await trigger();
		const taskId = await startTask(sim, { durationMs: 200 }, { callback_url: hook.signedUrl });
		await settled(hook, taskId);
		expect(await sim.deliverCallback(taskId)).toBe(200);
		expect(await sim.deliverCallback(taskId)).toBe(200);
		await hook.idle();
		expect(hook.log.map((entry) => entry.responseJson)).toEqual([
			{ received: taskId },
			{ ignored: 'Already received' },
			{ ignored: 'Already received' },
		]);
		expect(hook.runs).toHaveLength(1);
	});

	it('two simultaneous identical deliveries, each on its own copy of the static data, start one run', async () => {
		const hook = await trigger();
		const taskId = await finishedTask();
		// Slow confirm reads keep both requests in flight together.
		sim.inject({ kind: 'slow', match: { path: `/v1/tasks/${taskId}` }, delayMs: 300, times: 2 });
		const answers = await Promise.all([
			sim.deliverCallback(taskId, { url: hook.signedUrl }),
			sim.deliverCallback(taskId, { url: hook.signedUrl }),
		]);
		await hook.idle();
		expect(answers).toEqual([200, 200]);
		const [first, second] = hook.log;
		// Both were loaded before either saved: a check on static data alone would pass both.
		expect(Math.max(first.receivedAt, second.receivedAt)).toBeLessThan(
			Math.min(first.doneAt!, second.doneAt!),
		);
		expect(hook.runs).toHaveLength(1);
		expect(hook.log.map((entry) => entry.responseJson)).toContainEqual({
			ignored: 'Already received',
		});
	});

	it('after a restart (new process, saved static data), a repeat starts nothing', async () => {
		const before = await trigger();
		const taskId = await startTask(sim, { durationMs: 200 }, { callback_url: before.signedUrl });
		await settled(before, taskId);
		expect(before.runs).toHaveLength(1);
		const saved = before.staticData();
		await before.stop();

		// Control: a fresh process without the saved data knows nothing of the callback.
		const forgetful = await trigger(undefined, {
			webhookId: before.webhookId,
			nodeType: await freshTriggerNodeType(),
		});
		await sim.deliverCallback(taskId, { url: forgetful.signedUrl });
		await forgetful.idle();
		expect(forgetful.runs).toHaveLength(1);

		const after = await trigger(undefined, {
			webhookId: before.webhookId,
			nodeType: await freshTriggerNodeType(),
			staticData: saved,
		});
		expect(await sim.deliverCallback(taskId, { url: after.signedUrl })).toBe(200);
		await after.idle();
		expect(after.log[0].responseJson).toEqual({ ignored: 'Already received' });
		expect(after.runs).toHaveLength(0);
	});

	it('two simultaneous callbacks are both remembered over a restart, though n8n saves static data whole', async () => {
		const before = await trigger();
		const [slow, fast] = [await finishedTask(), await finishedTask()];
		sim.inject({ kind: 'slow', match: { path: `/v1/tasks/${slow}` }, delayMs: 500 });
		sim.inject({ kind: 'slow', match: { path: `/v1/tasks/${fast}` }, delayMs: 150 });
		await Promise.all([
			sim.deliverCallback(slow, { url: before.signedUrl }),
			sim.deliverCallback(fast, { url: before.signedUrl }),
		]);
		await before.idle();
		expect(before.runs).toHaveLength(2);
		// The slow request saved last, over a copy loaded before the fast one saved: it holds both.
		expect(before.staticData()[STATIC_KEY]).toEqual({
			seenCallbacks: expect.arrayContaining([`${slow}:completed`, `${fast}:completed`]),
		});
		await before.stop();

		const after = await trigger(undefined, {
			webhookId: before.webhookId,
			nodeType: await freshTriggerNodeType(),
			staticData: before.staticData(),
		});
		await sim.deliverCallback(slow, { url: after.signedUrl });
		await sim.deliverCallback(fast, { url: after.signedUrl });
		await after.idle();
		expect(after.runs).toHaveLength(0);
	});
});

describe('bad requests on the signed URL are refused before anything is read', () => {
	it.each([
		['text/plain', 'text/plain'],
		['form data', 'application/x-www-form-urlencoded'],
		['no content type', undefined],
	])('a body sent as %s gets 415', async (_case, contentType) => {
		const hook = await trigger();
		const taskId = await finishedTask();
		const response = await fetch(hook.signedUrl, {
			method: 'POST',
			headers: contentType ? { 'content-type': contentType } : {},
			body: contentType
				? JSON.stringify(sim.taskObject(taskId))
				: new Uint8Array(Buffer.from(JSON.stringify(sim.taskObject(taskId)))),
		});
		await hook.idle();
		expect(response.status).toBe(415);
		expect(await response.json()).toEqual({ error: 'Send JSON (application/json)' });
		expect(taskReads()).toHaveLength(0);
		expect(hook.runs).toHaveLength(0);
	});

	it('a body over 256 KB gets 413', async () => {
		const hook = await trigger();
		const taskId = await finishedTask();
		const status = await sim.deliverCallback(taskId, {
			url: hook.signedUrl,
			body: { ...sim.taskObject(taskId), padding: 'x'.repeat(300 * 1024) },
		});
		await hook.idle();
		expect(status).toBe(413);
		expect(taskReads()).toHaveLength(0);
		expect(hook.runs).toHaveLength(0);
	});

	it('a chunked body over 256 KB (no Content-Length) gets 413 too', async () => {
		const hook = await trigger();
		const taskId = await finishedTask();
		const body = JSON.stringify({ ...sim.taskObject(taskId), padding: 'x'.repeat(300 * 1024) });
		const response = await fetch(hook.signedUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			// A stream has no known length: fetch sends it chunked.
			body: new Blob([body]).stream(),
			duplex: 'half',
		} as RequestInit);
		await hook.idle();
		expect(response.status).toBe(413);
		expect(taskReads()).toHaveLength(0);
	});

	it.each([
		['a body without id', { status: 'completed' }, 'Expected a task id'],
		[
			'an id that is not a task id',
			{ id: '../../v1/credits', status: 'completed' },
			'Expected a task id',
		],
		['an array body', 'array', 'Expected a task object'],
		['a JSON string body', 'string', 'Expected a task object'],
	])('%s gets 400', async (_case, body, message) => {
		const hook = await trigger();
		const taskId = await finishedTask();
		const task = sim.taskObject(taskId);
		const sent = body === 'array' ? [task] : body === 'string' ? JSON.stringify(taskId) : body;
		const status = await sim.deliverCallback(taskId, { url: hook.signedUrl, body: sent });
		await hook.idle();
		expect(status).toBe(400);
		expect(hook.log[0].responseJson).toEqual({ error: message });
		expect(sim.requestsTo('GET')).toHaveLength(0);
		expect(hook.runs).toHaveLength(0);
	});
});

describe("EvoLink's retries", () => {
	it('when the confirm read fails (HTTP 500, or a reset connection), the trigger answers 503 and the retry starts one run', async () => {
		const hook = await trigger();
		const faults = [{ kind: 'status', status: 500 }, { kind: 'reset' }] as const;
		// One task per fault, side by side: the trigger's read backs off about 1 s before its retry.
		const taskIds = await Promise.all(
			faults.map(
				async () => await startTask(sim, { durationMs: 300 }, { callback_url: hook.signedUrl }),
			),
		);
		faults.forEach((fault, n) =>
			// Both attempts of the trigger's confirm read fail.
			sim.inject({ ...fault, match: { method: 'GET', path: `/v1/tasks/${taskIds[n]}` }, times: 2 }),
		);
		for (const taskId of taskIds) await settled(hook, taskId);
		for (const taskId of taskIds) {
			expect(deliveries(taskId).map((attempt) => [attempt.attempt, attempt.status])).toEqual([
				[1, 503],
				[2, 200],
			]);
			const [refused, accepted] = hook.log.filter((entry) => entry.bodyId === taskId);
			expect(refused.responseJson).toEqual({
				error: 'Could not confirm the task with EvoLink; try again',
			});
			// EvoLink waits 10 s for an answer; its retry came after its delay.
			expect(refused.ms).toBeLessThan(8000);
			expect(accepted.receivedAt - refused.answeredAt!).toBeGreaterThanOrEqual(190);
		}
		expect(readsOf(sim, taskIds[0]).map((read) => read.status)).toEqual([500, 500, 200]);
		expect(readsOf(sim, taskIds[1]).map((read) => read.status)).toEqual([null, null, 200]);
		expect(hook.runs.map((run) => run.items[0].json.taskId).sort()).toEqual([...taskIds].sort());
	});

	it('answers 2xx well before a slow download ends (Download Video on)', async () => {
		const hook = await trigger({ events: ['completed'], options: { download: true } });
		sim.inject({ kind: 'slow', match: { path: '/files/' }, delayMs: 1500 });
		const taskId = await startTask(sim, { durationMs: 200 }, { callback_url: hook.signedUrl });
		await settled(hook, taskId);
		expect(deliveries(taskId).map((attempt) => attempt.status)).toEqual([200]);
		const [entry] = hook.log;
		expect(entry.ms).toBeLessThan(1000);
		expect(hook.runs).toHaveLength(1);
		expect(hook.runs[0].finishedAt - entry.receivedAt).toBeGreaterThanOrEqual(1500);
		expect(hook.runs[0].items[0].binary?.data.mimeType).toBe('video/mp4');
	});

	it('a confirm read refused with 401 (key revoked) answers 503 to every attempt and records nothing', async () => {
		const hook = await trigger();
		quickRetries();
		const taskId = await startTask(sim, { durationMs: 200 }, { callback_url: hook.signedUrl });
		sim.inject({
			kind: 'status',
			status: 401,
			match: { method: 'GET', path: '/v1/tasks/' },
			times: 10,
		});
		await settled(hook, taskId);
		expect(deliveries(taskId).map((attempt) => attempt.status)).toEqual([503, 503, 503, 503]);
		expect(hook.runs).toHaveLength(0);
	});
});
