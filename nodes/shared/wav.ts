/**
 * The length of a WAV file, read from its chunk headers: no decoding, no dependency.
 *
 * A WAV is a RIFF file: `RIFF`, a size, `WAVE`, then chunks, each a 4-letter id, a 32-bit
 * little-endian size and a body padded to an even length. `fmt ` describes the samples, `data`
 * holds them, and compressed formats add a `fact` chunk with the sample count.
 */

interface WavFormat {
	/** The format tag; for WAVE_FORMAT_EXTENSIBLE, the one in its sub-format GUID. */
	tag: number;
	channels: number;
	sampleRate: number;
	byteRate: number;
	blockAlign: number;
	bits: number;
}

interface Chunks {
	format?: WavFormat;
	sampleCount?: number;
	dataBytes?: number;
}

const EXTENSIBLE = 0xfffe;
/** PCM, IEEE float, A-law and µ-law: a fixed number of bytes per sample frame. */
const UNCOMPRESSED = [1, 3, 6, 7];

function readFormat(bytes: Buffer, at: number, size: number): WavFormat | undefined {
	if (size < 16) return undefined;
	const tag = bytes.readUInt16LE(at);
	return {
		tag: tag === EXTENSIBLE && size >= 40 ? bytes.readUInt16LE(at + 24) : tag,
		channels: bytes.readUInt16LE(at + 2),
		sampleRate: bytes.readUInt32LE(at + 4),
		byteRate: bytes.readUInt32LE(at + 8),
		blockAlign: bytes.readUInt16LE(at + 12),
		bits: bytes.readUInt16LE(at + 14),
	};
}

/**
 * The data size the header gives, or the rest of the file: streaming writers leave 0 or
 * 0xFFFFFFFF there, and a cut file holds less than it says.
 */
function presentDataBytes(declared: number, rest: number): number {
	return declared === 0 || declared === 0xffffffff ? rest : Math.min(declared, rest);
}

/** The `fmt `, `fact` and `data` chunks: walked until both `fmt ` and `data` are found. */
function readChunks(bytes: Buffer): Chunks {
	const chunks: Chunks = {};
	const done = () => chunks.format !== undefined && chunks.dataBytes !== undefined;
	for (let at = 12; at + 8 <= bytes.length && !done(); ) {
		const id = bytes.toString('latin1', at, at + 4);
		const size = bytes.readUInt32LE(at + 4);
		const body = at + 8;
		if (id === 'data') chunks.dataBytes = presentDataBytes(size, bytes.length - body);
		else if (body + size > bytes.length) break;
		else if (id === 'fmt ') chunks.format = readFormat(bytes, body, size);
		else if (id === 'fact' && size >= 4) chunks.sampleCount = bytes.readUInt32LE(body);
		at = body + size + (size % 2);
	}
	return chunks;
}

/** The WAV's length in seconds, or undefined when it is not a WAV or its header is incomplete. */
export function wavDurationSeconds(bytes: Buffer): number | undefined {
	if (
		bytes.length < 12 ||
		bytes.toString('latin1', 0, 4) !== 'RIFF' ||
		bytes.toString('latin1', 8, 12) !== 'WAVE'
	) {
		return undefined;
	}
	const { format, sampleCount, dataBytes } = readChunks(bytes);
	if (!format?.sampleRate || dataBytes === undefined) return undefined;
	if (UNCOMPRESSED.includes(format.tag)) {
		const frameBytes = format.blockAlign || format.channels * Math.ceil(format.bits / 8);
		return frameBytes ? Math.floor(dataBytes / frameBytes) / format.sampleRate : undefined;
	}
	if (sampleCount !== undefined) return sampleCount / format.sampleRate;
	return format.byteRate ? dataBytes / format.byteRate : undefined;
}
