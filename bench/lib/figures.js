'use strict';
// The bench's figures: what each suite measured (bench/*.bench.ts), boiled down to numbers and to
// ratios against the baselines measured in the same run. bench/run.js writes them to
// bench/results.json and bench/lib/report.js turns them into bench/RESULTS.md. No goals here: the
// goals are jest's (the report names the test that holds each).
// Times are in ms, ratios are plain numbers (node ÷ baseline), shares are fractions.

const sorted = (values) => values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
const median = (values) => {
	const s = sorted(values);
	const n = s.length;
	if (!n) return NaN;
	return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
/** The value below which a share q of the values fall (nearest rank). */
const quantile = (values, q) => {
	const s = sorted(values);
	return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const spread = (values) =>
	values.length
		? { median: median(values), min: Math.min(...values), max: Math.max(...values) }
		: { median: NaN, min: NaN, max: NaN };
const ratio = (part, whole) => (whole ? part / whole : NaN);
const firstLine = (error) => String(error).split('\n')[0].slice(0, 300);

/** A suite that did not run gives its error instead of figures. */
const guard = (suite, figures) => {
	if (!suite.ok) return { error: firstLine(suite.error) };
	try {
		return figures(suite.result);
	} catch (error) {
		return { error: `figures: ${firstLine(error.stack || error)}` };
	}
};

/** Real-time polling of ~120 s tasks, the node beside fixed loops on the same tasks. */
function poll(result) {
	const scenarios = result.scenarios.map((scenario) => {
		const tasks = scenario.tasks.filter((task) => !task.error && task.pollers.node);
		const failed = scenario.tasks.filter((task) => task.error || !task.pollers.node);
		const loops = {};
		for (const tag of Object.keys(tasks[0]?.pollers ?? {}).filter((t) => t !== 'node')) {
			loops[tag] = {
				reads: median(tasks.map((task) => task.pollers[tag].reads)),
				delayMs: median(tasks.map((task) => task.pollers[tag].delayMs)),
			};
		}
		const node = {
			reads: spread(tasks.map((task) => task.pollers.node.reads)),
			delayMs: spread(tasks.map((task) => task.pollers.node.delayMs)),
		};
		const vs = {};
		for (const [tag, loop] of Object.entries(loops)) {
			vs[tag] = {
				reads: ratio(node.reads.median, loop.reads),
				delay: ratio(node.delayMs.median, loop.delayMs),
			};
		}
		return {
			key: scenario.key,
			label: scenario.label,
			tasks: tasks.length,
			failed: failed.length,
			...(failed.length ? { error: firstLine(failed[0].error ?? 'no node trace') } : {}),
			lengthMs: spread(scenario.tasks.map((task) => task.lengthMs)),
			node,
			loops,
			vs,
		};
	});
	const pollingReads = scenarios.find((s) => s.key === 'accurate')?.node.reads.median ?? NaN;
	const runs = result.callback.filter((trace) => !trace.error);
	const total = runs.map((t) => t.readsBeforePark + t.readsWhileParked + t.readsAtResume);
	const callback = {
		runs: runs.length,
		failed: result.callback.length - runs.length,
		...(runs.length < result.callback.length
			? { error: firstLine(result.callback.find((t) => t.error).error) }
			: {}),
		lengthMs: median(result.callback.map((t) => t.lengthMs)),
		reads: {
			beforePark: spread(runs.map((t) => t.readsBeforePark)),
			whileParked: spread(runs.map((t) => t.readsWhileParked)),
			confirming: spread(runs.map((t) => t.readsAtResume)),
			total: spread(total),
		},
		resumedAfterEndMs: median(runs.map((t) => t.resumeDelayMs)),
		/** The baseline: a polling Wait's reads on the accurate-estimate tasks above. */
		pollingReads,
		vsPolling: ratio(median(total), pollingReads),
	};
	return { scenarios, callback, wallMs: result.wallMs };
}

/** The schedule replayed in virtual time over every progress shape × estimate. */
function schedule(result) {
	const flat = (stats) => ({
		reads: stats.reads.max,
		medianDelayMs: stats.delayMs.median,
		maxDelayMs: stats.delayMs.max,
	});
	const first = result.rows[0];
	const tags = Object.keys(first.at120).filter((tag) => tag !== 'node');
	// A fixed loop's reads and delays depend on the task's length only: the same for every row.
	const loops = Object.fromEntries(tags.map((tag) => [tag, flat(first.at120[tag])]));
	const longest = tags[tags.length - 1];
	const rows = result.rows.map((row) => {
		const node = flat(row.at120.node);
		const loop = flat(row.at120[longest]);
		const worst = row.byLength.reduce((a, b) => (b.node.delayMs.max > a.node.delayMs.max ? b : a));
		return {
			shape: row.shape,
			estimate: row.estimate,
			kind: row.kind,
			node,
			vsLoop: {
				reads: ratio(node.reads, loop.reads),
				medianDelay: ratio(node.medianDelayMs, loop.medianDelayMs),
			},
			worstLength: {
				lengthS: worst.lengthS,
				reads: worst.node.reads.max,
				maxDelayMs: worst.node.delayMs.max,
			},
		};
	});
	return { around120S: [115, 125], lengthsS: result.lengthsS, loops, ratiosAgainst: longest, rows };
}

/** Wall time of 1, 10 and 50 items, beside one item's and one item after another. */
function items(result) {
	const { singles, concurrent, sequential, itemMs } = result;
	const oneMs = median(singles.map((t) => t.wallMs));
	const perItemMs = sequential.wallMs / sequential.items;
	const errors = [...singles, ...concurrent, ...sequential.runs].filter((t) => t.error);
	return {
		itemMs,
		one: {
			wallMs: oneMs,
			runs: singles.map((t) => t.wallMs),
			reads: median(singles.map((t) => t.reads)),
			worstDelayMs: Math.max(...singles.map((t) => t.worstDelayMs)),
		},
		sequential: {
			items: sequential.items,
			wallMs: sequential.wallMs,
			perItemMs,
			vsOne: ratio(sequential.wallMs, oneMs),
		},
		together: concurrent.map((t) => ({
			items: t.items,
			wallMs: t.wallMs,
			vsOne: ratio(t.wallMs, oneMs),
			readsPerItem: t.reads / t.items,
			worstDelayMs: t.worstDelayMs,
			/** The same items one after another, from the sequential run's time per item. */
			oneAfterAnotherVsOne: ratio(t.items * perItemMs, oneMs),
		})),
		...(errors.length ? { error: firstLine(errors[0].error) } : {}),
	};
}

/** What one simulator saw of a run under a rate limit. */
function keyFigures(trace, idealMs) {
	return {
		items: trace.items,
		completed: trace.completed,
		tasks: trace.tasks,
		createdTwice: trace.duplicated,
		requests: trace.requests,
		creates: trace.creates,
		reads: trace.reads,
		refused: trace.refused,
		refusedShare: ratio(trace.refused, trace.requests),
		wallMs: trace.wallMs,
		wallVsIdeal: ratio(trace.wallMs, idealMs),
		createSpanMs: trace.createSpanMs,
		seenAfterEndMs: {
			median: quantile(trace.delaysMs, 0.5),
			p90: quantile(trace.delaysMs, 0.9),
			max: quantile(trace.delaysMs, 1),
		},
		...(trace.error ? { error: firstLine(trace.error) } : {}),
	};
}

/** Hundreds of items under a per-model limit, beside a plain loop on the same limit. */
function budget(result) {
	const { input } = result;
	const idealMs = input.itemMs + (input.items / input.limit.perSecond) * 1000;
	const node = keyFigures(result.node, idealMs);
	const loop = keyFigures(result.loop, idealMs);
	return {
		items: input.items,
		itemMs: input.itemMs,
		limitPerSecond: input.limit.perSecond,
		loopIntervalMs: input.loopIntervalMs,
		idealMs,
		node,
		loop,
		vsLoop: {
			requests: ratio(node.requests, loop.requests),
			refused: ratio(node.refused, loop.refused),
			wall: ratio(node.wallMs, loop.wallMs),
			seenAfterEnd: ratio(node.seenAfterEndMs.median, loop.seenAfterEndMs.median),
		},
	};
}

/** Worker processes sharing a key (bench/run.js's workers runs); the first run is the baseline. */
function workers(suites) {
	const runs = suites.map(({ ok, error, result: r }) => {
		const items = r.workers * r.executions * r.items;
		const idealMs = r.itemMs + (items / r.limit.perSecond) * 1000;
		const errors = [...(ok ? [] : [error]), ...r.workerResults.flatMap((w) => w.errors)];
		return {
			workers: r.workers,
			executionsEach: r.executions,
			itemsEach: r.items,
			items,
			itemMs: r.itemMs,
			limitPerSecond: r.limit.perSecond,
			completed: r.workerResults.reduce((sum, w) => sum + w.completed, 0),
			failed: r.workerResults.reduce((sum, w) => sum + w.failed, 0),
			...r.log,
			refusedShare: ratio(r.log.refused, r.log.requests),
			/** Each worker: its own wall time, its creates and how many of them got a 429. */
			perWorker: r.workerResults.map(({ wallMs, creates, refused }) => ({
				wallMs,
				creates,
				refused,
			})),
			idealMs,
			wallVsIdeal: ratio(r.log.wallMs, idealMs),
			...(errors.length ? { error: firstLine(errors[0]) } : {}),
		};
	});
	const [baseline] = runs;
	for (const run of runs.slice(1)) {
		run.vsBaseline = {
			refusedShare: ratio(run.refusedShare, baseline.refusedShare),
			wallVsIdeal: ratio(run.wallVsIdeal, baseline.wallVsIdeal),
		};
	}
	return { runs };
}

/** Peak memory while downloading, the node beside fetch + arrayBuffer(), per file size. */
function memory(suites, sizes) {
	// run.js gives each case's mode and size, so a case that failed is still placed.
	const runs = suites.map((suite) =>
		suite.ok ? suite.result : { ...suite.case, error: suite.error },
	);
	const pick = (m) =>
		m && !m.error
			? {
					rss: m.growth.rss,
					heap: m.growth.heap,
					v8: m.growth.heapUsed,
					buffers: m.growth.arrayBuffers,
					durationMs: m.durationMs,
					mbPerSecond: m.bytes / (1024 * 1024) / (m.durationMs / 1000),
					rssBefore: m.baseline.rss,
					...(m.stored
						? { storedWhole: m.stored.fileBytes === m.bytes, storedAs: m.stored.id.split(':')[0] }
						: {}),
				}
			: { error: firstLine(m?.error ?? 'not run') };
	return sizes.map((bytes) => {
		const node = pick(runs.find((r) => r.mode === 'node' && r.bytes === bytes));
		const fetch = pick(runs.find((r) => r.mode === 'fetch' && r.bytes === bytes));
		return {
			bytes,
			node,
			fetch,
			vsFetch: { rss: ratio(node.rss, fetch.rss), heap: ratio(node.heap, fetch.heap) },
		};
	});
}

/** Every suite's figures, and how long each took. */
function buildFigures({ info, config, results, wallMs, quick, only }) {
	const figures = { machine: info, quick, only, wallMs, config, suites: {} };
	const time = (name, suite) => {
		figures.suites[name] = { ok: suite.ok, ms: suite.ms, cpuMs: suite.cpuMs };
	};
	// The trigger's result is already its figures (bench/trigger.bench.ts).
	const single = { poll, schedule, items, budget, trigger: (result) => result };
	for (const [name, figuresOf] of Object.entries(single)) {
		if (!results[name]) continue;
		time(name, results[name]);
		figures[name] = guard(results[name], figuresOf);
	}
	if (results.workers) {
		for (const suite of results.workers) {
			const { workers: w, executions, items: each } = suite.result;
			time(`workers ${w} × ${executions} × ${each}`, suite);
		}
		figures.workers = workers(results.workers);
	}
	if (results.memory) {
		for (const suite of results.memory) {
			time(`memory ${suite.case.mode} ${suite.case.bytes / (1024 * 1024)} MB`, suite);
		}
		figures.memory = memory(results.memory, config.memory.sizes);
	}
	return figures;
}

module.exports = { buildFigures };
