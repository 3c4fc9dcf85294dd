import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { assertTaskId, toNodeError } from '../../shared/api';
import { errorItem, readWaitSettings, runPerItem, settleTask, type WaitSettings } from './settle';

/** Wait: every item's task at once, each polled on its own adaptive schedule. */
export async function wait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const planned: Array<{ itemIndex: number; taskId: string; settings: WaitSettings }> = [];
	const rejected: INodeExecutionData[] = [];
	// Every input is checked before the first read, so one bad item cannot hide behind good ones.
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const taskId = assertTaskId(node, this.getNodeParameter('taskId', itemIndex), itemIndex);
			planned.push({ itemIndex, taskId, settings: readWaitSettings(this, itemIndex) });
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			rejected.push(errorItem(nodeError, itemIndex));
		}
	}
	const byIndex = new Map(planned.map((plan) => [plan.itemIndex, plan]));
	const settled = await runPerItem(this, [...byIndex.keys()], async (itemIndex) => {
		const { taskId, settings } = byIndex.get(itemIndex)!;
		return await settleTask(this, taskId, itemIndex, settings);
	});
	return [sortByItem([...settled, ...rejected])];
}

export function sortByItem(items: INodeExecutionData[]): INodeExecutionData[] {
	const position = (item: INodeExecutionData) =>
		(item.pairedItem as { item: number } | undefined)?.item ?? 0;
	return items.sort((a, b) => position(a) - position(b));
}
