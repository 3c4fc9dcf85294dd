import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { apiError, assertTaskId, getEvoLinkCredentials, toNodeError } from '../../shared/api';
import type { EvoLinkTask } from '../../shared/task';
import { errorItem, toOutputItem } from './settle';

/** Checks the task ID before the request is sent, and encodes it into the path. */
export async function prepareGetRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const taskId = assertTaskId(this.getNode(), this.getNodeParameter('taskId'), this.getItemIndex());
	await getEvoLinkCredentials(this);
	return { ...requestOptions, url: `/v1/tasks/${encodeURIComponent(taskId)}` };
}

/** The task as an output item: API errors name the task, and the video is attached when asked. */
export async function toGetOutput(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const taskId = String(this.getNodeParameter('taskId')).trim();
	const options = this.getNodeParameter('getOptions', {}) as IDataObject;
	try {
		if (response.statusCode >= 400) {
			throw apiError(this, response, { taskId, itemIndex, action: 'read the task' });
		}
		return [
			await toOutputItem(this, response.body as EvoLinkTask, itemIndex, {
				enabled: options.download === true,
				binaryProperty: String(options.binaryProperty ?? 'data'),
			}),
		];
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, itemIndex);
		if (!this.continueOnFail()) throw nodeError;
		return [errorItem(nodeError, itemIndex)];
	}
}
