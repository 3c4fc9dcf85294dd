/**
 * Polling and Wait by callback, on tasks of about 120 s.
 *
 * Every task is created by a Create → Wait workflow run through n8n's engine against the EvoLink
 * simulator. The moment the simulator creates a task, fixed-interval pollers (a plain loop: GET
 * /v1/tasks/{id} every N s, on a grid from the task's creation, until the status is final) start
 * reading the very same task, so the node and its baselines are measured on one task each time.
 * Their reads are told apart by a query string (`?poller=fixed-2s`), which the simulator ignores.
 *
 * The task lengths are spread evenly over a 10 s window around 120 s, so a task's end falls at
 * every phase of every fixed poller's interval (a task of exactly 120 s would end on a 2, 5 and
 * 10 s read and flatter them) and of the node's own schedule.
 *
 * Wait by callback: Create sends the execution's resume URL, Wait parks the execution, and the
 * simulator's own callback delivery, when the task turns final, resumes it. engine.ts gives
 * executions the fixed resume base http://127.0.0.1:5678/webhook-waiting, so the simulator's
 * delivery to that base is handed in-process to postToWaitingExecution (n8n's waiting-webhook
 * endpoint) instead of over a socket; every other callback goes out over HTTP as usual.
 */
import type { INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	postToWaitingExecution,
	type RunOptions,
	type RunResult,
	runWorkflow,
	wanVideoNode,
} from '../test/helpers/engine';
import { createParameters, SIM_KEY } from '../test/helpers/fixtures';
import type { EvoLinkSimulator, SimRequest, SimTask } from '../test/simulator';
import { createSimulator } from '../test/simulator/evolink-simulator';

export interface PollInput {
	/** One task per length and scenario. */
	lengthsMs: number[];
	/** The fixed pollers' intervals. */
	fixedIntervalsMs: number[];
	/** One Wait-by-callback workflow per length. */
	callbackLengthsMs: number[];
}

export interface PollerTrace {
	reads: number;
	/** From the task turning final (createdAt + durationMs) to the read that returned it final. */
	delayMs: number;
	/** When each read arrived, from the task's creation. */
	readOffsetsMs: number[];
}

export interface TaskTrace {
	lengthMs: number;
	/** estimated_time the task reported, seconds; undefined when it had none. */
	estimateS?: number;
	/** 'node' and 'fixed-<N>s'. */
	pollers: Record<string, PollerTrace>;
	error?: string;
}

export interface ScenarioResult {
	key: string;
	label: string;
	tasks: TaskTrace[];
}

export interface CallbackTrace {
	lengthMs: number;
	readsBeforePark: number;
	readsWhileParked: number;
	/** Reads from the callback's arrival until the run went on (the confirming read). */
	readsAtResume: number;
	/** From the task turning final to the callback reaching the parked execution. */
	callbackDelayMs?: number;
	/** From the task turning final to the resumed run's end. */
	resumeDelayMs?: number;
	parkedStatus?: string;
	resumedStatus?: string;
	outputStatus?: string;
	error?: string;
}

export interface PollResult {
	scenarios: ScenarioResult[];
	callback: CallbackTrace[];
	wallMs: number;
}

const POLL_TAG = 'bench-poll';
const CALLBACK_TAG = 'bench-callback';
const FINAL = new Set(['completed', 'failed', 'cancelled']);

export const SCENARIOS = [
	{ key: 'accurate', label: 'accurate estimated_time', marker: '[estimate:accurate]' },
	{ key: 'none', label: 'estimated_time missing', marker: '[estimate:none]' },
	{ key: 'x3', label: 'estimate = 3 × real', marker: '[estimate:x3]' },
	{ key: 'third', label: 'estimate = real ÷ 3', marker: '[estimate:x0.333333]' },
] as const;

const fixedTag = (intervalMs: number) => `fixed-${intervalMs / 1000}s`;

/** A plain loop: GET the task every `intervalMs` (from its creation) until it is final. */
async function fixedPoller(baseUrl: string, task: SimTask, intervalMs: number): Promise<void> {
	for (let tick = 1; tick < 10_000; tick++) {
		const wait = task.createdAt + tick * intervalMs - Date.now();
		if (wait > 0) await sleep(wait);
		try {
			const response = await fetch(
				`${baseUrl}/v1/tasks/${task.id}?poller=${fixedTag(intervalMs)}`,
				{ headers: { authorization: `Bearer ${SIM_KEY}` } },
			);
			const body = (await response.json()) as { status?: string };
			if (FINAL.has(String(body.status))) return;
		} catch {
			// A failed read is tried again at the next tick, as a simple loop would.
		}
	}
}

function traceOf(sim: EvoLinkSimulator, path: string, task: SimTask): PollerTrace {
	const finalAt = task.createdAt + task.scenario.durationMs;
	const reads = sim.requests.filter((r: SimRequest) => r.method === 'GET' && r.path === path);
	const last = reads[reads.length - 1];
	return {
		reads: reads.length,
		delayMs: last ? last.at - finalAt : NaN,
		readOffsetsMs: reads.map((r) => r.at - task.createdAt),
	};
}

function createThenWait(
	credentials: RunOptions['credentials'],
	executionId: string,
	prompt: string,
	callback: boolean,
): RunOptions {
	const create = wanVideoNode(
		createParameters({ prompt, options: callback ? { resumeOnCallback: true } : {} }),
		{ name: 'Create', id: 'node-create' },
	);
	const wait: INode = wanVideoNode(
		{
			operation: 'wait',
			waitOptions: callback ? { waitMode: 'callback', timeout: 900 } : { timeout: 900 },
		},
		{ name: 'Wait', id: 'node-wait', webhookId: `wait-${executionId}` },
	);
	return {
		nodes: [create, wait],
		connections: { Create: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] } },
		start: 'Create',
		input: [{ json: {} }],
		credentials,
		executionId,
	};
}

interface Parked {
	options: RunOptions;
	parked: RunResult;
	callbackAt?: number;
	resumedAt?: number;
	resumed?: RunResult;
}

export async function run(input: PollInput): Promise<PollResult> {
	const startedAt = Date.now();
	const sim = createSimulator({ apiKey: SIM_KEY });
	const { baseUrl } = await sim.start();
	const credentials = { apiKey: SIM_KEY, baseUrl };

	const fixedRuns: Array<Promise<void>> = [];
	sim.on('taskCreated', (task: SimTask) => {
		if (!String(task.request.prompt).startsWith(POLL_TAG)) return;
		for (const intervalMs of input.fixedIntervalsMs) {
			fixedRuns.push(fixedPoller(baseUrl, task, intervalMs));
		}
	});

	// The simulator's callbacks to a parked execution go to n8n's waiting-webhook endpoint.
	const parkedRuns = new Map<string, Parked>();
	const internals = sim as unknown as { _post?(url: string, body: string): Promise<number> };
	const httpPost = internals._post?.bind(sim);
	if (httpPost) {
		internals._post = async (url: string, body: string) => {
			const executionId = /\/webhook-waiting\/([^/?]+)/.exec(url)?.[1];
			if (!executionId) return await httpPost(url, body);
			const entry = parkedRuns.get(executionId);
			if (!entry) return 404;
			entry.callbackAt ??= Date.now();
			const { response, resumed } = await postToWaitingExecution(entry.options, entry.parked, {
				url,
				body: JSON.parse(body) as unknown,
			});
			if (resumed && !entry.resumed) {
				entry.resumed = resumed;
				entry.resumedAt = Date.now();
			}
			return response.status;
		};
	}

	const pollTask = async (
		scenario: (typeof SCENARIOS)[number],
		lengthMs: number,
		index: number,
	): Promise<{ trace: TaskTrace; taskId?: string }> => {
		const options = createThenWait(
			credentials,
			`poll-${scenario.key}-${index}`,
			`${POLL_TAG} ${scenario.key} #${index} [ms:${lengthMs}] ${scenario.marker}`,
			false,
		);
		const trace: TaskTrace = { lengthMs, pollers: {} };
		let taskId: string | undefined;
		try {
			const result = await runWorkflow(options);
			taskId = String(result.output('Create')[0]?.json.taskId);
			const task = sim.tasks.get(taskId);
			if (!task) throw new Error(result.error()?.message ?? 'Create made no task');
			trace.estimateS = task.estimatedTime;
			const outcome = result.output('Wait')[0]?.json.status;
			if (result.run.status !== 'success' || outcome !== 'completed') {
				trace.error = `run ${result.run.status}, task ${String(outcome)}: ${result.error()?.message ?? ''}`;
			}
			trace.pollers.node = traceOf(sim, `/v1/tasks/${taskId}`, task);
		} catch (error) {
			trace.error = (error as Error).message;
		}
		return { trace, taskId };
	};

	const callbackTask = async (lengthMs: number, index: number): Promise<CallbackTrace> => {
		const executionId = `callback-${index}`;
		const options = createThenWait(
			credentials,
			executionId,
			`${CALLBACK_TAG} #${index} [ms:${lengthMs}]`,
			true,
		);
		const trace: CallbackTrace = {
			lengthMs,
			readsBeforePark: 0,
			readsWhileParked: 0,
			readsAtResume: 0,
		};
		try {
			if (!httpPost)
				throw new Error('the simulator no longer has _post(url, body) to route callbacks');
			const parked = await runWorkflow(options);
			const parkedAt = Date.now();
			trace.parkedStatus = parked.run.status;
			const taskId = String(parked.output('Create')[0]?.json.taskId);
			const task = sim.tasks.get(taskId);
			if (!task) throw new Error(parked.error()?.message ?? 'Create made no task');
			if (parked.run.status !== 'waiting')
				throw new Error(`the run did not park: ${parked.run.status}`);
			const entry: Parked = { options, parked };
			parkedRuns.set(executionId, entry);
			const deadline = task.createdAt + lengthMs + 120_000;
			while (!entry.resumedAt && Date.now() < deadline) await sleep(100);
			const finalAt = task.createdAt + task.scenario.durationMs;
			const reads = sim.requests.filter(
				(r) => r.method === 'GET' && r.path === `/v1/tasks/${taskId}`,
			);
			const callbackAt = entry.callbackAt ?? Infinity;
			trace.readsBeforePark = reads.filter((r) => r.at <= parkedAt).length;
			trace.readsWhileParked = reads.filter((r) => r.at > parkedAt && r.at < callbackAt).length;
			trace.readsAtResume = reads.filter((r) => r.at >= callbackAt).length;
			if (entry.callbackAt) trace.callbackDelayMs = entry.callbackAt - finalAt;
			if (entry.resumedAt) trace.resumeDelayMs = entry.resumedAt - finalAt;
			trace.resumedStatus = entry.resumed?.run.status;
			const waitRuns = entry.resumed?.run.data.resultData.runData.Wait ?? [];
			const lastWait = waitRuns[waitRuns.length - 1];
			trace.outputStatus = String(lastWait?.data?.main[0]?.[0]?.json.status);
			if (!entry.resumed) trace.error = 'never resumed';
		} catch (error) {
			trace.error = (error as Error).message;
		}
		return trace;
	};

	try {
		const scenarioRuns = SCENARIOS.map(async (scenario) => ({
			key: scenario.key,
			label: scenario.label,
			tasks: await Promise.all(
				input.lengthsMs.map(async (lengthMs, index) => await pollTask(scenario, lengthMs, index)),
			),
		}));
		const callbackRuns = input.callbackLengthsMs.map(
			async (lengthMs, index) => await callbackTask(lengthMs, index),
		);
		const [ran, callback] = await Promise.all([
			Promise.all(scenarioRuns),
			Promise.all(callbackRuns),
		]);
		// The fixed pollers of a task stop at about the time the node does.
		await Promise.all(fixedRuns);
		const scenarios = ran.map(({ key, label, tasks }) => ({
			key,
			label,
			tasks: tasks.map(({ trace, taskId }) => {
				const task = taskId ? sim.tasks.get(taskId) : undefined;
				for (const intervalMs of task ? input.fixedIntervalsMs : []) {
					const tag = fixedTag(intervalMs);
					trace.pollers[tag] = traceOf(sim, `/v1/tasks/${task!.id}?poller=${tag}`, task!);
				}
				return trace;
			}),
		}));
		return { scenarios, callback, wallMs: Date.now() - startedAt };
	} finally {
		await sim.stop();
	}
}
