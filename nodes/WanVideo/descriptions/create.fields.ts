import type { INodeProperties } from 'n8n-workflow';

const showForCreate = { show: { resource: ['video'], operation: ['create'] } };

export const createFields: INodeProperties[] = [
	{
		displayName:
			'Each run of this node starts billed tasks. n8n\'s "Retry On Fail" repeats the request with the same idempotency key, which EvoLink uses to return the task it already started; that behaviour is not in EvoLink\'s public docs, so leave "Retry On Fail" off if a second bill would hurt.',
		name: 'billingNotice',
		type: 'notice',
		default: '',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. The cat turns its head and the camera slowly zooms in',
		description: 'What should happen in the video. At most 1500 characters.',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/first-frame.png',
		description:
			'The first frame: one directly downloadable JPEG, PNG (no transparency), BMP or WEBP, at most 10 MB, 360–2000 px wide and high',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'options',
		options: [
			{ name: '5 Seconds', value: 5 },
			{ name: '10 Seconds', value: 10 },
			{ name: '15 Seconds', value: 15 },
		],
		default: 5,
		description:
			'Length of the video. Credits are reserved for this length. An expression may give any whole number from 2 to 15.',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Quality',
		name: 'quality',
		type: 'options',
		options: [
			{ name: '720p', value: '720p' },
			{ name: '1080p (Higher Price)', value: '1080p' },
		],
		default: '720p',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Prompt Rewriting',
		name: 'promptExtend',
		type: 'boolean',
		default: true,
		description: 'Whether a language model rewrites the prompt for better results',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Shot Type',
		name: 'shotType',
		type: 'options',
		options: [
			{ name: 'Single Shot', value: 'single' },
			{ name: 'Multiple Shots', value: 'multi' },
		],
		default: 'single',
		description: 'One continuous shot, or several cuts. Only works with prompt rewriting.',
		displayOptions: { show: { ...showForCreate.show, promptExtend: [true] } },
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the video is finished (like Create followed by Wait). Items wait at the same time, so 20 videos take about as long as one.',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showForCreate,
		options: [
			{
				displayName: 'Audio URL',
				name: 'audioUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/voice.mp3',
				description:
					'An MP3 of 3–30 s, at most 15 MB. Longer audio is cut; shorter audio leaves the rest silent.',
			},
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/…/callback',
				description:
					"Where EvoLink posts the finished task: paste a Wan Video Trigger's production URL (it is signed for you). EvoLink only calls public HTTPS addresses, at most 2048 characters.",
			},
			{
				displayName: 'Resume This Execution on Completion',
				name: 'resumeOnCallback',
				type: 'boolean',
				default: false,
				description:
					'Whether EvoLink\'s callback goes to this execution, for a following Wan Video Wait in "Callback (No Polling)" mode. Replaces Callback URL. Needs n8n at a public HTTPS address; otherwise the Wait polls.',
			},
		],
	},
];
