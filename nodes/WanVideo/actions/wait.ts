import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { assertTaskId, toNodeError } from '../../shared/api';
import type { EvoLinkTask } from '../../shared/task';
import { parkUntilCallback, resumeUrlProblem } from './callbackWait';
import {
	errorItem,
	readWaitSettings,
	runPerItem,
	settleTask,
	waitOptionsOf,
	type WaitSettings,
} from './settle';

/**
 * Wait: every item's task at once, each polled on its own adaptive schedule; or, in callback mode,
 * the execution parks until EvoLink calls back.
 */
export async function wait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const planned: Array<{ itemIndex: number; taskId: string; settings: WaitSettings }> = [];
	const rejected: INodeExecutionData[] = [];
	// Every input is checked before the first read, so one bad item cannot hide behind good ones.
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const taskId = assertTaskId(node, this.getNodeParameter('taskId', itemIndex), itemIndex);
			planned.push({
				itemIndex,
				taskId,
				settings: readWaitSettings(node, waitOptionsOf(this, itemIndex), itemIndex),
			});
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			rejected.push(errorItem(nodeError, itemIndex));
		}
	}
	const known = new Map<number, EvoLinkTask>();
	if (planned[0]?.settings.mode === 'callback' && !(await resumeUrlProblem(this))) {
		const longest = Math.max(...planned.map((plan) => plan.settings.timeoutMs));
		const tasks = await parkUntilCallback(
			this,
			planned.map((plan) => plan.taskId),
			longest,
		);
		// Parked: on resume n8n outputs what the callback gives; on timeout, these input items.
		if (!tasks) return [this.getInputData()];
		tasks.forEach((task, position) => known.set(planned[position].itemIndex, task));
	}
	const byIndex = new Map(planned.map((plan) => [plan.itemIndex, plan]));
	const settled = await runPerItem(this, [...byIndex.keys()], async (itemIndex) => {
		const { taskId, settings } = byIndex.get(itemIndex)!;
		return await settleTask(this, taskId, itemIndex, settings, known.get(itemIndex));
	});
	return [sortByItem([...settled, ...rejected])];
}

export function sortByItem(items: INodeExecutionData[]): INodeExecutionData[] {
	const position = (item: INodeExecutionData) =>
		(item.pairedItem as { item: number } | undefined)?.item ?? 0;
	return items.sort((a, b) => position(a) - position(b));
}
