/**
 * One n8n worker of several sharing an API key: runs `executions` executions at once, each a Create
 * with Wait for Completion over `items` items, against a simulator the parent process started (and
 * rate-limits). Each worker is its own process, so each has its own request budget, as in n8n's
 * queue mode. bench/run.js starts the workers together and reads the simulator's log.
 */
import { runWorkflow, wanVideoNode } from '../test/helpers/engine';
import { createParameters } from '../test/helpers/fixtures';

export interface WorkerInput {
	worker: number;
	baseUrl: string;
	apiKey: string;
	executions: number;
	items: number;
	itemMs: number;
}

export interface WorkerResult {
	completed: number;
	failed: number;
	errors: string[];
	/** From this worker's start to the end of its last execution. */
	wallMs: number;
}

export async function run(input: WorkerInput): Promise<WorkerResult> {
	const startedAt = Date.now();
	const runs = await Promise.all(
		Array.from({ length: input.executions }, async (_, execution) => {
			const name = `w${input.worker}-e${execution}`;
			return await runWorkflow({
				nodes: [
					wanVideoNode(
						createParameters({
							prompt: `=bench-workers ${name} #{{ $json.i }} [ms:${input.itemMs}]`,
							waitForCompletion: true,
							waitOptions: { timeout: 1800 },
						}),
						{ name: 'Create', id: `node-create-${name}` },
					),
				],
				start: 'Create',
				input: Array.from({ length: input.items }, (_, i) => ({ json: { i } })),
				credentials: { apiKey: input.apiKey, baseUrl: input.baseUrl },
				executionId: `bench-${name}`,
			});
		}),
	);
	const items = runs.flatMap((result) => result.output('Create'));
	return {
		completed: items.filter((item) => item.json.status === 'completed').length,
		failed: items.filter((item) => item.json.status !== 'completed').length,
		errors: runs.map((result) => result.error()?.message).filter((m): m is string => !!m),
		wallMs: Date.now() - startedAt,
	};
}
