import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_BINARY_PROPERTY } from '../../shared/constants';

import {
	DEFAULT_MODELS,
	defaultsOf,
	durationChoices,
	INPUT_KINDS,
	type InputKind,
	inputSetOf,
	type ModelRules,
	type ModelTable,
	type StartFrom,
	V1_DEFAULT_MODEL,
} from '../../shared/models';

// The parts of Create's fields that follow the model table (shared/models.ts): the Model choices,
// the per-model choice sets, and which models show a field. No model is named here.

type Show = NonNullable<IDisplayOptions['show']>;

/** Node versions: 1 keeps what 0.1/0.2 saved; 2 and later are what a new node gets. */
export const V1 = [1];
export const SINCE_V2 = [{ _cnd: { gte: 2 } }] as Show['@version'];

/**
 * Shown on Create (for some node versions), with `extra` conditions. The model conditions come last:
 * n8n shows a field as soon as one of its conditions reads an expression, and skips the rest.
 */
export const showForCreate = (extra: Show = {}, versions?: Show['@version']): IDisplayOptions => ({
	show: {
		...(versions ? { '@version': versions } : {}),
		resource: ['video'],
		operation: ['create'],
		...extra,
	},
});

/** Where a field shows: some models, each in all its modes or only in some. */
interface ModelCondition {
	model: string[];
	generationMode?: string[];
}

const conditionShow = ({ model, generationMode }: ModelCondition): Show => ({
	model,
	...(generationMode ? { generationMode } : {}),
});

/**
 * The models (and modes) for which `test` holds, grouped into as few display conditions as n8n
 * can express: one for the models without modes, one per model with modes.
 */
export function modelsWhere(
	models: ModelTable,
	test: (rules: ModelRules, mode?: string) => boolean,
): ModelCondition[] {
	const plain: string[] = [];
	const moded: ModelCondition[] = [];
	for (const [id, rules] of Object.entries(models)) {
		if (!rules.modes) {
			if (test(rules)) plain.push(id);
			continue;
		}
		const modes = Object.keys(rules.modes).filter((mode) => test(rules, mode));
		if (modes.length) moded.push({ model: [id], generationMode: modes });
	}
	return [...(plain.length ? [{ model: plain }] : []), ...moded];
}

/** One copy of `field` per condition where the models show it. */
export function forModels(
	conditions: ModelCondition[],
	field: INodeProperties,
	extra: Show = {},
	versions?: Show['@version'],
): INodeProperties[] {
	return conditions.map((condition) => ({
		...field,
		displayOptions: showForCreate({ ...extra, ...conditionShow(condition) }, versions),
	}));
}

/** Inside a collection: shown for the models (`/model` reads the node's own Model field). */
export function optionForModels(models: ModelTable, test: (rules: ModelRules) => boolean) {
	const ids = Object.keys(models).filter((id) => test(models[id]));
	return { show: { '/model': ids } };
}

/**
 * One field per distinct set of choices among the models (durations, qualities, ratios): the same
 * parameter, shown for the models that offer exactly those choices.
 */
function perChoiceSet<T>(
	models: ModelTable,
	choicesOf: (rules: ModelRules) => T | undefined,
	field: (choices: T, rules: ModelRules) => INodeProperties,
): INodeProperties[] {
	const sets = new Map<string, { choices: T; ids: string[] }>();
	for (const [id, rules] of Object.entries(models)) {
		const choices = choicesOf(rules);
		if (choices === undefined) continue;
		const key = JSON.stringify(choices);
		if (!sets.has(key)) sets.set(key, { choices, ids: [] });
		sets.get(key)!.ids.push(id);
	}
	return [...sets.values()].map(({ choices, ids }) => ({
		...field(choices, models[ids[0]]),
		displayOptions: showForCreate({ model: ids }),
	}));
}

const durationName = (seconds: number, rules: ModelRules) => {
	if (seconds === -1) return `Smart (Model Decides, Up to ${durationChoices(rules).at(-2)} s)`;
	if (seconds === 0) return 'Same as the Video';
	return `${seconds} Seconds`;
};

/** What the duration means for these models, in a sentence or two. */
function durationHelp(rules: ModelRules): string {
	const notes = ['Length of the video; credits are reserved for it.'];
	if (rules.smartDuration) notes.push('Smart holds credits for the longest and refunds the rest.');
	if (rules.modes && Object.values(rules.modes).some((mode) => mode.limits?.durationIncludesVideo))
		notes.push('Continuing a video: the length of the whole result.');
	if (rules.keepVideoLength) notes.push('A shorter length cuts the video.');
	return notes.join(' ');
}

export const durationFields = (models: ModelTable) =>
	perChoiceSet(
		models,
		(rules) => ({ choices: durationChoices(rules), default: defaultsOf(rules).duration }),
		({ choices, default: preferred }, rules): INodeProperties => ({
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: choices.map((value) => ({ name: durationName(value, rules), value })),
			default: preferred,
			description: durationHelp(rules),
		}),
	);

const QUALITY_NAMES: Record<string, string> = {
	'480p': '480p (Lowest Price)',
	'720p': '720p',
	'1080p': '1080p (Higher Price)',
};

export const qualityFields = (models: ModelTable) =>
	perChoiceSet(
		models,
		(rules) => rules.qualities,
		(choices, rules): INodeProperties => {
			const preferred = defaultsOf(rules).quality;
			return {
				displayName: 'Quality',
				name: 'quality',
				type: 'options',
				options: choices.map((value) => ({ name: QUALITY_NAMES[value] ?? value, value })),
				default: preferred,
				description: 'Resolution of the video; higher costs more',
			};
		},
	);

const RATIO_NAMES: Record<string, string> = {
	adaptive: 'Adaptive (Model Chooses)',
	'': 'Same as the Video',
	'1:1': '1:1 (Square)',
	'16:9': '16:9 (Landscape)',
	'9:16': '9:16 (Portrait)',
};

export const aspectRatioFields = (models: ModelTable) =>
	perChoiceSet(
		models,
		(rules) => rules.aspectRatio,
		(ratio, rules): INodeProperties => {
			const values = ratio.default === undefined ? ['', ...ratio.choices] : ratio.choices;
			const preferred = defaultsOf(rules).aspectRatio;
			return {
				displayName: 'Aspect Ratio',
				name: 'aspectRatio',
				type: 'options',
				options: values.map((value) => ({ name: RATIO_NAMES[value] ?? value, value })),
				default: preferred,
				description: ratio.byQuality
					? 'Shape of the video; at 480p only 16:9, 9:16 and 1:1'
					: 'Shape of the video',
			};
		},
	);

const modelOption = (id: string, rules: ModelRules, label = rules.label): INodePropertyOptions => ({
	name: label,
	value: id,
	description: rules.summary,
});

const START_FROM: Array<{ value: StartFrom; name: string; description: string }> = [
	{ value: 'image', name: 'An Image', description: 'Animate a first frame (and a last one)' },
	{ value: 'text', name: 'A Prompt', description: 'Describe the video in words' },
	{
		value: 'references',
		name: 'References',
		description: 'Images, clips or voices of characters to cast in a new scene',
	},
	{ value: 'video', name: 'A Video', description: 'Edit a clip, or continue it' },
];

/** Node version 2 groups the models by what the user starts from. */
export const startFromField: INodeProperties = {
	displayName: 'Start From',
	name: 'startFrom',
	type: 'options',
	noDataExpression: true,
	options: START_FROM.map(({ value, name, description }) => ({ name, value, description })),
	default: 'image',
	description: 'What you have: the list of models follows',
	displayOptions: showForCreate({}, SINCE_V2),
};

/** The models of one group, newest first; a mode that belongs elsewhere brings its model along. */
function groupOptions(models: ModelTable, group: StartFrom): INodePropertyOptions[] {
	const options: INodePropertyOptions[] = [];
	for (const [id, rules] of Object.entries(models)) {
		if (rules.startFrom === group) options.push(modelOption(id, rules));
		for (const mode of Object.values(rules.modes ?? {})) {
			if (mode.startFrom === group && rules.startFrom !== group) {
				const label = `${rules.label.replace(/ Image to Video$/, '')} ${mode.label}`;
				options.push({ name: label, value: id, description: mode.summary });
			}
		}
	}
	return options.sort((a, b) => b.name.localeCompare(a.name));
}

const MODEL_HELP = 'The Wan model that makes the video; prices differ per model';

/** Version 1: every model in one list (its default is what saved nodes without a Model mean). */
export const modelFields = (models: ModelTable): INodeProperties[] => [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: Object.entries(models)
			.map(([id, rules]) => modelOption(id, rules))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: V1_DEFAULT_MODEL,
		description: MODEL_HELP,
		displayOptions: showForCreate({}, V1),
	},
	...START_FROM.map(({ value }): INodeProperties => {
		const options = groupOptions(models, value);
		const preferred = DEFAULT_MODELS[value] in models ? DEFAULT_MODELS[value] : options[0]?.value;
		return {
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options,
			default: preferred,
			description: MODEL_HELP,
			displayOptions: showForCreate({ startFrom: [value] }, SINCE_V2),
		};
	}),
];

/**
 * The generation mode of models that have modes. Version 2 offers, in each group, the modes that
 * belong there (continuing a video is under "A Video").
 */
export function generationModeFields(models: ModelTable): INodeProperties[] {
	const fields: INodeProperties[] = [];
	for (const [id, rules] of Object.entries(models)) {
		if (!rules.modes) continue;
		const modes = Object.entries(rules.modes);
		const field = (entries: typeof modes): INodeProperties => {
			const [[first]] = entries;
			return {
				displayName: 'Generation Mode',
				name: 'generationMode',
				type: 'options',
				options: entries.map(([value, mode]) => ({
					name: mode.label,
					value,
					description: mode.summary,
				})),
				default: first,
				description: 'Which inputs the video starts from',
			};
		};
		fields.push({ ...field(modes), displayOptions: showForCreate({ model: [id] }, V1) });
		for (const group of START_FROM.map(({ value }) => value)) {
			const inGroup = modes.filter(([, mode]) => (mode.startFrom ?? rules.startFrom) === group);
			if (!inGroup.length) continue;
			fields.push({
				...field(inGroup),
				displayOptions: showForCreate({ startFrom: [group], model: [id] }, SINCE_V2),
			});
		}
	}
	return fields;
}

/** The prompt's limits, in words: "At most 2000 characters with Wan 2.5, 1500 with Wan 2.6 …". */
function promptLimits(models: ModelTable): string {
	const byGeneration = new Map<string, number>();
	for (const rules of Object.values(models)) {
		byGeneration.set(rules.label.split(' ').slice(0, 2).join(' '), rules.prompt.maxChars);
	}
	const limits = [...byGeneration.entries()].map(
		([generation, chars]) => `${chars} with ${generation}`,
	);
	const last = limits.pop();
	return `At most ${limits.join(', ').replace(/^(\d+)/, '$1 characters')}${limits.length ? ' and ' : ''}${last}`;
}

/**
 * One Prompt for every model. Not marked required: with the model from an expression n8n would ask
 * for it for every model, and some take none; Create's check says when the chosen model needs one.
 */
export const promptField = (models: ModelTable): INodeProperties => ({
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	placeholder: 'e.g. The cat turns its head and the camera slowly zooms in',
	description: `What should happen in the video. ${promptLimits(models)}.`,
	displayOptions: showForCreate(),
});

/** How each media input appears in the editor; `audio` lives in Options instead. */
interface MediaFieldNames {
	label: string;
	source: string;
	url: string;
	binary: string;
	/** One file, or a list separated by commas. */
	list: boolean;
	help: string;
	/** The URL field's placeholder: files of the kind the input takes. */
	example: string;
}

export const MEDIA_FIELDS: Readonly<Record<Exclude<InputKind, 'audio'>, MediaFieldNames>> = {
	firstFrame: {
		label: 'First Frame',
		source: 'imageSource',
		url: 'imageUrl',
		binary: 'imageBinaryProperty',
		list: false,
		help: 'The image the video starts from',
		example: 'e.g. https://example.com/first.png',
	},
	lastFrame: {
		label: 'Last Frame',
		source: 'lastFrameSource',
		url: 'lastFrameUrl',
		binary: 'lastFrameBinaryProperty',
		list: false,
		help: 'The image the video ends on',
		example: 'e.g. https://example.com/last.png',
	},
	video: {
		label: 'Video',
		source: 'videoSource',
		url: 'videoUrl',
		binary: 'videoBinaryProperty',
		list: false,
		help: "The MP4 or MOV clip to edit or continue; a finished task's video URL works",
		example: 'e.g. https://example.com/clip.mp4',
	},
	referenceImages: {
		label: 'Reference Images',
		source: 'referenceImagesSource',
		url: 'referenceImageUrls',
		binary: 'referenceImageBinaryProperties',
		list: true,
		help: 'Images of the characters or things to show, one per image; the prompt calls them Image 1, Image 2…',
		example: 'e.g. https://example.com/a.png, https://example.com/b.png',
	},
	referenceVideos: {
		label: 'Reference Videos',
		source: 'referenceVideosSource',
		url: 'referenceVideoUrls',
		binary: 'referenceVideoBinaryProperties',
		list: true,
		help: 'MP4 or MOV clips of the characters (look and voice); the prompt calls them Video 1, Video 2…',
		example: 'e.g. https://example.com/a.mp4, https://example.com/b.mp4',
	},
	referenceAudio: {
		label: 'Reference Audio',
		source: 'referenceAudioSource',
		url: 'referenceAudioUrls',
		binary: 'referenceAudioBinaryProperties',
		list: true,
		help: 'MP3 or WAV voices or sounds; the prompt calls them Audio 1, Audio 2…',
		example: 'e.g. https://example.com/voice.mp3',
	},
};

/** The display names of a media input's URL and binary fields; Create's errors name them too. */
export function mediaFieldLabels(names: MediaFieldNames): { url: string; binary: string } {
	const single = names.label.replace(/s$/, '');
	const plural = names.list ? 's' : '';
	return { url: `${single} URL${plural}`, binary: `${single} Binary Field${plural}` };
}

/** Where a media input comes from: the input item's binary data, or the web. */
const sourceOptions = (list: boolean): INodePropertyOptions[] => [
	{
		name: list ? 'Binary Files' : 'Binary File',
		value: 'binary',
		description: 'From the input item (a form upload, Google Drive, HTTP Request…)',
	},
	{
		name: list ? 'URLs' : 'URL',
		value: 'url',
		description: `Public, directly downloadable ${list ? 'URLs' : 'URL'}`,
	},
];

/**
 * A media input's three fields (source, URL, binary field) for the models that take it. None is
 * marked required: with the model from an expression n8n shows every model's fields, and would
 * refuse to run for one another model needs. Create's own check names what is missing.
 */
function mediaInputFields(
	models: ModelTable,
	kind: Exclude<InputKind, 'audio'>,
): INodeProperties[] {
	const names = MEDIA_FIELDS[kind];
	const takers = modelsWhere(
		models,
		(rules, mode) => inputSetOf(rules, mode).inputs[kind] !== undefined,
	);
	const labels = mediaFieldLabels(names);
	const source: INodeProperties = {
		displayName: names.label,
		name: names.source,
		type: 'options',
		options: sourceOptions(names.list),
		default: 'url',
		description: names.help,
	};
	const url: INodeProperties = {
		displayName: labels.url,
		name: names.url,
		type: 'string',
		default: '',
		placeholder: names.example,
		description: names.list ? 'One or more URLs, separated by commas or new lines' : names.help,
	};
	// version 1 took the first frame from "data" unless told otherwise
	const fieldName = kind === 'firstFrame' ? DEFAULT_BINARY_PROPERTY : '';
	const binary: INodeProperties = {
		displayName: labels.binary,
		name: names.binary,
		type: 'string',
		default: fieldName,
		placeholder: names.list ? 'e.g. data, data_1' : 'e.g. data',
		description: names.list
			? 'Binary fields of the input item, separated by commas; checked, then uploaded to EvoLink'
			: 'The binary field of the input item; checked, then uploaded to EvoLink',
	};
	return [
		...forModels(takers, source),
		...forModels(takers, url, { [names.source]: ['url'] }),
		...forModels(takers, binary, { [names.source]: ['binary'] }),
	];
}

export const mediaFields = (models: ModelTable): INodeProperties[] =>
	INPUT_KINDS.filter((kind): kind is Exclude<InputKind, 'audio'> => kind !== 'audio').flatMap(
		(kind) => mediaInputFields(models, kind),
	);
