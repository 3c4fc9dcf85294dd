import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { nodeError } from '../../shared/errors';
import { toOutputItem } from '../../shared/output';
import { waitForTask } from '../../shared/poll';
import { describeTaskError, type EvoLinkTask } from '../../shared/task';
import type { WaitSettings } from './waitSettings';

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
			throw nodeError(
				node,
				`Task ${taskId} is still ${task.status ?? 'running'} after ${settings.timeoutMs / 1000} s`,
				{
					itemIndex,
					taskId,
					description:
						'Raise "Timeout (Seconds)", or choose "Output the Task as It Stands" and pick the task up later with Wait.',
				},
			);
		}
		const item = await toOutputItem(ctx, task, itemIndex, { enabled: false, binaryProperty: '' });
		item.json.timedOut = true;
		return item;
	}
	const taskError = describeTaskError(task);
	if (taskError && settings.onFailure === 'error') {
		throw nodeError(
			node,
			`Task ${taskId} ${task.status}: ${taskError.code}: ${taskError.message}`,
			{
				itemIndex,
				taskId,
				description: taskError.hint,
			},
		);
	}
	return await toOutputItem(ctx, task, itemIndex, {
		enabled: settings.download,
		binaryProperty: settings.binaryProperty,
	});
}
