import type { INodeProperties } from 'n8n-workflow';

import { TOOL_WAIT_SECONDS } from '../../shared/constants';
import { downloadOptions } from '../../shared/descriptions';

export const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '={{ $json.taskId }}',
	placeholder: 'e.g. task-unified-1757169743-7cvnl5zw',
	description: 'The taskId of a Create output',
	displayOptions: { show: { resource: ['video'], operation: ['get', 'wait'] } },
};

export const getOptionsField: INodeProperties = {
	displayName: 'Options',
	name: 'getOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['video'], operation: ['get'] } },
	options: downloadOptions,
};

const waitModeOption: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	options: [
		{
			name: 'Poll',
			value: 'poll',
			description: 'Read each task on an adaptive schedule; works everywhere',
		},
		{
			name: 'Callback (No Polling)',
			value: 'callback',
			description:
				'Park the execution, holding no worker, until EvoLink calls back. Needs a Create with "Resume This Execution on Completion" earlier in this execution.',
		},
	],
	default: 'poll',
	description:
		'One mode for all items: the execution waits as a whole, so an expression that gives items different modes is refused. In callback mode, if no callback comes before the timeout, n8n passes the input items on unchanged (final: false): follow with an IF on "final" and a polling Wait.',
};

const commonWaitOptions: INodeProperties[] = [
	...downloadOptions,
	{
		displayName: 'If the Task Fails',
		name: 'onFailure',
		type: 'options',
		options: [
			{
				name: 'Stop With an Error',
				value: 'error',
				description: 'With "Continue On Fail" the item carries the error instead',
			},
			{
				name: 'Output the Task',
				value: 'output',
				description: 'Status and error go to the output',
			},
		],
		default: 'error',
	},
	{
		displayName: 'On Timeout',
		name: 'onTimeout',
		type: 'options',
		options: [
			{ name: 'Stop With an Error', value: 'error' },
			{
				name: 'Output the Task as It Stands',
				value: 'output',
				description: 'Status stays pending or processing; a later Wait can pick it up',
			},
		],
		default: 'error',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 600,
		description: 'How long to wait before giving up on a task. Videos usually take 1–10 minutes.',
	},
	{
		displayName: 'Agent Tool Wait (Seconds)',
		name: 'toolWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: TOOL_WAIT_SECONDS.max },
		default: 60, // TOOL_WAIT_SECONDS.default (the linter wants a literal)
		description:
			'Only when an AI Agent uses this node as a tool: how long to wait (1–120 s) before answering with the task ID to check later. The agent waits for its tools, so keep it short; Timeout applies when it is shorter.',
	},
];

export const waitOptionsField: INodeProperties = {
	displayName: 'Wait Options',
	name: 'waitOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['video'], operation: ['wait'] } },
	options: [...commonWaitOptions, waitModeOption],
};

/** The same options, shown on Create when it waits (always by polling: see Wait Mode). */
export const createWaitOptionsField: INodeProperties = {
	...waitOptionsField,
	displayOptions: {
		show: { resource: ['video'], operation: ['create'], waitForCompletion: [true] },
	},
	options: commonWaitOptions,
};
