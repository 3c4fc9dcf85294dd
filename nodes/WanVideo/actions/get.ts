import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DEFAULT_BINARY_PROPERTY } from '../../shared/constants';
import { assertTaskId } from '../../shared/task';
import { readTask } from '../../shared/transport';
import { toOutputItem } from '../../shared/output';
import { planEachItem, runPerItem, sortByItem } from './perItem';
import { waitingParameters } from './waitSettings';

/** Get: reads every item's task once (all at once), attaching the video when asked. */
export async function get(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const { plans: taskIds, rejected } = await planEachItem(this, (itemIndex) =>
		assertTaskId(node, this.getNodeParameter('taskId', itemIndex), itemIndex),
	);
	const read = await runPerItem(this, [...taskIds.keys()], async (itemIndex) => {
		const options = waitingParameters(
			node,
			(name, fallback) => this.getNodeParameter(name, itemIndex, fallback),
			'getOptions',
		);
		const task = await readTask(this, taskIds.get(itemIndex)!, { itemIndex });
		return await toOutputItem(this, task, itemIndex, {
			enabled: options.download === true,
			binaryProperty: String(options.binaryProperty ?? DEFAULT_BINARY_PROPERTY),
		});
	});
	return [sortByItem([...read, ...rejected])];
}
