import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './description';
import { noWebhookRegistration } from '../shared/webhook';
import { handleCallback } from './callback';

export class WanVideoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wan Video Trigger',
		name: 'wanVideoTrigger',
		icon: { light: 'file:wanVideoTrigger.svg', dark: 'file:wanVideoTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"On " + $parameter["events"].join(", ") + " videos"}}',
		description: 'Starts the workflow when EvoLink reports a finished Wan video task',
		eventTriggerDescription: 'Waiting for EvoLink to report a finished video',
		activationMessage:
			"Paste this trigger's production URL into the Callback URL option of Wan Video's Create: each finished task now starts this workflow.",
		defaults: { name: 'Wan Video Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'evoLinkApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'callback',
			},
		],
		properties: triggerProperties,
	};

	webhookMethods = noWebhookRegistration;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleCallback(this, this.getNodeParameter('options', {}) as IDataObject);
	}
}
