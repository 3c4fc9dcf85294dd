import type { INodeProperties } from 'n8n-workflow';

import { MODELS, type ModelTable, modelsWhere } from '../../shared/models';
import {
	aspectRatioFields,
	durationFields,
	modelField,
	notWith,
	promptLimits,
	qualityFields,
	showForCreate,
	showForModels,
} from './modelFields';

// Create's fields. Which model shows which field, with which choices, comes from the model table
// (shared/models.ts) through modelFields.ts: no model is named here.

/** Create's fields for a model table (tests build them for a copy with a model added). */
export const buildCreateFields = (models: ModelTable = MODELS): INodeProperties[] => [
	{
		displayName:
			'Each run of this node starts billed tasks. n8n\'s "Retry On Fail" repeats the request with the same idempotency key, which EvoLink uses to return the task it already started; that behaviour is not in EvoLink\'s public docs, so leave "Retry On Fail" off if a second bill would hurt.',
		name: 'billingNotice',
		type: 'notice',
		default: '',
		displayOptions: showForCreate,
	},
	modelField(models),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. The cat turns its head and the camera slowly zooms in',
		description: `What should happen in the video. ${promptLimits(models)}.`,
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
		displayOptions: showForModels(modelsWhere((rules) => rules.image, models)),
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
		displayOptions: showForModels(
			modelsWhere((rules) => rules.image, models),
			{ imageSource: ['url'] },
		),
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
		displayOptions: showForModels(
			modelsWhere((rules) => rules.image, models),
			{ imageSource: ['binary'] },
		),
	},
	...aspectRatioFields(models),
	...durationFields(models),
	...qualityFields(models),
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
		displayOptions: showForModels(
			modelsWhere((rules) => rules.shotType, models),
			{ promptExtend: [true] },
		),
	},
	{
		displayName: 'Generate Audio',
		name: 'generateAudio',
		type: 'boolean',
		default: true,
		description: 'Whether the model adds its own sound. Off makes a silent video at a lower price.',
		displayOptions: showForModels(modelsWhere((rules) => rules.audioSwitch, models)),
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
					'An input binary field holding an MP3 (3–30 s, at most 15 MB) to upload as the soundtrack, instead of Audio URL.' +
					notWith(models, (rules) => !rules.audioTrack),
			},
			{
				displayName: 'Audio URL',
				name: 'audioUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/voice.mp3',
				description:
					'An MP3 of 3–30 s, at most 15 MB. Longer audio is cut; shorter audio leaves the rest silent.' +
					notWith(models, (rules) => !rules.audioTrack),
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

export const createFields = buildCreateFields();
