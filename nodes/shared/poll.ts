import { MIN_POLL_INTERVAL_MS } from './constants';
import { type ApiContext, isTransient, type ReadPolicy, readTask } from './transport';
import { cancelled, toNodeError } from './errors';
import { type EvoLinkTask, isFinalStatus } from './task';
import { sleep } from 'n8n-workflow';

export interface PollState {
	/** Time since the task started, as far as we know. */
	elapsedMs: number;
	/** The task's own estimate of its total run time, in seconds. */
	estimatedSeconds?: number;
	/** 0–100, when the API reports it. */
	progress?: number;
}

const MAX_POLL_INTERVAL_MS = 60_000;

/**
 * When to read an unfinished task again. Before the expected end, halve the remaining time (few
 * reads while nothing can happen, dense reads near the end); once the estimate has passed, or
 * without one, read every 10 % of the elapsed time so a late finish is seen with a bounded delay.
 * The expected end comes from the task's progress once it reports some, else from its estimate.
 */
export function nextPollDelayMs({ elapsedMs, estimatedSeconds, progress }: PollState): number {
	const byEstimate = estimatedSeconds && estimatedSeconds > 0 ? estimatedSeconds * 1000 : undefined;
	const byProgress =
		progress && progress >= 5 && progress < 100 && elapsedMs > 0
			? (elapsedMs * 100) / progress
			: undefined;
	// Progress is measured, the estimate only promised: trust progress when there is some.
	const expectedTotalMs = byProgress ?? byEstimate ?? 0;
	const remainingMs = expectedTotalMs - elapsedMs;
	const delay = remainingMs > 0 ? remainingMs / 2 : elapsedMs / 10;
	return Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, delay));
}

/** Milliseconds since the task was created, from its own timestamp when that is plausible. */
function elapsedSince(task: EvoLinkTask, waitStartedAt: number): number {
	const now = Date.now();
	const createdMs = typeof task.created === 'number' ? task.created * 1000 : undefined;
	if (createdMs && createdMs <= now && now - createdMs < 24 * 3600_000) return now - createdMs;
	return now - waitStartedAt;
}

export interface WaitResult {
	task: EvoLinkTask;
	timedOut: boolean;
	reads: number;
}

/** Each read retries briefly; a failure that outlasts it is tried again at the next poll. */
const WAIT_READ_POLICY: ReadPolicy = { retries: 2, timeoutMs: 30_000 };

/**
 * Reads a task until it is final or `timeoutMs` has passed. `known` is the task as last seen (the
 * create response, say), which saves a first read. Reads that keep failing do not end the wait
 * early: an outage shorter than the timeout loses nothing.
 */
export async function waitForTask(
	ctx: ApiContext,
	taskId: string,
	options: { timeoutMs: number; itemIndex: number; known?: EvoLinkTask },
): Promise<WaitResult> {
	const startedAt = Date.now();
	const deadline = startedAt + options.timeoutMs;
	let reads = 0;
	let task = options.known;
	let lastError: unknown;
	for (;;) {
		if (task && isFinalStatus(task.status)) return { task, timedOut: false, reads };
		const timeLeftMs = deadline - Date.now();
		if (timeLeftMs <= 0) {
			if (lastError || !task) throw toNodeError(ctx.getNode(), lastError, options.itemIndex);
			return { task, timedOut: true, reads };
		}
		if (task || reads > 0) {
			const delay = task
				? nextPollDelayMs({
						elapsedMs: elapsedSince(task, startedAt),
						estimatedSeconds: task.task_info?.estimated_time,
						progress: task.progress,
					})
				: MIN_POLL_INTERVAL_MS;
			try {
				await sleep(Math.min(delay, timeLeftMs), ctx.getExecutionCancelSignal?.());
			} catch {
				throw cancelled(ctx, { taskId, itemIndex: options.itemIndex });
			}
		}
		reads++;
		try {
			task = await readTask(ctx, taskId, {
				itemIndex: options.itemIndex,
				policy: WAIT_READ_POLICY,
			});
			lastError = undefined;
		} catch (error) {
			if (!isTransient(error)) throw toNodeError(ctx.getNode(), error, options.itemIndex);
			lastError = error;
		}
	}
}
