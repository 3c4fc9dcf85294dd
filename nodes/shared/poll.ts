import { type ApiContext, isTransient, type RequestPolicy, readTask } from './transport';
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
	/** When `progress` was read, if earlier than now (a later read failed). */
	progressElapsedMs?: number;
	/** The read before that one, if any: progress over time says more than progress alone. */
	previous?: Observation;
	/** The last read was aimed at an expected end and found the task still running. */
	missedEnd?: boolean;
}

/** When to read next, and whether that read is aimed at an expected end. */
export interface ReadPlan {
	delayMs: number;
	aimsAtEnd: boolean;
}

/** A task's progress as read at some elapsed time. */
export interface Observation {
	elapsedMs: number;
	progress?: number;
}

/** Task reads never run more often than this, per task. */
const MIN_POLL_INTERVAL_MS = 2000;
/** The longest gap between reads, whatever the signals say. */
const MAX_POLL_INTERVAL_MS = 60_000;
/** Without trusted signals a gap is at most this, or a share of the elapsed time when longer. */
const UNSURE_GAP_MS = 9000;
const ELAPSED_SHARE = 0.24;
/** With nothing to go on, the first reads still come at most this often. */
const NO_SIGNAL_MIN_GAP_MS = 5000;
/** While the signals agree a gap may reach half the time left, but never half the elapsed time. */
const TRUSTED_ELAPSED_SHARE = 0.5;
/** Progress and estimate agree when their ends are within this factor of each other. */
const AGREEMENT = 1.3;
/** Read this long after an expected end: `created` is whole seconds, so elapsed time may run 1 s ahead. */
const END_MARGIN_MS = 1000;
/**
 * Progress predicts an end only between these: below, it says too little (and integer rounding
 * dominates); above, it may sit there for long (nothing says how long).
 */
const PROGRESS_RANGE = { min: 5, max: 95 };
/** Progress past the range: the end is near, but it may sit there, so reads slow down a little. */
const SATURATED_ELAPSED_SHARE = 0.08;
/** Progress that started late overstates the time left: plan for the earlier end. */
const PROGRESS_TIME_LEFT_SHARE = 0.8;
/**
 * A read aimed at an expected end that finds the task still running reads again this soon: the end
 * is most likely a moment away (elapsed time is counted from whole seconds; a worker may start late).
 */
const NEAR_MISS_MS = MIN_POLL_INTERVAL_MS;

/**
 * When progress says the task ends: from its ratio to the elapsed time (leaning early, since a late
 * start makes it overstate the time left), and, with a read before, from its pace since then (which
 * ignores a late start). Progress outside PROGRESS_RANGE says nothing about when; progress that did
 * not move since the last read has no pace.
 */
function progressEnds(progress: number | undefined, readAtMs: number, previous?: Observation) {
	if (progress === undefined || progress < PROGRESS_RANGE.min || progress >= PROGRESS_RANGE.max) {
		return {};
	}
	const byRatio = readAtMs + PROGRESS_TIME_LEFT_SHARE * ((readAtMs * 100) / progress - readAtMs);
	const before = previous?.progress;
	if (!previous || before === undefined || before < 1 || readAtMs <= previous.elapsedMs) {
		return { byRatio };
	}
	if (progress <= before) return { stalled: true, byRatio };
	const pacePerMs = (progress - before) / (readAtMs - previous.elapsedMs);
	return { byRatio, byPace: readAtMs + (100 - progress) / pacePerMs };
}

/** Whether every end given lies within AGREEMENT of the others. */
function agree(ends: Array<number | undefined>): boolean {
	const known = ends.filter((end): end is number => end !== undefined);
	return known.length >= 2 && Math.max(...known) <= AGREEMENT * Math.min(...known);
}

/**
 * When to read an unfinished task again. Progress and estimate are evidence, not truth (EvoLink
 * promises nothing about either): each predicts an end, and the schedule aims a read just after the
 * earliest end still ahead. While both agree, gaps may be long (up to half the time left);
 * otherwise no gap exceeds max(9 s, 24 % of the elapsed time). So a wrong or missing signal costs a
 * bounded delay: at most 10 s while one signal is right (its end is aimed at), at most a quarter of
 * the task's length when neither is (reads then come at a fixed ratio of the elapsed time). A read
 * aimed at an end that finds the task running is followed within 2 s (`missedEnd`). The bounds are
 * tested over every progress shape in test/pollSchedule.test.ts.
 */
export function nextPollDelayMs(state: PollState): number {
	return planNextRead(state).delayMs;
}

/** The schedule of `nextPollDelayMs`, saying which reads aim at an expected end. */
export function planNextRead({
	elapsedMs,
	estimatedSeconds,
	progress,
	progressElapsedMs = elapsedMs,
	previous,
	missedEnd,
}: PollState): ReadPlan {
	const byEstimate = estimatedSeconds && estimatedSeconds > 0 ? estimatedSeconds * 1000 : undefined;
	const { byRatio, byPace, stalled } = progressEnds(progress, progressElapsedMs, previous);
	const byProgress = stalled ? undefined : (byPace ?? byRatio);
	const unsureGap = Math.max(UNSURE_GAP_MS, ELAPSED_SHARE * elapsedMs);
	const ends = [byEstimate, byProgress].filter(
		(end): end is number => end !== undefined && end > elapsedMs,
	);
	let gap: number;
	let aimsAtEnd = false;
	if (!ends.length) {
		// Every signal is missing or overdue: reads at a fixed ratio of the elapsed time; progress near
		// 100 says the end is close without saying when.
		gap =
			progress !== undefined && progress >= PROGRESS_RANGE.max
				? Math.max(UNSURE_GAP_MS, SATURATED_ELAPSED_SHARE * elapsedMs)
				: Math.max(NO_SIGNAL_MIN_GAP_MS, ELAPSED_SHARE * elapsedMs);
	} else {
		const untilEnd = Math.min(...ends) + END_MARGIN_MS - elapsedMs;
		const trusted =
			byEstimate !== undefined &&
			byProgress !== undefined &&
			agree([byEstimate, byProgress, byRatio]);
		const longest = trusted
			? Math.max(unsureGap, Math.min(TRUSTED_ELAPSED_SHARE * elapsedMs, untilEnd / 2))
			: unsureGap;
		// Equal steps that land just after the expected end (longest is at least UNSURE_GAP_MS).
		aimsAtEnd = untilEnd <= longest + END_MARGIN_MS;
		gap = aimsAtEnd ? untilEnd : untilEnd / Math.ceil(untilEnd / longest);
	}
	if (missedEnd) gap = Math.min(gap, NEAR_MISS_MS);
	return {
		delayMs: Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, gap)),
		aimsAtEnd,
	};
}

/**
 * Whether a read aimed at an expected end found the task still running: the plan after it then
 * reads again within NEAR_MISS_MS, once per wait (a second miss says the signals are off, and the
 * usual schedule copes with that).
 */
export function nearMissMemory() {
	let aimed = false;
	let answered = false;
	return {
		/** Call before planning the read after one that found the task running. */
		missedEnd(): boolean {
			const missed = aimed && !answered;
			answered = answered || missed;
			return missed;
		},
		planned(plan: ReadPlan): void {
			aimed = plan.aimsAtEnd;
		},
	};
}

/** Milliseconds since the task was created, from its own timestamp when that is plausible. */
function elapsedSince(task: EvoLinkTask, waitStartedAt: number): number {
	const now = Date.now();
	const createdMs = typeof task.created === 'number' ? task.created * 1000 : undefined;
	if (createdMs && createdMs <= now && now - createdMs < 24 * 3600_000) return now - createdMs;
	return now - waitStartedAt;
}

function observe(task: EvoLinkTask, waitStartedAt: number): Observation {
	return { elapsedMs: elapsedSince(task, waitStartedAt), progress: task.progress };
}

export interface WaitResult {
	task: EvoLinkTask;
	timedOut: boolean;
	reads: number;
}

/** Each read retries briefly; a failure that outlasts it is tried again at the next poll. */
const WAIT_READ_POLICY: RequestPolicy = { retries: 2, timeoutMs: 30_000 };

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
	// the last two successful reads (or Create's answer): the schedule plans from when progress was seen
	let latest: Observation | undefined = task && observe(task, startedAt);
	let previous: Observation | undefined;
	let lastError: unknown;
	const nearMiss = nearMissMemory();
	for (;;) {
		if (task && isFinalStatus(task.status)) return { task, timedOut: false, reads };
		const timeLeftMs = deadline - Date.now();
		if (timeLeftMs <= 0) {
			if (lastError || !task) throw toNodeError(ctx.getNode(), lastError, options.itemIndex);
			return { task, timedOut: true, reads };
		}
		if (task || reads > 0) {
			const plan: ReadPlan =
				task && latest
					? planNextRead({
							elapsedMs: elapsedSince(task, startedAt),
							estimatedSeconds: task.task_info?.estimated_time,
							progress: latest.progress,
							progressElapsedMs: latest.elapsedMs,
							previous,
							missedEnd: nearMiss.missedEnd(),
						})
					: { delayMs: MIN_POLL_INTERVAL_MS, aimsAtEnd: false };
			nearMiss.planned(plan);
			const delay = plan.delayMs;
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
			[previous, latest] = [latest, observe(task, startedAt)];
			lastError = undefined;
		} catch (error) {
			if (!isTransient(error)) throw toNodeError(ctx.getNode(), error, options.itemIndex);
			lastError = error;
		}
	}
}
