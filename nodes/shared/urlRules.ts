import type { NodeOperationError } from 'n8n-workflow';

// What EvoLink accepts as a media URL or calls back as a callback URL (docs/evolink-api.md).

export const LIMITS = {
	callbackUrlChars: 2048,
	imageExtensions: ['jpg', 'jpeg', 'png', 'bmp', 'webp'],
	documentExtensions: [
		'docx',
		'doc',
		'xlsx',
		'xls',
		'pptx',
		'ppt',
		'pdf',
		'txt',
		'key',
		'pages',
		'numbers',
		'md',
	],
} as const;

/**
 * The URLs in a field: an array from an expression, or text with one or more URLs. Text is split
 * where a new http(s):// begins (after a comma, a space or a new line), so a comma inside a URL
 * stays in it.
 */
export function urlList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (value === undefined || value === null) return [];
	if (typeof value !== 'string') return [value];
	return value
		.split(/[\s,]+(?=https?:\/\/)/i)
		.map((part) => part.trim().replace(/,+$/, ''))
		.filter(Boolean);
}

function fileExtension(url: URL): string | undefined {
	const last = url.pathname.split('/').pop() ?? '';
	const dot = last.lastIndexOf('.');
	return dot > 0 ? last.slice(dot + 1).toLowerCase() : undefined;
}

const NOT_A_URL = 'must be a full URL starting with https:// or http://';

/** An http(s) URL, or the reason it is not one. */
function parseWebUrl(value: unknown): URL | string {
	if (typeof value !== 'string' || value.trim() === '') return 'must be a URL';
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return NOT_A_URL;
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return `${NOT_A_URL} (not ${url.protocol})`;
	}
	return url;
}

/**
 * A media URL EvoLink can fetch: http or https (its docs allow both), and where the path has a file
 * extension, one of `extensions` (none given: any).
 */
export function checkMediaUrl(
	fail: (rule: string) => NodeOperationError,
	value: unknown,
	extensions: readonly string[],
): string {
	const url = parseWebUrl(value);
	if (typeof url === 'string') throw fail(url);
	const extension = fileExtension(url);
	if (extensions.length && extension && !extensions.includes(extension)) {
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
