'use strict';
// How a simulated task's `progress` moves over its run. EvoLink promises nothing about it
// (docs/evolink-api.md), so the simulator can report any of these, per task (scenario
// `progressShape`, prompt marker `[progress:<shape>]`), and the schedule's benchmark and tests replay
// the same functions. Each maps the fraction of the run done (0 ≤ f < 1) to the progress reported.

const PROGRESS_SHAPES = {
	/** Pending for the first 10 %, then 1–99 in proportion to the time spent (the default). */
	proportional: (f) =>
		f < 0.1 ? 0 : Math.min(99, Math.max(1, Math.floor(((f - 0.1) / 0.9) * 99))),
	/** 0 until the task is done. */
	stuck: () => 0,
	/** 10 % until 90 % of the time has passed, then climbing. */
	slowStart: (f) => (f < 0.9 ? 10 : Math.min(99, 10 + Math.floor(((f - 0.9) / 0.1) * 89))),
	/** Three plateaus: 5 %, then 30 %, then 60 % until done. */
	steps: (f) => (f < 1 / 3 ? 5 : f < 2 / 3 ? 30 : 60),
	/** Running behind: the numbers say the task takes twice as long as it does. */
	behind: (f) => Math.floor(f * 50),
	/** Invented here: running ahead, at 99 % halfway through, then sitting there until done. */
	ahead: (f) => Math.min(99, Math.floor(f * 200)),
};

function progressAt(shape, fraction) {
	const at = PROGRESS_SHAPES[shape || 'proportional'];
	if (!at) throw new TypeError(`unknown progress shape "${shape}"`);
	return at(Math.max(0, Math.min(fraction, 0.999999)));
}

module.exports = { PROGRESS_SHAPES, progressAt };
