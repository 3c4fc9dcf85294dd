/** What each Wan model of EvoLink's video endpoint takes (shared/evolink-api.md, "Family"). */
export interface ModelRules {
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

const WAN26_IMAGE: ModelRules = {
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
	'wan2.6-image-to-video-flash': { ...WAN26_IMAGE, audioSwitch: true },
	'wan2.6-text-to-video': {
		...WAN26_IMAGE,
		image: false,
		aspectRatios: ['16:9', '9:16', '1:1', '4:3', '3:4'],
	},
	'wan2.5-image-to-video': {
		...WAN26_IMAGE,
		promptChars: 2000,
		durations: [5, 10],
		qualities: ['480p', '720p', '1080p'],
		shotType: false,
		audioTrack: false,
	},
} as const satisfies Record<string, ModelRules>;

export type ModelName = keyof typeof MODELS;

export const DEFAULT_MODEL: ModelName = 'wan2.6-image-to-video';

/** Models that animate a first-frame image (the others start from text alone). */
export const IMAGE_MODELS = (Object.keys(MODELS) as ModelName[]).filter(
	(model) => MODELS[model].image,
);

export function isModelName(value: unknown): value is ModelName {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(MODELS, value);
}
