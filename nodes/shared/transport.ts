import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './constants';
import { getEvoLinkCredentials } from './credentials';
import { apiError, cancelled, forTask, nodeError } from './errors';
import {
	backoffMs,
	type Grant,
	type Lane,
	MAX_PAUSE_MS,
	type RequestBudget,
	requestBudgetFor,
} from './requestBudget';
import type { EvoLinkTask } from './task';

// Requests to EvoLink through n8n's own request helpers (the credential adds the key), each through
// the key's request budget: retries, backoff and Retry-After, JSON bodies, cancellation.

/**
 * What the shared API code needs of an execute or a webhook context (the trigger, and the resume of
 * a parked Wait). n8n types the helpers' `this` as an execute context; they only use what both have.
 */
export interface ApiContext {
	getNode(): INode;
	getCredentials: IExecuteFunctions['getCredentials'];
	helpers: Pick<
		IExecuteFunctions['helpers'],
		'httpRequest' | 'httpRequestWithAuthentication' | 'prepareBinaryData'
	>;
	getExecutionCancelSignal?(): AbortSignal | undefined;
}

/** How hard one request tries: creates, reads and uploads each have their own. */
export interface RequestPolicy {
	/** Retries after a 429, a 5xx or a network error. */
	retries: number;
	/** Per-request timeout. */
	timeoutMs: number;
	/** Give up rather than pause longer than this (a caller with a deadline of its own). */
	maxPauseMs?: number;
}

const DEFAULT_POLICY: RequestPolicy = { retries: 5, timeoutMs: 30_000 };

/** Retry-After in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (value === undefined || value === null || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * `all` for reads; `rateLimit` for creates: a 429 was refused before any task started, while a 5xx
 * or a lost connection may hide a task that exists (the idempotency key is not in EvoLink's public
 * docs, so we do not bet a second bill on it).
 */
export type RetryMode = 'all' | 'rateLimit';

export interface RequestContext {
	action: string;
	retry: RetryMode;
	/** Which of the key's limits the request counts against. */
	lane: Lane;
	taskId?: string;
	itemIndex?: number;
	policy?: RequestPolicy;
	/** Asked once the request has its slot, just before it goes: true calls it off. */
	callOff?: () => boolean;
}

/** A request called off before it was sent (RequestContext.callOff). */
export function isCalledOff(error: unknown): boolean {
	return error instanceof NodeOperationError && error.context?.calledOff === true;
}

function parseJsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/**
 * Sends an authenticated request and answers the full response with a JSON body. Retries what
 * `retry` allows, waiting at least as long as Retry-After asks; stops when the execution is cancelled.
 */
export async function sendRequest(
	ctx: ApiContext,
	options: IHttpRequestOptions,
	context: RequestContext,
): Promise<IN8nHttpFullResponse & { body: IDataObject }> {
	const policy = context.policy ?? DEFAULT_POLICY;
	const credentials = await getEvoLinkCredentials(ctx);
	const budget = requestBudgetFor(credentials);
	let problem = '';
	for (let failures = 0, refusals = 0; ; ) {
		const { response, error } = await sendOnce(ctx, budget, context, {
			baseURL: credentials.baseUrl,
			json: true,
			timeout: policy.timeoutMs,
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		if (!response) {
			problem = error.message;
			if (context.retry !== 'all' || failures === policy.retries) break;
			await pause(ctx, backoffMs(failures++), context);
			continue;
		}
		const status = response.statusCode;
		if (status === 429) {
			// The budget paused the lane; this request queues again, unless it was asked to wait
			// longer than it may.
			const mayWaitMs = Math.min(MAX_PAUSE_MS, policy.maxPauseMs ?? Infinity);
			const askedMs = Math.max(
				retryAfterMs(response.headers) ?? 0,
				budget.pausedForMs(context.lane),
			);
			if (refusals++ === policy.retries || askedMs > mayWaitMs)
				throw apiError(ctx, response, context);
			continue;
		}
		const body = parseJsonBody(response.body);
		if (status < 400 && body && typeof body === 'object') {
			return { ...response, body: body as IDataObject };
		}
		const retryable = context.retry === 'all' && (status >= 500 || status < 400);
		if (status >= 400 && (!retryable || failures === policy.retries)) {
			throw apiError(ctx, response, context);
		}
		problem = status < 400 ? 'the response was not valid JSON' : `HTTP ${status}`;
		if (!retryable || failures === policy.retries) break;
		const pauseMs = Math.max(backoffMs(failures++), retryAfterMs(response.headers) ?? 0);
		if (status >= 400 && pauseMs > (policy.maxPauseMs ?? Infinity)) {
			throw apiError(ctx, response, context);
		}
		await pause(ctx, pauseMs, context);
	}
	// Marked transient: a later attempt (the next poll of a wait) may well succeed.
	const exhausted = nodeError(
		ctx.getNode(),
		`Could not ${context.action}${forTask(context)}: ${problem}`,
		{
			...context,
			description:
				context.retry === 'all'
					? `Gave up after ${policy.retries + 1} attempts. Check that the credential's base URL is reachable from n8n.`
					: 'This request is not repeated automatically, so that nothing is billed twice. Check the task list in the EvoLink dashboard before running again.',
		},
	);
	exhausted.context.transient = true;
	throw exhausted;
}

/** A 429 or 5xx answer, or requests that kept failing: worth trying again later. */
export function isTransient(error: unknown): boolean {
	if (error instanceof NodeApiError) {
		const status = Number(error.httpCode);
		return status === 429 || status >= 500;
	}
	return error instanceof NodeOperationError && error.context?.transient === true;
}

/**
 * One request in a slot of the key's budget (a cancelled execution stops waiting for one): the
 * response whatever its status, or the error of a request that got none. A 429 is reported to the
 * budget, which pauses and slows the request's lane.
 */
async function sendOnce(
	ctx: ApiContext,
	budget: RequestBudget,
	context: RequestContext,
	request: IHttpRequestOptions,
): Promise<{ response: IN8nHttpFullResponse; error?: never } | { response?: never; error: Error }> {
	let slot: Grant;
	try {
		slot = await budget.take(context.lane, ctx.getExecutionCancelSignal?.());
	} catch {
		throw cancelled(ctx, context);
	}
	if (context.callOff?.()) {
		budget.finish(slot);
		const calledOff = nodeError(ctx.getNode(), `Called off: ${context.action}`, context);
		calledOff.context.calledOff = true;
		throw calledOff;
	}
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx as IExecuteFunctions,
			CREDENTIAL_TYPE,
			request,
		)) as IN8nHttpFullResponse;
		const refused = response.statusCode === 429;
		budget.finish(slot, refused ? { retryAfterMs: retryAfterMs(response.headers) } : undefined);
		return { response };
	} catch (error) {
		budget.finish(slot);
		if (ctx.getExecutionCancelSignal?.()?.aborted) throw cancelled(ctx, context);
		return { error: error as Error };
	}
}

async function pause(ctx: ApiContext, ms: number, context: RequestContext): Promise<void> {
	try {
		await sleep(ms, ctx.getExecutionCancelSignal?.());
	} catch {
		throw cancelled(ctx, context);
	}
}

export async function readTask(
	ctx: ApiContext,
	taskId: string,
	context: { itemIndex?: number; policy?: RequestPolicy } = {},
): Promise<EvoLinkTask> {
	const response = await sendRequest(
		ctx,
		{ method: 'GET', url: `/v1/tasks/${encodeURIComponent(taskId)}` },
		{ ...context, taskId, action: 'read the task', retry: 'all', lane: 'read' },
	);
	return response.body as EvoLinkTask;
}
