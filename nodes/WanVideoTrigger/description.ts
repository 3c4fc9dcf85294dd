import type { INodeProperties } from 'n8n-workflow';

import { downloadOptions } from '../shared/descriptions';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Copy the production URL above into the Callback URL option of a Wan Video Create node that uses the same EvoLink credential: Create signs it, and this trigger refuses calls without that signature. EvoLink only calls public HTTPS addresses, so n8n must be reachable from the internet (set WEBHOOK_URL) and this workflow must be active.',
		name: 'wiringNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Start On',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{ name: 'Cancelled', value: 'cancelled', description: 'The task was cancelled' },
			{ name: 'Completed', value: 'completed', description: 'The video is ready' },
			{ name: 'Failed', value: 'failed', description: 'The task failed (it is refunded)' },
		],
		default: ['completed'],
		description: 'Which final statuses start the workflow',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Confirm With the API',
				name: 'confirm',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the task from EvoLink and output what the API says rather than what the callback claims. Turn off only if you trust every caller.',
			},
			...downloadOptions,
			{
				displayName: 'Models',
				name: 'models',
				type: 'string',
				default: '',
				placeholder: 'e.g. wan2.6-image-to-video, wan2.6-image-to-video-flash',
				description: 'Comma-separated models whose tasks start the workflow; empty for all',
			},
		],
	},
];
