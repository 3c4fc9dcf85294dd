import type { IDataObject } from 'n8n-workflow';

import { binaryBytes, runWorkflow, wanVideoNode } from './helpers/engine';
import { createTask, expectNoKey, readsOf, startTask, useSimulator } from './helpers/fixtures';

const { sim, credentials } = useSimulator();

async function run(
	parameters: Record<string, unknown>,
	input = [{ json: {} }],
	extra = {},
	abortSignal?: AbortSignal,
) {
	return await runWorkflow({
		nodes: [wanVideoNode(parameters, extra)],
		start: 'Wan Video',
		input,
		credentials: credentials(),
		abortSignal,
	});
}

describe('Get', () => {
	it('returns the task with convenient fields on top', async () => {
		const taskId = await startTask(sim, { durationMs: 100 });
		sim.completeNow(taskId);
		const result = await run({ operation: 'get', taskId });
		const [item] = result.output('Wan Video');
		expect(item.json).toMatchObject({
			taskId,
			status: 'completed',
			progress: 100,
			videoUrl: `${sim.baseUrl}/files/${taskId}.mp4`,
			error: null,
			id: taskId,
			results: [`${sim.baseUrl}/files/${taskId}.mp4`],
		});
		const created = sim.tasks.get(taskId)!.created;
		expect(item.json.videoUrlExpiresAt).toBe(new Date((created + 24 * 3600) * 1000).toISOString());
		expect(item.binary).toBeUndefined();
	});

	it('downloads the video as binary data when asked', async () => {
		const taskId = await startTask(sim, { videoBytes: 300_000 });
		sim.completeNow(taskId);
		const result = await run({
			operation: 'get',
			taskId,
			getOptions: { download: true, binaryProperty: 'video' },
		});
		const [item] = result.output('Wan Video');
		expect(item.binary?.video).toMatchObject({
			mimeType: 'video/mp4',
			fileName: `${taskId}.mp4`,
			fileExtension: 'mp4',
		});
		expect(await binaryBytes(item.binary!.video)).toHaveLength(300_000);
		expect(item.json.videoUrl).toBe(`${sim.baseUrl}/files/${taskId}.mp4`);
		expect(sim.requestsTo('GET', '/files/')[0].headers.authorization).toBe('<missing>');
	});

	it.each([
		['cut off mid-stream', 'downloadAbort', /The video download was cut off for task /],
		['expired (403)', 'expired', /The video link answered HTTP 403 for task/],
	] as const)('never passes on a video whose download was %s', async (_case, kind, message) => {
		const taskId = await startTask(sim, { videoBytes: 300_000 });
		sim.completeNow(taskId);
		sim.inject({ kind, match: { path: '/files/' } });
		const result = await run({ operation: 'get', taskId, getOptions: { download: true } });
		expect(result.error()?.message).toMatch(message);
		expect(result.error()?.message).toContain(taskId);
		expect(result.error()?.description).toMatch(/created \d+\.\d h ago; links live 24 h/);
		expect(result.output('Wan Video')).toHaveLength(0);
	});

	it('names the task when the API does not know it', async () => {
		const result = await run({ operation: 'get', taskId: 'task-unified-1-unknown' });
		expect(result.error()?.message).toMatch(
			/read the task for task task-unified-1-unknown \(HTTP 404, task_not_found\)/,
		);
	});

	it('with "Continue On Fail", outputs the error with the task ID', async () => {
		const result = await run(
			{ operation: 'get', taskId: 'task-unified-1-unknown' },
			[{ json: {} }],
			{ onError: 'continueRegularOutput' },
		);
		expect(result.output('Wan Video')[0].json).toMatchObject({
			taskId: 'task-unified-1-unknown',
			error: { message: expect.stringMatching(/HTTP 404/) },
		});
	});

	it('reports a failed task with a hint', async () => {
		const taskId = await startTask(sim, {
			durationMs: 50,
			outcome: 'failed',
			errorCode: 'image_dimension_mismatch',
		});
		sim.failNow(taskId, 'image_dimension_mismatch');
		const [item] = (await run({ operation: 'get', taskId })).output('Wan Video');
		expect(item.json).toMatchObject({
			status: 'failed',
			videoUrl: null,
			error: {
				code: 'image_dimension_mismatch',
				hint: expect.stringMatching(/360 and 2000 px/),
				retryable: false,
			},
		});
	});
});

describe('Wait', () => {
	it('waits for many tasks at once, each read on its own schedule, no faster than every 2 s', async () => {
		const taskIds = await Promise.all(
			[4000, 5000, 6000].map(async (durationMs) => await startTask(sim, { durationMs })),
		);
		const result = await run(
			{ operation: 'wait', taskId: '={{ $json.id }}' },
			taskIds.map((id) => ({ json: { id } })),
		);
		expect(result.error()).toBeUndefined();
		const output = result.output('Wan Video');
		expect(output.map((item) => item.json.taskId)).toEqual(taskIds);
		expect(output.map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed']);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const reads = taskIds.map((id) => readsOf(sim, id));
		// Concurrent: every task was first read before any task finished.
		const firstFinal = Math.min(
			...taskIds.map((id) => sim.tasks.get(id)!.createdAt + sim.tasks.get(id)!.scenario.durationMs),
		);
		for (const taskReads of reads) {
			expect(taskReads[0].at).toBeLessThan(firstFinal);
			expect(taskReads.length).toBeLessThanOrEqual(6);
			for (let n = 1; n < taskReads.length; n++) {
				expect(taskReads[n].at - taskReads[n - 1].at).toBeGreaterThanOrEqual(1990);
			}
		}
	});

	it("plans from Create's answer in its input: no read at once, one read just after the expected end", async () => {
		const answer = await createTask(sim, { durationMs: 4000 });
		expect(answer.status).toBe('pending');
		const result = await run({ operation: 'wait', taskId: '={{ $json.id }}' }, [
			{ json: answer as unknown as IDataObject },
		]);
		expect(result.output('Wan Video')[0].json.status).toBe('completed');
		const reads = readsOf(sim, answer.id);
		expect(reads).toHaveLength(1);
		expect(reads[0].at - sim.tasks.get(answer.id)!.createdAt).toBeGreaterThanOrEqual(4000);
	});

	it('reads again within 3 s when a read aimed at the expected end finds the task still running', async () => {
		// the estimate says 3 s and progress sits at 99 % from halfway: the task really takes 6 s
		const answer = await createTask(sim, {
			durationMs: 6000,
			estimate: 'x0.5',
			progressShape: 'ahead',
		});
		const result = await run({ operation: 'wait', taskId: '={{ $json.id }}' }, [
			{ json: answer as unknown as IDataObject },
		]);
		expect(result.output('Wan Video')[0].json.status).toBe('completed');
		const createdAt = sim.tasks.get(answer.id)!.createdAt;
		const [aimed, next] = readsOf(sim, answer.id);
		expect(aimed.at - createdAt).toBeLessThan(6000); // it was still running
		expect(next.at - aimed.at).toBeLessThanOrEqual(3000);
	});

	it('rides out reads whose retries all end without an answer (connections reset)', async () => {
		const taskId = await startTask(sim, { durationMs: 3000 });
		// two reads' worth of attempts (each read tries 3 times) fail without an HTTP status
		sim.inject({ kind: 'reset', times: 6, match: { method: 'GET', path: '/v1/tasks/' } });
		const result = await run({ operation: 'wait', taskId, waitOptions: { timeout: 60 } });
		expect(result.error()).toBeUndefined();
		expect(result.output('Wan Video')[0].json.status).toBe('completed');
		const reads = readsOf(sim, taskId);
		expect(reads.slice(0, 6).map((read) => read.fault)).toEqual(Array(6).fill('reset'));
		expect(reads.length).toBeGreaterThan(6);
	});

	it('downloads each finished video', async () => {
		const taskId = await startTask(sim, { durationMs: 2500 });
		const [item] = (
			await run({ operation: 'wait', taskId, waitOptions: { download: true } })
		).output('Wan Video');
		expect(item.json.status).toBe('completed');
		expect(item.binary?.data.mimeType).toBe('video/mp4');
	});

	it('stops with an error naming the task on timeout, by default', async () => {
		const taskId = await startTask(sim, { durationMs: 60_000 });
		const result = await run({ operation: 'wait', taskId, waitOptions: { timeout: 3 } });
		expect(result.error()?.message).toMatch(
			new RegExp(`Task ${taskId} is still (pending|processing) after 3 s`),
		);
		expect(result.error()?.description).toMatch(/Raise "Timeout/);
	});

	it('outputs the task as it stands on timeout, when chosen, so a later Wait can pick it up', async () => {
		const taskId = await startTask(sim, { durationMs: 60_000 });
		const [item] = (
			await run({ operation: 'wait', taskId, waitOptions: { timeout: 3, onTimeout: 'output' } })
		).output('Wan Video');
		expect(item.json).toMatchObject({
			taskId,
			timedOut: true,
			status: expect.stringMatching(/pending|processing/),
		});
	});

	it('stops with the failure code, message and hint of a failed task', async () => {
		const taskId = await startTask(sim, {
			durationMs: 2500,
			outcome: 'failed',
			errorCode: 'content_policy_violation',
		});
		const result = await run({ operation: 'wait', taskId });
		expect(result.error()?.message).toMatch(
			new RegExp(`Task ${taskId} failed: content_policy_violation`),
		);
		expect(result.error()?.description).toMatch(/content filter/);
	});

	it('with "Continue On Fail", a failed task becomes an item carrying its ID and error', async () => {
		const taskId = await startTask(sim, { durationMs: 2500, outcome: 'failed' });
		const [item] = (
			await run({ operation: 'wait', taskId }, [{ json: {} }], { onError: 'continueRegularOutput' })
		).output('Wan Video');
		expect(item.json).toMatchObject({
			taskId,
			error: { message: expect.stringMatching(/failed: content_policy_violation/) },
		});
	});

	it('outputs a failed or cancelled task when chosen', async () => {
		const failed = await startTask(sim, {
			durationMs: 2500,
			outcome: 'failed',
			errorCode: 'service_error',
		});
		const cancelled = await startTask(sim, { durationMs: 2500, outcome: 'cancelled' });
		const output = (
			await run(
				{ operation: 'wait', taskId: '={{ $json.id }}', waitOptions: { onFailure: 'output' } },
				[{ json: { id: failed } }, { json: { id: cancelled } }],
			)
		).output('Wan Video');
		expect(output[0].json).toMatchObject({
			taskId: failed,
			status: 'failed',
			error: { code: 'service_error', retryable: true },
		});
		expect(output[1].json).toMatchObject({
			taskId: cancelled,
			status: 'cancelled',
			error: { code: 'request_cancelled' },
		});
	});

	it('rides out 429 (honouring Retry-After), 5xx, resets, HTML and malformed answers on reads', async () => {
		const taskId = await startTask(sim, { durationMs: 2000 });
		const match = { method: 'GET', path: '/v1/tasks/' };
		sim.inject({ kind: 'status', status: 429, retryAfter: 2, match });
		sim.inject({ kind: 'status', status: 503, match });
		sim.inject({ kind: 'reset', match });
		sim.inject({ kind: 'html', match });
		sim.inject({ kind: 'malformed', match });
		const result = await run({ operation: 'wait', taskId });
		expect(result.error()).toBeUndefined();
		expect(result.output('Wan Video')[0].json.status).toBe('completed');
		const reads = readsOf(sim, taskId);
		expect(reads.slice(0, 5).map((read) => read.fault)).toEqual([
			'status',
			'status',
			'reset',
			'html',
			'malformed',
		]);
		expect(reads[1].at - reads[0].at).toBeGreaterThanOrEqual(2000);
	});

	it('keeps trying failing reads until the timeout, then names the task and the failure', async () => {
		const taskId = await startTask(sim, { durationMs: 60_000 });
		sim.inject({
			kind: 'status',
			status: 500,
			times: 100,
			match: { method: 'GET', path: '/v1/tasks/' },
		});
		const result = await run({ operation: 'wait', taskId, waitOptions: { timeout: 8 } });
		expect(result.error()?.message).toMatch(
			new RegExp(`read the task for task ${taskId} \\(HTTP 500`),
		);
		expect(result.error()?.context).toMatchObject({ taskId });
		expect(readsOf(sim, taskId).length).toBeGreaterThan(3);
	});

	it('stops waiting when the execution is cancelled', async () => {
		const taskId = await startTask(sim, { durationMs: 120_000 });
		const controller = new AbortController();
		const started = Date.now();
		const running = run({ operation: 'wait', taskId }, [{ json: {} }], {}, controller.signal);
		await new Promise((resolve) => sim.once('request', resolve));
		controller.abort();
		const result = await running;
		expect(result.run.status).toBe('canceled');
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(readsOf(sim, taskId)).toHaveLength(1);
	});

	it('never puts the API key in outputs or errors', async () => {
		const taskId = await startTask(sim, { durationMs: 2500, outcome: 'failed' });
		expectNoKey((await run({ operation: 'wait', taskId })).run);
	});
});

describe('Create with "Wait for Completion"', () => {
	it('creates, waits and downloads, like Create followed by Wait', async () => {
		const input = [{ json: { p: 'a [ms:3000]' } }, { json: { p: 'b [ms:4000]' } }];
		const result = await run(
			{
				operation: 'create',
				prompt: '={{ $json.p }}',
				imageUrl: 'https://cdn.example.com/cat.png',
				waitForCompletion: true,
				waitOptions: { download: true },
			},
			input,
		);
		expect(result.error()).toBeUndefined();
		const output = result.output('Wan Video');
		expect(output.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		expect(output.every((item) => item.binary?.data.mimeType === 'video/mp4')).toBe(true);
		// The create response counts as the first look: no read right after creating.
		for (const item of output) {
			const reads = readsOf(sim, String(item.json.taskId));
			const created = sim.tasks.get(String(item.json.taskId))!.createdAt;
			expect(reads[0].at - created).toBeGreaterThanOrEqual(1990);
		}
	});

	it('names every task of the run when one of them fails', async () => {
		const input = [
			{ json: { p: 'fine [ms:2500]' } },
			{ json: { p: 'bad [ms:2500] [fail:content_policy_violation]' } },
		];
		const result = await run(
			{
				operation: 'create',
				prompt: '={{ $json.p }}',
				imageUrl: 'https://cdn.example.com/cat.png',
				waitForCompletion: true,
			},
			input,
		);
		const tasks = [...sim.tasks.values()];
		const good = tasks.find((task) => String(task.request.prompt).startsWith('fine'))!;
		const bad = tasks.find((task) => String(task.request.prompt).startsWith('bad'))!;
		expect(result.error()?.message).toMatch(new RegExp(`Task ${bad.id} failed`));
		expect(result.error()?.description).toMatch(
			new RegExp(`Other tasks of this run: ${good.id} \\(completed\\)`),
		);
	});
});
