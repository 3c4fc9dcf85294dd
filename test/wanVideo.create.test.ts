import { runWorkflow, wanVideoNode } from './helpers/engine';
import {
	SIM_KEY,
	createParameters,
	createRunner,
	expectNoKey,
	IMAGE_URL,
	useSimulator,
} from './helpers/fixtures';

const { sim, credentials } = useSimulator();

const create = createRunner(credentials);

describe('Create', () => {
	it('sends every field, authenticated, with an idempotency key, and outputs the task', async () => {
		const result = await create({
			duration: 10,
			quality: '1080p',
			shotType: 'multi',
			options: { audioUrl: 'https://cdn.example.com/voice.mp3' },
		});
		expect(result.error()).toBeUndefined();
		const [post] = sim.requestsTo('POST', '/v1/videos/generations');
		expect(post.headers.authorization).toBe('Bearer <ok>');
		expect(post.headers['idempotency-key']).toMatch(/^n8n-wan-[a-f0-9]{48}$/);
		expect(post.body).toEqual({
			model: 'wan2.6-image-to-video',
			prompt: 'The cat turns its head',
			image_urls: [IMAGE_URL],
			duration: 10,
			quality: '1080p',
			prompt_extend: true,
			model_params: { shot_type: 'multi' },
			audio_url: 'https://cdn.example.com/voice.mp3',
		});
		const [item] = result.output('Wan Video');
		expect(item.json).toMatchObject({
			taskId: post.taskId,
			id: post.taskId,
			status: 'pending',
			creditsReserved: expect.any(Number),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expectNoKey(result.run);
	});

	it('leaves shot type out when prompt rewriting is off', async () => {
		await create({ promptExtend: false });
		const [post] = sim.requestsTo('POST', '/v1/videos/generations');
		expect(post.body).toMatchObject({ prompt_extend: false });
		expect(post.body).not.toHaveProperty('model_params');
	});

	it('starts one task per item, each paired with its item', async () => {
		const input = [0, 1, 2].map((n) => ({ json: { prompt: `scene ${n}` } }));
		const result = await create({ prompt: '={{ $json.prompt }}' }, input);
		const posts = sim.requestsTo('POST', '/v1/videos/generations');
		expect(posts.map((post) => (post.body as { prompt: string }).prompt).sort()).toEqual([
			'scene 0',
			'scene 1',
			'scene 2',
		]);
		expect(new Set(posts.map((post) => post.headers['idempotency-key'])).size).toBe(3);
		expect(result.output('Wan Video').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	it('is not billed twice when the answer is lost and "Retry On Fail" repeats the create', async () => {
		sim.inject({ kind: 'dropAfterCreate', match: { method: 'POST' } });
		const result = await create({}, [{ json: {} }], {
			retryOnFail: true,
			maxTries: 2,
			waitBetweenTries: 100,
		});
		expect(result.error()).toBeUndefined();
		const posts = sim.requestsTo('POST', '/v1/videos/generations');
		expect(posts).toHaveLength(2);
		expect(posts[0].headers['idempotency-key']).toBe(posts[1].headers['idempotency-key']);
		expect(sim.tasks.size).toBe(1);
		expect(result.output('Wan Video')[0].json.taskId).toBe([...sim.tasks.keys()][0]);
	});

	it('never repeats a create on its own after a 5xx or a dropped connection', async () => {
		sim.inject({ kind: 'status', status: 502, match: { method: 'POST' } });
		const result = await create({});
		expect(result.error()?.message).toMatch(/create the video task.*HTTP 502/);
		expect(sim.requestsTo('POST', '/v1/videos/generations')).toHaveLength(1);

		sim.reset();
		sim.inject({ kind: 'reset', match: { method: 'POST' } });
		const dropped = await create({});
		expect(dropped.error()?.message).toMatch(/Could not create the video task/);
		expect(dropped.error()?.description).toMatch(/not repeated automatically/);
		expect(sim.requestsTo('POST', '/v1/videos/generations')).toHaveLength(1);
	});

	it('waits out a 429 with Retry-After before creating', async () => {
		sim.inject({ kind: 'status', status: 429, retryAfter: 1, match: { method: 'POST' } });
		const result = await create({});
		expect(result.error()).toBeUndefined();
		const posts = sim.requestsTo('POST', '/v1/videos/generations');
		expect(posts).toHaveLength(2);
		expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(1000);
		expect(sim.tasks.size).toBe(1);
	});

	it('names the API refusal and what to do, without the key', async () => {
		sim.inject({ kind: 'status', status: 402, match: { method: 'POST' } });
		const result = await create({});
		expect(result.error()?.message).toMatch(/HTTP 402, insufficient_quota/);
		expect(result.error()?.description).toMatch(/top up credits/);
		expectNoKey(result.run);
	});

	it('reports a wrong API key as a credential problem', async () => {
		const result = await runWorkflow({
			nodes: [wanVideoNode(createParameters())],
			start: 'Wan Video',
			credentials: { ...credentials(), apiKey: 'sk-wrong' },
		});
		expect(result.error()?.message).toMatch(/HTTP 401/);
		expect(result.error()?.description).toMatch(/credential/);
		expect(sim.tasks.size).toBe(0);
		expect(JSON.stringify(result.run)).not.toContain('sk-wrong');
	});

	it('signs a callback URL so only this credential can produce it', async () => {
		await create({ options: { callbackUrl: 'http://127.0.0.1:5678/webhook/abc/callback' } });
		const [post] = sim.requestsTo('POST', '/v1/videos/generations');
		const sent = new URL((post.body as { callback_url: string }).callback_url);
		expect(sent.pathname).toBe('/webhook/abc/callback');
		expect(sent.searchParams.get('wvsig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(sent.toString()).not.toContain(SIM_KEY);
	});
});
