/**
 * The length of an MP3, read from its frame headers: no decoding, no dependency. EvoLink takes 3–30 s
 * of audio (docs/evolink-api.md), so a wrong track is refused before a task is billed.
 *
 * An MP3 is an optional ID3v2 tag, then MPEG audio frames, each with a 4-byte header giving its
 * version, layer, bitrate and sample rate (hence its length in bytes and in samples). A VBR file's
 * first frame usually carries a Xing/Info or VBRI header with the frame count; otherwise the frames
 * are walked, which also covers constant-bitrate files.
 */

type Version = 1 | 2 | 2.5;

interface FrameHeader {
	version: Version;
	layer: 1 | 2 | 3;
	bytes: number;
	samples: number;
	sampleRate: number;
	mono: boolean;
}

const BITRATES_KBPS: Record<string, number[]> = {
	'1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
	'1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
	'1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
	'2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
	'2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
	'2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<Version, number[]> = {
	1: [44100, 48000, 32000],
	2: [22050, 24000, 16000],
	2.5: [11025, 12000, 8000],
};

/** The frame header at `at`, or undefined when there is none (free-format bitrates included). */
function readFrameHeader(bytes: Buffer, at: number): FrameHeader | undefined {
	if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) {
		return undefined;
	}
	const version = ([2.5, undefined, 2, 1] as const)[(bytes[at + 1] >> 3) & 0b11];
	const layer = ([undefined, 3, 2, 1] as const)[(bytes[at + 1] >> 1) & 0b11];
	const bitrateIndex = bytes[at + 2] >> 4;
	const sampleRate = version && SAMPLE_RATES[version][(bytes[at + 2] >> 2) & 0b11];
	if (!version || !layer || !sampleRate || bitrateIndex === 0 || bitrateIndex === 15) {
		return undefined;
	}
	const bitrate = BITRATES_KBPS[`${version === 1 ? 1 : 2}-${layer}`][bitrateIndex] * 1000;
	const padding = (bytes[at + 2] >> 1) & 1;
	const samples = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
	const slot = layer === 1 ? 4 : 1;
	const frameBytes =
		Math.floor(((samples / 8) * (bitrate / sampleRate)) / slot) * slot + padding * slot;
	return {
		version,
		layer,
		bytes: frameBytes,
		samples,
		sampleRate,
		mono: bytes[at + 3] >> 6 === 0b11,
	};
}

/** Where the audio starts: after an ID3v2 tag (size in 7-bit bytes, plus a footer if flagged). */
function audioStart(bytes: Buffer): number {
	if (bytes.length < 10 || bytes.toString('latin1', 0, 3) !== 'ID3') return 0;
	const size =
		((bytes[6] & 0x7f) << 21) |
		((bytes[7] & 0x7f) << 14) |
		((bytes[8] & 0x7f) << 7) |
		(bytes[9] & 0x7f);
	return 10 + size + (bytes[5] & 0x10 ? 10 : 0);
}

/** The first frame, confirmed by a second header right after it (random bytes can look like one). */
function firstFrame(bytes: Buffer, from: number): number | undefined {
	const limit = Math.min(bytes.length - 4, from + 64 * 1024);
	for (let at = from; at < limit; at++) {
		const header = readFrameHeader(bytes, at);
		if (!header) continue;
		const next = at + header.bytes;
		if (next >= bytes.length || readFrameHeader(bytes, next)) return at;
	}
	return undefined;
}

/** The frame count a Xing/Info or VBRI header in the first frame gives, if any. */
function taggedFrameCount(bytes: Buffer, at: number, header: FrameHeader): number | undefined {
	const sideInfo = header.version === 1 ? (header.mono ? 17 : 32) : header.mono ? 9 : 17;
	const xing = at + 4 + sideInfo;
	const xingId = bytes.toString('latin1', xing, xing + 4);
	if ((xingId === 'Xing' || xingId === 'Info') && xing + 12 <= bytes.length) {
		return bytes.readUInt32BE(xing + 4) & 1 ? bytes.readUInt32BE(xing + 8) : undefined;
	}
	const vbri = at + 36;
	if (bytes.toString('latin1', vbri, vbri + 4) === 'VBRI' && vbri + 18 <= bytes.length) {
		return bytes.readUInt32BE(vbri + 14);
	}
	return undefined;
}

/** The MP3's length in seconds, or undefined when no MPEG audio frames are found. */
export function mp3DurationSeconds(bytes: Buffer): number | undefined {
	const start = firstFrame(bytes, audioStart(bytes));
	if (start === undefined) return undefined;
	const first = readFrameHeader(bytes, start)!;
	const tagged = taggedFrameCount(bytes, start, first);
	// a Xing/Info/VBRI frame carries no audio itself
	if (tagged !== undefined) return (tagged * first.samples) / first.sampleRate;
	let seconds = 0;
	for (let at = start; at < bytes.length; ) {
		const header = readFrameHeader(bytes, at);
		if (!header || header.bytes <= 0) break; // an ID3v1 "TAG" or trailing bytes
		seconds += header.samples / header.sampleRate;
		at += header.bytes;
	}
	return seconds;
}
