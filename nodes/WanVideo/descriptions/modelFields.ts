import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_MODEL,
	durationChoices,
	type ModelRules,
	type ModelTable,
} from '../../shared/models';

// The parts of Create's fields that follow the model table (shared/models.ts): the Model choices,
// the per-model choice sets, and which models show a field. No model is named here.

export const showForCreate = { show: { resource: ['video'], operation: ['create'] } };
export const showForModels = (models: string[], extra: Record<string, unknown[]> = {}) => ({
	show: { ...showForCreate.show, model: models, ...extra },
});

/**
 * One field per distinct set of choices among the models (durations, qualities, ratios): the same
 * parameter, shown for the models that offer exactly those choices.
 */
function perChoiceSet<T>(
	models: ModelTable,
	choicesOf: (rules: ModelRules) => T | undefined,
	field: (choices: T, modelIds: string[]) => INodeProperties,
): INodeProperties[] {
	const sets = new Map<string, { choices: T; modelIds: string[] }>();
	for (const [id, rules] of Object.entries(models)) {
		const choices = choicesOf(rules);
		if (choices === undefined) continue;
		const key = JSON.stringify(choices);
		if (!sets.has(key)) sets.set(key, { choices, modelIds: [] });
		sets.get(key)!.modelIds.push(id);
	}
	return [...sets.values()].map(({ choices, modelIds }) => field(choices, modelIds));
}

/** " Not with Wan 2.5 Image to Video." for the models that lack a feature, or nothing. */
export function notWith(models: ModelTable, lacks: (rules: ModelRules) => boolean): string {
	const labels = Object.values(models)
		.filter(lacks)
		.map((rules) => rules.label);
	return labels.length ? ` Not with ${labels.join(', ')}.` : '';
}

export function promptLimits(models: ModelTable): string {
	const limits = Object.values(models).map((rules) => rules.promptChars);
	const usual = limits.sort(
		(a, b) => limits.filter((x) => x === b).length - limits.filter((x) => x === a).length,
	)[0];
	const others = Object.values(models)
		.filter((rules) => rules.promptChars !== usual)
		.map((rules) => `${rules.promptChars} with ${rules.label}`);
	return `At most ${usual} characters${others.length ? ` (${others.join(', ')})` : ''}`;
}

/** A group's default: the usual value where the models offer it, else their first choice. */
function preferredChoice<T>(choices: readonly T[], usual: T): T {
	return choices.includes(usual) ? usual : choices[0];
}

export const durationFields = (models: ModelTable) =>
	perChoiceSet(
		models,
		(rules) => ({
			choices: durationChoices(rules),
			range: Array.isArray(rules.durations)
				? undefined
				: (rules.durations as { min: number; max: number }),
		}),
		({ choices, range }, modelIds): INodeProperties => ({
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'options',
			options: choices.map((value) => ({ name: `${value} Seconds`, value })),
			default: preferredChoice(choices, 5),
			description:
				'Length of the video. Credits are reserved for this length.' +
				(range
					? ` An expression may give any whole number from ${range.min} to ${range.max}.`
					: ''),
			displayOptions: showForModels(modelIds),
		}),
	);

const QUALITY_NAMES: Record<string, string> = {
	'480p': '480p (Lowest Price)',
	'720p': '720p',
	'1080p': '1080p (Higher Price)',
};

const RATIO_NAMES: Record<string, string> = {
	'1:1': '1:1 (Square)',
	'16:9': '16:9 (Landscape)',
	'9:16': '9:16 (Portrait)',
};

/** One options field per set of named choices among the models (qualities, aspect ratios). */
function namedChoiceFields(
	models: ModelTable,
	choicesOf: (rules: ModelRules) => readonly string[] | undefined,
	field: Pick<INodeProperties, 'displayName' | 'name' | 'description'> & {
		/** The default wherever the models offer it. */
		preferred: string;
		names: Record<string, string>;
		sortByName?: boolean;
	},
): INodeProperties[] {
	const { preferred, names, sortByName, ...shown } = field;
	return perChoiceSet(models, choicesOf, (choices, modelIds): INodeProperties => {
		const options = choices.map((value) => ({ name: names[value] ?? value, value }));
		if (sortByName) options.sort((a, b) => a.name.localeCompare(b.name));
		return {
			...shown,
			type: 'options',
			options,
			default: preferredChoice(choices, preferred),
			displayOptions: showForModels(modelIds),
		};
	});
}

export const qualityFields = (models: ModelTable) =>
	namedChoiceFields(models, (rules) => rules.qualities, {
		displayName: 'Quality',
		name: 'quality',
		preferred: '720p',
		names: QUALITY_NAMES,
	});

export const aspectRatioFields = (models: ModelTable) =>
	namedChoiceFields(models, (rules) => rules.aspectRatios, {
		displayName: 'Aspect Ratio',
		name: 'aspectRatio',
		description: 'Shape of the video (text to video only: image models follow the image)',
		preferred: '16:9',
		names: RATIO_NAMES,
		sortByName: true,
	});

export const modelField = (models: ModelTable): INodeProperties => ({
	displayName: 'Model',
	name: 'model',
	type: 'options',
	options: Object.entries(models)
		.map(([value, rules]) => ({ name: rules.label, value, description: rules.summary }))
		.sort((a, b) => a.name.localeCompare(b.name)),
	default: DEFAULT_MODEL,
	description: 'The Wan model that makes the video. Prices differ per model.',
	displayOptions: showForCreate,
});
