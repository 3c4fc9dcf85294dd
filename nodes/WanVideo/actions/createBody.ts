import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidField } from '../../shared/errors';
import {
	isModelName,
	MODELS,
	type ModelName,
	type ModelRules,
	type ModelTable,
} from '../../shared/models';
import { callbackUrlProblem, checkMediaUrl, LIMITS } from '../../shared/urlRules';

/** Create's parameters as the user gave them, before any check. */
export interface CreateInput {
	model: unknown;
	prompt: unknown;
	/** Undefined when the image comes from a binary field (uploaded later) or the model takes none. */
	imageUrl?: unknown;
	duration: unknown;
	quality: unknown;
	promptExtend: unknown;
	shotType?: unknown;
	aspectRatio?: unknown;
	generateAudio?: unknown;
	audioUrl?: unknown;
	callbackUrl?: unknown;
}

/** Where the image and audio come from when they are not URLs: binary fields uploaded just before the create. */
export interface CreateUploads {
	image?: boolean;
	audio?: boolean;
}

/** The body of `POST /v1/videos/generations`. */
export interface CreateBody {
	model: ModelName;
	prompt: string;
	image_urls?: [string];
	duration: number;
	quality: string;
	prompt_extend: boolean;
	model_params?: { shot_type: 'single' | 'multi' };
	aspect_ratio?: string;
	generate_audio?: boolean;
	audio_url?: string;
	callback_url?: string;
}

type Fail = (field: string, value: unknown) => (rule: string) => NodeOperationError;

function checkModel(fail: Fail, value: unknown, models: ModelTable): ModelName {
	if (isModelName(value, models)) return value;
	throw fail('Model', value)(`must be one of ${Object.keys(models).join(', ')}`);
}

function checkPrompt(fail: Fail, prompt: unknown, rules: ModelRules): string {
	if (typeof prompt !== 'string') throw fail('Prompt', prompt)('must be text');
	if (prompt.trim() === '') throw fail('Prompt', prompt)('must not be empty');
	if (prompt.length > rules.promptChars) {
		throw fail('Prompt', prompt)(`must be at most ${rules.promptChars} characters`);
	}
	return prompt;
}

function checkImageUrl(fail: Fail, value: unknown): string {
	let image = value;
	if (Array.isArray(image)) {
		if (image.length !== 1) {
			throw fail('Image URL', image)(`needs exactly one image (got ${image.length})`);
		}
		image = image[0];
	}
	if (typeof image === 'string' && /\s|,\s*https?:/i.test(image.trim())) {
		throw fail('Image URL', image)('needs exactly one image URL (got several)');
	}
	return checkMediaUrl(fail('Image URL', image), image, LIMITS.imageExtensions);
}

function checkDuration(fail: Fail, value: unknown, model: string, rules: ModelRules): number {
	const { durations } = rules;
	const duration = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (Array.isArray(durations)) {
		if (!durations.includes(duration as number)) {
			throw fail('Duration', value)(`must be ${durations.join(' or ')} seconds for ${model}`);
		}
		return duration as number;
	}
	const { min, max } = durations as { min: number; max: number };
	if (
		typeof duration !== 'number' ||
		!Number.isInteger(duration) ||
		duration < min ||
		duration > max
	) {
		throw fail('Duration', value)(`must be a whole number of seconds from ${min} to ${max}`);
	}
	return duration;
}

function checkChoice(
	fail: Fail,
	field: string,
	value: unknown,
	allowed: readonly string[],
	model: string,
): string {
	if (typeof value === 'string' && allowed.includes(value)) return value;
	throw fail(
		field,
		value,
	)(`must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')} for ${model}`);
}

function checkShotType(fail: Fail, input: CreateInput): 'single' | 'multi' | undefined {
	const { shotType } = input;
	if (shotType === undefined) return undefined;
	if (shotType !== 'single' && shotType !== 'multi') {
		throw fail('Shot Type', shotType)('must be single or multi');
	}
	if (!input.promptExtend && shotType === 'multi') {
		throw fail(
			'Shot Type',
			shotType,
		)('only works with Prompt Rewriting on: turn it on or use single');
	}
	return shotType;
}

/** Refuses a value the model has no use for, rather than letting the API guess. */
function refuseUnsupported(fail: Fail, field: string, value: unknown, model: string): void {
	if (value !== undefined && value !== '' && value !== false) {
		throw fail(field, value)(`is not available with ${model}: remove it or pick another model`);
	}
}

function checkCallbackUrl(
	fail: Fail,
	value: unknown,
	options: { evoLinkRules: boolean; signCallback?: (url: string) => string },
): string {
	const problem =
		typeof value === 'string' ? callbackUrlProblem(value, options.evoLinkRules) : 'must be a URL';
	if (problem) throw fail('Callback URL', value)(problem);
	const signed = options.signCallback?.(String(value)) ?? String(value);
	if (signed.length > LIMITS.callbackUrlChars) {
		const room = LIMITS.callbackUrlChars - (signed.length - String(value).length);
		throw fail(
			'Callback URL',
			value,
		)(`must be at most ${room} characters, to leave room for its signature`);
	}
	return signed;
}

/**
 * Checks every rule of the chosen Wan model and builds the request body, without the URLs of
 * images or audio that come from binary fields (`uploads`): those are uploaded just before the
 * create. Throws an error naming the field, the rule and the value.
 */
export function buildCreateBody(
	node: INode,
	itemIndex: number,
	input: CreateInput,
	options: {
		evoLinkRules: boolean;
		uploads?: CreateUploads;
		signCallback?: (url: string) => string;
		/** The model table (shared/models.ts); tests pass a copy with a model added. */
		models?: ModelTable;
	},
): CreateBody {
	const fail: Fail = (field, value) => (rule) => invalidField(node, itemIndex, field, rule, value);
	const models = options.models ?? MODELS;
	const model = checkModel(fail, input.model, models);
	const rules: ModelRules = models[model];
	const prompt = checkPrompt(fail, input.prompt, rules);
	const imageUrl =
		rules.image && !options.uploads?.image ? checkImageUrl(fail, input.imageUrl) : undefined;
	const duration = checkDuration(fail, input.duration, model, rules);
	const quality = checkChoice(fail, 'Quality', input.quality, rules.qualities, model);
	if (typeof input.promptExtend !== 'boolean') {
		throw fail('Prompt Rewriting', input.promptExtend)('must be true or false');
	}
	const body: CreateBody = { model, prompt, duration, quality, prompt_extend: input.promptExtend };
	if (imageUrl) body.image_urls = [imageUrl];
	const shotType = rules.shotType ? checkShotType(fail, input) : undefined;
	if (input.promptExtend && shotType) body.model_params = { shot_type: shotType };
	if (rules.aspectRatios) {
		body.aspect_ratio = checkChoice(
			fail,
			'Aspect Ratio',
			input.aspectRatio ?? '16:9',
			rules.aspectRatios,
			model,
		);
	}
	if (rules.audioSwitch) {
		if (typeof (input.generateAudio ?? true) !== 'boolean') {
			throw fail('Generate Audio', input.generateAudio)('must be true or false');
		}
		body.generate_audio = (input.generateAudio ?? true) as boolean;
	}
	const hasAudioUrl = input.audioUrl !== undefined && input.audioUrl !== '';
	if (!rules.audioTrack) {
		refuseUnsupported(fail, 'Audio', options.uploads?.audio ? 'binary' : input.audioUrl, model);
	} else if (hasAudioUrl && !options.uploads?.audio) {
		body.audio_url = checkMediaUrl(
			fail('Audio URL', input.audioUrl),
			input.audioUrl,
			LIMITS.audioExtensions,
		);
	}
	if (input.callbackUrl !== undefined && input.callbackUrl !== '') {
		body.callback_url = checkCallbackUrl(fail, input.callbackUrl, options);
	}
	return body;
}
