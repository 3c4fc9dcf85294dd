import type {
	IDataObject,
	IHookFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { getEvoLinkCredentials } from './credentials';
import type { RequestPolicy } from './transport';
import { hasValidSignature } from './callbackSignature';

/**
 * EvoLink has no webhook registry: the URL travels with each task, so there is nothing to register
 * or remove on its side. n8n would skip missing methods, but the community-node linter
 * (webhook-lifecycle-complete) requires them on every node with webhooks.
 */
export const noWebhookRegistration = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};

/** EvoLink gives up on a callback after 10 s: confirm quickly, and let it retry on failure. */
export const CONFIRM_POLICY: RequestPolicy = { retries: 1, timeoutMs: 4000, maxPauseMs: 2000 };

/** Answers the caller ourselves; n8n then sends nothing more. */
export function reply(
	ctx: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** Whether the request came to a URL that Create signed with this credential's key. */
export async function isSignedRequest(ctx: IWebhookFunctions): Promise<boolean> {
	const { apiKey } = await getEvoLinkCredentials(ctx);
	const request = ctx.getRequestObject();
	return hasValidSignature(request.originalUrl ?? request.url, apiKey);
}
