import type { INodeProperties } from 'n8n-workflow';

import {
	type ClipRules,
	inputSetOf,
	MODELS,
	type ModelRules,
	type ModelTable,
} from '../../shared/models';
import { createDownloadFieldV2, createWaitingOptions, createWaitOptionsField } from './wait.fields';
import {
	aspectRatioFields,
	durationFields,
	forModels,
	generationModeFields,
	mediaFields,
	modelFields,
	modelsWhere,
	optionForModels,
	promptField,
	qualityFields,
	showForCreate,
	SINCE_V2,
	startFromField,
	V1,
} from './modelFields';

// Create's fields. Which model shows which field, with which choices, comes from the model table
// (shared/models.ts) through modelFields.ts: no model is named here.

/** Whether the model takes an audio track in any of its modes. */
const takesAudio = (rules: ModelRules) =>
	[undefined, ...Object.keys(rules.modes ?? {})].some(
		(mode) => inputSetOf(rules, mode).inputs.audio !== undefined,
	);

/** "MP3 of 3–30 s (Wan 2.6), MP3 or WAV of 2–30 s (Wan 2.7)": the audio rules, per generation. */
function audioRules(models: ModelTable): string {
	const rules = new Map<string, Set<string>>();
	for (const model of Object.values(models)) {
		for (const mode of [undefined, ...Object.keys(model.modes ?? {})]) {
			const file = inputSetOf(model, mode).inputs.audio?.file as ClipRules | undefined;
			if (!file) continue;
			const text = `${file.formats.map((f) => f.toUpperCase()).join(' or ')} of ${file.minSeconds}–${file.maxSeconds} s`;
			rules.set(
				text,
				(rules.get(text) ?? new Set()).add(model.label.split(' ').slice(0, 2).join(' ')),
			);
		}
	}
	return [...rules.entries()]
		.map(([text, labels]) => `${text} (${[...labels].join(', ')})`)
		.join('; ');
}

/** Options every version offers; those a model does not take are hidden for it. */
const createOptions = (models: ModelTable): INodeProperties[] => [
	{
		displayName: 'Audio Binary Field',
		name: 'audioBinaryProperty',
		type: 'string',
		default: '',
		placeholder: 'e.g. audio',
		description: `A binary field with the soundtrack, instead of Audio URL: ${audioRules(models)}`,
		displayOptions: optionForModels(models, takesAudio),
	},
	{
		displayName: 'Audio URL',
		name: 'audioUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/voice.mp3',
		description: `The soundtrack the video follows: ${audioRules(models)}`,
		displayOptions: optionForModels(models, takesAudio),
	},
	{
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/…/callback',
		description: "Where EvoLink posts the finished task: a Wan Video Trigger's production URL",
	},
	{
		displayName: 'Keep Original Sound',
		name: 'keepOriginalSound',
		type: 'boolean',
		default: false,
		description: "Whether to keep the video's own sound; off lets the model decide from the prompt",
		displayOptions: optionForModels(models, (rules) => rules.keepOriginalSound === true),
	},
	{
		displayName: 'Max Credits per Run',
		name: 'maxCreditsPerRun',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1000,
		description: 'Items that would reserve more credits in this run are not created',
	},
	{
		displayName: 'Max Tasks per Run',
		name: 'maxTasksPerRun',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'Items beyond this many tasks in this run are not created',
	},
	{
		displayName: 'Negative Prompt',
		name: 'negativePrompt',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. blurry, low quality',
		description: 'What the video should avoid (at most 500 characters)',
		displayOptions: optionForModels(models, (rules) => rules.negativePromptChars !== undefined),
	},
	{
		displayName: 'Reference Document URL',
		name: 'referenceDocumentUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/storyboard.pdf',
		description:
			'A PDF, Office or text document (at most 50 pages) the video draws on; not with a web page',
		displayOptions: optionForModels(models, (rules) => rules.referenceDocument === true),
	},
	{
		displayName: 'Reference Web Page URL',
		name: 'referenceWebPageUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/product',
		description: 'A public page (no login) the video draws on; not with a document',
		displayOptions: optionForModels(models, (rules) => rules.referenceDocument === true),
	},
	{
		displayName: 'Resume This Execution on Completion',
		name: 'resumeOnCallback',
		type: 'boolean',
		default: false,
		description:
			'Whether EvoLink calls this execution back, for a following Wait in callback mode (replaces Callback URL)',
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: 1,
		description: 'The same seed and inputs give similar videos; leave out for a random one',
		displayOptions: optionForModels(models, (rules) => rules.seed !== undefined),
	},
	{
		displayName: 'Voice Bindings',
		name: 'voiceBindings',
		type: 'json',
		default: '{}',
		description:
			'A voice per reference, e.g. {"image1": "https://…/voice.mp3", "video2": "a binary field"}',
		displayOptions: optionForModels(models, (rules) => rules.voiceBindings !== undefined),
	},
];

const WAIT_HELP = 'Whether to wait until the videos are finished; items wait at the same time';

/** Create's fields for a model table (tests build them for a copy with a model added). */
export const buildCreateFields = (models: ModelTable = MODELS): INodeProperties[] => [
	{
		displayName: 'Each run starts billed tasks: keep "Retry On Fail" off',
		name: 'billingNotice',
		type: 'notice',
		default: '',
		displayOptions: showForCreate(),
	},
	startFromField,
	...modelFields(models),
	...generationModeFields(models),
	promptField(models),
	...mediaFields(models),
	...aspectRatioFields(models),
	...durationFields(models),
	...qualityFields(models),
	...forModels(
		modelsWhere(models, (rules) => rules.promptExtend === true),
		{
			displayName: 'Prompt Rewriting',
			name: 'promptExtend',
			type: 'boolean',
			default: true,
			description: 'Whether a language model rewrites the prompt for better results',
		},
	),
	...forModels(
		modelsWhere(models, (rules) => rules.shotType === 'withPromptExtend'),
		shotTypeField('One continuous shot, or several cuts (needs prompt rewriting)'),
		{ promptExtend: [true] },
	),
	...forModels(
		modelsWhere(models, (rules) => rules.shotType === 'always'),
		shotTypeField('One continuous shot, or several cuts'),
	),
	...forModels(
		modelsWhere(models, (rules) => rules.generateAudio === true),
		{
			displayName: 'Generate Audio',
			name: 'generateAudio',
			type: 'boolean',
			default: true,
			description: 'Whether the model adds its own sound; off makes a silent video',
		},
	),
	// version 1 returned at once; version 2 waits (and downloads) unless told otherwise
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description: WAIT_HELP,
		displayOptions: showForCreate({}, V1),
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description: WAIT_HELP,
		displayOptions: showForCreate({}, SINCE_V2),
	},
	createDownloadFieldV2,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showForCreate({}, V1),
		options: createOptions(models),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showForCreate({}, SINCE_V2),
		options: [...createOptions(models), ...createWaitingOptions].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	},
	createWaitOptionsField,
];

function shotTypeField(description: string): INodeProperties {
	return {
		displayName: 'Shot Type',
		name: 'shotType',
		type: 'options',
		options: [
			{ name: 'Single Shot', value: 'single' },
			{ name: 'Multiple Shots', value: 'multi' },
		],
		default: 'single',
		description,
	};
}

export const createFields = buildCreateFields();
