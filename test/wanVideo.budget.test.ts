import { sleep } from 'n8n-workflow';

import { runWorkflow, wanVideoNode } from './helpers/engine';
import { createParameters, startTask, useSimulator } from './helpers/fixtures';
import type { SimRequest } from './simulator';

// The request budget of one API key, through n8n's engine against the simulator: shared by every
// item and every workflow of the process, a lane slowed by its 429s, never creating a task twice.
// Several workers on one key: budgetConvergence.test.ts.

const { sim, credentials } = useSimulator({ taskMs: 60_000 });

async function run(
	parameters: Record<string, unknown>,
	items: number,
	options: { requestsPerSecond?: unknown; name?: string; signal?: AbortSignal } = {},
) {
	const name = options.name ?? 'Wan Video';
	return await runWorkflow({
		nodes: [wanVideoNode(parameters, { name, id: `node-${name}` })],
		start: name,
		input: Array.from({ length: items }, (_, i) => ({ json: { i } })),
		credentials: { ...credentials(), requestsPerSecond: options.requestsPerSecond as number },
		abortSignal: options.signal,
	});
}

/** Get of these tasks, one item each. */
const getEach = (taskIds: string[]) => ({
	operation: 'get',
	taskId: `={{ ${JSON.stringify(taskIds)}[$json.i] }}`,
});

/** The most requests that arrived within any `windowMs`. */
function busiest(requests: SimRequest[], windowMs: number): number {
	const times = requests.map((request) => request.at).sort((a, b) => a - b);
	let most = 0;
	for (let first = 0, last = 0; last < times.length; last++) {
		while (times[last] - times[first] >= windowMs) first++;
		most = Math.max(most, last - first + 1);
	}
	return most;
}

/** Task reads the simulator received from `at` on. */
const readsSince = (at: number) =>
	sim.requestsTo('GET', '/v1/tasks/').filter((read) => read.at >= at);

async function tasks(count: number): Promise<string[]> {
	return await Promise.all(Array.from({ length: count }, async () => await startTask(sim)));
}

describe('request budget', () => {
	it('spreads the reads of many items at the credential’s rate', async () => {
		const taskIds = await tasks(12);
		const startedAt = Date.now();
		const result = await run(getEach(taskIds), 12, { requestsPerSecond: 4 });
		expect(result.output('Wan Video')).toHaveLength(12);
		const reads = readsSince(startedAt);
		expect(reads).toHaveLength(12);
		// A bucket of one second's worth (4), refilled at 4 per second: at most 8 grants in any second
		// (one more may arrive in it, late on the wire), and 12 reads take at least 2 s.
		expect(busiest(reads, 1000)).toBeLessThanOrEqual(4 + 4 + 1);
		expect(reads[11].at - reads[0].at).toBeGreaterThanOrEqual(1900);
	});

	it('is shared by two workflows using the same key at once', async () => {
		const taskIds = await tasks(8);
		const startedAt = Date.now();
		const [first, second] = await Promise.all([
			run(getEach(taskIds.slice(0, 4)), 4, { requestsPerSecond: 2, name: 'First' }),
			run(getEach(taskIds.slice(4)), 4, { requestsPerSecond: 2, name: 'Second' }),
		]);
		expect(first.output('First')).toHaveLength(4);
		expect(second.output('Second')).toHaveLength(4);
		const reads = readsSince(startedAt);
		expect(reads).toHaveLength(8);
		// Alone, each workflow would take ~1 s; sharing 2 per second, the eight reads take at least 3 s.
		expect(busiest(reads, 1000)).toBeLessThanOrEqual(2 + 2 + 1);
		expect(reads[7].at - reads[0].at).toBeGreaterThanOrEqual(2900);
	});

	it('pauses every caller of the refused lane after a 429, as long as Retry-After asks', async () => {
		const [refusedTask, ...others] = await tasks(4);
		sim.inject({ kind: 'status', status: 429, retryAfter: 2, match: { method: 'GET' } });
		const refused = new Promise<SimRequest>((resolve) => {
			const onRequest = (request: SimRequest) => {
				if (!request.fault) return;
				sim.off('request', onRequest);
				resolve(request);
			};
			sim.on('request', onRequest);
		});
		const first = run(getEach([refusedTask]), 1, { name: 'First' });
		const refusedAt = (await refused).at;
		await sleep(200);
		const second = run(getEach(others), 3, { name: 'Second' });
		const [firstResult, secondResult] = await Promise.all([first, second]);
		expect(firstResult.output('First')[0].json.taskId).toBe(refusedTask);
		expect(secondResult.output('Second')).toHaveLength(3);
		const after = sim.requestsTo('GET', '/v1/tasks/').filter((read) => read.at > refusedAt);
		expect(after).toHaveLength(4);
		// Neither the refused read nor the other workflow's reads went out before 2 s had passed.
		for (const read of after) expect(read.at - refusedAt).toBeGreaterThanOrEqual(1950);
	});

	it('lets the other lanes go on meanwhile: a create is not held by paused reads', async () => {
		const [taskId] = await tasks(1);
		sim.inject({ kind: 'status', status: 429, retryAfter: 5, match: { method: 'GET' } });
		const reading = run(getEach([taskId]), 1, { name: 'Reader' });
		await new Promise((resolve) => sim.once('request', resolve));
		const startedAt = Date.now();
		const created = await run(createParameters(), 1, { name: 'Creator' });
		expect(created.output('Creator')[0].json.status).toBe('pending');
		expect(Date.now() - startedAt).toBeLessThan(4000);
		await reading;
	});

	it('stops waiting out the pause when the execution is stopped', async () => {
		const [taskId] = await tasks(1);
		sim.inject({ kind: 'status', status: 429, retryAfter: 60, match: { method: 'GET' } });
		const controller = new AbortController();
		const startedAt = Date.now();
		const running = run(getEach([taskId]), 1, { signal: controller.signal });
		await new Promise((resolve) => sim.once('request', resolve));
		await sleep(300);
		controller.abort();
		const result = await running;
		expect(result.run.status).toBe('canceled');
		expect(Date.now() - startedAt).toBeLessThan(10_000);
		expect(sim.requestsTo('GET', '/v1/tasks/')).toHaveLength(1);
	});

	it('fails at once, naming the 429, when Retry-After asks for more than a minute', async () => {
		const [taskId] = await tasks(1);
		sim.inject({ kind: 'status', status: 429, retryAfter: 3600, match: { method: 'GET' } });
		const startedAt = Date.now();
		const result = await run(getEach([taskId]), 1);
		expect(Date.now() - startedAt).toBeLessThan(5000);
		expect(result.error()?.message).toMatch(/429|rate limit/i);
		expect(result.error()?.context).toMatchObject({ taskId });
	});

	it('retries creates refused with 429 under their own idempotency keys: one task per item', async () => {
		sim.setRateLimit({ perSecond: 2, burst: 1, retryAfter: false });
		const result = await run(createParameters({ prompt: '=Item {{ $json.i }}' }), 6);
		const output = result.output('Wan Video');
		expect(output.map((item) => item.json.status)).toEqual(Array(6).fill('pending'));
		const creates = sim.requestsTo('POST', '/v1/videos/generations');
		const refused = creates.filter((create) => create.status === 429);
		expect(refused.length).toBeGreaterThan(0);
		expect(sim.tasks.size).toBe(6);
		const prompts = [...sim.tasks.values()].map((task) => task.request.prompt);
		expect(new Set(prompts).size).toBe(6);
		// Each refused create was sent again with the key of its item, and that one was accepted.
		const accepted = new Map(
			creates
				.filter((create) => create.status === 200)
				.map((create) => [create.headers['idempotency-key'], create.taskId]),
		);
		expect(accepted.size).toBe(6);
		for (const create of refused)
			expect(accepted.has(create.headers['idempotency-key'])).toBe(true);
		expect(output.map((item) => item.json.taskId).sort()).toEqual([...accepted.values()].sort());
	});

	it('learns a per-model limit: after the first 429s the creates of 20 items mostly pass', async () => {
		sim.setRateLimit({ perSecond: 5 });
		const result = await run(createParameters({ prompt: '=Item {{ $json.i }}' }), 20, {
			requestsPerSecond: 50,
		});
		expect(result.output('Wan Video')).toHaveLength(20);
		expect(sim.tasks.size).toBe(20);
		const creates = sim.requestsTo('POST', '/v1/videos/generations');
		const refused = creates.filter((create) => create.status === 429).length;
		// Sent at 50 per second the key would meet ~15 refusals; the cut lane meets a few.
		expect(refused).toBeLessThanOrEqual(6);
	});

	it('keeps going when every request of the key counts against the limit', async () => {
		sim.setRateLimit({ perSecond: 4, scope: 'key' });
		const result = await run(
			createParameters({ prompt: '=Item {{ $json.i }} [ms:3000]', waitForCompletion: true }),
			12,
		);
		const output = result.output('Wan Video');
		expect(output.map((item) => item.json.status)).toEqual(Array(12).fill('completed'));
		expect(sim.tasks.size).toBe(12);
		const refused = sim.requests.filter((request) => request.status === 429).length;
		expect(refused).toBeGreaterThan(0);
		expect(refused).toBeLessThanOrEqual(0.25 * sim.requests.length);
	});

	it.each([
		[0, '0'],
		[-2, '-2'],
		['fast', '"fast"'],
	])('refuses Requests per Second %p before sending anything', async (value, shown) => {
		const taskId = await startTask(sim);
		const before = sim.requests.length;
		for (const parameters of [createParameters(), getEach([taskId])]) {
			const result = await run(parameters, 1, { requestsPerSecond: value });
			const error = result.error();
			expect(error?.message).toBe(
				'Requests per Second (EvoLink API credential): must be a number above 0 (empty means 50) [item 0]',
			);
			expect(error?.description).toContain(`Got ${shown}`);
		}
		expect(sim.requests).toHaveLength(before);
	});
});
