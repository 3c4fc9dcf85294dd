import type { IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ApiContext, RequestContext } from './transport';

// Every error the nodes raise is built here, one of three ways: a field breaking a rule (nothing
// sent), an API answer, or anything else. Each says what happened, names the item and the task when
// there are some, and says what to do about it.

/** Anything that went wrong other than a bad field or an API answer. */
export function nodeError(
	node: INode,
	message: string,
	options: { itemIndex?: number; description?: string; taskId?: string } = {},
): NodeOperationError {
	const { itemIndex, description, taskId } = options;
	const item = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
	return withTaskId(
		new NodeOperationError(node, `${message}${item}`, { itemIndex, description }),
		taskId,
	);
}

/** A rule broken by one field: thrown before any request is sent. */
export function invalidField(
	node: INode,
	itemIndex: number,
	field: string,
	rule: string,
	value: unknown,
): NodeOperationError {
	const shown = typeof value === 'string' && value.length > 80 ? `${value.slice(0, 77)}...` : value;
	return nodeError(node, `${field}: ${rule}`, {
		itemIndex,
		description: `Got ${JSON.stringify(shown) ?? String(shown)}${
			typeof value === 'string' ? ` (${value.length} characters)` : ''
		}. Nothing was sent to EvoLink, so nothing was billed.`,
	});
}

const API_HINTS: Record<number, string> = {
	400: 'Check the parameters named in the message.',
	401: 'The API key was rejected: check the EvoLink API credential.',
	402: 'Your EvoLink balance or key quota is too low: top up credits in the EvoLink dashboard.',
	403: 'This API key may not use this model: allow it in the EvoLink dashboard.',
	404: 'The task does not exist or has expired: check the task ID.',
	429: 'EvoLink is rate limiting this key: lower the number of items per run, or try again later.',
};

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
	const error = withTaskId(
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
	// What EvoLink said, for callers that word their own error (a refused upload).
	error.context.apiMessage = detail;
	return error;
}

export function forTask(context: { taskId?: string }): string {
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
	return nodeError(
		ctx.getNode(),
		`The execution was canceled while waiting${forTask(context)}`,
		context,
	);
}
