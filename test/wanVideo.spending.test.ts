// What a run costs and what stops it: credits on every item and in the run's hint, Max Tasks and
// Max Credits per Run, and an account out of credits (402) stopping the run's creates.
import type { IRun } from 'n8n-workflow';

import { runWorkflow, wanVideoNode } from './helpers/engine';
import { useSimulator } from './helpers/fixtures';

const { sim, credentials } = useSimulator();

const creates = () => sim.requestsTo('POST', '/v1/videos/generations');

/** Wan 3.0 text to video, version 2, not waiting; the simulator bills 2 credits a second at 720p. */
async function run(
	prompts: string[],
	options: Record<string, unknown> = {},
	extra: { continueOnFail?: boolean; requestsPerSecond?: number; quality?: string } = {},
) {
	return await runWorkflow({
		nodes: [
			wanVideoNode(
				{
					operation: 'create',
					startFrom: 'text',
					model: 'wan3.0-text-to-video',
					prompt: '={{ $json.p }}',
					quality: `={{ $json.quality ?? "${extra.quality ?? '720p'}" }}`,
					waitForCompletion: false,
					options,
				},
				{ typeVersion: 2, ...(extra.continueOnFail ? { onError: 'continueRegularOutput' } : {}) },
			),
		],
		start: 'Wan Video',
		input: prompts.map((p) => ({ json: { p } })),
		credentials: { ...credentials(), requestsPerSecond: extra.requestsPerSecond },
	});
}

const hints = (run: IRun) =>
	(run.data.resultData.runData['Wan Video'][0].hints ?? []).map((hint) => hint.message);

describe('credits', () => {
	it('every item says what its task reserves, and the run says what it reserved in all', async () => {
		const result = await run(['one', 'two', 'three']);
		const output = result.output('Wan Video');
		const reserved = creates().map((post) => sim.tasks.get(post.taskId!)!.creditsReserved);
		expect(
			output.map((item) => (item.json.usage as { creditsReserved: number }).creditsReserved),
		).toEqual(reserved);
		expect(hints(result.run)).toEqual([
			`3 tasks created, ${reserved.reduce((a, b) => a + b)} credits reserved`,
		]);
	});
});

describe('Max Tasks per Run', () => {
	it('creates that many; with "Continue On Fail" the others are items naming the cap', async () => {
		const result = await run(
			['a', 'b', 'c', 'd', 'e'],
			{ maxTasksPerRun: 3 },
			{ continueOnFail: true },
		);
		expect(creates()).toHaveLength(3);
		const output = result.output('Wan Video');
		expect(output.slice(0, 3).every((item) => item.json.status === 'pending')).toBe(true);
		expect(output.slice(3).map((item) => item.json.error)).toEqual([
			expect.objectContaining({
				message: expect.stringMatching(
					/^Max Tasks per Run: 3 tasks of this run are created or on their way, so this item was not created \[item 3\]/,
				),
			}),
			expect.objectContaining({ message: expect.stringMatching(/\[item 4\]/) }),
		]);
		expect(hints(result.run)[0]).toMatch(
			/^3 tasks created, .* credits reserved; 2 items not created \(Max Tasks per Run\)$/,
		);
	});

	it('without "Continue On Fail" stops the node naming the cap and the tasks it created', async () => {
		const result = await run(['a', 'b', 'c'], { maxTasksPerRun: 2 });
		expect(creates()).toHaveLength(2);
		expect(result.error()?.message).toMatch(/^Max Tasks per Run: .*\[item 2\]/);
		expect(String(result.error()?.description)).toMatch(
			/Other tasks of this run: task-unified-.* \(pending\), task-unified-.* \(pending\)/,
		);
	});
});

describe('Max Credits per Run', () => {
	it('learns a kind of task’s price from its first create and holds the cap from then on', async () => {
		// 720p for 5 s: 10 credits each; a cap of 25 takes two
		const result = await run(
			['a', 'b', 'c', 'd'],
			{ maxCreditsPerRun: 25 },
			{ continueOnFail: true },
		);
		expect(creates()).toHaveLength(2);
		expect(sim.creditsUsed()).toBe(20);
		const refused = result.output('Wan Video').slice(2);
		expect(refused.map((item) => (item.json.error as { message: string }).message)).toEqual([
			'Max Credits per Run: it would reserve 10 credits, and 20 of 25 are reserved in this run, so this item was not created [item 2]',
			expect.stringMatching(/\[item 3\]$/),
		]);
	});

	it('with mixed kinds, passes the cap by at most one task of a kind not seen yet', async () => {
		// 480p: 5 credits, 1080p: 20 credits; the first 1080p one is a kind not seen yet
		const qualities = ['480p', '480p', '1080p', '480p', '1080p'];
		const result = await runWorkflow({
			nodes: [
				wanVideoNode(
					{
						operation: 'create',
						startFrom: 'text',
						model: 'wan3.0-text-to-video',
						prompt: 'x',
						quality: '={{ $json.quality }}',
						waitForCompletion: false,
						options: { maxCreditsPerRun: 20 },
					},
					{ typeVersion: 2, onError: 'continueRegularOutput' },
				),
			],
			start: 'Wan Video',
			input: qualities.map((quality) => ({ json: { quality } })),
			credentials: credentials(),
		});
		expect(result.error()).toBeUndefined();
		expect(creates().map((post) => (post.body as { quality: string }).quality)).toEqual([
			'480p',
			'480p',
			'1080p',
		]);
		expect(sim.creditsUsed()).toBe(30); // 20 + one 1080p task of 20 not priced yet, at most
		expect(
			result
				.output('Wan Video')
				.slice(3)
				.every((item) =>
					/Max Credits per Run/.test(String((item.json.error as { message: string }).message)),
				),
		).toBe(true);
	});
});

describe('out of credits', () => {
	it('after the first 402 no further create is sent; the items not created name 402 and the balance', async () => {
		sim.credits = 40; // four tasks of 10
		const result = await run(
			Array.from({ length: 10 }, (_, n) => `clip ${n}`),
			{},
			{ continueOnFail: true, requestsPerSecond: 4 },
		);
		// creates already on their way may still answer 402; none leaves after the first one
		const statuses = creates().map((post) => post.status);
		expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
		expect(new Set(statuses.slice(4))).toEqual(new Set([402]));
		const first402 = creates().find((post) => post.status === 402)!.at;
		expect(creates().every((post) => post.at <= first402 + 100)).toBe(true);
		const output = result.output('Wan Video');
		expect(output.slice(0, 4).every((item) => item.json.status === 'pending')).toBe(true);
		expect(output[4].json.error as { message: string; description: string }).toMatchObject({
			message: expect.stringMatching(/HTTP 402, insufficient_quota/),
			description: expect.stringMatching(/Credits left: 0\.$/),
		});
		const notSent = output.slice(statuses.length);
		for (const item of notSent) {
			expect((item.json.error as { message: string }).message).toMatch(
				/^Not created: EvoLink answered 402 \(insufficient_quota\) for item \d+ of this run; credits left: 0 \[item \d+\]$/,
			);
		}
		expect(sim.requestsTo('GET', '/v1/credits')).toHaveLength(1);
		expect(hints(result.run)[0]).toBe(
			`4 tasks created, 40 credits reserved; ${notSent.length} items not created (out of credits)`,
		);
	});
});
