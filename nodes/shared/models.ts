/**
 * The one table of Wan models: what each takes on EvoLink's video endpoint (docs/evolink-api.md,
 * "The Wan family") and how the node offers it. Create's fields (which show, with which choices) and
 * its checks are both derived from this table, so a new model is one entry here.
 */
export interface ModelRules {
	/** The Model option's name and description in the editor. */
	label: string;
	summary: string;
	/** Needs exactly one first-frame image (`image_urls`). */
	image: boolean;
	promptChars: number;
	/** Allowed whole-second durations: a range, or a list when only some values exist. */
	durations: { min: number; max: number } | readonly number[];
	qualities: readonly string[];
	/** Takes `model_params.shot_type`. */
	shotType: boolean;
	/** Takes `audio_url`. */
	audioTrack: boolean;
	/** Takes `generate_audio` (on/off). */
	audioSwitch: boolean;
	/** Takes `aspect_ratio`. */
	aspectRatios?: readonly string[];
}

export type ModelTable = Readonly<Record<string, ModelRules>>;

const WAN26_IMAGE: ModelRules = {
	label: 'Wan 2.6 Image to Video',
	summary: 'Animates a first-frame image; 2–15 s, optional audio track',
	image: true,
	promptChars: 1500,
	durations: { min: 2, max: 15 },
	qualities: ['720p', '1080p'],
	shotType: true,
	audioTrack: true,
	audioSwitch: false,
};

export const MODELS = {
	'wan2.6-image-to-video': WAN26_IMAGE,
	'wan2.6-image-to-video-flash': {
		...WAN26_IMAGE,
		label: 'Wan 2.6 Image to Video Flash',
		summary: 'Faster and cheaper; can generate its own sound or stay silent',
		audioSwitch: true,
	},
	'wan2.6-text-to-video': {
		...WAN26_IMAGE,
		label: 'Wan 2.6 Text to Video',
		summary: 'No image: the video comes from the prompt alone',
		image: false,
		aspectRatios: ['16:9', '9:16', '1:1', '4:3', '3:4'],
	},
	'wan2.5-image-to-video': {
		...WAN26_IMAGE,
		label: 'Wan 2.5 Image to Video',
		summary: 'The previous generation: 5 or 10 s, 480p–1080p, no audio track',
		promptChars: 2000,
		durations: [5, 10],
		qualities: ['480p', '720p', '1080p'],
		shotType: false,
		audioTrack: false,
	},
} as const satisfies ModelTable;

export type ModelName = keyof typeof MODELS;

export const DEFAULT_MODEL: ModelName = 'wan2.6-image-to-video';

/** The ids of the models that pass `test`, e.g. those that take an image. */
export function modelsWhere(test: (rules: ModelRules) => boolean, models: ModelTable = MODELS) {
	return Object.keys(models).filter((id) => test(models[id]));
}

export function isModelName(value: unknown, models: ModelTable = MODELS): value is ModelName {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(models, value);
}

/** The durations the editor offers: the model's list, or 5/10/15 s within its range. */
export function durationChoices(rules: ModelRules): number[] {
	if (Array.isArray(rules.durations)) return [...rules.durations];
	const { min, max } = rules.durations as { min: number; max: number };
	return [5, 10, 15].filter((seconds) => seconds >= min && seconds <= max);
}
