import type { IDataObject } from 'n8n-workflow';

/** Enough to cover EvoLink's retries and proxy repeats without growing without bound. */
export const REMEMBERED_KEYS = 2000;

/**
 * Callbacks already seen by this process: each request loads its own copy of the static
 * data, so two simultaneous duplicates would both pass a check on that copy alone.
 */
const seenInProcess = new Set<string>();

/**
 * Whether `key` is new; remembers it in the node's static data (kept across restarts) and in this
 * process. n8n saves a request's copy of the static data whole, so each copy also takes in what
 * this process saw meanwhile: of two simultaneous callbacks, the one saved last keeps both. The
 * oldest keys are forgotten first.
 */
export function rememberOnce(staticData: IDataObject, key: string): boolean {
	const seen = Array.isArray(staticData.seenCallbacks)
		? (staticData.seenCallbacks as string[])
		: [];
	if (seenInProcess.has(key) || seen.includes(key)) return false;
	seenInProcess.add(key);
	if (seenInProcess.size > REMEMBERED_KEYS)
		seenInProcess.delete(seenInProcess.values().next().value as string);
	staticData.seenCallbacks = [...new Set([...seen, ...seenInProcess])].slice(-REMEMBERED_KEYS);
	return true;
}
