import type { INodeProperties } from 'n8n-workflow';

import { IMAGE_MODELS } from '../../shared/models';

const showForCreate = { show: { resource: ['video'], operation: ['create'] } };
const WAN25 = 'wan2.5-image-to-video';
/** Shown when the model starts from an image, with more conditions. */
const showForImage = (extra: Record<string, string[]>) => ({
	show: { ...showForCreate.show, model: IMAGE_MODELS, ...extra },
});
const showUnlessWan25 = { ...showForCreate, hide: { model: [WAN25] } };
const showForWan25 = { show: { ...showForCreate.show, model: [WAN25] } };

type DisplayOptions = INodeProperties['displayOptions'];

/** Duration as the models offer it: the same parameter, shown once per set of choices. */
const durationField = (
	seconds: number[],
	displayOptions: DisplayOptions,
	description: string,
): INodeProperties => ({
	displayName: 'Duration (Seconds)',
	name: 'duration',
	type: 'options',
	options: seconds.map((value) => ({ name: `${value} Seconds`, value })),
	default: 5,
	description,
	displayOptions,
});

const QUALITY_NAMES: Record<string, string> = {
	'480p': '480p (Lowest Price)',
	'720p': '720p',
	'1080p': '1080p (Higher Price)',
};

const qualityField = (qualities: string[], displayOptions: DisplayOptions): INodeProperties => ({
	displayName: 'Quality',
	name: 'quality',
	type: 'options',
	options: qualities.map((value) => ({ name: QUALITY_NAMES[value], value })),
	default: '720p',
	displayOptions,
});

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
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{
				name: 'Wan 2.5 Image to Video',
				value: WAN25,
				description: 'The previous generation: 5 or 10 s, 480p–1080p, no audio track',
			},
			{
				name: 'Wan 2.6 Image to Video',
				value: 'wan2.6-image-to-video',
				description: 'Animates a first-frame image; 2–15 s, optional audio track',
			},
			{
				name: 'Wan 2.6 Image to Video Flash',
				value: 'wan2.6-image-to-video-flash',
				description: 'Faster and cheaper; can generate its own sound or stay silent',
			},
			{
				name: 'Wan 2.6 Text to Video',
				value: 'wan2.6-text-to-video',
				description: 'No image: the video comes from the prompt alone',
			},
		],
		default: 'wan2.6-image-to-video',
		description: 'The Wan model that makes the video. Prices differ per model.',
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
		description: 'What should happen in the video. At most 1500 characters (2000 with Wan 2.5).',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'An image from an earlier node (form upload, Google Drive, HTTP Request…)',
			},
			{ name: 'URL', value: 'url', description: 'A public, directly downloadable image URL' },
		],
		default: 'url',
		description: 'Where the first frame comes from',
		displayOptions: showForImage({}),
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
		displayOptions: showForImage({ imageSource: ['url'] }),
	},
	{
		displayName: 'Image Binary Field',
		name: 'imageBinaryProperty',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		description:
			"The input binary field holding the first frame: JPEG, PNG (no transparency), BMP or WEBP, at most 10 MB, 360–2000 px wide and high. It is checked here, then uploaded to EvoLink's file API (kept 72 h).",
		hint: 'The name of the binary field in the input item, as shown in the input panel',
		displayOptions: showForImage({ imageSource: ['binary'] }),
	},
	{
		displayName: 'Aspect Ratio',
		name: 'aspectRatio',
		type: 'options',
		options: [
			{ name: '1:1 (Square)', value: '1:1' },
			{ name: '16:9 (Landscape)', value: '16:9' },
			{ name: '3:4', value: '3:4' },
			{ name: '4:3', value: '4:3' },
			{ name: '9:16 (Portrait)', value: '9:16' },
		],
		default: '16:9',
		description: 'Shape of the video (text to video only: image models follow the image)',
		displayOptions: { show: { ...showForCreate.show, model: ['wan2.6-text-to-video'] } },
	},
	durationField(
		[5, 10, 15],
		showUnlessWan25,
		'Length of the video. Credits are reserved for this length. An expression may give any whole number from 2 to 15.',
	),
	durationField(
		[5, 10],
		showForWan25,
		'Length of the video. Credits are reserved for this length.',
	),
	qualityField(['720p', '1080p'], showUnlessWan25),
	qualityField(['480p', '720p', '1080p'], showForWan25),
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
		displayOptions: {
			show: { ...showForCreate.show, promptExtend: [true] },
			hide: { model: [WAN25] },
		},
	},
	{
		displayName: 'Generate Audio',
		name: 'generateAudio',
		type: 'boolean',
		default: true,
		description: 'Whether the model adds its own sound. Off makes a silent video at a lower price.',
		displayOptions: { show: { ...showForCreate.show, model: ['wan2.6-image-to-video-flash'] } },
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
				displayName: 'Audio Binary Field',
				name: 'audioBinaryProperty',
				type: 'string',
				default: '',
				placeholder: 'e.g. audio',
				description:
					'An input binary field holding an MP3 (3–30 s, at most 15 MB) to upload as the soundtrack, instead of Audio URL. Not with Wan 2.5.',
			},
			{
				displayName: 'Audio URL',
				name: 'audioUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/voice.mp3',
				description:
					'An MP3 of 3–30 s, at most 15 MB. Longer audio is cut; shorter audio leaves the rest silent. Not with Wan 2.5.',
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
