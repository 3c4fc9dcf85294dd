/**
 * The polling schedule over every progress shape and kind of estimate, for tasks of 10 s to 5 min,
 * beside fixed 2, 5 and 10 s pollers on the same tasks. It replays the real `nextPollDelayMs` in
 * virtual time (test/helpers/scheduleReplay.ts: the simulator's own progress shapes and estimates,
 * `created` in whole seconds, 10 creation phases per length), so the whole matrix takes
 * milliseconds; poll.bench.ts measures the same schedule in real time on ~120 s tasks.
 */
import {
	ESTIMATES,
	estimateName,
	LENGTHS_S,
	replayAll,
	replayFixed,
	type ReplayOutcome,
	type ReplayTask,
	SHAPES,
	signalCase,
	stats,
	type CaseStats,
} from '../test/helpers/scheduleReplay';

export interface ScheduleInput {
	fixedIntervalsMs: number[];
}

export interface ScheduleRow {
	shape: string;
	estimate: string;
	kind: 'right' | 'one wrong' | 'both wrong';
	/** Tasks of 115–125 s: the node and each fixed poller. */
	at120: Record<string, CaseStats>;
	/** Over every length, per length: the node's stats and the fixed 10 s loop's reads. */
	byLength: Array<{ lengthS: number; node: CaseStats; loop10Reads: number }>;
}

/** Ten lengths spread over 115–125 s, so a task's end falls at every phase of a fixed poller. */
const AROUND_120_S = Array.from({ length: 10 }, (_, k) => 115.5 + k);

export async function run(
	input: ScheduleInput,
): Promise<{ rows: ScheduleRow[]; lengthsS: number[] }> {
	const rows: ScheduleRow[] = [];
	for (const shape of SHAPES) {
		for (const estimate of ESTIMATES) {
			const fixedPoller = (intervalMs: number) => (task: ReplayTask) =>
				replayFixed(task, intervalMs);
			const around120 = (poller?: (task: ReplayTask) => ReplayOutcome) =>
				stats(AROUND_120_S.flatMap((lengthS) => replayAll(shape, estimate, lengthS, poller)));
			const at120: Record<string, CaseStats> = { node: around120() };
			for (const intervalMs of input.fixedIntervalsMs) {
				at120[`fixed-${intervalMs / 1000}s`] = around120(fixedPoller(intervalMs));
			}
			rows.push({
				shape,
				estimate: String(estimateName(estimate)),
				kind: signalCase(shape, estimate),
				at120,
				byLength: LENGTHS_S.map((lengthS) => ({
					lengthS,
					node: stats(replayAll(shape, estimate, lengthS)),
					loop10Reads: stats(replayAll(shape, estimate, lengthS, fixedPoller(10_000))).reads.max,
				})),
			});
		}
	}
	return { rows, lengthsS: LENGTHS_S };
}
