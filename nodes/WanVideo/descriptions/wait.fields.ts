import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_TIMEOUT_SECONDS,
	DEFAULT_TOOL_WAIT_SECONDS,
	MAX_TOOL_WAIT_SECONDS,
} from '../../shared/constants';
import { binaryPropertyField, downloadField, downloadOptions } from '../../shared/descriptions';
import { SINCE_V2, V1 } from './modelFields';

// Task ID and how to wait: Get and Wait, and Create when it waits for completion. Version 1 keeps
// its option groups as 0.1/0.2 saved them; version 2 has one Options group and Download Video beside it.

type Versions = NonNullable<IDisplayOptions['show']>['@version'];

const show = (operations: string[], versions: Versions, extra = {}): IDisplayOptions => ({
	show: { '@version': versions, resource: ['video'], operation: operations, ...extra },
});

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
				'Park the execution, holding no worker, until EvoLink calls back; needs a Create that resumes this execution',
		},
	],
	default: 'poll',
	description:
		'One mode for every item. On a callback timeout the items pass on with final: false.',
};

const onFailureOption: INodeProperties = {
	displayName: 'If the Task Fails',
	name: 'onFailure',
	type: 'options',
	options: [
		{
			name: 'Stop With an Error',
			value: 'error',
			description: 'With "Continue On Fail" the item carries the error instead',
		},
		{ name: 'Output the Task', value: 'output', description: 'Status and error go to the output' },
	],
	default: 'error',
	description: 'What a failed or cancelled task does',
};

const onTimeoutOption: INodeProperties = {
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
	description: 'What a task still running at the timeout does',
};

const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_TIMEOUT_SECONDS,
	description: 'How long to wait for each task. Videos usually take 1–10 minutes.',
};

const toolWaitOption: INodeProperties = {
	displayName: 'Agent Tool Wait (Seconds)',
	name: 'toolWaitSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_TOOL_WAIT_SECONDS },
	default: DEFAULT_TOOL_WAIT_SECONDS,
	description: 'How long the agent waits before it gets the task ID to check later (1–120 s)',
	displayOptions: { show: { '@tool': [true] } },
};

/** How Create and Wait wait, whatever the version. */
const waitingOptions: INodeProperties[] = [
	onFailureOption,
	onTimeoutOption,
	timeoutOption,
	toolWaitOption,
];

// ---------------------------------------------------------------- version 1

export const getOptionsField: INodeProperties = {
	displayName: 'Options',
	name: 'getOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: show(['get'], V1),
	options: downloadOptions,
};

export const waitOptionsField: INodeProperties = {
	displayName: 'Wait Options',
	name: 'waitOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: show(['wait'], V1),
	options: [...downloadOptions, ...waitingOptions, waitModeOption],
};

/** The same options on Create when it waits (always by polling: see Wait Mode). */
export const createWaitOptionsField: INodeProperties = {
	...waitOptionsField,
	displayOptions: show(['create'], V1, { waitForCompletion: [true] }),
	options: [...downloadOptions, ...waitingOptions],
};

// ---------------------------------------------------------------- version 2

/** Version 2: Download Video in plain sight, on by default (links die after 24 hours). */
export const downloadFieldV2: INodeProperties = {
	...downloadField,
	default: true,
	displayOptions: show(['get', 'wait'], SINCE_V2),
};

export const createDownloadFieldV2: INodeProperties = {
	...downloadFieldV2,
	displayOptions: show(['create'], SINCE_V2, { waitForCompletion: [true] }),
};

const outputFieldOption: INodeProperties = {
	...binaryPropertyField,
	displayOptions: { show: { '/download': [true] } },
};

/** Create's waiting options in its one Options group (version 2), shown while it waits. */
export const createWaitingOptions: INodeProperties[] = [...waitingOptions, outputFieldOption].map(
	(option) => ({
		...option,
		displayOptions: {
			show: { ...option.displayOptions?.show, '/waitForCompletion': [true] },
		},
	}),
);

export const optionsFieldsV2: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show(['get'], SINCE_V2),
		options: [outputFieldOption],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show(['wait'], SINCE_V2),
		options: [outputFieldOption, ...waitingOptions, waitModeOption],
	},
];
