import type { INode } from 'n8n-workflow';

import { CREDENTIAL_TYPE, EVOLINK_BASE_URL, EVOLINK_FILES_BASE_URL } from './constants';
import { invalidField } from './errors';
import { DEFAULT_REQUESTS_PER_SECOND } from './requestBudget';
import type { ApiContext } from './transport';

export interface EvoLinkCredentials {
	apiKey: string;
	baseUrl: string;
	/** EvoLink's file API, on a host of its own. */
	filesBaseUrl: string;
	/** The key's request budget in this n8n process (see requestBudget.ts). */
	requestsPerSecond: number;
}

function checkBaseUrl(node: INode, field: string, value: string): string {
	const url = value.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(url)) {
		throw invalidField(
			node,
			0,
			`${field} (EvoLink API credential)`,
			'must start with https:// or http://',
			url,
		);
	}
	return url;
}

/** Empty means the default; anything else must be a number above 0 (a typo must not stall every item). */
function checkRate(node: INode, value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_REQUESTS_PER_SECOND;
	const rate = typeof value === 'number' ? value : Number(String(value).trim() || NaN);
	if (!Number.isFinite(rate) || rate <= 0) {
		throw invalidField(
			node,
			0,
			'Requests per Second (EvoLink API credential)',
			`must be a number above 0 (empty means ${DEFAULT_REQUESTS_PER_SECOND})`,
			value,
		);
	}
	return rate;
}

/** The credential, checked before any request: an empty key or a broken URL would only fail later. */
export async function getEvoLinkCredentials(ctx: ApiContext): Promise<EvoLinkCredentials> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const node = ctx.getNode();
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (!apiKey) {
		throw invalidField(node, 0, 'API Key (EvoLink API credential)', 'must not be empty', '');
	}
	return {
		apiKey,
		baseUrl: checkBaseUrl(node, 'Base URL', String(credentials.baseUrl || EVOLINK_BASE_URL)),
		filesBaseUrl: checkBaseUrl(
			node,
			'File Upload URL',
			String(credentials.filesBaseUrl || EVOLINK_FILES_BASE_URL),
		),
		requestsPerSecond: checkRate(node, credentials.requestsPerSecond),
	};
}

export async function getBaseUrl(ctx: ApiContext): Promise<string> {
	return (await getEvoLinkCredentials(ctx)).baseUrl;
}

export function isEvoLinkHost(baseUrl: string): boolean {
	try {
		const host = new URL(baseUrl).hostname.toLowerCase();
		return host === 'evolink.ai' || host.endsWith('.evolink.ai');
	} catch {
		return false;
	}
}
