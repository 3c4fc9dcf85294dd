import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { downloadVideo } from './download';
import { type EvoLinkTask, type TaskError, toTaskItem } from './task';
import type { ApiContext } from './transport';

// What the nodes output for a task: the task item, the video as binary when asked, and for an AI
// agent a sentence it can act on. Get, Wait, Create with wait and the trigger all shape it here.

/** n8n runs a node an AI agent uses as "<type>Tool" (e.g. n8n-nodes-wan-video.wanVideoTool). */
export function isAgentTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** One sentence an AI agent can act on: where the video is, why it failed, or when to look again. */
export function toolAnswer(item: IDataObject): string {
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
