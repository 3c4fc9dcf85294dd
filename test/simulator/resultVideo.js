'use strict';
// The file the simulator serves for a finished task: the real, playable demo MP4
// (test/fixtures/demo.mp4: H.264 with its index first, so it streams), then an ISO `free` box,
// which players skip, holding the task id (so each task's file differs) and zeros up to the size
// asked for. The zeros are left to the caller to stream, so a file of hundreds of MiB costs no
// memory. Plain CommonJS with Node built-ins only, like the simulator.

const fs = require('node:fs');
const path = require('node:path');

const DEMO_PATH = path.join(__dirname, '..', 'fixtures', 'demo.mp4');
const MAX_UINT32 = 0xffffffff;

let demo;

/** The demo file, read once, on first use. */
function demoVideo() {
	if (!demo) demo = fs.readFileSync(DEMO_PATH);
	return demo;
}

/** An ISO box header: a 32-bit size, or 1 and a 64-bit size when it does not fit in 32 bits. */
function boxHeader(type, size) {
	const large = size > MAX_UINT32;
	const header = Buffer.alloc(large ? 16 : 8);
	header.writeUInt32BE(large ? 1 : size, 0);
	header.write(type, 4, 'latin1');
	if (large) header.writeBigUInt64BE(BigInt(size), 8);
	return header;
}

/** The smallest size that still holds the demo and a `free` box with the task id. */
function minPlayableBytes(taskId) {
	return demoVideo().length + 8 + Buffer.byteLength(taskId);
}

/**
 * A file too small for the demo: a 32-byte `ftyp` box, then an `mdat` box of zeros up to `total`
 * (cut short below 40 bytes). Not playable, but exactly `total` bytes, so `content-length` stays
 * what the task's size asked for and what is sent.
 */
function placeholder(total) {
	const ftyp = Buffer.alloc(32);
	ftyp.writeUInt32BE(32, 0);
	ftyp.write('ftypisom', 4, 'latin1');
	ftyp.writeUInt32BE(0x200, 12);
	ftyp.write('isomiso2avc1mp41', 16, 'latin1');
	const mdat = boxHeader('mdat', Math.max(8, total - 32)); // below 40 bytes it is cut off anyway
	const head = Buffer.concat([ftyp, mdat]).subarray(0, total);
	return { head, fillerBytes: total - head.length };
}

/**
 * The bytes to serve for `taskId`'s video of exactly `total` bytes (a whole number): send `head`,
 * then `fillerBytes` zeros. From `minPlayableBytes(taskId)` up it is the playable demo; below
 * that, an unplayable placeholder of the same size.
 */
function resultVideo(taskId, total) {
	if (total < minPlayableBytes(taskId)) return placeholder(total);
	const video = demoVideo();
	const freeBytes = total - video.length;
	const id = Buffer.from(taskId, 'utf8');
	const head = Buffer.concat([video, boxHeader('free', freeBytes), id]);
	return { head, fillerBytes: total - head.length };
}

module.exports = { resultVideo, minPlayableBytes };
