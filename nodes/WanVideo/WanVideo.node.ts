import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeError } from '../shared/errors';
import { noWebhookRegistration } from '../shared/webhook';
import { resumeOnCallback } from './actions/callbackWait';
import { create } from './actions/create';
import { get } from './actions/get';
import { wait } from './actions/wait';
import { createFields } from './descriptions/create.fields';
import { operationField, resourceField } from './descriptions/video.operations';
import {
	downloadFieldV2,
	getOptionsField,
	optionsFieldsV2,
	taskIdField,
	waitOptionsField,
} from './descriptions/wait.fields';

const operations = { create, get, wait };

/**
 * Field definitions apart (descriptions/), one function per operation (actions/). Create checks
 * every item before the first billed request, Create and Wait poll, and Wait can park the execution
 * until EvoLink calls back (`webhook`). All in `execute()`: routing hooks run one item at a time, so
 * they could neither check every item before the first billed create, nor share a request budget,
 * nor park the execution.
 *
 * Version 1 is what 0.1 and 0.2 saved; version 2 (new nodes) starts from Wan 3.0, waits and downloads
 * by default, has one Options group and outputs each value once (shared/task.ts).
 */
export class WanVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wan Video',
		name: 'wanVideo',
		icon: { light: 'file:wanVideo.svg', dark: 'file:wanVideo.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Make videos from images, prompts, references or clips with EvoLink's Wan models",
		defaults: { name: 'Wan Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'evoLinkApi', required: true }],
		// The resume endpoint of a parked execution (Wait in callback mode).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				restartWebhook: true,
				isFullPath: true,
				path: '',
			},
		],
		waitingNodeTooltip: 'Waiting for EvoLink to report that every task is finished',
		properties: [
			resourceField,
			operationField,
			...createFields,
			taskIdField,
			downloadFieldV2,
			getOptionsField,
			waitOptionsField,
			...optionsFieldsV2,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		if (!Object.prototype.hasOwnProperty.call(operations, operation)) {
			throw nodeError(this.getNode(), `Operation: unknown operation "${operation}"`);
		}
		return await operations[operation as keyof typeof operations].call(this);
	}

	webhookMethods = noWebhookRegistration;

	webhook = resumeOnCallback;
}
