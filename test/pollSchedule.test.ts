// The polling schedule's bounds, as a table over every progress shape of the simulator and every
// kind of estimate, for tasks of 10 s to 5 minutes (test/helpers/scheduleReplay.ts replays the real
// `nextPollDelayMs` in virtual time, 10 creation phases per length). The goals, from issue 12:
// - signals right (proportional progress, accurate estimate): at most one read more than a fixed
//   10 s loop and a median delay ≤ 2 s at every length; ≤ 9 reads and median ≤ 3 s at 120 s;
// - one signal misleading or missing: max delay ≤ 10 s, median ≤ 5 s; ≤ 15 reads at 120 s;
// - both misleading or missing: max delay ≤ max(10 s, 25 % of the length); ≤ 25 reads at 5 min.
import {
	ESTIMATES,
	estimateName,
	LENGTHS_S,
	replayAll,
	replayFixed,
	SHAPES,
	signalCase,
	stats,
} from './helpers/scheduleReplay';

const pairs = SHAPES.flatMap((shape) =>
	ESTIMATES.map((estimate) => [shape, estimateName(estimate), estimate] as const),
);

describe.each(pairs)('progress %s, estimate %s', (shape, _name, estimate) => {
	const kind = signalCase(shape, estimate);

	it.each(LENGTHS_S)(`${kind}: a task of %p s`, (lengthS) => {
		const node = stats(replayAll(shape, estimate, lengthS));
		if (kind === 'right') {
			const loop = stats(replayAll(shape, estimate, lengthS, (task) => replayFixed(task, 10_000)));
			expect(node.reads.max).toBeLessThanOrEqual(loop.reads.max + 1);
			expect(node.delayMs.median).toBeLessThanOrEqual(2000);
			if (lengthS === 120) {
				expect(node.reads.max).toBeLessThanOrEqual(9);
				expect(node.delayMs.median).toBeLessThanOrEqual(3000);
			}
		} else if (kind === 'one wrong') {
			expect(node.delayMs.max).toBeLessThanOrEqual(10_000);
			expect(node.delayMs.median).toBeLessThanOrEqual(5000);
			if (lengthS === 120) expect(node.reads.max).toBeLessThanOrEqual(15);
		} else {
			expect(node.delayMs.max).toBeLessThanOrEqual(Math.max(10_000, 0.25 * lengthS * 1000));
			if (lengthS === 300) expect(node.reads.max).toBeLessThanOrEqual(25);
		}
	});
});
