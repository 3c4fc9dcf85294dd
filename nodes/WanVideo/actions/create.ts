import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	getEvoLinkCredentials,
	isEvoLinkHost,
	sendRequest,
	toNodeError,
	withTaskId,
} from '../../shared/api';
import { signCallbackUrl } from '../../shared/callbackSignature';
import { concurrencyLimit } from '../../shared/concurrency';
import { MODEL } from '../../shared/constants';
import type { EvoLinkTask } from '../../shared/task';
import { buildCreateBody, type CreateBody } from '../../shared/validation';
import {
	errorItem,
	readWaitSettings,
	runPerItem,
	settleTask,
	waitOptionsOf,
	toOutputItem,
	type WaitSettings,
} from './settle';
import { executionResumeUrl, resumeUrlProblem } from './callbackWait';
import { sortByItem } from './wait';

/** At most this many creates are in flight at once: EvoLink rate-limits per model. */
const CREATE_CONCURRENCY = 5;

interface CreatePlan {
	itemIndex: number;
	body: CreateBody;
	wait?: WaitSettings;
}

/**
 * The same execution, node, run and item always send the same key, so n8n's "Retry On Fail" or a
 * repeated request gets the task that already exists instead of a second bill.
 */
export function idempotencyKey(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: CreateBody,
): string {
	const runIndex = ctx.getWorkflowDataProxy(itemIndex).$runIndex;
	const parts = [
		ctx.getWorkflow().id,
		ctx.getExecutionId(),
		ctx.getNode().id,
		runIndex,
		itemIndex,
		JSON.stringify(body),
	];
	return `n8n-wan-${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 48)}`;
}

async function planItems(
	ctx: IExecuteFunctions,
): Promise<{ plans: CreatePlan[]; rejected: INodeExecutionData[] }> {
	const node = ctx.getNode();
	const credentials = await getEvoLinkCredentials(ctx);
	const evoLinkRules = isEvoLinkHost(credentials.baseUrl);
	let resumeUrl: Promise<string | undefined> | undefined;
	const resumeUrlOnce = async () =>
		await (resumeUrl ??= resumeUrlProblem(ctx).then((problem) =>
			problem ? undefined : executionResumeUrl(ctx),
		));
	const plans: CreatePlan[] = [];
	const rejected: INodeExecutionData[] = [];
	// Every item is checked before the first request: one bad item must not leave others half-sent.
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const promptExtend = ctx.getNodeParameter('promptExtend', itemIndex, true);
			const body = buildCreateBody(
				node,
				itemIndex,
				{
					prompt: ctx.getNodeParameter('prompt', itemIndex, ''),
					imageUrl: ctx.getNodeParameter('imageUrl', itemIndex, ''),
					duration: ctx.getNodeParameter('duration', itemIndex, 5),
					quality: ctx.getNodeParameter('quality', itemIndex, '720p'),
					promptExtend,
					shotType: ctx.getNodeParameter('shotType', itemIndex, 'single'),
					audioUrl: options.audioUrl,
					callbackUrl:
						options.resumeOnCallback === true ? await resumeUrlOnce() : options.callbackUrl,
				},
				{
					model: MODEL,
					evoLinkRules,
					signCallback: (url) => signCallbackUrl(url, credentials.apiKey),
				},
			);
			const waitForCompletion =
				ctx.getNodeParameter('waitForCompletion', itemIndex, false) === true;
			plans.push({
				itemIndex,
				body,
				wait: waitForCompletion
					? readWaitSettings(node, waitOptionsOf(ctx, itemIndex), itemIndex)
					: undefined,
			});
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			rejected.push(errorItem(nodeError, itemIndex));
		}
	}
	return { plans, rejected };
}

async function sendCreate(ctx: IExecuteFunctions, plan: CreatePlan): Promise<EvoLinkTask> {
	const response = await sendRequest(
		ctx,
		{
			method: 'POST',
			url: '/v1/videos/generations',
			body: plan.body,
			headers: { 'Idempotency-Key': idempotencyKey(ctx, plan.itemIndex, plan.body) },
		},
		{ action: 'create the video task', itemIndex: plan.itemIndex, retry: 'rateLimit' },
	);
	return response.body as EvoLinkTask;
}

/** Create: validate all items, start their tasks (a few at a time), and wait for them if asked. */
export async function create(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { plans, rejected } = await planItems(this);
	const byIndex = new Map(plans.map((plan) => [plan.itemIndex, plan]));
	const limitCreates = concurrencyLimit(CREATE_CONCURRENCY);
	const output = await runPerItem(this, [...byIndex.keys()], async (itemIndex) => {
		const plan = byIndex.get(itemIndex)!;
		const task = await limitCreates(async () => await sendCreate(this, plan));
		if (!plan.wait)
			return await toOutputItem(this, task, itemIndex, { enabled: false, binaryProperty: '' });
		try {
			return await settleTask(this, task.id, itemIndex, plan.wait, task);
		} catch (error) {
			throw withTaskId(toNodeError(this.getNode(), error, itemIndex), task.id);
		}
	});
	return [sortByItem([...output, ...rejected])];
}
