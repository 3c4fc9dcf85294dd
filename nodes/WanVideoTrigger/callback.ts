import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { DEFAULT_BINARY_PROPERTY } from '../shared/constants';
import { readTask } from '../shared/transport';
import { toNodeError } from '../shared/errors';
import { type EvoLinkTask, isFinalStatus, isTaskId } from '../shared/task';
import { CONFIRM_POLICY, isSignedRequest, reply } from '../shared/webhook';
import { toOutputItem } from '../shared/output';
import { rememberOnce } from './dedupe';

/** A callback is a task object of a few kB; anything much larger is not from EvoLink. */
const MAX_BODY_BYTES = 256 * 1024;

/** The first reason to refuse this request, checked before anything is read or trusted. */
async function refusal(ctx: IWebhookFunctions): Promise<[number, string] | undefined> {
	const request = ctx.getRequestObject();
	const contentType = String(request.headers['content-type'] ?? '');
	if (!(await isSignedRequest(ctx))) {
		return [401, 'This URL is not signed: use the URL that Wan Video Create sends'];
	}
	if (!/^application\/json\b/i.test(contentType)) return [415, 'Send JSON (application/json)'];
	// n8n keeps the raw body; a chunked request has no Content-Length to trust.
	const bodyBytes =
		(request as { rawBody?: { length: number } }).rawBody?.length ??
		Number(request.headers['content-length'] ?? 0);
	if (bodyBytes > MAX_BODY_BYTES) return [413, 'Body too large'];
	const body = ctx.getBodyData() as { id?: unknown } | undefined;
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return [400, 'Expected a task object'];
	if (!isTaskId(body.id)) return [400, 'Expected a task id'];
	return undefined;
}

/** The task as the API knows it; undefined when the API does not know it. */
async function confirmedTask(
	ctx: IWebhookFunctions,
	taskId: string,
): Promise<EvoLinkTask | undefined> {
	try {
		return await readTask(ctx, taskId, { policy: CONFIRM_POLICY });
	} catch (error) {
		const status = error instanceof NodeApiError ? Number(error.httpCode) : NaN;
		if (status === 400 || status === 404) return undefined;
		throw toNodeError(ctx.getNode(), error);
	}
}

export async function handleCallback(
	ctx: IWebhookFunctions,
	options: IDataObject,
): Promise<IWebhookResponseData> {
	const problem = await refusal(ctx);
	if (problem) return reply(ctx, problem[0], { error: problem[1] });

	const claimed = ctx.getBodyData() as EvoLinkTask;
	let task: EvoLinkTask | undefined = claimed;
	if (options.confirm !== false) {
		try {
			task = await confirmedTask(ctx, claimed.id);
		} catch {
			// EvoLink retries after a non-2xx, so a passing API hiccup loses nothing.
			return reply(ctx, 503, { error: 'Could not confirm the task with EvoLink; try again' });
		}
	}
	if (!task || !isFinalStatus(task.status)) {
		return reply(ctx, 200, { ignored: 'The task is unknown or not finished' });
	}
	const events = ctx.getNodeParameter('events', []) as string[];
	const models = String(options.models ?? '')
		.split(',')
		.map((model) => model.trim())
		.filter(Boolean);
	if (!events.includes(task.status!) || (models.length && !models.includes(String(task.model)))) {
		return reply(ctx, 200, { ignored: `Not selected: ${task.status} ${task.model ?? ''}`.trim() });
	}
	if (!rememberOnce(ctx.getWorkflowStaticData('node'), `${task.id}:${task.status}`)) {
		return reply(ctx, 200, { ignored: 'Already received' });
	}
	// Answer now: a download can take longer than EvoLink's 10 s callback timeout.
	reply(ctx, 200, { received: task.id });
	const item = await toOutputItem(ctx, task, 0, {
		enabled: options.download === true,
		binaryProperty: String(options.binaryProperty || DEFAULT_BINARY_PROPERTY),
	});
	return { workflowData: [[item]], noWebhookResponse: true };
}
