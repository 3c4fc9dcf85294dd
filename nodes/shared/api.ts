import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { CREDENTIAL_TYPE, EVOLINK_BASE_URL, EVOLINK_FILES_BASE_URL } from './constants';
import type { EvoLinkTask } from './task';
import { invalidField } from './validation';

/**
 * What the shared API code needs of an execute, webhook or single-item context. n8n types the
 * helpers' `this` as an execute context; the helpers only use what all three contexts have.
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

export interface ReadPolicy {
	/** Retries after a 429, a 5xx or a network error. */
	retries: number;
	/** Per-request timeout. */
	timeoutMs: number;
	/** Give up rather than pause longer than this (a caller with a deadline of its own). */
	maxPauseMs?: number;
}

export const DEFAULT_READ_POLICY: ReadPolicy = { retries: 5, timeoutMs: 30_000 };

const TASK_ID_PATTERN = /^task-unified-[A-Za-z0-9_-]{1,100}$/;

const API_HINTS: Record<number, string> = {
	400: 'Check the parameters named in the message.',
	401: 'The API key was rejected: check the EvoLink API credential.',
	402: 'Your EvoLink balance or key quota is too low: top up credits in the EvoLink dashboard.',
	403: 'This API key may not use this model: allow it in the EvoLink dashboard.',
	404: 'The task does not exist or has expired: check the task ID.',
	429: 'EvoLink is rate limiting this key: lower the number of items per run, or try again later.',
};

export interface EvoLinkCredentials {
	apiKey: string;
	baseUrl: string;
	/** EvoLink's file API, on a host of its own. */
	filesBaseUrl: string;
}

function checkBaseUrl(node: INode, field: string, value: string): string {
	const url = value.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(url)) {
		throw invalidField(
			node,
			0,
			`${field} (EvoLink API credential)`,
			'must start with https:// or http://',
			url,
		);
	}
	return url;
}

/** The credential, checked before any request: an empty key or a broken URL would only fail later. */
export async function getEvoLinkCredentials(ctx: ApiContext): Promise<EvoLinkCredentials> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const node = ctx.getNode();
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (!apiKey) {
		throw invalidField(node, 0, 'API Key (EvoLink API credential)', 'must not be empty', '');
	}
	return {
		apiKey,
		baseUrl: checkBaseUrl(node, 'Base URL', String(credentials.baseUrl || EVOLINK_BASE_URL)),
		filesBaseUrl: checkBaseUrl(
			node,
			'File Upload URL',
			String(credentials.filesBaseUrl || EVOLINK_FILES_BASE_URL),
		),
	};
}

export async function getBaseUrl(ctx: ApiContext): Promise<string> {
	return (await getEvoLinkCredentials(ctx)).baseUrl;
}

export function isEvoLinkHost(baseUrl: string): boolean {
	try {
		const host = new URL(baseUrl).hostname.toLowerCase();
		return host === 'evolink.ai' || host.endsWith('.evolink.ai');
	} catch {
		return false;
	}
}

export function isTaskId(value: unknown): value is string {
	return typeof value === 'string' && TASK_ID_PATTERN.test(value);
}

export function assertTaskId(node: INode, taskId: unknown, itemIndex: number): string {
	const value = typeof taskId === 'string' ? taskId.trim() : taskId;
	if (!isTaskId(value)) {
		throw invalidField(
			node,
			itemIndex,
			'Task ID',
			'must look like task-unified-1757169743-7cvnl5zw (the taskId of a Create output)',
			taskId,
		);
	}
	return value;
}

/** Retry-After in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (value === undefined || value === null || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function errorBody(body: unknown): { code?: string; message?: string } {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return {};
		}
	}
	const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
	const filesApi = parsed as { code?: unknown; msg?: unknown } | undefined;
	if ((!error || typeof error !== 'object') && typeof filesApi?.msg === 'string') {
		// The file API answers { success: false, code, msg } instead.
		return {
			code: filesApi.code === undefined ? undefined : String(filesApi.code),
			message: filesApi.msg,
		};
	}
	if (!error || typeof error !== 'object') return {};
	return {
		code: error.code === undefined ? undefined : String(error.code),
		message: typeof error.message === 'string' ? error.message : undefined,
	};
}

/** An API error that names the task (when there is one) and says what to do. */
export function apiError(
	ctx: ApiContext,
	response: IN8nHttpFullResponse,
	context: Pick<RequestContext, 'taskId' | 'itemIndex' | 'action'>,
): NodeApiError {
	const { code, message } = errorBody(response.body);
	const detail =
		message ?? (typeof response.body === 'string' ? 'unreadable response' : 'no details');
	return withTaskId(
		new NodeApiError(
			ctx.getNode(),
			{ code: code ?? String(response.statusCode), message: detail } as JsonObject,
			{
				message: `EvoLink refused to ${context.action}${forTask(context)} (HTTP ${response.statusCode}${code ? `, ${code}` : ''}): ${detail}`,
				description:
					API_HINTS[response.statusCode] ??
					'Try again later; if it persists, check EvoLink status.',
				httpCode: String(response.statusCode),
				itemIndex: context.itemIndex,
			},
		),
		context.taskId,
	);
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
	taskId?: string;
	itemIndex?: number;
	policy?: ReadPolicy;
}

function isRetryableStatus(status: number, mode: RetryMode): boolean {
	return status === 429 || (mode === 'all' && status >= 500);
}

function parseJsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s ... capped at 30 s. */
export function backoffMs(attempt: number): number {
	return Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
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
	const policy = context.policy ?? DEFAULT_READ_POLICY;
	const baseURL = await getBaseUrl(ctx);
	let problem = '';
	for (let attempt = 0; attempt <= policy.retries; attempt++) {
		const isLastAttempt = attempt === policy.retries;
		let response: IN8nHttpFullResponse;
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx as IExecuteFunctions,
				CREDENTIAL_TYPE,
				{
					baseURL,
					json: true,
					timeout: policy.timeoutMs,
					...options,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				},
			)) as IN8nHttpFullResponse;
		} catch (error) {
			if (ctx.getExecutionCancelSignal?.()?.aborted) throw cancelled(ctx, context);
			problem = (error as Error).message;
			if (context.retry !== 'all' || isLastAttempt) break;
			await pause(ctx, backoffMs(attempt), context);
			continue;
		}
		const body = parseJsonBody(response.body);
		const status = response.statusCode;
		if (status < 400 && body && typeof body === 'object') {
			return { ...response, body: body as IDataObject };
		}
		if (status >= 400 && (!isRetryableStatus(status, context.retry) || isLastAttempt)) {
			throw apiError(ctx, response, context);
		}
		problem = status < 400 ? 'the response was not valid JSON' : `HTTP ${status}`;
		const pauseMs = Math.max(backoffMs(attempt), retryAfterMs(response.headers) ?? 0);
		if (status >= 400 && pauseMs > (policy.maxPauseMs ?? Infinity)) {
			throw apiError(ctx, response, context);
		}
		if ((status < 400 && context.retry !== 'all') || isLastAttempt) break;
		await pause(ctx, pauseMs, context);
	}
	// Marked transient: a later attempt (the next poll of a wait) may well succeed.
	const exhausted = withTaskId(
		new NodeOperationError(
			ctx.getNode(),
			`Could not ${context.action}${forTask(context)}: ${problem}`,
			{
				itemIndex: context.itemIndex,
				description:
					context.retry === 'all'
						? `Gave up after ${policy.retries + 1} attempts. Check that the credential's base URL is reachable from n8n.`
						: 'This request is not repeated automatically, so that nothing is billed twice. Check the task list in the EvoLink dashboard before running again.',
			},
		),
		context.taskId,
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

async function pause(ctx: ApiContext, ms: number, context: RequestContext): Promise<void> {
	try {
		await sleep(ms, ctx.getExecutionCancelSignal?.());
	} catch {
		throw cancelled(ctx, context);
	}
}

function forTask(context: { taskId?: string }): string {
	return context.taskId ? ` for task ${context.taskId}` : '';
}

/** Keeps n8n's own errors as they are and wraps anything else, so every error names the node. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

export function withTaskId<T extends NodeApiError | NodeOperationError>(
	error: T,
	taskId?: string,
): T {
	if (taskId) error.context.taskId = taskId;
	return error;
}

export function cancelled(ctx: ApiContext, context: { taskId?: string; itemIndex?: number }) {
	return withTaskId(
		new NodeOperationError(
			ctx.getNode(),
			`The execution was canceled while waiting${forTask(context)}`,
			{
				itemIndex: context.itemIndex,
			},
		),
		context.taskId,
	);
}

export async function readTask(
	ctx: ApiContext,
	taskId: string,
	context: { itemIndex?: number; policy?: ReadPolicy } = {},
): Promise<EvoLinkTask> {
	const response = await sendRequest(
		ctx,
		{ method: 'GET', url: `/v1/tasks/${encodeURIComponent(taskId)}` },
		{ ...context, taskId, action: 'read the task', retry: 'all' },
	);
	return response.body as EvoLinkTask;
}
