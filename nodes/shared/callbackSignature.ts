import { createHmac, timingSafeEqual } from 'crypto';

/**
 * EvoLink signs no callback, so we sign the callback URL ourselves: an HMAC of its path and query
 * under the API key. Only someone holding the key can make a URL that a Wan Video webhook accepts,
 * and the key itself never leaves n8n.
 */
const SIGNATURE_PARAM = 'wvsig';

function signaturePayload(url: URL): string {
	const query = [...url.searchParams.entries()]
		.filter(([name]) => name !== SIGNATURE_PARAM)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([name, value]) => `${name}=${value}`)
		.join('&');
	// From n8n's own /webhook… segment on: a reverse proxy may add or strip a prefix before it.
	const path = url.pathname.match(/\/webhook(?:-test|-waiting)?\/.*/)?.[0] ?? url.pathname;
	return `wan-video-callback:v1:${path}?${query}`;
}

function signature(url: URL, apiKey: string): string {
	return createHmac('sha256', apiKey).update(signaturePayload(url)).digest('base64url');
}

export function signCallbackUrl(callbackUrl: string, apiKey: string): string {
	const url = new URL(callbackUrl);
	url.searchParams.delete(SIGNATURE_PARAM);
	url.searchParams.set(SIGNATURE_PARAM, signature(url, apiKey));
	return url.toString();
}

/**
 * Whether the request's path and query carry a valid signature, compared in constant time. The
 * host is left out: proxies in front of n8n rewrite it.
 */
export function hasValidSignature(pathAndQuery: string, apiKey: string): boolean {
	const url = new URL(pathAndQuery, 'http://n8n.invalid');
	const given = Buffer.from(url.searchParams.get(SIGNATURE_PARAM) ?? '');
	const expected = Buffer.from(signature(url, apiKey));
	return given.length === expected.length && timingSafeEqual(given, expected);
}
