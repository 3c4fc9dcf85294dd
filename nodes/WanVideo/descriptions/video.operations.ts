import type { INodeProperties } from 'n8n-workflow';

export const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Video', value: 'video' }],
	default: 'video',
};

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['video'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a video',
			description: 'Start a video task from an image and a prompt (billed)',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a video task',
			description: 'Read a task once: its status, progress and video link',
		},
		{
			name: 'Wait',
			value: 'wait',
			action: 'Wait for a video',
			description: 'Wait until a task is completed, failed or cancelled',
		},
	],
	default: 'create',
};
