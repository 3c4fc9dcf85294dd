/**
 * Wall time of a Create → Wait workflow for 1, 10 and 50 items of 60 s each, through n8n's engine
 * against the EvoLink simulator, next to the same items waited one after another.
 *
 * "One item's" time is the median of a few single-item runs made at the same time. The
 * one-after-another baseline runs the single-item workflow `sequentialItems` times in a row (a
 * small N, so the bench stays short); its time grows with N as N × one item's.
 */
import { runWorkflow, type RunOptions, wanVideoNode } from '../test/helpers/engine';
import { createParameters, SIM_KEY } from '../test/helpers/fixtures';
import { createSimulator } from '../test/simulator/evolink-simulator';

export interface ItemsInput {
	itemMs: number;
	/** Item counts run as one workflow each (1 is measured by `singleRuns` runs instead). */
	counts: number[];
	singleRuns: number;
	sequentialItems: number;
}

export interface WorkflowTrace {
	items: number;
	wallMs: number;
	completed: number;
	/** Task reads of the whole run. */
	reads: number;
	/** Largest delay from a task turning final to the read that saw it. */
	worstDelayMs: number;
	error?: string;
}

export interface ItemsResult {
	itemMs: number;
	singles: WorkflowTrace[];
	concurrent: WorkflowTrace[];
	sequential: { items: number; wallMs: number; runs: WorkflowTrace[] };
}

export async function run(input: ItemsInput): Promise<ItemsResult> {
	const sim = createSimulator({ apiKey: SIM_KEY });
	const { baseUrl } = await sim.start();
	const credentials = { apiKey: SIM_KEY, baseUrl };
	let executions = 0;

	const runItems = async (items: number): Promise<WorkflowTrace> => {
		const executionId = `items-${++executions}`;
		const options: RunOptions = {
			nodes: [
				wanVideoNode(
					createParameters({
						prompt: `=bench-items ${executionId} #{{ $json.i }} [ms:${input.itemMs}]`,
					}),
					{ name: 'Create', id: 'node-create' },
				),
				wanVideoNode(
					{ operation: 'wait', waitOptions: { timeout: 900 } },
					{
						name: 'Wait',
						id: 'node-wait',
					},
				),
			],
			connections: { Create: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] } },
			start: 'Create',
			input: Array.from({ length: items }, (_, i) => ({ json: { i } })),
			credentials,
			executionId,
		};
		const startedAt = Date.now();
		const result = await runWorkflow(options);
		const trace: WorkflowTrace = {
			items,
			wallMs: Date.now() - startedAt,
			completed: result.output('Wait').filter((item) => item.json.status === 'completed').length,
			reads: 0,
			worstDelayMs: 0,
		};
		if (result.run.status !== 'success' || trace.completed !== items) {
			trace.error = `run ${result.run.status}, ${trace.completed}/${items} completed: ${result.error()?.message ?? ''}`;
		}
		for (const item of result.output('Create')) {
			const task = sim.tasks.get(String(item.json.taskId));
			if (!task) continue;
			const reads = sim.requestsTo('GET', `/v1/tasks/${task.id}`);
			trace.reads += reads.length;
			const last = reads[reads.length - 1];
			if (last) {
				const delay = last.at - (task.createdAt + task.scenario.durationMs);
				trace.worstDelayMs = Math.max(trace.worstDelayMs, delay);
			}
		}
		return trace;
	};

	const sequential = async () => {
		const startedAt = Date.now();
		const runs: WorkflowTrace[] = [];
		for (let i = 0; i < input.sequentialItems; i++) runs.push(await runItems(1));
		return { items: input.sequentialItems, wallMs: Date.now() - startedAt, runs };
	};

	try {
		const [singles, concurrent, oneAfterAnother] = await Promise.all([
			Promise.all(Array.from({ length: input.singleRuns }, async () => await runItems(1))),
			Promise.all(
				input.counts.filter((count) => count > 1).map(async (count) => await runItems(count)),
			),
			sequential(),
		]);
		return { itemMs: input.itemMs, singles, concurrent, sequential: oneAfterAnother };
	} finally {
		await sim.stop();
	}
}
