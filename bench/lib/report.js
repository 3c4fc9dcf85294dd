'use strict';
// Turns the suites' results into bench/RESULTS.md: the table of goals, how each was measured,
// and the per-task details. Every "no" carries its reason, taken from the measured data.

const MB = 1024 * 1024;

const median = (values) => {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	const n = sorted.length;
	if (!n) return NaN;
	return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
};
const min = (values) => Math.min(...values);
const max = (values) => Math.max(...values);
const s = (ms, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;
const mb = (bytes) => `${bytes >= 0 ? '+' : '−'}${(Math.abs(bytes) / MB).toFixed(1)} MB`;
const fmt = (n, digits = 0) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
const range = (values, format) =>
	min(values) === max(values)
		? format(min(values))
		: `${format(min(values))}–${format(max(values))}`;
const YES = 'yes';
const no = (reason) => `**no**: ${reason}`;
const notMeasured = (error) => `**not measured**: ${String(error).split('\n')[0].slice(0, 300)}`;

/** 'fixed-2s' → 'every 2 s'. */
const every = (tag) => tag.replace(/^fixed-(\d+(?:\.\d+)?)s$/, 'every $1 s');

const SCENARIO_TEXT = {
	accurate: { what: 'accurate `estimated_time`', reads: 8, delay: () => 3000, delayGoal: '≤ 3 s' },
	none: { what: '`estimated_time` missing' },
	x3: { what: 'estimate = 3 × real' },
	third: { what: 'estimate = real ÷ 3' },
};

/** Where a poller's reads fell: per quarter of the task's length, then after it ended. */
function readsByQuarter(trace, lengthMs) {
	const bins = [0, 0, 0, 0, 0];
	for (const offset of trace.readOffsetsMs) {
		bins[Math.min(4, Math.floor((offset / lengthMs) * 4))]++;
	}
	return `${bins.slice(0, 4).join(' / ')} in the 1st–4th quarter of the task, ${bins[4]} after it ended`;
}

function pollRows(poll) {
	const rows = [];
	const details = [];
	if (!poll.ok) {
		for (const key of Object.keys(SCENARIO_TEXT)) {
			rows.push({
				measure: `Task reads per task, ${SCENARIO_TEXT[key].what}`,
				met: notMeasured(poll.error),
			});
			rows.push({
				measure: `Median delay, ${SCENARIO_TEXT[key].what}`,
				met: notMeasured(poll.error),
			});
		}
		return { rows, details, accurateReads: NaN };
	}
	let accurateReads = NaN;
	for (const scenario of poll.result.scenarios) {
		const text = SCENARIO_TEXT[scenario.key];
		const failed = scenario.tasks.filter((task) => task.error || !task.pollers.node);
		const tasks = scenario.tasks.filter((task) => !task.error && task.pollers.node);
		const lengths = tasks.map((task) => task.lengthMs);
		const meanLength = lengths.reduce((a, b) => a + b, 0) / (lengths.length || 1);
		const tags = Object.keys(tasks[0]?.pollers ?? {}).filter((tag) => tag !== 'node');
		const reads = tasks.map((task) => task.pollers.node.reads);
		const delays = tasks.map((task) => task.pollers.node.delayMs);
		if (scenario.key === 'accurate') accurateReads = median(reads);
		const readsGoal = text.reads ?? 15;
		const delayGoalMs = text.delay ? text.delay() : 0.1 * meanLength;
		const delayGoal = text.delayGoal ?? `≤ ${s(delayGoalMs)} (10 % of ${s(meanLength, 0)})`;
		const taskWord = `${tasks.length} tasks of ${range(lengths, (ms) => s(ms))}`;
		const failedNote = failed.length ? `; ${failed.length} task(s) failed: ${failed[0].error}` : '';

		const worstReads = tasks.reduce(
			(a, b) => (b.pollers.node.reads > a.pollers.node.reads ? b : a),
			tasks[0],
		);
		let readsMet = YES;
		if (!tasks.length) readsMet = notMeasured(failed[0]?.error ?? 'no task');
		else if (max(reads) > readsGoal) {
			readsMet = no(
				`${tasks.filter((task) => task.pollers.node.reads > readsGoal).length} of ${tasks.length} tasks took more; the worst (${s(worstReads.lengthMs)}) took ${worstReads.pollers.node.reads} reads: ${readsByQuarter(worstReads.pollers.node, worstReads.lengthMs)}`,
			);
		}
		if (failed.length && readsMet === YES) readsMet = no(`some runs failed${failedNote}`);
		rows.push({
			measure: `Task reads per task, ~${s(meanLength, 0)} task, ${text.what}`,
			node: tasks.length
				? `median ${fmt(median(reads), 1)} (${range(reads, String)}) over ${taskWord}`
				: '—',
			baseline: tags
				.map(
					(tag) => `${every(tag)}: ${fmt(median(tasks.map((task) => task.pollers[tag].reads)), 1)}`,
				)
				.join(' · '),
			goal: `≤ ${readsGoal} reads (every task)`,
			met: readsMet,
		});

		let delayMet = YES;
		if (!tasks.length) delayMet = notMeasured(failed[0]?.error ?? 'no task');
		else if (median(delays) > delayGoalMs) {
			const late = tasks.filter((task) => task.pollers.node.delayMs > delayGoalMs);
			const worst = tasks.reduce((a, b) =>
				b.pollers.node.delayMs > a.pollers.node.delayMs ? b : a,
			);
			const offsets = worst.pollers.node.readOffsetsMs;
			delayMet = no(
				`${late.length} of ${tasks.length} tasks were seen later than that; the worst, a task of ${s(worst.lengthMs)} ${worst.estimateS === undefined ? 'and no estimated_time' : `with estimated_time ${worst.estimateS} s`}, was read at ${s(offsets[offsets.length - 2])} (not yet final) and next at ${s(offsets[offsets.length - 1])}, ${s(offsets[offsets.length - 1] - offsets[offsets.length - 2])} later`,
			);
		}
		rows.push({
			measure: `Median delay from task completion to the node seeing it, ${text.what} (same tasks)`,
			node: tasks.length ? `${s(median(delays))} (${range(delays, (ms) => s(ms))})` : '—',
			baseline: tags
				.map((tag) => `${every(tag)}: ${s(median(tasks.map((task) => task.pollers[tag].delayMs)))}`)
				.join(' · '),
			goal: delayGoal,
			met: delayMet,
		});

		details.push(
			`**${text.what}** (${taskWord})`,
			'',
			`| task length | estimated_time | node reads | node delay | ${tags.map((tag) => `${every(tag)} reads / delay`).join(' | ')} | node read times (s after creation) |`,
			`|---|---|---|---|${tags.map(() => '---|').join('')}---|`,
			...scenario.tasks.map((task) =>
				task.error || !task.pollers.node
					? `| ${s(task.lengthMs)} | — | failed: ${task.error} |`
					: `| ${s(task.lengthMs, 2)} | ${task.estimateS ?? 'none'} | ${task.pollers.node.reads} | ${s(task.pollers.node.delayMs, 2)} | ${tags
							.map((tag) => `${task.pollers[tag].reads} / ${s(task.pollers[tag].delayMs, 2)}`)
							.join(
								' | ',
							)} | ${task.pollers.node.readOffsetsMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} |`,
			),
			'',
		);
	}
	return { rows, details, accurateReads };
}

function callbackRow(poll, accurateReads, lengthsMs) {
	const measure = `Reads before resume, Wait by callback (Create with Resume on Callback → Wait in callback mode, ~${s(median(lengthsMs), 0)} task)`;
	if (!poll.ok) return { measure, met: notMeasured(poll.error) };
	const traces = poll.result.callback;
	const good = traces.filter((trace) => !trace.error);
	if (!good.length) return { measure, met: notMeasured(traces[0]?.error ?? 'no run') };
	const before = good.map((trace) => trace.readsBeforePark);
	const parked = good.map((trace) => trace.readsWhileParked);
	const confirm = good.map((trace) => trace.readsAtResume);
	const total = good.map((trace, i) => before[i] + parked[i] + confirm[i]);
	const failed = traces.length - good.length;
	let met = YES;
	if (max(total) > 0) {
		const reasons = [];
		if (max(before) > 0)
			reasons.push(
				`Wait reads each task once before parking (${range(before, String)}), so it never parks on a task that is already final`,
			);
		if (max(parked) > 0) reasons.push(`${range(parked, String)} read(s) while parked`);
		if (max(confirm) > 0)
			reasons.push(
				`the callback is confirmed with the API (${range(confirm, String)} read) before the run goes on, since its body proves nothing`,
			);
		met = no(
			`${reasons.join('; ')}; 0 reads while parked${max(parked) > 0 ? ' was not met either' : ''}`,
		);
	}
	if (failed)
		met = `${met === YES ? '**no**' : met}; ${failed} of ${traces.length} runs failed: ${traces.find((t) => t.error).error}`;
	return {
		measure,
		node: `${range(total, String)} over ${good.length} runs: ${range(before, String)} before parking, ${range(parked, String)} while parked, ${range(confirm, String)} confirming the callback; resumed ${s(median(good.map((t) => t.resumeDelayMs)), 2)} after the task ended (median)`,
		baseline: `polling Wait: ${fmt(accurateReads, 1)} reads (median, accurate-estimate tasks above)`,
		goal: '0',
		met,
	};
}

function itemsRows(items) {
	const counts = [1, 10, 50];
	if (!items.ok) {
		return counts.map((count) => ({
			measure: `Wall time, ${count} item(s) of 60 s`,
			met: notMeasured(items.error),
		}));
	}
	const { singles, concurrent, sequential, itemMs } = items.result;
	const one = median(singles.map((trace) => trace.wallMs));
	const perItemSequential = sequential.wallMs / sequential.items;
	const errors = [...singles, ...concurrent, ...sequential.runs].filter((trace) => trace.error);
	const rows = [
		{
			measure: `Wall time, 1 item of ${s(itemMs, 0)} (one item's)`,
			node: `${s(one)} (median of ${singles.length} runs: ${singles.map((t) => s(t.wallMs)).join(', ')})`,
			baseline: `one after another: ${sequential.items} items in ${s(sequential.wallMs)} = ×${(sequential.wallMs / one).toFixed(2)}`,
			goal: '—',
			met: errors.length ? notMeasured(errors[0].error) : '—',
		},
	];
	for (const trace of concurrent) {
		const ratio = trace.wallMs / one;
		let met =
			ratio <= 1.1
				? YES
				: no(
						`the slowest of the ${trace.items} tasks was seen ${s(trace.worstDelayMs)} after it ended, against ${s(max(singles.map((t) => t.worstDelayMs)))} for a single item`,
					);
		if (trace.error) met = notMeasured(trace.error);
		rows.push({
			measure: `Wall time, ${trace.items} items of ${s(itemMs, 0)} each, ÷ one item's`,
			node: `${s(trace.wallMs)} = ×${ratio.toFixed(3)} (${trace.reads} reads, ${(trace.reads / trace.items).toFixed(1)} per item)`,
			baseline: `one after another: ×${((trace.items * perItemSequential) / one).toFixed(1)} (${trace.items} × ${s(perItemSequential)} per item, from the ${sequential.items}-item run)`,
			goal: '≤ 1.1',
			met,
		});
	}
	return rows;
}

const pct = (part, whole) => `${((100 * part) / whole).toFixed(2)} %`;
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The 500-item run against a key limited per model, next to a plain loop on the same limit. */
function budgetRows(budget) {
	const measure = (what) => `${what}, 500 items of ~60 s, creates limited to 5/s per model`;
	if (!budget.ok) {
		return [
			{ measure: measure('Created once, 429s, wall, detection'), met: notMeasured(budget.error) },
		];
	}
	const { input, node, loop } = budget.result;
	const goalMs = 1.2 * (input.itemMs + (input.items / input.limit.perSecond) * 1000);
	const describe = (t) =>
		`${t.tasks} tasks for ${t.items} items (${t.duplicated} created twice), ${t.completed} completed; ${t.requests} requests (${t.creates} creates, ${t.reads} reads), **${t.refused} answered 429 (${pct(t.refused, t.requests)})**; wall ${s(t.wallMs)} (creates over ${s(t.createSpanMs)}); seen after the end: median ${s(quantile(t.delaysMs, 0.5))}, p90 ${s(quantile(t.delaysMs, 0.9))}, max ${s(t.delaysMs[t.delaysMs.length - 1] ?? NaN)}`;
	const checks = [
		[
			node.tasks === node.items && node.duplicated === 0 && node.completed === node.items,
			'every task created exactly once and completed',
		],
		[node.refused <= 0.02 * node.requests, `429s ${pct(node.refused, node.requests)} of requests`],
		[node.wallMs <= goalMs, `wall ${s(node.wallMs)}`],
		[quantile(node.delaysMs, 0.5) <= 5000, `median detection ${s(quantile(node.delaysMs, 0.5))}`],
	];
	const failed = checks.filter(([ok]) => !ok).map(([, what]) => what);
	return [
		{
			measure: measure(
				'Many items under a rate limit (Create with Wait for Completion, default Requests per Second)',
			),
			node: describe(node),
			baseline: `every item alone, all created at once, each 429 retried after its Retry-After, then read every ${s(input.loopIntervalMs, 0)}: ${describe(loop)}`,
			goal: `created exactly once; 429s ≤ 2 % of requests; wall ≤ 1.2 × (${s(input.itemMs, 0)} + ${input.items} creates at ${input.limit.perSecond}/s) = ${s(goalMs, 0)}; median detection ≤ 5 s`,
			met: node.error ? notMeasured(node.error) : failed.length ? no(failed.join('; ')) : YES,
		},
	];
}

function memoryRows(memory, sizes) {
	const LIMIT = 64 * MB;
	const FLAT = 16 * MB;
	const runs = memory.map((suite) => (suite.ok ? suite.result : undefined));
	const find = (mode, bytes) => runs.find((run) => run && run.mode === mode && run.bytes === bytes);
	const rows = [];
	let smaller;
	for (const bytes of sizes) {
		const node = find('node', bytes);
		const fetched = find('fetch', bytes);
		const failure = memory.find((suite) => !suite.ok);
		const measure = `Peak memory growth downloading a ${fmt(bytes / MB)} MB video (Get → Download Video, binary data in filesystem mode)`;
		if (!node || node.error) {
			rows.push({ measure, met: notMeasured(node?.error ?? failure?.error ?? 'no result') });
			continue;
		}
		const problems = [];
		if (node.growth.rss > LIMIT) problems.push(`RSS grew ${mb(node.growth.rss)}`);
		if (node.growth.heap > LIMIT) problems.push(`the heap grew ${mb(node.growth.heap)}`);
		if (smaller) {
			if (node.growth.rss > smaller.growth.rss + FLAT)
				problems.push(
					`not flat: RSS ${mb(node.growth.rss)} against ${mb(smaller.growth.rss)} at ${fmt(smaller.bytes / MB)} MB`,
				);
			if (node.growth.heap > smaller.growth.heap + FLAT)
				problems.push(
					`not flat: heap ${mb(node.growth.heap)} against ${mb(smaller.growth.heap)} at ${fmt(smaller.bytes / MB)} MB`,
				);
		}
		const stored = node.stored
			? `; stored ${node.stored.fileBytes === bytes ? 'whole' : `${node.stored.fileBytes} of ${bytes} bytes`} as ${node.stored.id.split(':')[0]}`
			: '';
		rows.push({
			measure,
			node: `RSS ${mb(node.growth.rss)} · heap ${mb(node.growth.heap)} (V8 ${mb(node.growth.heapUsed)}, Buffers ${mb(node.growth.arrayBuffers)}); ${s(node.durationMs)}${stored}`,
			baseline:
				fetched && !fetched.error
					? `fetch + arrayBuffer(): RSS ${mb(fetched.growth.rss)} · heap ${mb(fetched.growth.heap)} (V8 ${mb(fetched.growth.heapUsed)}, Buffers ${mb(fetched.growth.arrayBuffers)}); ${s(fetched.durationMs)}`
					: notMeasured(fetched?.error ?? 'no result'),
			goal: smaller
				? `≤ 64 MB, flat in file size (≤ ${fmt(smaller.bytes / MB)} MB's + 16 MB)`
				: '≤ 64 MB',
			met: problems.length ? no(problems.join('; ')) : YES,
		});
		smaller = node;
	}
	return rows;
}

function triggerRow(trigger, config) {
	const measure = `${config.tasks} callbacks in a burst to one Wan Video Trigger, each delivered ${config.deliveriesPerTask}×`;
	if (!trigger.ok) return { measure, met: notMeasured(trigger.error) };
	const r = trigger.result;
	const exactlyOne = r.executionsPerTask['1'] ?? 0;
	const problems = [];
	for (const [count, tasks] of Object.entries(r.executionsPerTask)) {
		if (count !== '1') problems.push(`${tasks} task(s) started ${count} executions`);
	}
	if (r.executionErrors) problems.push(`${r.executionErrors} execution(s) failed`);
	const answers = Object.entries(r.answers)
		.map(([status, count]) => `${count}× ${status}`)
		.join(', ');
	return {
		measure,
		node: `${exactlyOne}/${r.tasks} tasks started exactly one execution (${r.executions} executions); ${r.deliveries} callbacks (${r.retries} retries) answered ${answers} at **${r.callbacksPerSecond.toFixed(0)} callbacks/s** (${s(r.burstMs, 2)}); answer time median ${r.answerMs.median} ms, p95 ${r.answerMs.p95} ms, max ${r.answerMs.max} ms; last execution done ${s(r.lastExecutionMs, 2)} after the first callback`,
		baseline: '—',
		goal: 'every task starts exactly one execution; callbacks/s reported',
		met: problems.length ? no(problems.join('; ')) : YES,
	};
}

const cell = (value) =>
	String(value ?? '—')
		.replace(/\|/g, '\\|')
		.replace(/\n/g, ' ');

/** Goal rows of the schedule over progress shapes, and its matrix (bench/schedule.bench.ts). */
function scheduleSection(schedule) {
	const measure =
		'Polling schedule over every progress shape × estimate, tasks of 10 s–5 min (virtual time)';
	if (!schedule.ok) return { rows: [{ measure, met: notMeasured(schedule.error) }], details: [] };
	const { rows } = schedule.result;
	const of = (kind) => rows.filter((row) => row.kind === kind);
	const lengths = (row, test) =>
		row.byLength.filter(test).map((l) => `${row.shape}/${row.estimate} ${l.lengthS} s`);
	const goal = (label, kind, test, goalText, baseline) => {
		const misses = of(kind).flatMap((row) => lengths(row, (l) => !test(l, row)));
		return {
			measure: `${label} (${of(kind).length} shape × estimate pairs, ${rows[0].byLength.length} lengths, 10 phases each)`,
			node: misses.length
				? `${misses.length} lengths miss: ${misses.slice(0, 6).join(', ')}`
				: 'every length of every pair',
			baseline,
			goal: goalText,
			met: misses.length ? no(`${misses.length} lengths miss`) : YES,
		};
	};
	const ratio10 = (row) =>
		`${fmt(row.at120.node.reads.max / row.at120['fixed-10s'].reads.max, 2)}× the reads of the 10 s loop`;
	const right = of('right')[0];
	const goalRows = [
		goal(
			'Signals right: reads against a fixed 10 s loop, and delay',
			'right',
			(l) => l.node.reads.max <= l.loop10Reads + 1 && l.node.delayMs.median <= 2000,
			'≤ 1 read more than the 10 s loop, median delay ≤ 2 s, at every length; ≤ 9 reads and median ≤ 3 s at 120 s',
			right
				? `at 115–125 s: node ${right.at120.node.reads.max} reads, median ${s(right.at120.node.delayMs.median)} (${ratio10(right)}); every 10 s: ${right.at120['fixed-10s'].reads.max} reads, median ${s(right.at120['fixed-10s'].delayMs.median)}`
				: '—',
		),
		goal(
			'One signal misleading or missing: delay and reads',
			'one wrong',
			(l) =>
				l.node.delayMs.max <= 10_000 &&
				l.node.delayMs.median <= 5000 &&
				(l.lengthS !== 120 || l.node.reads.max <= 15),
			'max delay ≤ 10 s, median ≤ 5 s; ≤ 15 reads at 120 s',
			'every 10 s: max delay 10 s at every length',
		),
		goal(
			'Both misleading or missing: delay and reads',
			'both wrong',
			(l) =>
				l.node.delayMs.max <= Math.max(10_000, 250 * l.lengthS) &&
				(l.lengthS !== 300 || l.node.reads.max <= 25),
			'max delay ≤ max(10 s, 25 % of the length); ≤ 25 reads at 5 min',
			'every 10 s: 30 reads at 5 min',
		),
	];
	const tags = Object.keys(rows[0].at120).filter((tag) => tag !== 'node');
	const cellOf = (c) => `${c.reads.max} / ${s(c.delayMs.median)} / ${s(c.delayMs.max)}`;
	const details = [
		'### Polling schedule, per progress shape and estimate',
		'',
		'Tasks of 115–125 s (10 lengths × 10 creation phases): reads (worst) / median delay / max delay. "Worst length" is the node\'s largest max delay over tasks of 10 s to 5 min.',
		'',
		`| progress | estimate | signals | node | ${tags.map(every).join(' | ')} | node, worst length |`,
		`|---|---|---|---|${tags.map(() => '---|').join('')}---|`,
		...rows.map((row) => {
			const worst = row.byLength.reduce((a, b) =>
				b.node.delayMs.max > a.node.delayMs.max ? b : a,
			);
			return `| ${row.shape} | ${row.estimate} | ${row.kind} | ${cellOf(row.at120.node)} | ${tags.map((tag) => cellOf(row.at120[tag])).join(' | ')} | ${worst.lengthS} s: ${worst.node.reads.max} reads, max ${s(worst.node.delayMs.max)} |`;
		}),
		'',
	];
	return { rows: goalRows, details };
}

function buildReport({ info, config, results, wallMs, quick }) {
	const poll = pollRows(results.poll);
	const schedule = scheduleSection(results.schedule);
	const rows = [
		...poll.rows,
		...schedule.rows,
		...itemsRows(results.items),
		...budgetRows(results.budget),
		callbackRow(results.poll, poll.accurateReads, config.poll.callbackLengthsMs),
		...memoryRows(results.memory, config.memory.sizes),
		triggerRow(results.trigger, config.trigger),
	];
	const missed = rows.filter((row) => /^\*\*(no|not measured)/.test(String(row.met))).length;
	const lines = [
		'# Benchmark results',
		'',
		quick
			? '**Quick smoke run (`--quick`): tasks 10× shorter, smaller files; not the benchmark.**\n'
			: '',
		`Written by \`npm run bench\` (bench/run.js) on ${info.date}; the whole bench took **${s(wallMs)}**.`,
		'',
		`- Machine: ${info.cpu}, ${info.cores} cores, ${info.ramGiB.toFixed(1)} GiB RAM; ${info.os}`,
		`- Node ${info.node}; n8n-core ${info.n8nCore}; n8n-workflow ${info.n8nWorkflow}; n8n-nodes-wan-video ${info.packageVersion} (git ${info.git})`,
		`- Goals met: ${rows.filter((row) => row.met === YES).length} of ${rows.filter((row) => row.goal && row.goal !== '—').length}; missed or not measured: ${missed}`,
		'',
		'| Measure | Wan Video node | Baseline, same run | Goal | Met |',
		'|---|---|---|---|---|',
		...rows.map(
			(row) =>
				`| ${cell(row.measure)} | ${cell(row.node)} | ${cell(row.baseline)} | ${cell(row.goal)} | ${cell(row.met)} |`,
		),
		'',
		'## How it was measured',
		'',
		"- Every node run goes through n8n-core's `WorkflowExecute` (test/helpers/engine.ts) against the EvoLink simulator (test/simulator) over real HTTP; nothing is mocked. Each suite runs in its own Node process, side by side; the callback burst and the downloads run one after another while the long suites sleep.",
		`- **Polling**: each scenario runs ${config.poll.lengthsMs.length} Create → Wait workflows, one task each, with task lengths spread evenly over ${s(min(config.poll.lengthsMs), 3)}–${s(max(config.poll.lengthsMs), 3)} (around 120 s), so a task's end falls at every phase of each poller's interval; a task of exactly 120 s would end on a read of every fixed poller. The moment the simulator creates a task, fixed pollers (a plain loop: \`GET /v1/tasks/{id}\` every 2, 5 or 10 s on a grid from the task's creation until final) read **the same task**, told apart by a query string the simulator ignores. A task turns final at createdAt + durationMs; a poller sees it at the arrival of its read that returned it final (the simulator's request log). Reads: every task must meet the goal (the worst task counts); delay: the median over the tasks.`,
		`- **Items**: a Create → Wait workflow with 1, 10 and 50 input items of ${s(config.items.itemMs, 0)} each, timed from start to end (creates included, 5 at a time). One item's time is the median of ${config.items.singleRuns} single-item runs. The one-after-another baseline runs the single-item workflow ${config.items.sequentialItems} times in a row (a small N, to keep the bench short) and is scaled to N items as N × its time per item.`,
		`- **Rate limit**: ${config.budget.items} items, lengths spread over ±8 % around ${s(config.budget.itemMs, 0)} (so no fixed interval lands on every end), in one Create with Wait for Completion (each item waits right after its own create; Create → Wait would start waiting only once every item is created). The simulator answers 429 with Retry-After past ${config.budget.limit.perSecond} creates per second per model (a token bucket of ${config.budget.limit.perSecond}); task reads are not limited, since a read names no model and EvoLink documents per-model limits. Read literally, "5 requests per second for the key" cannot meet the wall-time goal: 500 creates and at least one read per task are ≥ 1000 requests, 200 s at 5/s, above the goal's 192 s. The baseline runs on a second simulator with the same limit, in the same run. Detection: from a task's end to the first read that returned it final.`,
		"- **Wait by callback**: Create sends the execution's resume URL, Wait parks the execution (`waitMode: callback`), and the simulator's own callback, when the task turns final, resumes it through `postToWaitingExecution` (n8n's waiting-webhook path). engine.ts gives executions the fixed resume base http://127.0.0.1:5678/webhook-waiting, so the bench hands the simulator's deliveries to that base to `postToWaitingExecution` in-process instead of over a socket. Reads are the task's `GET`s from Create until the run went on.",
		'- **Memory**: one fresh process per case, with `N8N_DEFAULT_BINARY_DATA_MODE=filesystem` (n8n-core 2.41 stores it as `filesystem-v2`) and `N8N_BINARY_DATA_STORAGE_PATH` in a temporary folder; the file is served by a simulator in the parent process. Each case first downloads a 1 MB file the same way, collects garbage, then samples `process.memoryUsage()` every 1 ms during the download (RSS also from the kernel\'s peak, ru_maxrss). Growth = peak − the value just before. "heap" = V8 heapUsed + ArrayBuffers/Node Buffers (which live outside the V8 heap), sampled together. "Flat": the larger file may grow memory at most 16 MB more than the smaller one.',
		`- **Trigger burst**: the trigger behind test/helpers/trigger.ts (a real HTTP server run as n8n runs a production webhook), default options (Start On completed, Confirm With the API on). ${config.trigger.tasks} tasks created with its signed URL as callback_url are made final at once; each one's callback is then delivered by the simulator (retried after a non-2xx, as EvoLink does) and once more as a duplicate (\`deliverCallback\`), both over HTTP at the same moment. callbacks/s = callbacks answered ÷ time from the first POST to the last answer.`,
		'',
		'## Details',
		'',
		'### Polling, per task',
		'',
		...poll.details,
		...schedule.details,
	];
	if (results.items.ok) {
		const { singles, concurrent, sequential } = results.items.result;
		lines.push(
			'### Items, per workflow',
			'',
			'| run | items | wall time | reads | slowest item seen after its task ended |',
			'|---|---|---|---|---|',
			...[
				...singles.map((t) => ['single', t]),
				...concurrent.map((t) => ['together', t]),
				...sequential.runs.map((t, i) => [`one after another #${i + 1}`, t]),
			].map(
				([name, t]) =>
					`| ${name} | ${t.items} | ${s(t.wallMs, 2)} | ${t.reads} | ${s(t.worstDelayMs, 2)}${t.error ? ` (${t.error})` : ''} |`,
			),
			'',
		);
	}
	const memoryRuns = results.memory.filter((suite) => suite.ok).map((suite) => suite.result);
	if (memoryRuns.length) {
		lines.push(
			'### Memory, per case',
			'',
			'| case | file | time | MB/s | RSS before | RSS growth | V8 heap growth | Buffers growth | samples |',
			'|---|---|---|---|---|---|---|---|---|',
			...memoryRuns.map(
				(m) =>
					`| ${m.mode === 'node' ? 'node Get + Download Video' : 'fetch + arrayBuffer()'} | ${fmt(m.bytes / MB)} MB | ${s(m.durationMs, 2)} | ${(m.bytes / MB / (m.durationMs / 1000)).toFixed(0)} | ${(m.baseline.rss / MB).toFixed(1)} MB | ${mb(m.growth.rss)} | ${mb(m.growth.heapUsed)} | ${mb(m.growth.arrayBuffers)} | ${m.samples} |`,
			),
			'',
		);
	}
	const suites = [
		['polling + callback', results.poll],
		['schedule over shapes', results.schedule],
		['items', results.items],
		['rate limit', results.budget],
		['trigger burst', results.trigger],
		...results.memory.map((suite, i) => [`memory #${i + 1}`, suite]),
	];
	lines.push(
		'### Suite times',
		'',
		suites
			.map(([name, suite]) => `${name}: ${s(suite.ms)}${suite.ok ? '' : ' (failed)'}`)
			.join(' · '),
		'',
	);
	return lines.filter((line, i) => !(line === '' && lines[i - 1] === '')).join('\n');
}

module.exports = { buildReport, median };
