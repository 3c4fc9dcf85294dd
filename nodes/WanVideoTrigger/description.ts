import type { INodeProperties } from 'n8n-workflow';

import { downloadOptions } from '../shared/descriptions';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Give EvoLink the production URL: paste it into Create's Callback URL (same credential) and activate this workflow. EvoLink calls only public HTTPS addresses, so test with the simulator or a tunnel.",
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
				description: 'Whether to output the task as the API gives it, not as the callback claims',
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
