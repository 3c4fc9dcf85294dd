import {
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { type ApiContext, toNodeError, withTaskId } from '../../shared/api';
import { TOOL_WAIT_SECONDS } from '../../shared/constants';
import { downloadVideo } from '../../shared/download';
import { waitForTask } from '../../shared/poll';
import { describeTaskError, type EvoLinkTask, type TaskError, toTaskItem } from '../../shared/task';
import { invalidField } from '../../shared/validation';

export interface WaitSettings {
	timeoutMs: number;
	onTimeout: 'error' | 'output';
	onFailure: 'error' | 'output';
	download: boolean;
	binaryProperty: string;
	mode: 'poll' | 'callback';
}

const MAX_TIMEOUT_SECONDS = 24 * 3600;

/** n8n runs a node an AI agent uses as "<type>Tool" (e.g. n8n-nodes-wan-video.wanVideoTool). */
export function isAgentTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

export function waitOptionsOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return ctx.getNodeParameter('waitOptions', itemIndex, {}) as IDataObject;
}

/** Checks the "Wait Options" of one item. */
export function readWaitSettings(
	node: INode,
	options: IDataObject,
	itemIndex: number,
): WaitSettings {
	const timeout = options.timeout ?? 600;
	if (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT_SECONDS) {
		throw invalidField(
			node,
			itemIndex,
			'Timeout (Seconds)',
			`must be a number from 1 to ${MAX_TIMEOUT_SECONDS}`,
			timeout,
		);
	}
	const binaryProperty = options.binaryProperty ?? 'data';
	if (typeof binaryProperty !== 'string' || binaryProperty.trim() === '') {
		throw invalidField(
			node,
			itemIndex,
			'Put Output in Field',
			'must be a field name',
			binaryProperty,
		);
	}
	const toolWait = options.toolWaitSeconds ?? TOOL_WAIT_SECONDS.default;
	if (typeof toolWait !== 'number' || !(toolWait >= 1) || toolWait > TOOL_WAIT_SECONDS.max) {
		throw invalidField(
			node,
			itemIndex,
			'Agent Tool Wait (Seconds)',
			`must be a number from 1 to ${TOOL_WAIT_SECONDS.max}`,
			toolWait,
		);
	}
	const settings: WaitSettings = {
		timeoutMs: timeout * 1000,
		onTimeout: options.onTimeout === 'output' ? 'output' : 'error',
		onFailure: options.onFailure === 'output' ? 'output' : 'error',
		download: options.download === true,
		binaryProperty: binaryProperty.trim(),
		mode: options.waitMode === 'callback' ? 'callback' : 'poll',
	};
	if (!isAgentTool(node)) return settings;
	// An agent gets text, not binary, and cannot be parked: answer within the bound, always.
	return {
		...settings,
		timeoutMs: Math.min(settings.timeoutMs, toolWait * 1000),
		onTimeout: 'output',
		onFailure: 'output',
		download: false,
		mode: 'poll',
	};
}

/** One sentence an AI agent can act on: where the video is, why it failed, or when to look again. */
function toolAnswer(item: IDataObject): string {
	const { taskId, status, progress, videoUrl } = item as Record<string, string | number | null>;
	const taskError = item.error as TaskError | null;
	if (videoUrl) {
		return `The video of task ${taskId} is ready: ${videoUrl} (the link works for 24 hours).`;
	}
	if (taskError) {
		return `Task ${taskId} ${status} (${taskError.code}): ${taskError.message}. ${taskError.hint}`;
	}
	const eta = (item.task_info as EvoLinkTask['task_info'])?.estimated_time;
	return (
		`Task ${taskId} is still ${status} (${progress}% done) and has no video yet. ` +
		`Check it again later with the Get operation and task ID ${taskId}` +
		(eta ? `; videos take about ${eta} s in all.` : '.')
	);
}

/** The task as an output item, with the video attached when asked and available. */
export async function toOutputItem(
	ctx: ApiContext,
	task: EvoLinkTask,
	itemIndex: number,
	download: { enabled: boolean; binaryProperty: string },
): Promise<INodeExecutionData> {
	const item: INodeExecutionData = { json: toTaskItem(task), pairedItem: { item: itemIndex } };
	const forAgent = isAgentTool(ctx.getNode());
	if (forAgent) item.json = { answer: toolAnswer(item.json), ...item.json };
	if (download.enabled && task.status === 'completed' && !forAgent) {
		item.binary = { [download.binaryProperty]: await downloadVideo(ctx, task, itemIndex) };
	}
	return item;
}

/** Waits for one task and turns the outcome into an output item or an error naming the task. */
export async function settleTask(
	ctx: IExecuteFunctions,
	taskId: string,
	itemIndex: number,
	settings: WaitSettings,
	known?: EvoLinkTask,
): Promise<INodeExecutionData> {
	const { task, timedOut } = await waitForTask(ctx, taskId, {
		timeoutMs: settings.timeoutMs,
		itemIndex,
		known,
	});
	const node = ctx.getNode();
	if (timedOut) {
		if (settings.onTimeout === 'error') {
			throw withTaskId(
				new NodeOperationError(
					node,
					`Task ${taskId} is still ${task.status ?? 'running'} after ${settings.timeoutMs / 1000} s`,
					{
						itemIndex,
						description:
							'Raise "Timeout (Seconds)", or choose "Output the Task as It Stands" and pick the task up later with Wait.',
					},
				),
				taskId,
			);
		}
		const item = await toOutputItem(ctx, task, itemIndex, { enabled: false, binaryProperty: '' });
		item.json.timedOut = true;
		return item;
	}
	const taskError = describeTaskError(task);
	if (taskError && settings.onFailure === 'error') {
		throw withTaskId(
			new NodeOperationError(
				node,
				`Task ${taskId} ${task.status}: ${taskError.code}: ${taskError.message}`,
				{
					itemIndex,
					description: taskError.hint,
				},
			),
			taskId,
		);
	}
	return await toOutputItem(ctx, task, itemIndex, {
		enabled: settings.download,
		binaryProperty: settings.binaryProperty,
	});
}

/**
 * Runs one piece of work per item at the same time. With "Continue On Fail" a failed item becomes
 * an output item carrying its task ID and the error; without it, the first error stops the node and
 * names the tasks of the other items, so no task ID is lost.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	work: (itemIndex: number) => Promise<INodeExecutionData>,
): Promise<INodeExecutionData[]> {
	const outcomes = await Promise.allSettled(
		itemIndexes.map(async (itemIndex) => await work(itemIndex)),
	);
	const output: INodeExecutionData[] = [];
	let firstError: NodeApiError | NodeOperationError | undefined;
	outcomes.forEach((outcome, position) => {
		const itemIndex = itemIndexes[position];
		if (outcome.status === 'fulfilled') {
			output.push(outcome.value);
			return;
		}
		const error = toNodeError(ctx.getNode(), outcome.reason, itemIndex);
		if (ctx.continueOnFail()) {
			output.push(errorItem(error, itemIndex));
		} else {
			firstError ??= error;
		}
	});
	if (firstError) {
		const others = output.map(
			(item) => `${String(item.json.taskId)} (${String(item.json.status)})`,
		);
		if (others.length) {
			firstError.description =
				`${firstError.description ?? ''}\nOther tasks of this run: ${others.join(', ')}`.trim();
		}
		throw firstError;
	}
	return output;
}

/** An output item for a failed task or request, carrying the task ID when there is one. */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	return {
		json: {
			taskId: (error.context?.taskId as string | undefined) ?? null,
			error: { message: error.message, description: error.description ?? null },
		},
		pairedItem: { item: itemIndex },
	};
}

/**
 * Checks every item before the first request, so one bad item can neither hide behind good ones nor
 * leave them half-sent: with "Continue On Fail" a bad item becomes an error item, otherwise the
 * first one stops the node before anything is sent.
 */
export async function planEachItem<T>(
	ctx: IExecuteFunctions,
	plan: (itemIndex: number) => T | Promise<T>,
): Promise<{ plans: Map<number, T>; rejected: INodeExecutionData[] }> {
	const node = ctx.getNode();
	const plans = new Map<number, T>();
	const rejected: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			plans.set(itemIndex, await plan(itemIndex));
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			rejected.push(errorItem(nodeError, itemIndex));
		}
	}
	return { plans, rejected };
}

/** Output items in input order (items settle in any order). */
export function sortByItem(items: INodeExecutionData[]): INodeExecutionData[] {
	const position = (item: INodeExecutionData) =>
		(item.pairedItem as { item: number } | undefined)?.item ?? 0;
	return items.sort((a, b) => position(a) - position(b));
}
