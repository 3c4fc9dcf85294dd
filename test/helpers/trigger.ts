/**
 * Runs the Wan Video Trigger as n8n 2.41 runs a production webhook (packages/cli live-webhooks.ts and
 * webhook-helpers.ts), behind a real HTTP server (webhookServer.js) that the EvoLink simulator can
 * call back:
 * - each request builds its Workflow over a fresh copy of the saved static data, calls the node's
 *   `webhook()` in a WebhookContext (mode 'webhook'), and saves the static data back only when the
 *   call succeeded and changed it, whole (last writer wins), as WorkflowStaticDataService does;
 * - `workflowData` starts a run through n8n-core's WorkflowExecute (engine.ts); the node's answer is
 *   sent as soon as the node writes it; without `noWebhookResponse`, 200 like responseMode onReceived;
 * - a `webhook()` that throws gets n8n's 500 (when nothing was answered yet) and an execution that
 *   ends in that error, recorded as a run with `error`.
 */
import { randomUUID } from 'crypto';
import { Container } from '@n8n/di';
import { BinaryDataService, WebhookContext } from 'n8n-core';
import * as n8nWorkflow from 'n8n-workflow';
import {
	deepCopy,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

import { signCallbackUrl } from '../../nodes/shared/callbackSignature';
import {
	N8N_URLS,
	nodeTypes,
	type RunResult,
	runWorkflow,
	TestCredentialsHelper,
	WAN_VIDEO_TRIGGER,
} from './engine';
import {
	createWebhookServer,
	type WebhookLogEntry,
	type WebhookRequest,
	type WebhookResponse,
} from './webhookServer';

export const TRIGGER_NAME = 'Wan Video Trigger';
const WORKFLOW_ID = 'wf-trigger';

let binaryDataReady: Promise<void> | undefined;

export interface TriggerOptions {
	credentials: { apiKey: string; baseUrl: string };
	/** The trigger node's parameters. Default: `{ events: ['completed'], options: {} }`. */
	parameters?: IDataObject;
	/** The workflow's saved static data (e.g. another harness's `staticData()`: a restart). */
	staticData?: IDataObject;
	/** Default: a new UUID. Give the old one to keep the URL over a restart. */
	webhookId?: string;
	/** The trigger's node type; default engine.ts's instance. See `freshTriggerNodeType`. */
	nodeType?: INodeType;
}

export interface TriggerRun {
	/** The request (harness log index) that started the run. */
	request: number;
	startedAt: number;
	finishedAt: number;
	/** Output of the trigger node. */
	items: INodeExecutionData[];
	/** The error of an execution that `webhook()` failed. */
	error?: string;
	result?: RunResult;
}

export interface TriggerLogEntry extends WebhookLogEntry {
	/** The body's `id`, when it has a string one. */
	bodyId?: string;
	/** What `webhook()` returned, without workflowData. */
	returned?: { noWebhookResponse?: boolean; started: boolean; items?: number };
	threw?: string;
	/** Whether this request saved the workflow's static data. */
	savedStaticData?: boolean;
}

export interface TriggerHarness {
	webhookId: string;
	/** The production URL, as the trigger's panel shows it (unsigned). */
	url: string;
	/** `url` signed with the credential's key, as Wan Video Create sends it. */
	signedUrl: string;
	readonly log: TriggerLogEntry[];
	readonly runs: TriggerRun[];
	/** A copy of the saved static data. */
	staticData(): IDataObject;
	/** Resolves once every request has been handled and every run has finished. */
	idle(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * The trigger's node type from a fresh load of its modules (jest.isolateModulesAsync): nothing of
 * the old process survives, like after an n8n restart or in another webhook process. n8n-workflow
 * stays the one instance n8n-core uses, as in n8n.
 */
export async function freshTriggerNodeType(): Promise<INodeType> {
	let nodeType: INodeType | undefined;
	await jest.isolateModulesAsync(async () => {
		jest.doMock('n8n-workflow', () => n8nWorkflow);
		const module = await import('../../nodes/WanVideoTrigger/WanVideoTrigger.node');
		nodeType = new module.WanVideoTrigger();
	});
	jest.dontMock('n8n-workflow');
	return nodeType!;
}

export async function startTrigger(options: TriggerOptions): Promise<TriggerHarness> {
	binaryDataReady ??= Container.get(BinaryDataService).init();
	await binaryDataReady;

	const webhookId = options.webhookId ?? randomUUID();
	const nodeType = options.nodeType ?? (nodeTypes.getByName(WAN_VIDEO_TRIGGER) as INodeType);
	const harnessTypes: INodeTypes = {
		getByName: (name) => (name === WAN_VIDEO_TRIGGER ? nodeType : nodeTypes.getByName(name)),
		getByNameAndVersion: (name, version) =>
			name === WAN_VIDEO_TRIGGER ? nodeType : nodeTypes.getByNameAndVersion(name, version),
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'node-wan-video-trigger-1',
		name: TRIGGER_NAME,
		type: WAN_VIDEO_TRIGGER,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: (options.parameters ?? {
			events: ['completed'],
			options: {},
		}) as INode['parameters'],
		credentials: { evoLinkApi: { id: 'cred-1', name: 'EvoLink API' } },
	};
	const description = nodeType.description.webhooks![0] as IWebhookDescription;
	const webhookPath = `/webhook/${webhookId}/${String(description.path)}`;
	let saved: IDataObject = deepCopy(options.staticData ?? {});
	const runs: TriggerRun[] = [];
	const inFlightRuns = new Set<Promise<void>>();
	let requestCounter = 0;

	const handle = async (
		request: WebhookRequest,
		response: WebhookResponse,
		entry: TriggerLogEntry,
	): Promise<void> => {
		const requestIndex = server.log.indexOf(entry);
		const claimedId = (request.body as { id?: unknown } | undefined)?.id;
		if (typeof claimedId === 'string') entry.bodyId = claimedId;
		if (request.method !== description.httpMethod || request.path !== webhookPath) {
			response.status(404).json({
				code: 404,
				message: `The requested webhook "${String(request.method)} ${request.path}" is not registered.`,
			});
			return;
		}
		const executionId = `hook-${webhookId.slice(0, 8)}-${++requestCounter}`;
		// live-webhooks.ts: the workflow (with its static data) is loaded afresh for every request.
		const workflow = new Workflow({
			id: WORKFLOW_ID,
			name: 'trigger test',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: harnessTypes,
			staticData: deepCopy(saved),
			settings: { executionOrder: 'v1' },
		});
		const additionalData = {
			executionId,
			credentialsHelper: new TestCredentialsHelper(options.credentials),
			...N8N_URLS,
			variables: {},
			currentNodeExecutionIndex: 0,
			httpRequest: request,
			httpResponse: response,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			path: String(description.path),
			webhookDescription: description,
			workflowId: WORKFLOW_ID,
			webhookId,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			// webhook-helpers.ts: a generic 500 if nothing was answered, and an execution that ends in
			// the error; live-webhooks.ts then rejects, so the static data is not saved.
			entry.threw = (error as Error).message;
			if (!response.finished) {
				response.status(500).json({
					code: 0,
					message: 'Workflow Webhook Error: Workflow could not be started!',
				});
			}
			runs.push({
				request: requestIndex,
				startedAt: Date.now(),
				finishedAt: Date.now(),
				items: [],
				error: (error as Error).message,
			});
			return;
		}
		entry.returned = {
			noWebhookResponse: result.noWebhookResponse,
			started: result.workflowData !== undefined,
			items: result.workflowData?.[0]?.length,
		};
		if (!response.finished) {
			response
				.status(200)
				.json(
					result.webhookResponse !== undefined
						? result.webhookResponse
						: { message: result.workflowData ? 'Workflow was started' : 'Webhook call received' },
				);
		}
		// WorkflowStaticDataService.saveStaticData: the whole object, only when it changed.
		if (workflow.staticData.__dataChanged === true) {
			const copy = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			delete copy.__dataChanged;
			saved = copy;
			entry.savedStaticData = true;
		}
		if (!result.workflowData) return;
		const startedAt = Date.now();
		const running = (async () => {
			const run = await runWorkflow({
				nodes: [node],
				start: TRIGGER_NAME,
				input: result.workflowData![0],
				credentials: options.credentials,
				executionId,
			});
			runs.push({
				request: requestIndex,
				startedAt,
				finishedAt: Date.now(),
				items: run.output(TRIGGER_NAME),
				error: run.error()?.message,
				result: run,
			});
		})();
		inFlightRuns.add(running);
		void running.finally(() => inFlightRuns.delete(running));
	};

	const server = createWebhookServer({
		handler: async (request, response, entry) => await handle(request, response, entry),
	});
	const baseUrl = await server.start();
	const url = `${baseUrl}${webhookPath}`;
	return {
		webhookId,
		url,
		signedUrl: signCallbackUrl(url, options.credentials.apiKey),
		log: server.log as TriggerLogEntry[],
		runs,
		staticData: () => deepCopy(saved),
		async idle() {
			await server.idle();
			while (inFlightRuns.size) {
				await Promise.allSettled([...inFlightRuns]);
				await server.idle();
			}
		},
		async stop() {
			await server.stop();
			await Promise.allSettled([...inFlightRuns]);
		},
	};
}
