// Node versions: version 1 is what 0.1 and 0.2 saved and keeps meaning the same; version 2 (new
// nodes) starts from Wan 3.0, waits and downloads by default, has one Options group and outputs each
// value once, with ISO times.
import { binaryBytes, runWorkflow, wanVideoNode } from './helpers/engine';
import { createTask, IMAGE_URL, startTask, useSimulator } from './helpers/fixtures';

const { sim, credentials } = useSimulator();

const run = async (parameters: Record<string, unknown>, typeVersion: number) =>
	await runWorkflow({
		nodes: [wanVideoNode(parameters, { typeVersion })],
		start: 'Wan Video',
		credentials: credentials(),
	});

describe('version 1: parameters saved by 0.2.0 keep their meaning', () => {
	it('a Create saved with its defaults makes a Wan 2.6 video and returns at once, in the 0.2 shape', async () => {
		const result = await run({ operation: 'create', prompt: 'The cat', imageUrl: IMAGE_URL }, 1);
		expect(result.error()).toBeUndefined();
		expect(sim.requestsTo('POST', '/v1/videos/generations')[0].body).toEqual({
			model: 'wan2.6-image-to-video',
			prompt: 'The cat',
			image_urls: [IMAGE_URL],
			duration: 5,
			quality: '720p',
			prompt_extend: true,
			model_params: { shot_type: 'single' },
		});
		expect(sim.requestsTo('GET')).toHaveLength(0);
		const [item] = result.output('Wan Video');
		// the task as the API gives it, under the convenient fields, exactly as 0.2 output it
		expect(Object.keys(item.json)).toEqual([
			'taskId',
			'status',
			'final',
			'progress',
			'videoUrl',
			'videoUrlExpiresAt',
			'error',
			'creditsReserved',
			'created',
			'id',
			'model',
			'object',
			'task_info',
			'type',
			'usage',
		]);
		expect(item.json).toMatchObject({
			taskId: item.json.id,
			status: 'pending',
			object: 'video.generation.task',
		});
		expect(item.json.creditsReserved).toBe(
			(item.json.usage as { credits_reserved: number }).credits_reserved,
		);
	});

	it('Wait keeps "Wait Options" and does not download unless asked', async () => {
		const taskId = await startTask(sim, { durationMs: 200 });
		const result = await run({ operation: 'wait', taskId, waitOptions: { timeout: 30 } }, 1);
		const [item] = result.output('Wan Video');
		expect(item.json).toMatchObject({ taskId, status: 'completed', results: [item.json.videoUrl] });
		expect(item.binary).toBeUndefined();
	});
});

describe('version 2', () => {
	it('Create starts from Wan 3.0, waits, downloads, and outputs each value once', async () => {
		const result = await run(
			{ operation: 'create', imageUrl: IMAGE_URL, prompt: 'The cat [ms:300]' },
			2,
		);
		expect(result.error()).toBeUndefined();
		const [post] = sim.requestsTo('POST', '/v1/videos/generations');
		expect(post.body).toMatchObject({ model: 'wan3.0-image-to-video', image_start: IMAGE_URL });
		const [item] = result.output('Wan Video');
		const task = sim.tasks.get(post.taskId!)!;
		expect(item.json).toEqual({
			taskId: task.id,
			model: 'wan3.0-image-to-video',
			status: 'completed',
			final: true,
			progress: 100,
			videoUrl: `${sim.baseUrl}/files/${task.id}.mp4`,
			videoUrlExpiresAt: new Date((task.created + 24 * 3600) * 1000).toISOString(),
			createdAt: new Date(task.created * 1000).toISOString(),
			estimatedSeconds: task.estimatedTime,
			usage: {
				billingRule: 'per_second',
				creditsReserved: task.creditsReserved,
				userGroup: 'default',
			},
			error: null,
		});
		expect(await binaryBytes(item.binary!.data)).toHaveLength(64 * 1024);
	});

	it('Get downloads a finished video by default, into the field Options name', async () => {
		const taskId = await startTask(sim);
		sim.completeNow(taskId);
		const result = await run({ operation: 'get', taskId, options: { binaryProperty: 'clip' } }, 2);
		const [item] = result.output('Wan Video');
		expect(item.binary?.clip).toMatchObject({ mimeType: 'video/mp4', fileName: `${taskId}.mp4` });
		expect(item.json).not.toHaveProperty('results');
		expect(item.json).not.toHaveProperty('id');
	});

	it('Get leaves the video out when Download Video is off', async () => {
		const taskId = await startTask(sim);
		sim.completeNow(taskId);
		const result = await run({ operation: 'get', taskId, download: false }, 2);
		expect(result.output('Wan Video')[0].binary).toBeUndefined();
	});

	it('Wait reads its timeout and failure handling from the one Options group', async () => {
		const { id: taskId } = await createTask(sim, { durationMs: 100, outcome: 'failed' });
		const result = await run(
			{ operation: 'wait', taskId, options: { onFailure: 'output', timeout: 20 } },
			2,
		);
		expect(result.error()).toBeUndefined();
		expect(result.output('Wan Video')[0].json).toMatchObject({
			taskId,
			status: 'failed',
			error: { code: 'content_policy_violation' },
		});
	});

	it("Wait plans from a version 2 Create's answer: no read at once, one just after the expected end", async () => {
		const create = wanVideoNode(
			{ operation: 'create', imageUrl: IMAGE_URL, prompt: 'x [ms:3000]', waitForCompletion: false },
			{ typeVersion: 2, name: 'Create', id: 'node-create' },
		);
		const wait = wanVideoNode(
			{ operation: 'wait', download: false },
			{ typeVersion: 2, name: 'Wait', id: 'node-wait' },
		);
		const result = await runWorkflow({
			nodes: [create, wait],
			connections: { Create: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] } },
			start: 'Create',
			credentials: credentials(),
		});
		const [item] = result.output('Wait');
		expect(item.json.status).toBe('completed');
		const reads = sim.requestsTo('GET', `/v1/tasks/${String(item.json.taskId)}`);
		expect(reads).toHaveLength(1);
		expect(reads[0].at - sim.tasks.get(String(item.json.taskId))!.createdAt).toBeGreaterThanOrEqual(
			3000,
		);
	});

	it('Create refuses a bad timeout from the Options group before anything is sent', async () => {
		const result = await run(
			{ operation: 'create', imageUrl: IMAGE_URL, options: { timeout: -1 } },
			2,
		);
		expect(result.error()?.message).toMatch(/^Timeout \(Seconds\): must be a number from 1 to/);
		expect(sim.requests).toHaveLength(0);
	});
});
