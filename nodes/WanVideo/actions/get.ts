import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { assertTaskId, readTask, toNodeError } from '../../shared/api';
import { errorItem, runPerItem, toOutputItem } from './settle';
import { sortByItem } from './wait';

/** Get: reads every item's task once (all at once), attaching the video when asked. */
export async function get(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const taskIds = new Map<number, string>();
	const rejected: INodeExecutionData[] = [];
	// Every task ID is checked before the first read, so one bad item cannot hide behind good ones.
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			taskIds.set(
				itemIndex,
				assertTaskId(node, this.getNodeParameter('taskId', itemIndex), itemIndex),
			);
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			rejected.push(errorItem(nodeError, itemIndex));
		}
	}
	const read = await runPerItem(this, [...taskIds.keys()], async (itemIndex) => {
		const options = this.getNodeParameter('getOptions', itemIndex, {}) as IDataObject;
		const task = await readTask(this, taskIds.get(itemIndex)!, { itemIndex });
		return await toOutputItem(this, task, itemIndex, {
			enabled: options.download === true,
			binaryProperty: String(options.binaryProperty ?? 'data'),
		});
	});
	return [sortByItem([...read, ...rejected])];
}
