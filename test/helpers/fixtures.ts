import { randomBytes } from 'crypto';

import type { INode, INodeExecutionData } from 'n8n-workflow';

import { forgetRequestBudgets } from '../../nodes/shared/requestBudget';
import { createSimulator } from '../simulator/evolink-simulator';
import type { ApiTask, EvoLinkSimulator } from '../simulator';
import { runWorkflow, wanVideoNode } from './engine';

/** The simulator's key, new for each run: it stands in for a real key that must never leak. */
export const SIM_KEY = `sim-${randomBytes(16).toString('hex')}`;
export const IMAGE_URL = 'https://cdn.example.com/cat.png';

/** A simulator per test file, reset before each test. */
export function useSimulator(options: { taskMs?: number } = {}) {
	const sim = createSimulator({
		apiKey: SIM_KEY,
		taskMs: options.taskMs ?? 3000,
		callbackRetryDelaysMs: [200, 400, 800],
	});
	const state = { sim, baseUrl: '' };
	beforeAll(async () => {
		state.baseUrl = (await sim.start()).baseUrl;
	});
	afterAll(async () => await sim.stop());
	// A fresh simulator state and a fresh request budget: one test's 429s do not slow the next.
	beforeEach(() => {
		sim.reset();
		forgetRequestBudgets();
	});
	return {
		sim,
		// The simulator serves the file API too, on the same address.
		credentials: () => ({ apiKey: SIM_KEY, baseUrl: state.baseUrl, filesBaseUrl: state.baseUrl }),
		baseUrl: () => state.baseUrl,
	} as {
		sim: EvoLinkSimulator;
		credentials: () => { apiKey: string; baseUrl: string; filesBaseUrl: string };
		baseUrl: () => string;
	};
}

export const createParameters = (overrides: Record<string, unknown> = {}) => ({
	operation: 'create',
	prompt: 'The cat turns its head',
	imageUrl: IMAGE_URL,
	duration: 5,
	quality: '720p',
	promptExtend: true,
	shotType: 'single',
	...overrides,
});

/** Fails when the API key shows up anywhere in what a run produced. */
export function expectNoKey(value: unknown) {
	expect(JSON.stringify(value)).not.toContain(SIM_KEY);
}

/**
 * Fails unless a run's error is Create's refusal of item 0 before any request: it names the field,
 * states the rule and says what was sent (nothing).
 */
export function expectRefused(
	error: { message?: string; description?: unknown } | undefined,
	field: string,
	rule: RegExp,
) {
	expect(error?.message).toMatch(new RegExp(`^${field}: `));
	expect(error?.message).toMatch(rule);
	expect(error?.message).toMatch(/\[item 0\]/);
	expect(String(error?.description)).toMatch(/^Got .*Nothing was sent to EvoLink/);
}

/** Creates a task on the simulator directly (not through the node, for Get, Wait and the trigger); returns Create's answer. */
export async function createTask(
	sim: EvoLinkSimulator,
	scenario: Parameters<EvoLinkSimulator['setNextTask']>[0] = {},
	extraBody: Record<string, unknown> = {},
): Promise<ApiTask> {
	sim.setNextTask(scenario);
	const response = await fetch(`${sim.baseUrl}/v1/videos/generations`, {
		method: 'POST',
		headers: { authorization: `Bearer ${SIM_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'wan2.6-image-to-video',
			prompt: 'test',
			image_urls: [IMAGE_URL],
			...extraBody,
		}),
	});
	return (await response.json()) as ApiTask;
}

/** Creates a task on the simulator directly; returns its ID. */
export async function startTask(
	sim: EvoLinkSimulator,
	scenario: Parameters<EvoLinkSimulator['setNextTask']>[0] = {},
	extraBody: Record<string, unknown> = {},
): Promise<string> {
	return (await createTask(sim, scenario, extraBody)).id;
}

/** Reads of one task that the simulator received. */
export const readsOf = (sim: EvoLinkSimulator, taskId: string) =>
	sim.requestsTo('GET', `/v1/tasks/${taskId}`);

/** Runs one Create (defaults from `createParameters`) with the simulator's credential. */
export function createRunner(credentials: () => { apiKey: string; baseUrl: string }) {
	return async (
		parameters: Record<string, unknown>,
		input: INodeExecutionData[] = [{ json: {} }],
		extra: Partial<INode> = {},
	) =>
		await runWorkflow({
			nodes: [wanVideoNode(createParameters(parameters), extra)],
			start: 'Wan Video',
			input,
			credentials: credentials(),
		});
}
