import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getEvoLinkCredentials, isEvoLinkHost } from '../../shared/credentials';
import { signCallbackUrl } from '../../shared/callbackSignature';
import { concurrencyLimit } from '../../shared/concurrency';
import { toNodeError, withTaskId } from '../../shared/errors';
import { DEFAULT_MODEL, isModelName, MODELS } from '../../shared/models';
import { toOutputItem } from '../../shared/output';
import { sendRequest } from '../../shared/transport';
import { type BinaryFileSpec, readBinaryFile, uploadFile } from '../../shared/upload';
import type { EvoLinkTask } from '../../shared/task';
import { buildCreateBody, type CreateBody, type CreateInput } from './createBody';
import { planEachItem, runPerItem, sortByItem } from './perItem';
import { readWaitSettings, waitOptionsOf, type WaitSettings } from './waitSettings';
import { settleTask } from './settle';
import { executionResumeUrl, resumeUrlProblem } from './callbackWait';

/**
 * At most this many items of a run upload and create at once, so their binary files are not all read
 * into memory together; the pace of requests is the key's request budget's (shared/requestBudget.ts).
 */
const CREATE_CONCURRENCY = 5;

interface CreatePlan {
	itemIndex: number;
	/** The body without the URLs of files still to upload. */
	body: CreateBody;
	uploads: PlannedUploads;
	idempotencyKey: string;
	wait?: WaitSettings;
}

/** Binary files to upload for one item, checked and hashed; read again only if not uploaded yet. */
type PlannedUploads = Partial<Record<'image' | 'audio', BinaryFileSpec & { sha256: string }>>;

/**
 * The same execution, node, run, item and content always send the same key, so n8n's "Retry On
 * Fail" or a repeated request gets the task that already exists instead of a second bill. Uploaded
 * files count by their content, not by their URL (new on every upload).
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

/** The item's image and audio when they come from binary fields, checked and hashed. */
async function planUploads(
	ctx: IExecuteFunctions,
	itemIndex: number,
	model: unknown,
	options: IDataObject,
): Promise<PlannedUploads> {
	const specs: BinaryFileSpec[] = [];
	const imageFromBinary =
		isModelName(model) &&
		MODELS[model].image &&
		ctx.getNodeParameter('imageSource', itemIndex, 'url') === 'binary';
	if (imageFromBinary) {
		const property = ctx.getNodeParameter('imageBinaryProperty', itemIndex, 'data');
		specs.push({ kind: 'image', field: 'Image Binary Field', property });
	}
	if (options.audioBinaryProperty !== undefined && options.audioBinaryProperty !== '') {
		const property = options.audioBinaryProperty;
		specs.push({ kind: 'audio', field: 'Audio Binary Field', property });
	}
	const uploads: PlannedUploads = {};
	for (const spec of specs) {
		uploads[spec.kind] = { ...spec, sha256: (await readBinaryFile(ctx, itemIndex, spec)).sha256 };
	}
	return uploads;
}

/** Create's parameters of one item: only those the chosen model shows. */
function readCreateInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): CreateInput {
	const model = ctx.getNodeParameter('model', itemIndex, DEFAULT_MODEL);
	const rules = isModelName(model) ? MODELS[model] : undefined;
	const param = (name: string, fallback: unknown) =>
		ctx.getNodeParameter(name, itemIndex, fallback);
	return {
		model,
		prompt: param('prompt', ''),
		imageUrl: rules?.image ? param('imageUrl', '') : undefined,
		duration: param('duration', 5),
		quality: param('quality', '720p'),
		promptExtend: param('promptExtend', true),
		shotType: rules?.shotType ? param('shotType', 'single') : undefined,
		aspectRatio: rules?.aspectRatios ? param('aspectRatio', '16:9') : undefined,
		generateAudio: rules?.audioSwitch ? param('generateAudio', true) : undefined,
		audioUrl: options.audioUrl,
		callbackUrl: options.callbackUrl,
	};
}

async function planItems(ctx: IExecuteFunctions) {
	const node = ctx.getNode();
	const credentials = await getEvoLinkCredentials(ctx);
	const evoLinkRules = isEvoLinkHost(credentials.baseUrl);
	let resumeUrl: Promise<string | undefined> | undefined;
	const resumeUrlOnce = async () =>
		await (resumeUrl ??= resumeUrlProblem(ctx).then((problem) =>
			problem ? undefined : executionResumeUrl(ctx),
		));
	return await planEachItem(ctx, async (itemIndex): Promise<CreatePlan> => {
		const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const input = readCreateInput(ctx, itemIndex, options);
		if (options.resumeOnCallback === true) input.callbackUrl = await resumeUrlOnce();
		const uploads = await planUploads(ctx, itemIndex, input.model, options);
		const body = buildCreateBody(node, itemIndex, input, {
			evoLinkRules,
			uploads: { image: !!uploads.image, audio: !!uploads.audio },
			signCallback: (url) => signCallbackUrl(url, credentials.apiKey),
		});
		const files = { image: uploads.image?.sha256, audio: uploads.audio?.sha256 };
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
	});
}

/** Uploads the item's binary files (free, retried) and puts their URLs into the body. */
async function withUploadedFiles(ctx: IExecuteFunctions, plan: CreatePlan): Promise<CreateBody> {
	const body = { ...plan.body };
	const upload = async (file: BinaryFileSpec & { sha256: string }) =>
		await uploadFile(
			ctx,
			file.sha256,
			async () => await readBinaryFile(ctx, plan.itemIndex, file),
			{
				itemIndex: plan.itemIndex,
				kind: file.kind,
			},
		);
	if (plan.uploads.image) body.image_urls = [await upload(plan.uploads.image)];
	if (plan.uploads.audio) body.audio_url = await upload(plan.uploads.audio);
	return body;
}

async function sendCreate(ctx: IExecuteFunctions, plan: CreatePlan): Promise<EvoLinkTask> {
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
		},
	);
	return response.body as EvoLinkTask;
}

/** Create: validate all items, start their tasks (a few at a time), and wait for them if asked. */
export async function create(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { plans, rejected } = await planItems(this);
	const limitCreates = concurrencyLimit(CREATE_CONCURRENCY);
	const output = await runPerItem(this, [...plans.keys()], async (itemIndex) => {
		const plan = plans.get(itemIndex)!;
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
