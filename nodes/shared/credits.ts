import { type ApiContext, sendRequest } from './transport';

// The credits left, from `GET /v1/credits` (free): the smaller of the account's and the key's, unless
// the key is unlimited (docs/evolink-api.md).

interface CreditsAnswer {
	data?: {
		user?: { remaining_credits?: number };
		token?: { remaining_credits?: number; unlimited_credits?: boolean };
	};
}

/** The credits this key may still spend, or undefined when EvoLink does not say. */
export async function readBalance(ctx: ApiContext): Promise<number | undefined> {
	try {
		const response = await sendRequest(
			ctx,
			{ method: 'GET', url: '/v1/credits' },
			{
				action: 'read the credits left',
				retry: 'all',
				lane: 'read',
				policy: { retries: 1, timeoutMs: 10_000 },
			},
		);
		const { user, token } = (response.body as CreditsAnswer).data ?? {};
		const limits = [
			user?.remaining_credits,
			token?.unlimited_credits ? undefined : token?.remaining_credits,
		];
		const known = limits.filter((value): value is number => typeof value === 'number');
		return known.length ? Math.min(...known) : undefined;
	} catch {
		return undefined; // the balance only adds to an error already on its way
	}
}
