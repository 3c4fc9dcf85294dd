/**
 * A burst of completion callbacks to one Wan Video Trigger (test/helpers/trigger.ts: a real HTTP
 * server, run as n8n runs a production webhook), each delivered twice by the EvoLink simulator:
 * its own delivery when the task turns final (retried after a non-2xx, as EvoLink does) and one
 * duplicate (`deliverCallback`), both over HTTP, both sent at the same moment. Default trigger
 * options: Start On completed, Confirm With the API on (each callback reads the task).
 */
import { sleep } from 'n8n-workflow';

import { IMAGE_URL, SIM_KEY } from '../test/helpers/fixtures';
import { startTrigger } from '../test/helpers/trigger';
import { createSimulator } from '../test/simulator/evolink-simulator';

export interface TriggerInput {
	tasks: number;
	deliveriesPerTask: number;
}

export interface TriggerResult {
	tasks: number;
	/** Callback POSTs the simulator made, retries included. */
	deliveries: number;
	retries: number;
	/** HTTP status the trigger answered → count. */
	answers: Record<string, number>;
	/** From the first POST to the last answer. */
	burstMs: number;
	callbacksPerSecond: number;
	/** Answer times of the trigger, ms. */
	answerMs: { median: number; p95: number; max: number };
	executions: number;
	/** Executions per task → number of tasks. */
	executionsPerTask: Record<string, number>;
	executionErrors: number;
	/** From the first POST until the last execution finished. */
	lastExecutionMs: number;
	confirmReads: number;
	error?: string;
}

const percentile = (sorted: number[], p: number) =>
	sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] : NaN;

export async function run(input: TriggerInput): Promise<TriggerResult> {
	const sim = createSimulator({ apiKey: SIM_KEY });
	const { baseUrl } = await sim.start();
	const hook = await startTrigger({ credentials: { apiKey: SIM_KEY, baseUrl } });
	try {
		const taskIds: string[] = [];
		for (let first = 0; first < input.tasks; first += 25) {
			const batch = Array.from({ length: Math.min(25, input.tasks - first) }, async (_, i) => {
				const response = await fetch(`${baseUrl}/v1/videos/generations`, {
					method: 'POST',
					headers: { authorization: `Bearer ${SIM_KEY}`, 'content-type': 'application/json' },
					body: JSON.stringify({
						model: 'wan2.6-image-to-video',
						prompt: `bench-burst #${first + i} [ms:3600000]`,
						image_urls: [IMAGE_URL],
						callback_url: hook.signedUrl,
					}),
				});
				return ((await response.json()) as { id: string }).id;
			});
			taskIds.push(...(await Promise.all(batch)));
		}

		const startedAt = Date.now();
		const duplicates: Array<Promise<unknown>> = [];
		for (const taskId of taskIds) {
			sim.completeNow(taskId); // the simulator's own delivery starts now
			for (let copy = 1; copy < input.deliveriesPerTask; copy++) {
				duplicates.push(sim.deliverCallback(taskId).catch((error: Error) => error.message));
			}
		}
		await Promise.all(duplicates);
		// EvoLink's own deliveries are done when one got a 2xx or the last retry was made.
		const lastAttempt = 1 + sim.callbackRetryDelaysMs.length;
		const deadline = Date.now() + 60_000;
		for (;;) {
			const done = new Set<string>();
			for (const attempt of sim.callbacks) {
				const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
				if (!attempt.manual && (ok || attempt.attempt === lastAttempt)) done.add(attempt.taskId);
			}
			if (done.size === taskIds.length || Date.now() > deadline) break;
			await sleep(20);
		}
		await hook.idle();

		const answers: Record<string, number> = {};
		for (const entry of hook.log) {
			const status = String(entry.status ?? 'none');
			answers[status] = (answers[status] ?? 0) + 1;
		}
		const lastAnswer = Math.max(...hook.log.map((entry) => entry.answeredAt ?? 0));
		const answerTimes = hook.log.map((entry) => entry.ms ?? NaN).sort((a, b) => a - b);
		const perTask = new Map<string, number>(taskIds.map((taskId) => [taskId, 0]));
		for (const run of hook.runs) {
			const taskId = String(run.items[0]?.json.taskId);
			perTask.set(taskId, (perTask.get(taskId) ?? 0) + 1);
		}
		const executionsPerTask: Record<string, number> = {};
		for (const count of perTask.values()) {
			executionsPerTask[count] = (executionsPerTask[count] ?? 0) + 1;
		}
		const burstMs = lastAnswer - startedAt;
		return {
			tasks: taskIds.length,
			deliveries: sim.callbacks.length,
			retries: sim.callbacks.filter((attempt) => attempt.attempt > 1).length,
			answers,
			burstMs,
			callbacksPerSecond: (hook.log.length * 1000) / burstMs,
			answerMs: {
				median: percentile(answerTimes, 0.5),
				p95: percentile(answerTimes, 0.95),
				max: answerTimes[answerTimes.length - 1],
			},
			executions: hook.runs.length,
			executionsPerTask,
			executionErrors: hook.runs.filter((run) => run.error).length,
			lastExecutionMs: Math.max(...hook.runs.map((run) => run.finishedAt)) - startedAt,
			confirmReads: sim.requestsTo('GET', '/v1/tasks/').length,
		};
	} finally {
		await hook.stop();
		await sim.stop();
	}
}
