import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getEvoLinkCredentials, isEvoLinkHost } from '../../shared/credentials';
import { signCallbackUrl } from '../../shared/callbackSignature';
import { concurrencyLimit } from '../../shared/concurrency';
import { toNodeError, withTaskId } from '../../shared/errors';
import { isAgentTool, toOutputItem } from '../../shared/output';
import { modelGuide } from '../../shared/modelGuide';
import { sendRequest } from '../../shared/transport';
import { readBinaryFile, uploadFile } from '../../shared/upload';
import type { EvoLinkTask } from '../../shared/task';
import { buildCreateBody, type CreateBody, type PlannedUpload } from './createBody';
import { readCreateInput } from './createInput';
import { planEachItem, runPerItem, sortByItem } from './perItem';
import { readWaitSettings, waitOptionsOf, type WaitSettings } from './waitSettings';
import { settleTask } from './settle';
import { executionResumeUrl, resumeUrlProblem } from './callbackWait';
import { type Caps, RunSpending } from './runSpending';

/**
 * At most this many items of a run upload and create at once, so their binary files are not all read
 * into memory together; the pace of requests is the key's request budget's (shared/requestBudget.ts).
 */
const CREATE_CONCURRENCY = 5;

interface CreatePlan {
	itemIndex: number;
	/** The body without the URLs of files still to upload. */
	body: CreateBody;
	uploads: PlannedUpload[];
	idempotencyKey: string;
	wait?: WaitSettings;
}

/**
 * The same execution, node, run, item and content always send the same key, so n8n's "Retry On
 * Fail" or a repeated request may get the task that already exists instead of a second bill (an
 * EvoLink behaviour seen in its clients, not promised by its docs). Uploaded files count by their
 * content, not by their URL (new on every upload).
 */
export function idempotencyKey(
	ctx: IExecuteFunctions,
	itemIndex: number,
	content: unknown,
): string {
	const runIndex = ctx.getWorkflowDataProxy(itemIndex).$runIndex;
	const parts = [
		ctx.getWorkflow().id,
		ctx.getExecutionId(),
		ctx.getNode().id,
		runIndex,
		itemIndex,
		JSON.stringify(content),
	];
	return `n8n-wan-${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 48)}`;
}

/** One item's create: checked, its body built, its binary files read and hashed. */
async function planItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: { evoLinkRules: boolean; apiKey: string; resumeUrl: () => Promise<string | undefined> },
): Promise<CreatePlan> {
	const node = ctx.getNode();
	const input = await readCreateInput(ctx, itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.resumeOnCallback === true) input.callbackUrl = await run.resumeUrl();
	const { body, uploads } = buildCreateBody(node, itemIndex, input, {
		evoLinkRules: run.evoLinkRules,
		signCallback: (url) => signCallbackUrl(url, run.apiKey),
	});
	const files = uploads.map((upload) => [upload.path, upload.file.sha256]);
	const waitForCompletion = ctx.getNodeParameter('waitForCompletion', itemIndex, false) === true;
	return {
		itemIndex,
		body,
		uploads,
		idempotencyKey: idempotencyKey(ctx, itemIndex, { body, files }),
		wait: waitForCompletion
			? readWaitSettings(node, waitOptionsOf(ctx, itemIndex), itemIndex)
			: undefined,
	};
}

async function planItems(ctx: IExecuteFunctions) {
	const node = ctx.getNode();
	const { apiKey, baseUrl } = await getEvoLinkCredentials(ctx);
	let resumeUrl: Promise<string | undefined> | undefined;
	const run = {
		evoLinkRules: isEvoLinkHost(baseUrl),
		apiKey,
		resumeUrl: async () =>
			await (resumeUrl ??= resumeUrlProblem(ctx).then((problem) =>
				problem ? undefined : executionResumeUrl(ctx),
			)),
	};
	return await planEachItem(ctx, async (itemIndex) => {
		try {
			return await planItem(ctx, itemIndex, run);
		} catch (error) {
			// an agent gets what the model needs with the refusal, to fix its call
			const nodeError = toNodeError(node, error, itemIndex);
			if (isAgentTool(node)) {
				const model = String(ctx.getNodeParameter('model', itemIndex, ''));
				nodeError.context.agentHint = `Nothing was created. ${modelGuide(model)}`;
			}
			throw nodeError;
		}
	});
}

/** Sets `value` at `path` in a copy of the body (a URL in a list, a field, a voice binding). */
function withValueAt(body: CreateBody, path: Array<string | number>, value: string): CreateBody {
	const copy = structuredClone(body);
	let at: Record<string | number, unknown> = copy;
	for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
	at[path[path.length - 1]] = value;
	return copy;
}

/** Uploads the item's binary files (free, retried) and puts their URLs into the body. */
async function withUploadedFiles(ctx: IExecuteFunctions, plan: CreatePlan): Promise<CreateBody> {
	let body = plan.body;
	for (const { path, file } of plan.uploads) {
		const url = await uploadFile(
			ctx,
			plan.itemIndex,
			file,
			async () => await readBinaryFile(ctx, plan.itemIndex, file),
		);
		body = withValueAt(body, path, url);
	}
	return body;
}

async function sendCreate(
	ctx: IExecuteFunctions,
	plan: CreatePlan,
	callOff: () => boolean,
): Promise<EvoLinkTask> {
	const response = await sendRequest(
		ctx,
		{
			method: 'POST',
			url: '/v1/videos/generations',
			body: await withUploadedFiles(ctx, plan),
			headers: { 'Idempotency-Key': plan.idempotencyKey },
		},
		{
			action: 'create the video task',
			itemIndex: plan.itemIndex,
			retry: 'rateLimit',
			lane: `create:${plan.body.model}`,
			callOff,
		},
	);
	return response.body as EvoLinkTask;
}

/** The run's caps, from the first item's Options (one budget per run). */
function capsOf(ctx: IExecuteFunctions): Caps {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const cap = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);
	return { maxTasks: cap(options.maxTasksPerRun), maxCredits: cap(options.maxCreditsPerRun) };
}

/**
 * Create: validate all items, start their tasks (a few at a time, within the run's caps and
 * credits), and wait for them if asked. The run's totals go to an execution hint.
 */
export async function create(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { plans, rejected } = await planItems(this);
	const limitCreates = concurrencyLimit(CREATE_CONCURRENCY);
	const spending = new RunSpending(this, plans.size ? capsOf(this) : {});
	const output = await runPerItem(this, [...plans.keys()], async (itemIndex) => {
		const plan = plans.get(itemIndex)!;
		const task = await limitCreates(
			async () =>
				await spending.spend(
					itemIndex,
					plan.body,
					async (callOff) => await sendCreate(this, plan, callOff),
				),
		);
		if (!plan.wait)
			return await toOutputItem(this, task, itemIndex, { enabled: false, binaryProperty: '' });
		try {
			return await settleTask(this, task.id, itemIndex, plan.wait, task);
		} catch (error) {
			throw withTaskId(toNodeError(this.getNode(), error, itemIndex), task.id);
		}
	}).finally(() => {
		if (plans.size)
			this.addExecutionHints({ message: spending.summary(), type: 'info', location: 'outputPane' });
	});
	return [sortByItem([...output, ...rejected])];
}
