/**
 * The length and picture size of an MP4 or QuickTime MOV, read from its box headers: no decoding,
 * no dependency.
 *
 * Both are ISO base media files: a sequence of boxes, each a 32-bit size (1: a 64-bit size follows
 * the type; 0: up to the end of its parent), a 4-letter type, then its body, which may hold boxes
 * itself. `moov/mvhd` gives the movie's timescale and duration, each `moov/trak/tkhd` a track's
 * picture size, `ftyp` the brand. Encoders that write the index last put `moov` after `mdat`.
 */

export interface VideoInfo {
	container: 'mp4' | 'mov';
	durationSeconds: number;
	width?: number;
	height?: number;
}

interface Box {
	type: string;
	/** Where the body starts and where the box ends. */
	body: number;
	end: number;
}

/** What an old QuickTime file (from before `ftyp`) starts with. */
const QUICKTIME_FIRST_BOXES = ['moov', 'mdat', 'wide', 'free', 'skip'];

/** Exact up to 2^53 bytes or ticks, far beyond any real file. */
function readUInt64(bytes: Buffer, at: number): number {
	return bytes.readUInt32BE(at) * 2 ** 32 + bytes.readUInt32BE(at + 4);
}

/** The box at `at`, or undefined when its header is cut or it does not fit in its parent. */
function readBox(bytes: Buffer, at: number, parentEnd: number): Box | undefined {
	if (at + 8 > parentEnd) return undefined;
	const size = bytes.readUInt32BE(at);
	const type = bytes.toString('latin1', at + 4, at + 8);
	if (size === 0) return { type, body: at + 8, end: parentEnd };
	const large = size === 1;
	if (large && at + 16 > parentEnd) return undefined;
	const boxSize = large ? readUInt64(bytes, at + 8) : size;
	const body = at + (large ? 16 : 8);
	return boxSize >= body - at && at + boxSize <= parentEnd
		? { type, body, end: at + boxSize }
		: undefined;
}

/** The boxes from `from` to `to`, in order, up to the first that is cut or impossible. */
function boxesIn(bytes: Buffer, from: number, to: number): Box[] {
	const boxes: Box[] = [];
	// every box is at least 8 bytes long, so this ends
	for (let box = readBox(bytes, from, to); box; box = readBox(bytes, box.end, to)) {
		boxes.push(box);
	}
	return boxes;
}

function child(bytes: Buffer, parent: Box | undefined, type: string): Box | undefined {
	return parent && boxesIn(bytes, parent.body, parent.end).find((box) => box.type === type);
}

/** MOV when the brand says QuickTime, or when an old QuickTime file starts without `ftyp`. */
function containerOf(bytes: Buffer, first: Box | undefined): VideoInfo['container'] | undefined {
	if (first?.type === 'ftyp') {
		return bytes.toString('latin1', first.body, Math.min(first.end, first.body + 4)) === 'qt  '
			? 'mov'
			: 'mp4';
	}
	return first && QUICKTIME_FIRST_BOXES.includes(first.type) ? 'mov' : undefined;
}

/**
 * The movie's length from `mvhd` (version 0: 32-bit times, version 1: 64-bit). Undefined when it
 * is not given: 0 in a fragmented file, all ones when the writer did not know it.
 */
function movieSeconds(bytes: Buffer, mvhd: Box | undefined): number | undefined {
	if (!mvhd || bytes[mvhd.body] > 1) return undefined;
	const timeBytes = bytes[mvhd.body] === 1 ? 8 : 4;
	const at = mvhd.body + 4 + 2 * timeBytes; // after version, flags and the two dates
	if (at + 4 + timeBytes > mvhd.end) return undefined;
	const timescale = bytes.readUInt32BE(at);
	const unknown = bytes.subarray(at + 4, at + 4 + timeBytes).every((byte) => byte === 0xff);
	const duration = timeBytes === 8 ? readUInt64(bytes, at + 4) : bytes.readUInt32BE(at + 4);
	return timescale && duration && !unknown ? duration / timescale : undefined;
}

function isVideoTrack(bytes: Buffer, trak: Box): boolean {
	const hdlr = child(bytes, child(bytes, trak, 'mdia'), 'hdlr');
	if (!hdlr || hdlr.body + 12 > hdlr.end) return false;
	// after version, flags and pre_defined comes the handler type
	return bytes.toString('latin1', hdlr.body + 8, hdlr.body + 12) === 'vide';
}

/** The first video track's picture size, from its `tkhd` (16.16 fixed point, after the matrix). */
function pictureSize(bytes: Buffer, moov: Box): { width?: number; height?: number } {
	const video = boxesIn(bytes, moov.body, moov.end).find(
		(box) => box.type === 'trak' && isVideoTrack(bytes, box),
	);
	const tkhd = child(bytes, video, 'tkhd');
	if (!tkhd || bytes[tkhd.body] > 1) return {};
	const at = tkhd.body + (bytes[tkhd.body] === 1 ? 88 : 76); // version 1 has 64-bit times
	if (at + 8 > tkhd.end) return {};
	return { width: bytes.readUInt32BE(at) / 0x10000, height: bytes.readUInt32BE(at + 4) / 0x10000 };
}

/** The video's container, length and picture size, or undefined for anything else. */
export function readVideoInfo(bytes: Buffer): VideoInfo | undefined {
	const top = boxesIn(bytes, 0, bytes.length);
	const container = containerOf(bytes, top[0]);
	const moov = top.find((box) => box.type === 'moov');
	const durationSeconds = movieSeconds(bytes, child(bytes, moov, 'mvhd'));
	if (!container || !moov || durationSeconds === undefined) return undefined;
	return { container, durationSeconds, ...pictureSize(bytes, moov) };
}
