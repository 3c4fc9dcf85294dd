'use strict';
// bench/RESULTS.md from the bench's figures (bench/lib/figures.js): a table per suite of what it
// measured, with the ratios against the baselines of the same run. It judges nothing: the goals
// are asserted by jest, and each section names the tests that hold them.

const MB = 1024 * 1024;
const s = (ms, digits = 1) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(digits)} s` : '—');
const x = (r, digits = 2) => (Number.isFinite(r) ? `${r.toFixed(digits)}×` : '—');
const pct = (share) => (Number.isFinite(share) ? `${(100 * share).toFixed(2)} %` : '—');
const n = (v, digits = 1) => (Number.isInteger(v) ? String(v) : Number(v).toFixed(digits));
const mb = (bytes) =>
	Number.isFinite(bytes) ? `${bytes < 0 ? '−' : '+'}${(Math.abs(bytes) / MB).toFixed(1)} MB` : '—';
const range = (values, f) => {
	const [low, high] = [f(Math.min(...values)), f(Math.max(...values))];
	return low === high ? low : `${low}–${high}`;
};
/** 'median (min–max)' */
const span = ({ median, min, max }, f = n) => `${f(median)} (${range([min, max], f)})`;
const list = (object, f) =>
	Object.entries(object)
		.map(([key, value]) => f(key, value))
		.join(', ');
const every = (tag) => tag.replace(/^fixed-(.+)s$/, 'every $1 s');
const failed = (count, error) => (count ? ` (${count} failed: ${error})` : '');

const line = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
/** A Markdown table: `columns` are [heading, cell of a row], one line per row. */
const table = (columns, rows) => [
	line(columns.map(([head]) => head)),
	line(columns.map(() => '---')),
	...rows.map((r, i) => line(columns.map(([, cell]) => cell(r, i) ?? '—'))),
	'',
];

/** A section: title, what ran and which tests hold its goals, then the figures (or the error). */
function section(title, about, figures, body) {
	if (!figures) return [];
	const lines = [`## ${title}`, '', about, ''];
	if (figures.error) return [...lines, `**Not measured**: ${figures.error}`, ''];
	return [...lines, ...body(figures)];
}

function poll(f) {
	const tags = Object.keys(f.scenarios[0].loops);
	const last = tags[tags.length - 1];
	const { lengthMs } = f.scenarios[0];
	return [
		...table(
			[
				['estimated_time', (sc) => `${sc.label}${failed(sc.failed, sc.error)}`],
				['tasks', (sc) => sc.tasks],
				['node reads', (sc) => span(sc.node.reads)],
				['node delay', (sc) => span(sc.node.delayMs, s)],
				...tags.map((tag) => [
					`${every(tag)}: reads / delay`,
					(sc) => `${n(sc.loops[tag].reads)} / ${s(sc.loops[tag].delayMs)}`,
				]),
				[`reads ÷ ${every(last)}`, (sc) => x(sc.vs[last].reads)],
				[`delay ÷ ${every(last)}`, (sc) => x(sc.vs[last].delay)],
			],
			f.scenarios,
		),
		`Tasks of ${s(lengthMs.min)}–${s(lengthMs.max)}. The node: median (range) over the tasks; the loops: medians. Delay: from the task’s end to the read that saw it.`,
		'',
		'**Wait by callback**: Create with Resume on Callback → Wait in callback mode, resumed by the simulator’s callback; the baseline is the polling Wait above (accurate estimate).',
		'',
		...table(
			[
				['runs', (c) => `${c.runs}${failed(c.failed, c.error)}`],
				['reads before parking', (c) => span(c.reads.beforePark)],
				['while parked', (c) => span(c.reads.whileParked)],
				['confirming the callback', (c) => span(c.reads.confirming)],
				['total', (c) => span(c.reads.total)],
				['polling Wait', (c) => n(c.pollingReads)],
				['total ÷ polling', (c) => x(c.vsPolling)],
				['resumed after the task ended', (c) => s(c.resumedAfterEndMs, 2)],
			],
			[f.callback],
		),
	];
}

function schedule(f) {
	const last = every(f.ratiosAgainst);
	const loops = Object.entries(f.loops).map(
		([tag, l]) =>
			`${every(tag)}: ${l.reads} reads, median ${s(l.medianDelayMs)}, max ${s(l.maxDelayMs)}`,
	);
	return [
		`Fixed loops on the same tasks (the same for every shape): ${loops.join('; ')}.`,
		'',
		...table(
			[
				['progress', (r) => r.shape],
				['estimate', (r) => r.estimate],
				['signals', (r) => r.kind],
				['reads (worst)', (r) => r.node.reads],
				['median delay', (r) => s(r.node.medianDelayMs)],
				['max delay', (r) => s(r.node.maxDelayMs)],
				[`reads ÷ ${last}`, (r) => x(r.vsLoop.reads)],
				[`median delay ÷ ${last}`, (r) => x(r.vsLoop.medianDelay)],
				[
					'worst length: reads, max delay',
					({ worstLength: w }) => `${w.lengthS} s: ${w.reads}, ${s(w.maxDelayMs)}`,
				],
			],
			f.rows,
		),
	];
}

function items(f) {
	const one = {
		items: 1,
		wallMs: f.one.wallMs,
		vsOne: 1,
		readsPerItem: f.one.reads,
		worstDelayMs: f.one.worstDelayMs,
		oneAfterAnotherVsOne: 1,
	};
	return [
		...table(
			[
				['items', (r) => r.items],
				['wall', (r, i) => `${s(r.wallMs)}${i ? '' : ` (median of ${f.one.runs.length})`}`],
				['÷ one item’s', (r) => x(r.vsOne, 3)],
				['reads per item', (r) => n(r.readsPerItem)],
				['slowest seen after its end', (r) => s(r.worstDelayMs, 2)],
				['one after another ÷ one item’s', (r) => x(r.oneAfterAnotherVsOne, 1)],
			],
			[one, ...f.together],
		),
		`One after another: ${f.sequential.items} single-item runs in a row took ${s(f.sequential.wallMs)} (${s(f.sequential.perItemMs)} per item), scaled to N items.${f.error ? ` Errors: ${f.error}` : ''}`,
		'',
	];
}

/** Tasks, requests, 429s and wall time of runs under a rate limit (one key each). */
const keyColumns = [
	['tasks for items (created twice)', (r) => `${r.tasks} for ${r.items} (${r.createdTwice})`],
	['completed', (r) => `${r.completed}${r.error ? ` (**${r.error}**)` : ''}`],
	['requests (creates + reads)', (r) => `${r.requests} (${r.creates} + ${r.reads})`],
	['answered 429 (share)', (r) => `${r.refused} (${pct(r.refusedShare)})`],
	['wall', (r) => s(r.wallMs)],
	['ideal', (r) => s(r.idealMs, 0)],
	['wall ÷ ideal', (r) => x(r.wallVsIdeal)],
	['creates accepted over', (r) => s(r.createSpanMs)],
];

function budget(f) {
	const loop = `plain loop (all at once, retry each 429, read every ${s(f.loopIntervalMs, 0)})`;
	const seen = (r) =>
		`${s(r.seenAfterEndMs.median)} / ${s(r.seenAfterEndMs.p90)} / ${s(r.seenAfterEndMs.max)}`;
	return [
		...table(
			[['run', (r) => r.name], ...keyColumns, ['seen after the end: median / p90 / max', seen]],
			[
				{ name: 'node (Create with Wait for Completion)', ...f.node, idealMs: f.idealMs },
				{ name: loop, ...f.loop, idealMs: f.idealMs },
			],
		),
		`Ideal: ${s(f.itemMs, 0)} + ${f.items} creates at ${f.limitPerSecond}/s. Node ÷ loop: requests ${x(f.vsLoop.requests)}, 429s ${x(f.vsLoop.refused, 4)}, wall ${x(f.vsLoop.wall)}, median seen after the end ${x(f.vsLoop.seenAfterEnd)}.`,
		'',
	];
}

const perWorker = (r, key, f) =>
	range(
		r.perWorker.map((w) => w[key]),
		f,
	);
const workers = (f) =>
	table(
		[
			[
				'run',
				(r, i) =>
					`${r.workers} worker${r.workers > 1 ? 's' : ''} × ${r.executionsEach} executions × ${r.itemsEach} items${i ? '' : ' (baseline)'}`,
			],
			...keyColumns,
			[
				'each worker: wall / 429s',
				(r) => `${perWorker(r, 'wallMs', s)} / ${perWorker(r, 'refused', n)}`,
			],
			['429 share ÷ baseline’s', (r) => x(r.vsBaseline?.refusedShare)],
			['wall ÷ ideal, ÷ baseline’s', (r) => x(r.vsBaseline?.wallVsIdeal)],
		],
		f.runs,
	);

const memory = (cases) => {
	const growth = (m) =>
		m.error
			? `not measured: ${m.error}`
			: `${mb(m.rss)} / ${mb(m.heap)} (${mb(m.v8)} + ${mb(m.buffers)})${m.storedWhole === false ? ', **stored partly**' : ''}`;
	const time = (m) => (m.error ? '—' : `${s(m.durationMs, 2)} (${n(m.mbPerSecond, 0)} MB/s)`);
	return table(
		[
			['file', (c) => `${n(c.bytes / MB, 0)} MB`],
			['node: RSS / heap growth (V8 + Buffers)', (c) => growth(c.node)],
			['node time', (c) => time(c.node)],
			['fetch + arrayBuffer(): RSS / heap growth', (c) => growth(c.fetch)],
			['fetch time', (c) => time(c.fetch)],
			['RSS ÷ fetch’s', (c) => x(c.vsFetch.rss, 3)],
			['heap ÷ fetch’s', (c) => x(c.vsFetch.heap, 3)],
		],
		cases,
	);
};

const trigger = (f) =>
	table(
		[
			['tasks', (t) => t.tasks],
			['callbacks (retries)', (t) => `${t.deliveries} (${t.retries})`],
			['answers', (t) => list(t.answers, (code, k) => `${k}× ${code}`)],
			['callbacks/s', (t) => n(t.callbacksPerSecond, 0)],
			[
				'answer time median / p95 / max',
				({ answerMs: a }) => `${a.median} / ${a.p95} / ${a.max} ms`,
			],
			[
				'executions per task',
				(t) =>
					list(t.executionsPerTask, (runs, k) => `${runs}: ${k} tasks`) +
					(t.executionErrors ? `; ${t.executionErrors} failed` : ''),
			],
			['last execution done', (t) => s(t.lastExecutionMs, 2)],
		],
		[f],
	);

function buildReport(f) {
	const { machine: m, config: c } = f;
	const [first, last] = [c.poll.lengthsMs[0], c.poll.lengthsMs[c.poll.lengthsMs.length - 1]];
	return [
		'# Benchmark results',
		'',
		...(f.quick
			? ['**Quick smoke run (`--quick`): shorter tasks, fewer items, smaller files.**', '']
			: []),
		f.quick || f.only
			? `Printed by bench/run.js${f.quick ? ' --quick' : ''}${f.only ? ` --only=${f.only.join(',')}` : ''} on ${m.date}, in ${s(f.wallMs)}; nothing written.`
			: `Written by \`npm run bench\` (bench/run.js) on ${m.date}, in ${s(f.wallMs)}; the figures are also in bench/results.json.`,
		'',
		`- Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB RAM; ${m.os}`,
		`- Node ${m.node}; n8n-core ${m.n8nCore}; n8n-workflow ${m.n8nWorkflow}; n8n-nodes-wan-video ${m.packageVersion} (git ${m.git})`,
		'- Every run goes through n8n-core’s `WorkflowExecute` (test/helpers/engine.ts) against the EvoLink simulator (test/simulator) over HTTP, each suite in its own process. Ratios are the node’s figure ÷ a baseline’s from the same run. This report holds no goals: each section names the jest tests that assert them.',
		'',
		...section(
			`Polling, tasks of about ${s(c.poll.lengthsMs[c.poll.lengthsMs.length >> 1], 0)} (real time)`,
			`bench/poll.bench.ts: ${c.poll.lengthsMs.length} Create → Wait runs per kind of estimate, lengths spread over ${s(first)}–${s(last)} so that each end falls at every phase of a loop; fixed loops (a GET every ${c.poll.fixedIntervalsMs.map((ms) => s(ms, 0)).join(', ')}) read the same tasks. Goals: test/pollSchedule.test.ts (the bounds), test/wanVideo.wait.test.ts (no read at once, one just after the expected end, the near miss), test/wanVideo.callback.test.ts (one read before parking, none while parked).`,
			f.poll,
			poll,
		),
		...section(
			'Polling schedule over progress shapes × estimates (virtual time)',
			'bench/schedule.bench.ts replays the real schedule (test/helpers/scheduleReplay.ts) on tasks of 115–125 s, 10 lengths × 10 creation phases; the worst length is the node’s largest max delay over tasks of 10 s to 5 min. Goals: test/pollSchedule.test.ts.',
			f.schedule,
			schedule,
		),
		...section(
			'Items at once',
			`bench/items.bench.ts: one Create → Wait workflow with N items of ${s(c.items.itemMs, 0)}, start to end; one item’s time is the median of ${c.items.singleRuns} single-item runs. Goals: test/wanVideo.wait.test.ts (many tasks waited at once).`,
			f.items,
			items,
		),
		...section(
			'Many items under a rate limit',
			`bench/budget.bench.ts: ${c.budget.items} items of ~${s(c.budget.itemMs, 0)} (±8 %) in one Create with Wait for Completion, against a simulator answering 429 with Retry-After past ${c.budget.limit.perSecond} creates per second per model; the plain loop runs at the same time on a second simulator with the same limit. Goals: test/wanVideo.budget.test.ts (each item created once, the per-model limit learned), test/budgetConvergence.test.ts (429 share and pace).`,
			f.budget,
			budget,
		),
		...section(
			'Several n8n workers on one API key',
			`bench/workers.bench.ts, one process per worker, each with its own request budget (n8n’s queue mode); each runs its executions at once, each a Create with Wait for Completion over items of ${s(c.workers.itemMs, 0)}, against one simulator in bench/run.js answering 429 past ${c.workers.limit.perSecond} creates per second. The runs go at the same time, each against its own simulator; the baseline runs the 2-worker run’s items in one process (one budget), and the 4-worker run has twice the items, so compare it through wall ÷ ideal. Wall: from the key’s first request to its last; ideal: every create at the limit, then one task’s length. Goals: test/budgetConvergence.test.ts (1, 2 and 4 budgets on one key, in virtual time).`,
			f.workers,
			workers,
		),
		...section(
			'Memory while downloading a video',
			'bench/memory.bench.ts: Get → Download Video through n8n, binary data in filesystem mode, beside a plain fetch + arrayBuffer() of the same file; each case in a fresh process after a 1 MB warm-up. Growth: the peak (sampled every 1 ms, and the kernel’s ru_maxrss) − the value just before.',
			f.memory,
			memory,
		),
		...section(
			'Callback burst to one trigger',
			`bench/trigger.bench.ts: ${c.trigger.tasks} tasks made final at once, each callback delivered ${c.trigger.deliveriesPerTask}× at the same moment to one Wan Video Trigger (default options: confirmed with the API). Goals: test/wanVideoTrigger.test.ts (repeated and simultaneous callbacks start one run).`,
			f.trigger,
			trigger,
		),
		'## Suite times',
		'',
		Object.entries(f.suites)
			.map(([name, t]) => `${name}: ${s(t.ms)} (CPU ${s(t.cpuMs)})${t.ok ? '' : ' **failed**'}`)
			.join(' · '),
		'',
	].join('\n');
}

module.exports = { buildReport };
