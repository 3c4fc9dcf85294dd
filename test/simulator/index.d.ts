// Types of the EvoLink simulator (evolink-simulator.js, cli.js).
//
// Import the values from the JS modules: with allowJs, TypeScript reads their JSDoc, which points at
// these declarations:
//   import { createSimulator, createCallbackReceiver } from './simulator/evolink-simulator';
//   import { spawnCli } from './simulator/cli';
// Import only types from here (there is no index.js at runtime):
//   import type { EvoLinkSimulator, SimRequest } from './simulator';

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type TaskOutcome = 'completed' | 'failed' | 'cancelled';

export interface SimulatorOptions {
	/** Bearer key the API accepts. Default: a random `sk-sim-…`. */
	apiKey?: string;
	/** Default 127.0.0.1. */
	host?: string;
	/** Default 0 (a free port). */
	port?: number;
	/** Default real duration of a task, ms (`defaults.durationMs`). Default 3000. */
	taskMs?: number;
	/** Default size of a result file, bytes (`defaults.videoBytes`). Default 65536. */
	videoBytes?: number;
	/** Delays before the (at most 3) callback retries. Default [1000, 2000, 4000]. */
	callbackRetryDelaysMs?: number[];
	/** Timeout of one callback POST. Default 10000. */
	callbackTimeoutMs?: number;
	/** The account's credits; a create that would reserve more than is left answers 402. Default 1,000,000. */
	credits?: number;
	/** The key's own credit limit (undefined: unlimited). */
	keyCredits?: number;
	/** Default 'string'. */
	errorFormat?: 'string' | 'number';
	/** Answer 429 past this rate (none by default). */
	rateLimit?: RateLimit;
}

/**
 * EvoLink rate-limits per model and publishes no numbers. 'model' (default) limits creates per
 * model; 'key' counts every authenticated request. A token bucket: `burst` (default perSecond,
 * at least 1) refilled at `perSecond`. Refusals carry Retry-After in whole seconds unless
 * `retryAfter` is false.
 */
export interface RateLimit {
	perSecond: number;
	burst?: number;
	scope?: 'model' | 'key';
	retryAfter?: boolean;
}

/**
 * How a task behaves. Resolution order, later wins: `sim.defaults`, prompt markers
 * (`[ms:5000]`, `[fail]`, `[fail:code]`, `[cancel]`, `[estimate:none]`, `[estimate:x3]`,
 * `[progress:steps]`, `[bytes:N]`), then `setNextTask`.
 */
export interface TaskScenario {
	/** Real time from create to the final state. 10% pending, then processing (progress to 99). */
	durationMs?: number;
	outcome?: TaskOutcome;
	/** error.code of a failed task. Default content_policy_violation. */
	errorCode?: string;
	/** 'accurate' = ceil(durationMs / 1000) s; 'none' omits estimated_time; a number (or 'x3') = factor. */
	estimate?: 'accurate' | 'none' | number | string;
	/** Size of the result file. */
	videoBytes?: number;
	/** How progress moves (test/simulator/progressShapes.js); default 'proportional'. */
	progressShape?: ProgressShape;
}

export type ProgressShape = 'proportional' | 'stuck' | 'slowStart' | 'steps' | 'behind' | 'ahead';

export interface SimRequest {
	method: string;
	/** Path with query string. */
	path: string;
	/** Lower-cased; authorization is 'Bearer <ok>', 'Bearer <bad>' or '<missing>'. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON, the raw string if not JSON, undefined if empty. */
	body: unknown;
	/** Arrival time, ms epoch. */
	at: number;
	/** Set when a fault answered (or shaped) this request. */
	fault?: FaultKind;
	/** HTTP status sent; null when the socket was destroyed instead; undefined while pending. */
	status?: number | null;
	/** Refused by the rate limit (status 429). */
	rateLimited?: boolean;
	/** Create requests: the task created by this request. */
	taskId?: string;
	/** Create requests answered from the Idempotency-Key store. */
	replayed?: boolean;
	/** File API uploads: what was stored. */
	upload?: { fileId: string; fileName: string; mimeType: string; bytes: number; sha256: string };
}

export interface CallbackAttempt {
	taskId: string;
	url: string;
	/** 1 = first delivery, 2..4 = retries. */
	attempt: number;
	status?: number;
	error?: string;
	at: number;
	/** True for `deliverCallback` posts. */
	manual?: boolean;
}

/** The object `GET /v1/tasks/{id}` returns (and the callback body). */
export interface ApiTask {
	created: number;
	id: string;
	model: string;
	object: 'video.generation.task';
	progress: number;
	status: TaskStatus;
	task_info: { can_cancel: boolean; estimated_time?: number };
	type: 'video';
	usage: { billing_rule: string; credits_reserved: number; user_group: string };
	results?: string[];
	error?: { code: string | number; message: string; type: string };
}

/** Internal task record (`sim.tasks`). status/progress are computed from the clock on read. */
export interface SimTask {
	id: string;
	model: string;
	/** Epoch seconds. */
	created: number;
	/** Epoch ms. */
	createdAt: number;
	/** The create request body. */
	request: Record<string, unknown>;
	duration: number;
	quality: string;
	callbackUrl?: string;
	idempotencyKey?: string;
	scenario: Required<Pick<TaskScenario, 'durationMs' | 'outcome' | 'estimate'>> & TaskScenario;
	/** Seconds, undefined when the scenario says estimate 'none'. */
	estimatedTime?: number;
	creditsReserved: number;
	/** How long its video lasts, for a continuation or an edit of it (its requested duration). */
	outputSeconds: number;
	/** Became final (callback started). */
	finalized: boolean;
	finalizedAt?: number;
	readonly status: TaskStatus;
	readonly progress: number;
}

export type FaultKind =
	| 'status'
	| 'reset'
	| 'slow'
	| 'malformed'
	| 'html'
	| 'dropAfterCreate'
	| 'downloadAbort'
	| 'expired';

export interface Fault {
	kind: FaultKind;
	/** Which requests it hits (default: any). path: prefix of the path+query, or a RegExp. */
	match?: { method?: string; path?: string | RegExp };
	/** How many matching requests it hits. Default 1. */
	times?: number;
	/** kind 'status': HTTP status (429, 500, 502, 503, 402, 403, …). */
	status?: number;
	/** kind 'status': Retry-After header, seconds. */
	retryAfter?: number;
	/** kind 'status': override error.code / error.message / error.type, or the whole body. */
	code?: string;
	message?: string;
	type?: string;
	body?: unknown;
	/** kind 'slow': delay before the normal answer. Default 5000. */
	delayMs?: number;
	/** kind 'downloadAbort': bytes of body sent before the connection is cut. Default half. */
	bytes?: number;
}

export interface StartedSimulator {
	baseUrl: string;
	port: number;
	host: string;
	apiKey: string;
}

export interface EvoLinkSimulator extends NodeJS.EventEmitter {
	readonly apiKey: string;
	/** Set once started, e.g. http://127.0.0.1:PORT. */
	readonly baseUrl: string | undefined;
	readonly port: number;
	/** Mutable scenario for every task. */
	defaults: TaskScenario & { durationMs: number; outcome: TaskOutcome; errorCode: string };
	errorFormat: 'string' | 'number';
	/** The account's and the key's credits (mutable; see SimulatorOptions). */
	credits: number;
	keyCredits: number | undefined;
	/** Upload MIME types the file API answers 400 for (mutable; reset() clears it). */
	refuseUploadTypes: string[];
	/** Credits held by tasks that did not fail or get cancelled. */
	creditsUsed(): number;
	/** The smaller of the account's and the key's credits left. */
	creditsLeft(): number;
	callbackRetryDelaysMs: number[];
	callbackTimeoutMs: number;
	readonly requests: SimRequest[];
	/** Files uploaded through the file API (`POST /api/v1/files/upload/stream`), by file_id. */
	readonly uploads: Map<
		string,
		{
			id: string;
			fileName: string;
			mimeType: string;
			bytes: Buffer;
			sha256: string;
			extension: string;
		}
	>;
	readonly tasks: Map<string, SimTask>;
	readonly callbacks: CallbackAttempt[];
	/** Pending faults, with how many hits each has left. */
	readonly faults: Array<Fault & { remaining: number }>;

	start(): Promise<StartedSimulator>;
	/** Closes the server and every open socket; cancels task timers, callback retries and posts. */
	stop(): Promise<void>;
	/** Clears requests, tasks, faults, the rate limit, callbacks, idempotency keys, queued setNextTask scenarios. Keeps defaults and errorFormat. */
	reset(): void;
	requestsTo(method: string | undefined, pathPrefixOrRegex?: string | RegExp): SimRequest[];
	/** Scenario(s) for the next created task(s), queued in order. */
	setNextTask(scenario: TaskScenario | TaskScenario[]): this;
	inject(fault: Fault): Fault & { remaining: number };
	/** The rate limit now in force (null: none). */
	readonly rateLimit: Required<RateLimit> | null;
	/** Sets the rate limit (null removes it) and refills its buckets. */
	setRateLimit(limit: RateLimit | null): this;
	/** The task as the API returns it now. */
	taskObject(id: string): ApiTask | undefined;
	/** Force a final state now (fires the callback). Throws if the task is unknown or already final. */
	completeNow(id: string): ApiTask;
	failNow(id: string, code?: string): ApiTask;
	cancelNow(id: string): ApiTask;
	/** One extra callback POST (duplicates / forgeries). Resolves with the HTTP status. */
	deliverCallback(id: string, options?: { body?: unknown; url?: string }): Promise<number>;

	on(event: 'request', listener: (request: SimRequest) => void): this;
	on(event: 'callback', listener: (attempt: CallbackAttempt) => void): this;
	on(event: 'taskCreated', listener: (task: SimTask) => void): this;
	on(event: 'taskFinal', listener: (task: ApiTask) => void): this;
	on(event: string | symbol, listener: (...args: unknown[]) => void): this;
}

export declare function createSimulator(options?: SimulatorOptions): EvoLinkSimulator;

export interface ReceivedCallback {
	method: string | undefined;
	path: string | undefined;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	/** Status the receiver answered. */
	status: number;
	at: number;
}

export interface CallbackReceiverOptions {
	/** Statuses to answer, one per request, in order; then defaultStatus. */
	statuses?: number[];
	/** Default 200. */
	defaultStatus?: number;
	/** Default 0 (free port). */
	port?: number;
	/** Path of `url`. Default '/callback'. */
	path?: string;
}

export interface CallbackReceiver {
	/** Set by start(): http://127.0.0.1:PORT/callback */
	url: string;
	received: ReceivedCallback[];
	/** Remaining queued statuses (mutable). */
	statuses: number[];
	on(event: 'request', listener: (entry: ReceivedCallback) => void): CallbackReceiver;
	start(): Promise<string>;
	stop(): Promise<void>;
}

export declare function createCallbackReceiver(options?: CallbackReceiverOptions): CallbackReceiver;

export interface CliHandle {
	baseUrl: string;
	apiKey: string;
	pid: number | undefined;
	/** Last 4000 characters of the child's stderr. */
	readonly stderr: string;
	/** Sends the signal (default SIGTERM); resolves with the exit code (or signal name). */
	stop(signal?: string): Promise<number | string | null>;
}

/** Forks cli.js with these arguments and resolves once it is listening. */
export declare function spawnCli(
	args?: string[],
	options?: { timeoutMs?: number },
): Promise<CliHandle>;
