// Types of runtime.js.

export declare const MB: number;

export interface MemorySnapshot {
	rss: number;
	heapUsed: number;
	external: number;
	arrayBuffers: number;
	/** heapUsed + arrayBuffers: the V8 heap plus ArrayBuffers and Node Buffers outside it. */
	heap: number;
}

export declare function snapshot(): MemorySnapshot;
export declare function maxRss(): number;
export declare function collectGarbage(): void;
export declare function startSampler(intervalMs?: number): {
	stop(): { peak: MemorySnapshot; samples: number };
};
export declare function fileSize(path: string): number;
export declare function envValue(name: string): string | undefined;
