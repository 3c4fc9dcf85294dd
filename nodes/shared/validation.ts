import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Create's parameters as the user gave them, before any check. */
export interface CreateInput {
	prompt: unknown;
	imageUrl: unknown;
	duration: unknown;
	quality: unknown;
	promptExtend: unknown;
	shotType: unknown;
	audioUrl?: unknown;
	callbackUrl?: unknown;
}

/** The body of `POST /v1/videos/generations`. */
export interface CreateBody {
	model: string;
	prompt: string;
	image_urls: [string];
	duration: number;
	quality: '720p' | '1080p';
	prompt_extend: boolean;
	model_params?: { shot_type: 'single' | 'multi' };
	audio_url?: string;
	callback_url?: string;
}

export const LIMITS = {
	promptChars: 1500,
	minDuration: 2,
	maxDuration: 15,
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

/**
 * Checks every rule of `wan2.6-image-to-video` and builds the request body. Throws an error naming
 * the field, the rule and the value.
 */
export function buildCreateBody(
	node: INode,
	itemIndex: number,
	input: CreateInput,
	options: { model: string; evoLinkRules: boolean; signCallback?: (url: string) => string },
): CreateBody {
	const fail = (field: string, value: unknown) => (rule: string) =>
		invalidField(node, itemIndex, field, rule, value);

	const { prompt } = input;
	if (typeof prompt !== 'string') throw fail('Prompt', prompt)('must be text');
	if (prompt.trim() === '') throw fail('Prompt', prompt)('must not be empty');
	if (prompt.length > LIMITS.promptChars) {
		throw fail('Prompt', prompt)(`must be at most ${LIMITS.promptChars} characters`);
	}

	let image = input.imageUrl;
	if (Array.isArray(image)) {
		if (image.length !== 1) {
			throw fail('Image URL', image)(`needs exactly one image (got ${image.length})`);
		}
		image = image[0];
	}
	if (typeof image === 'string' && /\s|,\s*https?:/i.test(image.trim())) {
		throw fail('Image URL', image)('needs exactly one image URL (got several)');
	}
	const imageUrl = checkMediaUrl(fail('Image URL', image), image, LIMITS.imageExtensions);

	const duration =
		typeof input.duration === 'string' && input.duration.trim() !== ''
			? Number(input.duration)
			: input.duration;
	if (
		typeof duration !== 'number' ||
		!Number.isInteger(duration) ||
		duration < LIMITS.minDuration ||
		duration > LIMITS.maxDuration
	) {
		throw fail(
			'Duration',
			input.duration,
		)(`must be a whole number of seconds from ${LIMITS.minDuration} to ${LIMITS.maxDuration}`);
	}

	const { quality } = input;
	if (quality !== '720p' && quality !== '1080p') {
		throw fail('Quality', quality)('must be 720p or 1080p');
	}
	if (typeof input.promptExtend !== 'boolean') {
		throw fail('Prompt Rewriting', input.promptExtend)('must be true or false');
	}
	const { shotType } = input;
	if (shotType !== undefined && shotType !== 'single' && shotType !== 'multi') {
		throw fail('Shot Type', shotType)('must be single or multi');
	}
	if (!input.promptExtend && shotType === 'multi') {
		throw fail(
			'Shot Type',
			shotType,
		)('only works with Prompt Rewriting on: turn it on or use single');
	}

	const body: CreateBody = {
		model: options.model,
		prompt,
		image_urls: [imageUrl],
		duration,
		quality,
		prompt_extend: input.promptExtend,
	};
	if (input.promptExtend && shotType) body.model_params = { shot_type: shotType };
	if (input.audioUrl !== undefined && input.audioUrl !== '') {
		body.audio_url = checkMediaUrl(
			fail('Audio URL', input.audioUrl),
			input.audioUrl,
			LIMITS.audioExtensions,
		);
	}
	if (input.callbackUrl !== undefined && input.callbackUrl !== '') {
		const problem =
			typeof input.callbackUrl === 'string'
				? callbackUrlProblem(input.callbackUrl, options.evoLinkRules)
				: 'must be a URL';
		if (problem) throw fail('Callback URL', input.callbackUrl)(problem);
		body.callback_url =
			options.signCallback?.(String(input.callbackUrl)) ?? String(input.callbackUrl);
		if (body.callback_url.length > LIMITS.callbackUrlChars) {
			const room =
				LIMITS.callbackUrlChars - (body.callback_url.length - String(input.callbackUrl).length);
			throw fail(
				'Callback URL',
				input.callbackUrl,
			)(`must be at most ${room} characters, to leave room for its signature`);
		}
	}
	return body;
}
