import { MIN_POLL_INTERVAL_MS } from './constants';
import { type ApiContext, cancelled, readTask } from './api';
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
 * The expected end comes from the task's estimate, or from its progress when that says later.
 */
export function nextPollDelayMs({ elapsedMs, estimatedSeconds, progress }: PollState): number {
	const byEstimate = estimatedSeconds && estimatedSeconds > 0 ? estimatedSeconds * 1000 : undefined;
	const byProgress =
		progress && progress >= 5 && progress < 100 && elapsedMs > 0
			? (elapsedMs * 100) / progress
			: undefined;
	const expectedTotalMs = Math.max(byEstimate ?? 0, byProgress ?? 0);
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

/**
 * Reads a task until it is final or `timeoutMs` has passed. `known` is the task as last seen (the
 * create response, say), which saves a first read.
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
	if (!task) {
		task = await readTask(ctx, taskId, { itemIndex: options.itemIndex });
		reads++;
	}
	while (!isFinalStatus(task.status)) {
		const timeLeftMs = deadline - Date.now();
		if (timeLeftMs <= 0) return { task, timedOut: true, reads };
		const delay = nextPollDelayMs({
			elapsedMs: elapsedSince(task, startedAt),
			estimatedSeconds: task.task_info?.estimated_time,
			progress: task.progress,
		});
		try {
			await sleep(Math.min(delay, timeLeftMs), ctx.getExecutionCancelSignal?.());
		} catch {
			throw cancelled(ctx, { taskId, itemIndex: options.itemIndex });
		}
		task = await readTask(ctx, taskId, { itemIndex: options.itemIndex });
		reads++;
	}
	return { task, timedOut: false, reads };
}
