import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { noWebhookRegistration } from '../shared/webhook';
import { resumeOnCallback } from './actions/callbackWait';
import { create } from './actions/create';
import { wait } from './actions/wait';
import { createFields } from './descriptions/create.fields';
import { operationField, resourceField } from './descriptions/video.operations';
import {
	createWaitOptionsField,
	getOptionsField,
	taskIdField,
	waitOptionsField,
} from './descriptions/wait.fields';

/**
 * Declarative where a request maps 1:1 to fields (Get); custom operations where behaviour needs
 * code: Create checks every item before the first billed request, Create and Wait poll, and Wait
 * can park the execution until EvoLink calls back (`webhook`).
 */
export class WanVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wan Video',
		name: 'wanVideo',
		icon: { light: 'file:wanVideo.svg', dark: 'file:wanVideo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Turn an image and a prompt into a video with EvoLink's Wan 2.6",
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
		requestDefaults: {
			baseURL: '={{($credentials.baseUrl || "https://api.evolink.ai").replace(/\\/+$/, "")}}',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		properties: [
			resourceField,
			operationField,
			...createFields,
			createWaitOptionsField,
			taskIdField,
			getOptionsField,
			waitOptionsField,
		],
	};

	customOperations = {
		video: { create, wait },
	};

	webhookMethods = noWebhookRegistration;

	webhook = resumeOnCallback;
}
