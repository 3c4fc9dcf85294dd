'use strict';
// What the bench's TypeScript needs of the process: the package lint bans `process`, timers and
// `fs` in .ts files, so memory sampling, garbage collection and file checks live here.
// Types: ./runtime.d.ts.

const fs = require('node:fs');

const MB = 1024 * 1024;

function snapshot() {
	const usage = process.memoryUsage();
	return {
		rss: usage.rss,
		heapUsed: usage.heapUsed,
		external: usage.external,
		arrayBuffers: usage.arrayBuffers,
		// What JavaScript holds: the V8 heap plus ArrayBuffers and Node Buffers, which live outside it.
		heap: usage.heapUsed + usage.arrayBuffers,
	};
}

/** Peak RSS of this process so far, from the kernel (getrusage ru_maxrss), in bytes. */
function maxRss() {
	return process.resourceUsage().maxRSS * 1024;
}

/** Full garbage collections until the heap stops shrinking (needs node --expose-gc). */
function collectGarbage() {
	if (typeof global.gc !== 'function') throw new Error('run node with --expose-gc');
	for (let i = 0; i < 3; i++) global.gc();
}

/**
 * Samples memory every `intervalMs` from now until stop(). The RSS peak also takes the kernel's
 * own peak (ru_maxrss) into account when it rose during the sampling, so a spike between two
 * samples is not missed.
 */
function startSampler(intervalMs = 1) {
	const peak = snapshot();
	const kernelPeakBefore = maxRss();
	let samples = 0;
	const sample = () => {
		const now = snapshot();
		samples++;
		for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], now[key]);
	};
	const timer = setInterval(sample, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			sample();
			const kernelPeak = maxRss();
			if (kernelPeak > kernelPeakBefore) peak.rss = Math.max(peak.rss, kernelPeak);
			return { peak, samples };
		},
	};
}

function fileSize(path) {
	return fs.statSync(path).size;
}

function envValue(name) {
	return process.env[name];
}

module.exports = { MB, snapshot, maxRss, collectGarbage, startSampler, fileSize, envValue };
