/**
 * Replays the node's polling schedule (`planNextRead`, the real function) against simulated tasks
 * in virtual time: every progress shape of the simulator (test/simulator/progressShapes.js), every
 * kind of estimate, any task length, next to fixed-interval pollers on the same tasks. It mirrors
 * `waitForTask` after a Create: the task as Create answered it is known, elapsed time is counted from
 * the task's `created` (whole seconds, as the API gives it), and each read sees the state at that
 * instant. Used by the schedule's table tests and by `npm run bench`.
 */
import { nearMissMemory, planNextRead } from '../../nodes/shared/poll';
import type { ProgressShape } from '../simulator';
import { progressAt } from '../simulator/progressShapes';

export type Estimate = 'accurate' | 'none' | number;

export interface ReplayTask {
	lengthMs: number;
	shape: ProgressShape;
	estimate: Estimate;
	/** Where in its second the task was created (0–999 ms): `created` is whole seconds. */
	phaseMs: number;
}

export interface ReplayOutcome {
	reads: number;
	/** From the task turning final to the read that saw it. */
	delayMs: number;
}

/** estimated_time as the simulator reports it, in seconds. */
export function estimateSeconds(task: ReplayTask): number | undefined {
	if (task.estimate === 'none') return undefined;
	const seconds = task.lengthMs / 1000;
	if (task.estimate === 'accurate') return Math.max(1, Math.ceil(seconds));
	return Math.max(1, Math.round(seconds * task.estimate));
}

/** The node's schedule, from Create's answer (20 ms after creation) to the read that sees the end. */
export function replayNode(task: ReplayTask): ReplayOutcome {
	const createdAt = task.phaseMs; // `created` is second 0
	const endsAt = createdAt + task.lengthMs;
	const estimate = estimateSeconds(task);
	let now = createdAt + 20;
	let progress = progressAt(task.shape, 20 / task.lengthMs);
	let previous: { elapsedMs: number; progress?: number } | undefined;
	const nearMiss = nearMissMemory();
	for (let reads = 1; reads < 10_000; reads++) {
		const seen = { elapsedMs: now, progress };
		const plan = planNextRead({
			elapsedMs: now,
			estimatedSeconds: estimate,
			progress,
			previous,
			missedEnd: nearMiss.missedEnd(),
		});
		nearMiss.planned(plan);
		now += plan.delayMs;
		if (now >= endsAt) return { reads, delayMs: now - endsAt };
		previous = seen;
		progress = progressAt(task.shape, (now - createdAt) / task.lengthMs);
	}
	throw new Error('the schedule never reached the end of the task');
}

/** A plain loop reading every `intervalMs` from the task's creation. */
export function replayFixed(task: ReplayTask, intervalMs: number): ReplayOutcome {
	const reads = Math.max(1, Math.ceil(task.lengthMs / intervalMs));
	return { reads, delayMs: reads * intervalMs - task.lengthMs };
}

export const SHAPES: ProgressShape[] = [
	'proportional',
	'stuck',
	'slowStart',
	'steps',
	'behind',
	'ahead',
];
export const ESTIMATES: Estimate[] = ['accurate', 3, 1 / 3, 'none'];
export const estimateName = (estimate: Estimate) =>
	typeof estimate === 'number' ? (estimate > 1 ? '3× long' : '3× short') : estimate;

/** Task lengths from 10 s to 5 min, and 10 phases within the second of creation. */
export const LENGTHS_S = [10, 12, 15, 20, 25, 30, 40, 47, 60, 75, 90, 105, 120, 150, 180, 240, 300];
export const PHASES_MS = Array.from({ length: 10 }, (_, k) => k * 100 + 50);

/** Which goal of the schedule a (shape, estimate) pair falls under. */
export function signalCase(
	shape: ProgressShape,
	estimate: Estimate,
): 'right' | 'one wrong' | 'both wrong' {
	const progressRight = shape === 'proportional';
	const estimateRight = estimate === 'accurate';
	if (progressRight && estimateRight) return 'right';
	return progressRight || estimateRight ? 'one wrong' : 'both wrong';
}

export interface CaseStats {
	reads: { median: number; max: number };
	delayMs: { median: number; max: number };
}

export function stats(outcomes: ReplayOutcome[]): CaseStats {
	const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
	const median = (values: number[]) => sorted(values)[Math.floor((values.length - 1) / 2)];
	const reads = outcomes.map((o) => o.reads);
	const delays = outcomes.map((o) => o.delayMs);
	return {
		reads: { median: median(reads), max: Math.max(...reads) },
		delayMs: { median: median(delays), max: Math.max(...delays) },
	};
}

/** Every phase of one (shape, estimate, length). */
export function replayAll(
	shape: ProgressShape,
	estimate: Estimate,
	lengthS: number,
	poller: (task: ReplayTask) => ReplayOutcome = replayNode,
): ReplayOutcome[] {
	return PHASES_MS.map((phaseMs) => poller({ lengthMs: lengthS * 1000, shape, estimate, phaseMs }));
}
