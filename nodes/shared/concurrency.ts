/** Runs at most `limit` pieces of work at a time; the rest queue in call order. */
export function concurrencyLimit(limit: number) {
	let active = 0;
	const queue: Array<() => void> = [];
	return async <T>(work: () => Promise<T>): Promise<T> => {
		if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
		active++;
		try {
			return await work();
		} finally {
			active--;
			queue.shift()?.();
		}
	};
}
