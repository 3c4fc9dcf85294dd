/**
 * Hundreds of items against a rate-limited key: Create with Wait for Completion, through n8n's engine, against
 * a simulator that answers 429 past `limitPerSecond` creates per second per model, next to what a
 * user would otherwise build in the same run (every item created at once, each riding out its 429s
 * alone after Retry-After, then read every 10 s), against a simulator with the same limit.
 */
import { randomUUID } from 'crypto';
import { sleep } from 'n8n-workflow';

import { runWorkflow, wanVideoNode } from '../test/helpers/engine';
import { createParameters, IMAGE_URL, SIM_KEY } from '../test/helpers/fixtures';
import type { EvoLinkSimulator, RateLimit } from '../test/simulator';
import { createSimulator } from '../test/simulator/evolink-simulator';

export interface BudgetInput {
	items: number;
	itemMs: number;
	limit: RateLimit;
	/** The credential's Requests per Second; empty means the node's default. */
	requestsPerSecond?: number;
	/** The fixed loop's interval. */
	loopIntervalMs: number;
}

export interface BudgetTrace {
	wallMs: number;
	items: number;
	completed: number;
	/** Tasks the simulator created, and prompts that got more than one. */
	tasks: number;
	duplicated: number;
	requests: number;
	refused: number;
	creates: number;
	reads: number;
	/** From the first accepted create to the last. */
	createSpanMs: number;
	/** From each task turning final to the read that saw it, sorted. */
	delaysMs: number[];
	error?: string;
}

export interface BudgetResult {
	input: BudgetInput;
	node: BudgetTrace;
	loop: BudgetTrace;
}

/** Item lengths spread over ±8 % of `itemMs`, so that no fixed interval lands on every end. */
function lengthMs(input: BudgetInput, index: number): number {
	return Math.round(input.itemMs * (0.92 + (0.16 * ((index * 37) % 100)) / 100));
}

async function limitedSimulator(input: BudgetInput) {
	const sim = createSimulator({ apiKey: SIM_KEY, rateLimit: input.limit });
	const { baseUrl } = await sim.start();
	return { sim, baseUrl };
}

/** What the simulator saw: tasks per prompt, requests, 429s, and when each task was seen final. */
function traceOf(sim: EvoLinkSimulator, items: number, wallMs: number, completed: number) {
	const prompts = new Map<string, number>();
	for (const task of sim.tasks.values()) {
		const prompt = String((task.request as { prompt?: unknown }).prompt);
		prompts.set(prompt, (prompts.get(prompt) ?? 0) + 1);
	}
	const acceptedAt = [...sim.tasks.values()].map((task) => task.createdAt).sort((a, b) => a - b);
	const delaysMs: number[] = [];
	for (const task of sim.tasks.values()) {
		const reads = sim.requestsTo('GET', `/v1/tasks/${task.id}`).filter((r) => r.status === 200);
		const endsAt = task.createdAt + task.scenario.durationMs;
		const seen = reads.find((read) => read.at >= endsAt);
		if (seen) delaysMs.push(seen.at - endsAt);
	}
	const trace: BudgetTrace = {
		wallMs,
		items,
		completed,
		tasks: sim.tasks.size,
		duplicated: [...prompts.values()].filter((count) => count > 1).length,
		requests: sim.requests.length,
		refused: sim.requests.filter((request) => request.status === 429).length,
		creates: sim.requestsTo('POST', '/v1/videos/generations').length,
		reads: sim.requestsTo('GET', '/v1/tasks/').length,
		createSpanMs: acceptedAt.length ? acceptedAt[acceptedAt.length - 1] - acceptedAt[0] : 0,
		delaysMs: delaysMs.sort((a, b) => a - b),
	};
	if (completed !== items || trace.tasks !== items || trace.duplicated) {
		trace.error = `${completed}/${items} completed, ${trace.tasks} tasks, ${trace.duplicated} prompts created twice`;
	}
	return trace;
}

async function runNode(input: BudgetInput): Promise<BudgetTrace> {
	const { sim, baseUrl } = await limitedSimulator(input);
	try {
		const startedAt = Date.now();
		const result = await runWorkflow({
			// Each item waits right after its own create (Create → Wait would wait for every create first).
			nodes: [
				wanVideoNode(
					createParameters({
						prompt: '=bench-budget #{{ $json.i }} [ms:{{ $json.ms }}]',
						waitForCompletion: true,
						waitOptions: { timeout: 1800 },
					}),
					{ name: 'Create', id: 'node-create' },
				),
			],
			start: 'Create',
			input: Array.from({ length: input.items }, (_, i) => ({
				json: { i, ms: lengthMs(input, i) },
			})),
			credentials: { apiKey: SIM_KEY, baseUrl, requestsPerSecond: input.requestsPerSecond },
			executionId: 'bench-budget',
		});
		const wallMs = Date.now() - startedAt;
		const completed = result
			.output('Create')
			.filter((item) => item.json.status === 'completed').length;
		const trace = traceOf(sim, input.items, wallMs, completed);
		if (result.run.status !== 'success') {
			trace.error = `run ${result.run.status}: ${result.error()?.message ?? ''}; ${trace.error ?? ''}`;
		}
		return trace;
	} finally {
		await sim.stop();
	}
}

/** One item as a user would build it: create (again after each 429), then read every N seconds. */
async function loopItem(baseUrl: string, index: number, input: BudgetInput): Promise<boolean> {
	const headers = {
		authorization: `Bearer ${SIM_KEY}`,
		'content-type': 'application/json',
		'idempotency-key': `bench-loop-${randomUUID()}`,
	};
	const body = JSON.stringify({
		model: 'wan2.6-image-to-video',
		prompt: `bench-loop #${index} [ms:${lengthMs(input, index)}]`,
		image_urls: [IMAGE_URL],
	});
	let id: string | undefined;
	while (!id) {
		const response = await fetch(`${baseUrl}/v1/videos/generations`, {
			method: 'POST',
			headers,
			body,
		});
		const answer = (await response.json()) as { id?: string };
		if (response.status === 429) await sleep(Number(response.headers.get('retry-after')) * 1000);
		else if (response.ok) id = answer.id;
		else return false;
	}
	for (;;) {
		await sleep(input.loopIntervalMs);
		const response = await fetch(`${baseUrl}/v1/tasks/${id}`, { headers });
		if (!response.ok) continue;
		const task = (await response.json()) as { status?: string };
		if (task.status === 'completed') return true;
		if (task.status === 'failed' || task.status === 'cancelled') return false;
	}
}

async function runLoop(input: BudgetInput): Promise<BudgetTrace> {
	const { sim, baseUrl } = await limitedSimulator(input);
	try {
		const startedAt = Date.now();
		const outcomes = await Promise.all(
			Array.from({ length: input.items }, async (_, i) => await loopItem(baseUrl, i, input)),
		);
		return traceOf(sim, input.items, Date.now() - startedAt, outcomes.filter(Boolean).length);
	} finally {
		await sim.stop();
	}
}

export async function run(input: BudgetInput): Promise<BudgetResult> {
	const [node, loop] = await Promise.all([runNode(input), runLoop(input)]);
	return { input, node, loop };
}
