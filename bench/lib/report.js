'use strict';
// bench/RESULTS.md from the bench's figures (bench/lib/figures.js): tables of what each suite
// measured and the ratios against the baselines of the same run. It judges nothing: the goals are
// asserted by jest, and each section names the test that holds them.

const MB = 1024 * 1024;
const s = (ms, digits = 1) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(digits)} s` : '—');
const x = (r, digits = 2) => (Number.isFinite(r) ? `${r.toFixed(digits)}×` : '—');
const pct = (share) => (Number.isFinite(share) ? `${(100 * share).toFixed(2)} %` : '—');
const n = (v, digits = 1) => (Number.isInteger(v) ? String(v) : Number(v).toFixed(digits));
const mb = (bytes) =>
	Number.isFinite(bytes) ? `${bytes < 0 ? '−' : '+'}${(Math.abs(bytes) / MB).toFixed(1)} MB` : '—';
const span = ({ median, min, max }, f = n) =>
	`${f(median)} (${min === max ? f(min) : `${f(min)}–${f(max)}`})`;
const every = (tag) => tag.replace(/^fixed-(.+)s$/, 'every $1 s');
const row = (cells) =>
	`| ${cells.map((c) => String(c ?? '—').replace(/\|/g, '\\|')).join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row), ''];

/** A section: its title, what it runs and which tests hold its goals, then its body. */
function section(title, about, figures, body) {
	const lines = [`## ${title}`, '', about, ''];
	if (!figures) return [];
	if (figures.error) return [...lines, `**Not measured**: ${figures.error}`, ''];
	return [...lines, ...body(figures)];
}

const poll = (f) => {
	const tags = Object.keys(f.scenarios[0].loops);
	const last = tags[tags.length - 1];
	const c = f.callback;
	return [
		...table(
			[
				'estimated_time',
				'tasks',
				'node reads',
				'node delay',
				...tags.map((tag) => `${every(tag)}: reads / delay`),
				`reads ÷ ${every(last)}`,
				`delay ÷ ${every(last)}`,
			],
			f.scenarios.map((sc) => [
				`${sc.label}${sc.failed ? ` (${sc.failed} failed: ${sc.error})` : ''}`,
				sc.tasks,
				span(sc.node.reads),
				span(sc.node.delayMs, (ms) => s(ms)),
				...tags.map((tag) => `${n(sc.loops[tag].reads)} / ${s(sc.loops[tag].delayMs)}`),
				x(sc.vs[last].reads),
				x(sc.vs[last].delay),
			]),
		),
		`Task lengths ${s(f.scenarios[0].lengthMs.min)}–${s(f.scenarios[0].lengthMs.max)}; node figures are median (range) over the tasks, the loops' are medians.`,
		'',
		'**Wait by callback** (Create with Resume on Callback → Wait in callback mode; the simulator’s callback resumes the execution):',
		'',
		...table(
			[
				'runs',
				'reads before parking',
				'while parked',
				'confirming the callback',
				'total',
				'polling Wait',
				'total ÷ polling',
				'resumed after the task ended',
			],
			[
				[
					`${c.runs}${c.failed ? ` (${c.failed} failed: ${c.error})` : ''}`,
					span(c.reads.beforePark),
					span(c.reads.whileParked),
					span(c.reads.confirming),
					span(c.reads.total),
					n(c.pollingReads),
					x(c.vsPolling),
					s(c.resumedAfterEndMs, 2),
				],
			],
		),
	];
};

const schedule = (f) => {
	const last = f.ratiosAgainst;
	return [
		`The fixed loops on the same tasks (the same for every shape): ${Object.entries(f.loops)
			.map(
				([tag, l]) =>
					`${every(tag)} ${l.reads} reads, median ${s(l.medianDelayMs)}, max ${s(l.maxDelayMs)}`,
			)
			.join('; ')}.`,
		'',
		...table(
			[
				'progress',
				'estimate',
				'signals',
				'reads (worst)',
				'median delay',
				'max delay',
				`reads ÷ ${every(last)}`,
				`median delay ÷ ${every(last)}`,
				`worst length ${f.lengthsS[0]}–${f.lengthsS[f.lengthsS.length - 1]} s`,
			],
			f.rows.map((r) => [
				r.shape,
				r.estimate,
				r.kind,
				r.node.reads,
				s(r.node.medianDelayMs),
				s(r.node.maxDelayMs),
				x(r.vsLoop.reads),
				x(r.vsLoop.medianDelay),
				`${r.worstLength.lengthS} s: ${r.worstLength.reads} reads, max ${s(r.worstLength.maxDelayMs)}`,
			]),
		),
	];
};

const items = (f) => [
	...table(
		[
			'items',
			'wall',
			'÷ one item’s',
			'reads per item',
			'slowest seen after its end',
			'one after another ÷ one item’s',
		],
		[
			[
				1,
				`${s(f.one.wallMs)} (median of ${f.one.runs.length})`,
				x(1, 3),
				n(f.one.reads),
				'—',
				`${x(f.sequential.vsOne)} (${f.sequential.items} items in ${s(f.sequential.wallMs)})`,
			],
			...f.together.map((t) => [
				t.items,
				s(t.wallMs),
				x(t.vsOne, 3),
				n(t.readsPerItem),
				s(t.worstDelayMs, 2),
				`${x(t.oneAfterAnotherVsOne, 1)} (${t.items} × ${s(f.sequential.perItemMs)})`,
			]),
		],
	),
	...(f.error ? [`Errors: ${f.error}`, ''] : []),
];

const budget = (f) => {
	const side = (k) => [
		`${k.tasks} for ${k.items} (${k.createdTwice}); ${k.completed} completed${k.error ? `; ${k.error}` : ''}`,
		`${k.requests} (${k.creates} + ${k.reads})`,
		`${k.refused} (${pct(k.refusedShare)})`,
		s(k.wallMs),
		x(k.wallVsIdeal),
		s(k.createSpanMs),
		`${s(k.seenAfterEndMs.median)} / ${s(k.seenAfterEndMs.p90)} / ${s(k.seenAfterEndMs.max)}`,
	];
	const [node, loop] = [side(f.node), side(f.loop)];
	const ratios = [
		'—',
		x(f.vsLoop.requests),
		x(f.vsLoop.refused, 4),
		x(f.vsLoop.wall),
		'—',
		'—',
		`${x(f.vsLoop.seenAfterEnd)} (median)`,
	];
	const measures = [
		'tasks for items (created twice)',
		'requests (creates + reads)',
		'answered 429 (share)',
		'wall',
		`wall ÷ ideal (${s(f.itemMs, 0)} + ${f.items} creates at ${f.limitPerSecond}/s = ${s(f.idealMs, 0)})`,
		'accepted creates span',
		'seen after the end: median / p90 / max',
	];
	return table(
		[
			'',
			'node (Create with Wait for Completion)',
			`plain loop (all at once, retry each 429, read every ${s(f.loopIntervalMs, 0)})`,
			'node ÷ loop',
		],
		measures.map((m, i) => [m, node[i], loop[i], ratios[i]]),
	);
};

const workers = (f) => {
	const label = (r, i) =>
		`${r.workers} worker${r.workers > 1 ? 's' : ''} × ${r.executionsEach} executions × ${r.itemsEach} items${i === 0 ? ' (baseline)' : ''}`;
	return table(
		[
			'run',
			'tasks for items (created twice)',
			'requests (creates + reads)',
			'answered 429 (share)',
			'wall',
			'ideal',
			'wall ÷ ideal',
			'429 share ÷ baseline’s',
			'wall ÷ ideal, ÷ baseline’s',
		],
		f.runs.map((r, i) =>
			r.error && r.tasks === undefined
				? [i === 0 ? 'baseline' : `run #${i + 1}`, `not measured: ${r.error}`]
				: [
						label(r, i),
						`${r.tasks} for ${r.items} (${r.createdTwice}); ${r.completed} completed${r.failed ? `, ${r.failed} failed: ${r.error}` : ''}`,
						`${r.requests} (${r.creates} + ${r.reads})`,
						`${r.refused} (${pct(r.refusedShare)})`,
						s(r.wallMs),
						s(r.idealMs, 0),
						x(r.wallVsIdeal),
						i === 0 ? '—' : x(r.vsBaseline?.refusedShare),
						i === 0 ? '—' : x(r.vsBaseline?.wallVsIdeal),
					],
		),
	);
};

const memory = (cases) =>
	table(
		[
			'file',
			'node: RSS / heap (V8 + Buffers) growth',
			'node time',
			'fetch: RSS / heap growth',
			'fetch time',
			'RSS ÷ fetch’s',
			'heap ÷ fetch’s',
		],
		cases.map((c) => [
			`${n(c.bytes / MB, 0)} MB`,
			c.node.error
				? `not measured: ${c.node.error}`
				: `${mb(c.node.rss)} / ${mb(c.node.heap)} (${mb(c.node.v8)} + ${mb(c.node.buffers)})${c.node.storedWhole === false ? ', **stored partly**' : ''}`,
			c.node.error ? '—' : `${s(c.node.durationMs, 2)} (${n(c.node.mbPerSecond, 0)} MB/s)`,
			c.fetch.error ? `not measured: ${c.fetch.error}` : `${mb(c.fetch.rss)} / ${mb(c.fetch.heap)}`,
			c.fetch.error ? '—' : `${s(c.fetch.durationMs, 2)} (${n(c.fetch.mbPerSecond, 0)} MB/s)`,
			x(c.vsFetch.rss, 3),
			x(c.vsFetch.heap, 3),
		]),
	);

const trigger = (f) =>
	table(
		[
			'tasks',
			'callbacks (retries)',
			'answers',
			'callbacks/s',
			'answer time median / p95 / max',
			'executions per task',
			'last execution done',
		],
		[
			[
				f.tasks,
				`${f.deliveries} (${f.retries})`,
				Object.entries(f.answers)
					.map(([status, count]) => `${count}× ${status}`)
					.join(', '),
				n(f.callbacksPerSecond, 0),
				`${f.answerMs.median} / ${f.answerMs.p95} / ${f.answerMs.max} ms`,
				Object.entries(f.executionsPerTask)
					.map(([runs, tasks]) => `${runs} run: ${tasks} tasks`)
					.join(', ') + (f.executionErrors ? `; ${f.executionErrors} failed` : ''),
				s(f.lastExecutionMs, 2),
			],
		],
	);

function buildReport(f) {
	const { machine: m, config: c } = f;
	const lines = [
		'# Benchmark results',
		'',
		...(f.quick
			? [
					'**Quick smoke run (`--quick`): shorter tasks, fewer items, smaller files; not the benchmark.**',
					'',
				]
			: []),
		`Written by \`npm run bench\` (bench/run.js) on ${m.date}, in ${s(f.wallMs)}; every figure is also in bench/results.json.`,
		'',
		`- Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB RAM; ${m.os}`,
		`- Node ${m.node}; n8n-core ${m.n8nCore}; n8n-workflow ${m.n8nWorkflow}; n8n-nodes-wan-video ${m.packageVersion} (git ${m.git})`,
		'- Every run goes through n8n-core’s `WorkflowExecute` (test/helpers/engine.ts) against the EvoLink simulator (test/simulator) over HTTP, each suite in its own process. Ratios are node ÷ a baseline measured in the same run. The goals are jest’s, not this report’s: each section names the test that holds them.',
		'',
		...section(
			'Polling, tasks of about 120 s (real time)',
			`bench/poll.bench.ts: ${c.poll.lengthsMs.length} Create → Wait runs per kind of estimate, task lengths spread over ${s(c.poll.lengthsMs[0])}–${s(c.poll.lengthsMs[c.poll.lengthsMs.length - 1])} so each end falls at every phase of a loop; fixed loops (GET every ${c.poll.fixedIntervalsMs.map((ms) => s(ms, 0)).join(', ')}) read the same tasks. Delay: from the task’s end to the read that saw it. Goals: test/pollSchedule.test.ts (the bounds), test/wanVideo.wait.test.ts (no read at once, one just after the expected end, the near miss), test/wanVideo.callback.test.ts (one read before parking, none while parked).`,
			f.poll,
			poll,
		),
		...section(
			'Polling schedule over progress shapes × estimates (virtual time)',
			'bench/schedule.bench.ts replays the real schedule (test/helpers/scheduleReplay.ts) on tasks of 115–125 s, 10 lengths × 10 creation phases; “worst length” is the node’s largest max delay over tasks of 10 s to 5 min. Goals: test/pollSchedule.test.ts.',
			f.schedule,
			schedule,
		),
		...section(
			'Items at once',
			`bench/items.bench.ts: one Create → Wait workflow with N items of ${s(c.items.itemMs, 0)}, start to end; one item’s time is the median of ${c.items.singleRuns} single-item runs; the one-after-another baseline runs the single-item workflow ${c.items.sequentialItems} times in a row and is scaled to N items. Goals: test/wanVideo.wait.test.ts (many tasks waited at once).`,
			f.items,
			items,
		),
		...section(
			'Many items under a rate limit',
			`bench/budget.bench.ts: ${c.budget.items} items of ~${s(c.budget.itemMs, 0)} (±8 %) in one Create with Wait for Completion, against a simulator answering 429 (with Retry-After) past ${c.budget.limit.perSecond} creates per second per model; the plain loop runs on a second simulator with the same limit, at the same time. Goals: test/wanVideo.budget.test.ts (each item created once, the per-model limit learned), test/budgetConvergence.test.ts (429 share and pace).`,
			f.budget,
			budget,
		),
		...section(
			'Several n8n workers on one API key',
			`bench/workers.bench.ts, one process per worker, each with its own request budget (n8n’s queue mode): each worker runs its executions at once, each a Create with Wait for Completion over its items of ${s(c.workers.itemMs, 0)}, against one simulator in bench/run.js answering 429 past ${c.workers.limit.perSecond} creates per second. Wall: from the key’s first request to its last. Ideal: every create at the limit, then one task’s length. The baseline is one worker running the same number of executions alone. Goals: test/budgetConvergence.test.ts (1, 2 and 4 budgets on one key, in virtual time).`,
			f.workers,
			workers,
		),
		...section(
			'Memory while downloading a video',
			'bench/memory.bench.ts: Get → Download Video through n8n with binary data in filesystem mode, against a plain fetch + arrayBuffer() of the same file, each case in a fresh process after a 1 MB warm-up; growth = peak (sampled every 1 ms, and the kernel’s ru_maxrss) − the value just before.',
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
	];
	return lines.join('\n');
}

module.exports = { buildReport };
