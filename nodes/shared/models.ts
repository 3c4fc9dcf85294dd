/**
 * The one table of Wan models: what each takes on EvoLink's video endpoint (docs/evolink-api.md,
 * "The Wan models") and how the node offers it. Create's fields (which show, with which choices),
 * its checks and its request body are all derived from this table, so a new model is one entry here.
 */

/** The media a model may take; each comes from URLs or from binary fields of the input item. */
export const INPUT_KINDS = [
	'firstFrame',
	'lastFrame',
	'video',
	'referenceImages',
	'referenceVideos',
	'referenceAudio',
	'audio',
] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** The body fields that carry media: a `*_urls` field is a list, the others one URL. */
export type MediaField =
	| 'image_urls'
	| 'image_start'
	| 'image_end'
	| 'video_urls'
	| 'audio_url'
	| 'audio_urls';

export interface ImageRules {
	type: 'image';
	maxBytes: number;
	/** Each side of the image, in pixels. */
	minSide: number;
	maxSide: number;
	/** Longer side over shorter side, at most (8 for 1:8 to 8:1). */
	maxAspect?: number;
}

export interface ClipRules {
	type: 'video' | 'audio';
	formats: readonly ClipFormat[];
	maxBytes: number;
	minSeconds: number;
	maxSeconds: number;
	/** A video's picture, where the docs limit it (as for images). */
	minSide?: number;
	maxSide?: number;
	maxAspect?: number;
}

export type ClipFormat = 'mp4' | 'mov' | 'mp3' | 'wav';
export type FileRules = ImageRules | ClipRules;

/** One kind of media a model takes: where it goes in the body, how many, and each file's rules. */
export interface MediaInput {
	field: MediaField;
	/** How many files: 0–1 for an optional single file, 1–1 for a required one. */
	min: number;
	max: number;
	file: FileRules;
}

/** Rules across a model's inputs, where the docs give them. */
export interface InputLimits {
	/** These inputs count together from `min` to `max` (e.g. at most 5 references in all). */
	together?: { kinds: readonly InputKind[]; min: number; max: number };
	/** The seconds of each input kind added up, at most. */
	totalSeconds?: Partial<Record<InputKind, number>>;
	/** Reference video seconds plus the video's own duration, at most. */
	referencesPlusOutputSeconds?: number;
	/** The duration when reference videos are given, at most. */
	durationWithReferenceVideos?: number;
	/** Duration is the length of the whole result, input video included: at least the input's. */
	durationIncludesVideo?: boolean;
	/** A prompt, or at least one input of any kind. */
	promptOrInput?: boolean;
}

/** Which inputs a model takes (in one generation mode, for models that have modes). */
export interface InputSet {
	inputs: Readonly<Partial<Record<InputKind, MediaInput>>>;
	limits?: InputLimits;
}

/** What the user starts from: how the editor groups the models. */
export type StartFrom = 'image' | 'text' | 'references' | 'video';

export interface GenerationMode extends InputSet {
	label: string;
	summary: string;
	/** The editor group it belongs to when it differs from its model's (continuing a video). */
	startFrom?: StartFrom;
}

export interface ModelRules extends InputSet {
	/** The Model option's name and description in the editor, and the model's name in errors. */
	label: string;
	summary: string;
	startFrom: StartFrom;
	prompt: { maxChars: number; required: boolean };
	/** Allowed whole-second durations: a range, or a list when only some values exist. */
	durations: { min: number; max: number } | readonly number[];
	defaultDuration: number;
	/** Duration -1: the model picks the length; credits are held for `max` seconds meanwhile. */
	smartDuration?: boolean;
	/** Duration 0: keep the input video's length. */
	keepVideoLength?: boolean;
	qualities: readonly string[];
	/** Price of each quality relative to the cheapest, where the docs give numbers. */
	qualityPrices?: Readonly<Record<string, number>>;
	/** Takes `aspect_ratio`; `qualities` lists the ratios only some qualities offer. */
	aspectRatio?: {
		choices: readonly string[];
		/** Undefined: not sent unless chosen (the model follows its input). */
		default?: string;
		byQuality?: Readonly<Record<string, readonly string[]>>;
	};
	/** Takes `prompt_extend`. */
	promptExtend?: boolean;
	/** Takes `model_params.shot_type`; `withPromptExtend`: only while prompt rewriting is on. */
	shotType?: 'always' | 'withPromptExtend';
	/** Takes `generate_audio` (on by default). */
	generateAudio?: boolean;
	/** Takes `negative_prompt` of at most this many characters. */
	negativePromptChars?: number;
	/** Takes `seed` in this range. */
	seed?: { min: number; max: number };
	/** Takes `keep_original_sound`. */
	keepOriginalSound?: boolean;
	/** Takes `model_params.voice_bindings`: a voice per reference ("image1", "video2"). */
	voiceBindings?: { max: number };
	/** Takes `model_params.file_url` or `link_url`: a document or a web page to draw on. */
	referenceDocument?: boolean;
	/** Which inputs are billed besides the output seconds, as the docs say (for the README). */
	billing: string;
	/** Modes that decide which inputs are allowed (`generation_mode`); `inputs` is then unused. */
	modes?: Readonly<Record<string, GenerationMode>>;
}

export type ModelTable = Readonly<Record<string, ModelRules>>;

const MB = 1024 * 1024;

/** Wan 2.5 and 2.6: JPEG, PNG without alpha, BMP or WEBP. */
const IMAGE_V2: ImageRules = { type: 'image', maxBytes: 10 * MB, minSide: 360, maxSide: 2000 };
/** Wan 2.7 and 3.0: the same formats, larger, within 1:8 to 8:1. */
const IMAGE_V3: ImageRules = {
	type: 'image',
	maxBytes: 20 * MB,
	minSide: 240,
	maxSide: 8000,
	maxAspect: 8,
};
/** MP4 or MOV clips; from Wan 2.7 on, 240–4096 px within 1:8 to 8:1 too. */
const video = (minSeconds: number, maxSeconds: number, picture = true): ClipRules => ({
	type: 'video',
	formats: ['mp4', 'mov'],
	maxBytes: 100 * MB,
	minSeconds,
	maxSeconds,
	...(picture ? { minSide: 240, maxSide: 4096, maxAspect: 8 } : {}),
});
const audio = (formats: ClipFormat[], minSeconds: number, maxSeconds: number): ClipRules => ({
	type: 'audio',
	formats,
	maxBytes: 15 * MB,
	minSeconds,
	maxSeconds,
});

const one = (field: MediaField, file: FileRules): MediaInput => ({ field, min: 1, max: 1, file });
const optional = (field: MediaField, file: FileRules): MediaInput => ({
	field,
	min: 0,
	max: 1,
	file,
});
const upTo = (max: number, field: MediaField, file: FileRules): MediaInput => ({
	field,
	min: 0,
	max,
	file,
});

const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'] as const;
const SEED_V27 = { min: 1, max: 2147483647 };
const OUTPUT_SECONDS = 'output seconds';

const WAN26_IMAGE: ModelRules = {
	label: 'Wan 2.6 Image to Video',
	summary: 'Animates a first frame; 2–15 s; optional MP3 soundtrack',
	startFrom: 'image',
	prompt: { maxChars: 1500, required: true },
	durations: { min: 2, max: 15 },
	defaultDuration: 5,
	qualities: ['720p', '1080p'],
	promptExtend: true,
	shotType: 'withPromptExtend',
	billing: OUTPUT_SECONDS,
	inputs: {
		firstFrame: one('image_urls', IMAGE_V2),
		audio: optional('audio_url', audio(['mp3'], 3, 30)),
	},
};

const WAN26_REFERENCE: ModelRules = {
	label: 'Wan 2.6 Reference to Video',
	summary: 'Casts the people of 1–3 reference clips (their look and voice) in a new scene',
	startFrom: 'references',
	prompt: { maxChars: 1500, required: true },
	durations: { min: 2, max: 10 },
	defaultDuration: 5,
	qualities: ['720p', '1080p'],
	aspectRatio: { choices: RATIOS, default: '16:9' },
	shotType: 'always',
	billing: 'output seconds + reference video seconds (at most 5 s in all)',
	inputs: {
		referenceVideos: { field: 'video_urls', min: 1, max: 3, file: video(2, 30, false) },
	},
};

const WAN27: Pick<
	ModelRules,
	'prompt' | 'qualities' | 'promptExtend' | 'negativePromptChars' | 'seed' | 'defaultDuration'
> = {
	prompt: { maxChars: 5000, required: true },
	qualities: ['720p', '1080p'],
	promptExtend: true,
	negativePromptChars: 500,
	seed: SEED_V27,
	defaultDuration: 5,
};

const WAN27_IMAGE_TO_VIDEO: ModelRules = {
	...WAN27,
	label: 'Wan 2.7 Image to Video',
	summary: 'A first frame, first and last frames, or a clip to continue; 2–15 s',
	startFrom: 'image',
	prompt: { maxChars: 5000, required: false },
	durations: { min: 2, max: 15 },
	billing: 'output seconds (continuing a clip: the whole result, input included)',
	inputs: {},
	modes: {
		first_frame: {
			label: 'First Frame',
			summary: 'Animates one image; optional driving audio',
			inputs: {
				firstFrame: one('image_start', IMAGE_V3),
				audio: optional('audio_urls', audio(['mp3', 'wav'], 2, 30)),
			},
		},
		first_last_frame: {
			label: 'First and Last Frames',
			summary: 'Moves from the first image to the last; optional driving audio',
			inputs: {
				firstFrame: one('image_start', IMAGE_V3),
				lastFrame: one('image_end', IMAGE_V3),
				audio: optional('audio_urls', audio(['mp3', 'wav'], 2, 30)),
			},
		},
		video_continuation: {
			label: 'Continue a Video',
			summary: 'Extends a 2–10 s clip; Duration is the length of the whole result',
			startFrom: 'video',
			inputs: {
				video: one('video_urls', video(2, 10)),
				lastFrame: optional('image_end', IMAGE_V3),
			},
			limits: { durationIncludesVideo: true },
		},
	},
};

const WAN30: Omit<ModelRules, 'label' | 'summary' | 'startFrom' | 'inputs'> = {
	prompt: { maxChars: 20000, required: true },
	durations: { min: 2, max: 30 },
	defaultDuration: 5,
	smartDuration: true,
	qualities: ['480p', '720p', '1080p'],
	qualityPrices: { '480p': 1, '720p': 2, '1080p': 4 },
	aspectRatio: { choices: ['adaptive', ...RATIOS], default: 'adaptive' },
	generateAudio: true,
	seed: { min: 0, max: 2147483647 },
	billing: OUTPUT_SECONDS,
};

const WAN30_IMAGE_TO_VIDEO: ModelRules = {
	...WAN30,
	label: 'Wan 3.0 Image to Video',
	summary: 'A first frame, and optionally a last one; up to 30 s, with sound',
	startFrom: 'image',
	prompt: { maxChars: 20000, required: false },
	inputs: {
		firstFrame: one('image_start', IMAGE_V3),
		lastFrame: optional('image_end', IMAGE_V3),
	},
};

const WAN30_TEXT_TO_VIDEO: ModelRules = {
	...WAN30,
	label: 'Wan 3.0 Text to Video',
	summary: 'The newest Wan from a prompt alone; up to 30 s, with sound',
	startFrom: 'text',
	inputs: {},
};

const WAN30_REFERENCE: ModelRules = {
	...WAN30,
	label: 'Wan 3.0 Reference to Video',
	summary: 'Up to 10 images, 5 clips and 5 voices, named in the prompt "Image 1", "Video 1"…',
	startFrom: 'references',
	prompt: { maxChars: 20000, required: false },
	referenceDocument: true,
	billing: 'output seconds + reference video seconds',
	inputs: {
		referenceImages: upTo(10, 'image_urls', IMAGE_V3),
		referenceVideos: upTo(5, 'video_urls', video(1, 15)),
		referenceAudio: upTo(5, 'audio_urls', audio(['mp3', 'wav'], 1, 15)),
	},
	limits: {
		totalSeconds: { referenceVideos: 15, referenceAudio: 15 },
		referencesPlusOutputSeconds: 30,
		promptOrInput: true,
	},
};

/** Wan 3.0 Prime: the same inputs and rules as Wan 3.0, at a higher price per resolution. */
const prime = (model: ModelRules, label: string): ModelRules => ({
	...model,
	label,
	summary: `${model.summary.split(';')[0]}; the Prime tier, at a higher price`,
	qualityPrices: { '480p': 1, '720p': 2.06, '1080p': 4.12 },
});

export const MODELS = {
	'wan2.5-image-to-video': {
		...WAN26_IMAGE,
		label: 'Wan 2.5 Image to Video',
		summary: 'The previous generation: 5 or 10 s, 480p–1080p, no soundtrack',
		prompt: { maxChars: 2000, required: true },
		durations: [5, 10],
		qualities: ['480p', '720p', '1080p'],
		shotType: undefined,
		inputs: { firstFrame: one('image_urls', IMAGE_V2) },
	},
	'wan2.5-text-to-video': {
		label: 'Wan 2.5 Text to Video',
		summary: 'The previous generation from a prompt: 5 or 10 s, 480p–1080p',
		startFrom: 'text',
		prompt: { maxChars: 2000, required: true },
		durations: [5, 10],
		defaultDuration: 5,
		qualities: ['480p', '720p', '1080p'],
		aspectRatio: {
			choices: RATIOS,
			default: '16:9',
			byQuality: { '480p': ['16:9', '9:16', '1:1'] },
		},
		promptExtend: true,
		billing: OUTPUT_SECONDS,
		inputs: {},
	},
	'wan2.6-image-to-video': WAN26_IMAGE,
	'wan2.6-image-to-video-flash': {
		...WAN26_IMAGE,
		label: 'Wan 2.6 Image to Video Flash',
		summary: 'Faster and cheaper; makes its own sound, or a silent video for less',
		generateAudio: true,
	},
	'wan2.6-text-to-video': {
		...WAN26_IMAGE,
		label: 'Wan 2.6 Text to Video',
		summary: 'From a prompt alone; 2–15 s; optional MP3 soundtrack',
		startFrom: 'text',
		aspectRatio: { choices: RATIOS, default: '16:9' },
		inputs: { audio: optional('audio_url', audio(['mp3'], 3, 30)) },
	},
	'wan2.6-reference-video': WAN26_REFERENCE,
	'wan2.6-reference-video-flash': {
		...WAN26_REFERENCE,
		label: 'Wan 2.6 Reference to Video Flash',
		summary: 'Faster reference to video; with its own sound, or silent for less',
		generateAudio: true,
	},
	'wan2.7-image-to-video': WAN27_IMAGE_TO_VIDEO,
	'wan2.7-text-to-video': {
		...WAN27,
		label: 'Wan 2.7 Text to Video',
		summary: 'From a prompt, optionally driven by an audio track; 2–15 s',
		startFrom: 'text',
		durations: { min: 2, max: 15 },
		aspectRatio: { choices: RATIOS, default: '16:9' },
		billing: OUTPUT_SECONDS,
		inputs: { audio: optional('audio_urls', audio(['mp3', 'wav'], 2, 30)) },
	},
	'wan2.7-reference-video': {
		...WAN27,
		label: 'Wan 2.7 Reference to Video',
		summary: 'Up to 5 reference images and clips, each a character, with their voices',
		startFrom: 'references',
		durations: { min: 2, max: 15 },
		aspectRatio: { choices: RATIOS, default: '16:9' },
		voiceBindings: { max: 5 },
		billing: 'output seconds + reference video seconds',
		inputs: {
			firstFrame: optional('image_start', IMAGE_V3),
			referenceImages: upTo(5, 'image_urls', IMAGE_V3),
			referenceVideos: upTo(5, 'video_urls', video(1, 30)),
			referenceAudio: upTo(5, 'audio_urls', audio(['mp3', 'wav'], 1, 10)),
		},
		limits: {
			together: { kinds: ['referenceImages', 'referenceVideos'], min: 1, max: 5 },
			durationWithReferenceVideos: 10,
		},
	},
	'wan2.7-video-edit': {
		...WAN27,
		label: 'Wan 2.7 Video Edit',
		summary: 'Restyles or changes a 2–10 s clip by instruction, optionally with up to 4 images',
		startFrom: 'video',
		prompt: { maxChars: 5000, required: false },
		durations: { min: 2, max: 10 },
		defaultDuration: 0,
		keepVideoLength: true,
		aspectRatio: { choices: RATIOS },
		keepOriginalSound: true,
		billing: 'output seconds + input video seconds',
		inputs: {
			video: one('video_urls', video(2, 10)),
			referenceImages: upTo(4, 'image_urls', IMAGE_V3),
		},
	},
	'wan3.0-image-to-video': WAN30_IMAGE_TO_VIDEO,
	'wan3.0-text-to-video': WAN30_TEXT_TO_VIDEO,
	'wan3.0-reference-video': WAN30_REFERENCE,
	'wan3.0-prime-image-to-video': prime(WAN30_IMAGE_TO_VIDEO, 'Wan 3.0 Prime Image to Video'),
	'wan3.0-prime-text-to-video': prime(WAN30_TEXT_TO_VIDEO, 'Wan 3.0 Prime Text to Video'),
	'wan3.0-prime-reference-video': prime(WAN30_REFERENCE, 'Wan 3.0 Prime Reference to Video'),
} as const satisfies ModelTable;

export type ModelName = keyof typeof MODELS;

/** The model a version 1 node starts with (saved nodes without a Model parameter mean it). */
export const V1_DEFAULT_MODEL: ModelName = 'wan2.6-image-to-video';

/** The model a new node (version 2) starts with, per group of the editor. */
export const DEFAULT_MODELS: Readonly<Record<StartFrom, ModelName>> = {
	image: 'wan3.0-image-to-video',
	text: 'wan3.0-text-to-video',
	references: 'wan3.0-reference-video',
	video: 'wan2.7-video-edit',
};

export function isModelName(value: unknown, models: ModelTable = MODELS): value is ModelName {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(models, value);
}

/** The inputs a model takes in a mode (its only set when it has no modes). */
export function inputSetOf(rules: ModelRules, mode?: string): InputSet {
	return (rules.modes && mode !== undefined && rules.modes[mode]) || rules;
}

/** The mode a model starts in: its first. */
export function defaultModeOf(rules: ModelRules): string | undefined {
	return rules.modes ? Object.keys(rules.modes)[0] : undefined;
}

/** The values Create's per-model fields start with: one place for the editor and the checks. */
export function defaultsOf(rules: ModelRules) {
	return {
		duration: rules.defaultDuration,
		quality: rules.qualities.includes('720p') ? '720p' : rules.qualities[0],
		aspectRatio: rules.aspectRatio?.default ?? '',
		generationMode: defaultModeOf(rules),
	};
}

/** The model's whole-second durations, from its list or its range (0 and -1 aside). */
export function secondsOf({ durations }: ModelRules): number[] {
	if (isSecondsList(durations)) return [...durations];
	return Array.from(
		{ length: durations.max - durations.min + 1 },
		(_, step) => durations.min + step,
	);
}

function isSecondsList(durations: ModelRules['durations']): durations is readonly number[] {
	return Array.isArray(durations);
}

/** Every duration the model takes, as the editor offers them: 0 and -1 where it takes them. */
export function durationChoices(rules: ModelRules): number[] {
	return [
		...(rules.keepVideoLength ? [0] : []),
		...secondsOf(rules),
		...(rules.smartDuration ? [-1] : []),
	];
}

/** Whether a duration is one the model takes. */
export function isDurationAllowed(rules: ModelRules, seconds: unknown): seconds is number {
	return typeof seconds === 'number' && durationChoices(rules).includes(seconds);
}
