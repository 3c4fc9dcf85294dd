import type { INode, INodeExecutionData } from 'n8n-workflow';

import { downloadVideo } from './download';
import { describeTaskError, type EvoLinkTask, toTaskItem, toTaskItemV2 } from './task';
import type { ApiContext } from './transport';

// What the nodes output for a task: the task item, the video as binary when asked, and for an AI
// agent a sentence it can act on. Get, Wait, Create with wait and the trigger all shape it here.

/** n8n runs a node an AI agent uses as "<type>Tool" (e.g. n8n-nodes-wan-video.wanVideoTool). */
export function isAgentTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** One sentence an AI agent can act on: where the video is, why it failed, or when to look again. */
export function toolAnswer(task: EvoLinkTask): string {
	const { id, status, progress } = task;
	const videoUrl = task.results?.[0];
	const taskError = describeTaskError(task);
	if (videoUrl) {
		return `The video of task ${id} is ready: ${videoUrl} (the link works for 24 hours).`;
	}
	if (taskError) {
		return `Task ${id} ${status} (${taskError.code}): ${taskError.message}. ${taskError.hint}`;
	}
	const eta = task.task_info?.estimated_time;
	return (
		`Task ${id} is still ${status ?? 'running'} (${progress ?? 0}% done) and has no video yet. ` +
		`Check it again later with the Get operation and task ID ${id}` +
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
	const node = ctx.getNode();
	const json = node.typeVersion >= 2 ? toTaskItemV2(task) : toTaskItem(task);
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	const forAgent = isAgentTool(node);
	if (forAgent) item.json = { answer: toolAnswer(task), ...item.json };
	if (download.enabled && task.status === 'completed' && !forAgent) {
		item.binary = { [download.binaryProperty]: await downloadVideo(ctx, task, itemIndex) };
	}
	return item;
}
