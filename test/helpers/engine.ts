/**
 * Runs workflows through n8n's own execution engine (n8n-core's WorkflowExecute and RoutingNode),
 * as n8n does, with the credential resolved from the package's real credential definition.
 */
import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecutionLifecycleHooks,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	ICredentialsHelper,
	type IConnections,
	type IBinaryData,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

import { EvoLinkApi } from '../../credentials/EvoLinkApi.credentials';
import { WanVideo } from '../../nodes/WanVideo/WanVideo.node';
import { WanVideoTrigger } from '../../nodes/WanVideoTrigger/WanVideoTrigger.node';
import { asAgentTool, TEST_AGENT, TestToolAgent } from './agent';

export const WAN_VIDEO = 'n8n-nodes-wan-video.wanVideo';
export const WAN_VIDEO_TRIGGER = 'n8n-nodes-wan-video.wanVideoTrigger';

/** n8n's name for the node when an AI agent uses it as a tool. */
export const WAN_VIDEO_TOOL = `${WAN_VIDEO}Tool`;

const types: Record<string, INodeType> = {
	[WAN_VIDEO]: new WanVideo(),
	[WAN_VIDEO_TOOL]: asAgentTool(new WanVideo()),
	[TEST_AGENT]: new TestToolAgent(),
	[WAN_VIDEO_TRIGGER]: new WanVideoTrigger(),
};

export const nodeTypes: INodeTypes = {
	getByName: (name) => types[name],
	getByNameAndVersion: (name) => types[name],
	getKnownTypes: () => ({}),
};

const credentialType = new EvoLinkApi();

/** Decrypts nothing (the test holds the plain credential) and authenticates as n8n does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes = () => [];
	isCredentialUsableByNode = () => true;
	getCredentialsProperties = () => credentialType.properties;
	getDecrypted = async () => this.credentials;
	getCredentials = async () => {
		throw new Error('not used');
	};
	updateCredentials = async () => {};
	updateCredentialsOauthTokenData = async () => {};
	preAuthentication = async () => undefined;
	runPreAuthentication = async () => undefined;

	/** Applies the credential's own `authenticate` headers, expressions resolved by n8n. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const headers = { ...(requestOptions.headers ?? {}) };
		for (const [name, expression] of Object.entries(
			credentialType.authenticate.properties.headers ?? {},
		)) {
			headers[name] = workflow!.expression.getParameterValue(
				expression as string,
				null,
				0,
				0,
				node!.name,
				[],
				'internal',
				{ $credentials: credentials },
			) as string;
		}
		return { ...requestOptions, headers };
	}
}

let binaryDataReady: Promise<void> | undefined;

export interface RunOptions {
	nodes: INode[];
	connections?: IConnections;
	/** The node the run starts at, fed with `input`. */
	start: string;
	input?: INodeExecutionData[];
	credentials: {
		apiKey: string;
		baseUrl: string;
		filesBaseUrl?: string;
		requestsPerSecond?: number;
	};
	executionId?: string;
	/** Aborts the run like n8n's "Stop execution". */
	abortSignal?: AbortSignal;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's first run, main output 0. */
	output(nodeName: string): INodeExecutionData[];
	error(): (Error & IDataObject) | undefined;
}

/** Where the n8n of these runs would be: `$execution.resumeUrl` and webhook URLs derive from it. */
export const N8N_URLS = {
	webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
	formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
	webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
	webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
	instanceBaseUrl: 'http://127.0.0.1:5678/',
	restApiUrl: 'http://127.0.0.1:5678/rest',
};

let executionCounter = 0;

function buildWorkflow(options: RunOptions): Workflow {
	return new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes: options.nodes,
		connections: options.connections ?? {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
}

function buildAdditionalData(
	options: RunOptions,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'wf-test',
		name: 'test',
		nodes: options.nodes,
		connections: options.connections ?? {},
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: { executionOrder: 'v1' },
	});
	return {
		executionId,
		hooks,
		credentialsHelper: new TestCredentialsHelper(options.credentials),
		...N8N_URLS,
		variables: {},
		currentNodeExecutionIndex: 0,
	} as unknown as IWorkflowExecuteAdditionalData;
}

function toResult(run: IRun): RunResult {
	return {
		run,
		output: (nodeName) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
		error: () => run.data.resultData.error as (Error & IDataObject) | undefined,
	};
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	binaryDataReady ??= Container.get(BinaryDataService).init();
	await binaryDataReady;
	const executionId = options.executionId ?? `test-${++executionCounter}`;
	const workflow = buildWorkflow(options);
	const additionalData = buildAdditionalData(options, executionId);
	const startNode = workflow.getNode(options.start)!;
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.input ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const promise = execution.processRunExecutionData(workflow);
	options.abortSignal?.addEventListener('abort', () => promise.cancel());
	return toResult(await promise);
}

export interface CallbackResponse {
	status: number;
	body?: unknown;
}

/**
 * Posts a callback to a parked execution as n8n's waiting-webhook endpoint does: the parked node's
 * webhook() decides; when it returns items the run goes on from that node, which then outputs them.
 */
export async function postToWaitingExecution(
	options: RunOptions,
	waiting: RunResult,
	request: { url: string; body: unknown },
): Promise<{ response: CallbackResponse; resumed?: RunResult }> {
	const executionId = options.executionId!;
	const workflow = buildWorkflow(options);
	const additionalData = buildAdditionalData(options, executionId);
	const runExecutionData = waiting.run.data;
	const node = workflow.getNode(runExecutionData.resultData.lastNodeExecuted!)!;
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const url = new URL(request.url);
	const response: CallbackResponse = { status: 200 };
	const httpResponse = {
		status(code: number) {
			response.status = code;
			return httpResponse;
		},
		json(body: unknown) {
			response.body = body;
			return httpResponse;
		},
		send(body: unknown) {
			response.body = body;
			return httpResponse;
		},
		end: () => httpResponse,
		setHeader: () => httpResponse,
	};
	const httpRequest = {
		method: 'POST',
		url: url.pathname + url.search,
		originalUrl: url.pathname + url.search,
		headers: { 'content-type': 'application/json' },
		query: Object.fromEntries(url.searchParams),
		params: {},
		body: request.body,
	};
	const context = new WebhookContext(
		workflow,
		node,
		{ ...additionalData, httpRequest, httpResponse } as unknown as IWorkflowExecuteAdditionalData,
		'webhook',
		{
			httpMethod: 'POST',
			node: node.name,
			path: '',
			webhookDescription: nodeType.description.webhooks![0],
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		},
		[],
		runExecutionData,
	);
	const result = await nodeType.webhook!.call(context);
	if (!result.workflowData) return { response };
	const resuming = runExecutionData.executionData!.nodeExecutionStack[0];
	resuming.node.disabled = true;
	resuming.data.main = result.workflowData;
	resuming.metadata = { ...resuming.metadata, forwardAllOutputs: true };
	runExecutionData.waitTill = undefined;
	const run = await new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	return { response, resumed: toResult(run) };
}

/** The bytes of a binary item, wherever n8n stored them (memory or filesystem mode). */
export async function binaryBytes(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

/** A Wan Video node with the given parameters. */
export function wanVideoNode(
	parameters: Record<string, unknown>,
	extra: Partial<INode> = {},
): INode {
	return {
		id: 'node-wan-video-1',
		name: 'Wan Video',
		type: WAN_VIDEO,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'video', ...parameters } as INode['parameters'],
		credentials: { evoLinkApi: { id: 'cred-1', name: 'EvoLink API' } },
		...extra,
	};
}
