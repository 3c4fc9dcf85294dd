import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isModelName, MODELS, type ModelName, type ModelRules } from './models';

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

export const LIMITS = {
	callbackUrlChars: 2048,
	imageExtensions: ['jpg', 'jpeg', 'png', 'bmp', 'webp'],
	audioExtensions: ['mp3'],
} as const;

/** A rule broken by one field: thrown before any request is sent. */
export function invalidField(
	node: INode,
	itemIndex: number,
	field: string,
	rule: string,
	value: unknown,
): NodeOperationError {
	const shown = typeof value === 'string' && value.length > 80 ? `${value.slice(0, 77)}...` : value;
	return new NodeOperationError(node, `${field}: ${rule} [item ${itemIndex}]`, {
		itemIndex,
		description: `Got ${JSON.stringify(shown) ?? String(shown)}${
			typeof value === 'string' ? ` (${value.length} characters)` : ''
		}. Nothing was sent to EvoLink, so nothing was billed.`,
	});
}

function fileExtension(url: URL): string | undefined {
	const last = url.pathname.split('/').pop() ?? '';
	const dot = last.lastIndexOf('.');
	return dot > 0 ? last.slice(dot + 1).toLowerCase() : undefined;
}

/** An http(s) URL, or the reason it is not one. */
function parseWebUrl(value: unknown): URL | string {
	if (typeof value !== 'string' || value.trim() === '') return 'must be a URL';
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return 'must be a full URL starting with https://';
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return `must start with https:// or http:// (not ${url.protocol})`;
	}
	return url;
}

function checkMediaUrl(
	fail: (rule: string) => NodeOperationError,
	value: unknown,
	extensions: readonly string[],
): string {
	const url = parseWebUrl(value);
	if (typeof url === 'string') throw fail(url);
	const extension = fileExtension(url);
	if (extension && !extensions.includes(extension)) {
		throw fail(`must point to a ${extensions.join(', ')} file (not .${extension})`);
	}
	return url.toString();
}

/** Loopback, private, link-local and unique-local addresses and local-only names. */
export function isNonPublicHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
	if (
		host.endsWith('.internal') ||
		host.endsWith('.lan') ||
		(!host.includes('.') && !host.includes(':'))
	) {
		return true;
	}
	const v4 = host.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
	if (v4) {
		const [a, b] = [Number(v4[1]), Number(v4[2])];
		return (
			a === 0 ||
			a === 10 ||
			a === 127 ||
			(a === 169 && b === 254) ||
			(a === 172 && b >= 16 && b <= 31) ||
			(a === 192 && b === 168) ||
			(a === 100 && b >= 64 && b <= 127)
		);
	}
	if (host.includes(':')) {
		return (
			host === '::1' ||
			host === '::' ||
			/^f[cd]/.test(host) ||
			/^fe[89ab]/.test(host) ||
			host.startsWith('::ffff:')
		);
	}
	return false;
}

/**
 * The reason EvoLink would never call this URL back, or undefined when it would. Only EvoLink's
 * own API has these rules: a gateway or test server may call plain-HTTP or loopback addresses.
 */
export function callbackUrlProblem(value: string, evoLinkRules: boolean): string | undefined {
	if (value.length > LIMITS.callbackUrlChars) {
		return `must be at most ${LIMITS.callbackUrlChars} characters`;
	}
	const url = parseWebUrl(value);
	if (typeof url === 'string') return url;
	if (!evoLinkRules) return undefined;
	if (url.protocol !== 'https:') return 'must use HTTPS: EvoLink only calls HTTPS addresses';
	if (isNonPublicHost(url.hostname)) {
		return `must be a public address: EvoLink never calls ${url.hostname} (set WEBHOOK_URL to n8n's public HTTPS address)`;
	}
	return undefined;
}

type Fail = (field: string, value: unknown) => (rule: string) => NodeOperationError;

function checkModel(fail: Fail, value: unknown): ModelName {
	if (isModelName(value)) return value;
	throw fail('Model', value)(`must be one of ${Object.keys(MODELS).join(', ')}`);
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

function checkDuration(fail: Fail, value: unknown, model: ModelName): number {
	const { durations } = MODELS[model];
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
	model: ModelName,
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
function refuseUnsupported(fail: Fail, field: string, value: unknown, model: ModelName): void {
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
	},
): CreateBody {
	const fail: Fail = (field, value) => (rule) => invalidField(node, itemIndex, field, rule, value);
	const model = checkModel(fail, input.model);
	const rules: ModelRules = MODELS[model];
	const prompt = checkPrompt(fail, input.prompt, rules);
	const imageUrl =
		rules.image && !options.uploads?.image ? checkImageUrl(fail, input.imageUrl) : undefined;
	const duration = checkDuration(fail, input.duration, model);
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
