// Small but well-formed media headers, for the binary-input tests: only what the node reads.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Buffer): number {
	let c = 0xffffffff;
	for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** A zlib stream of stored (uncompressed) blocks: valid, and no zlib import needed. */
function zlibStored(data: Buffer): Buffer {
	const blocks: Buffer[] = [Buffer.from([0x78, 0x01])];
	for (let at = 0; at < data.length || at === 0; at += 0xffff) {
		const part = data.subarray(at, at + 0xffff);
		const head = Buffer.alloc(5);
		head[0] = at + 0xffff >= data.length ? 1 : 0;
		head.writeUInt16LE(part.length, 1);
		head.writeUInt16LE(~part.length & 0xffff, 3);
		blocks.push(head, part);
		if (data.length === 0) break;
	}
	let a = 1;
	let b = 0;
	for (const byte of data) {
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	const adler = Buffer.alloc(4);
	adler.writeUInt32BE(((b << 16) | a) >>> 0);
	return Buffer.concat([...blocks, adler]);
}

function pngChunk(type: string, data: Buffer): Buffer {
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** A real, decodable PNG: grey, RGB (or RGBA with `alpha`), optionally with a tRNS chunk. */
export function makePng(
	width: number,
	height: number,
	options: { alpha?: boolean; trns?: boolean } = {},
): Buffer {
	const channels = options.alpha ? 4 : 3;
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = options.alpha ? 6 : 2; // RGBA or RGB
	const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * channels, 0x80)]);
	const pixels = zlibStored(Buffer.concat(Array.from({ length: height }, () => row)));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		...(options.trns ? [pngChunk('tRNS', Buffer.from([0, 0, 0, 0, 0, 0]))] : []),
		pngChunk('IDAT', pixels),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** A JPEG header with an EXIF-like APP1 segment before the frame header, padded to `size`. */
export function makeJpeg(width: number, height: number, size = 2048): Buffer {
	const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0x00, 0x12]), Buffer.alloc(16, 0x45)]);
	const sof = Buffer.from([
		0xff,
		0xc0,
		0x00,
		0x11,
		0x08,
		height >> 8,
		height & 0xff,
		width >> 8,
		width & 0xff,
		0x03,
	]);
	const head = Buffer.concat([Buffer.from([0xff, 0xd8]), app1, sof, Buffer.alloc(8)]);
	return Buffer.concat([
		head,
		Buffer.alloc(Math.max(0, size - head.length - 2)),
		Buffer.from([0xff, 0xd9]),
	]);
}

export const GIF = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(64)]);

/**
 * A structurally real MP3 of `seconds`: MPEG audio frames with valid headers (the payload is
 * silence-sized zeros), optionally behind an ID3v2 tag, at a variable bitrate, or with a Xing header
 * giving the frame count (as VBR encoders write it).
 */
export function makeMp3(
	seconds: number,
	options: { id3?: boolean; vbr?: boolean; xing?: boolean; mpeg2?: boolean } = {},
): Buffer {
	const sampleRate = options.mpeg2 ? 22050 : 44100;
	const samples = options.mpeg2 ? 576 : 1152;
	const frames = Math.round((seconds * sampleRate) / samples);
	// MPEG-1 Layer III (0xFB) or MPEG-2 Layer III (0xF3); bitrate index 9 (128 / 80 kbps) or 11
	const frame = (bitrateIndex: number) => {
		const kbps = options.mpeg2
			? [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112][bitrateIndex]
			: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192][bitrateIndex];
		const size = Math.floor(((samples / 8) * kbps * 1000) / sampleRate);
		const bytes = Buffer.alloc(size);
		bytes.set([0xff, options.mpeg2 ? 0xf3 : 0xfb, bitrateIndex << 4, 0x40]);
		return bytes;
	};
	const audio = Array.from({ length: frames }, (_, i) =>
		frame(options.vbr && i % 3 === 0 ? 11 : 9),
	);
	const parts: Buffer[] = [];
	if (options.id3) {
		const tag = Buffer.alloc(2000, 0x20);
		const size = Buffer.from([
			(tag.length >> 21) & 0x7f,
			(tag.length >> 14) & 0x7f,
			(tag.length >> 7) & 0x7f,
			tag.length & 0x7f,
		]);
		parts.push(Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0]), size, tag);
	}
	if (options.xing) {
		const info = frame(9);
		const at = 4 + (options.mpeg2 ? 17 : 32);
		info.write('Xing', at, 'latin1');
		info.writeUInt32BE(1, at + 4); // flags: frame count present
		info.writeUInt32BE(frames, at + 8);
		parts.push(info);
	}
	return Buffer.concat([...parts, ...audio]);
}

/** A 5 s MP3 behind an ID3 tag. */
export const MP3 = makeMp3(5, { id3: true });

export function binaryItem(bytes: Buffer, mimeType: string, fileName: string, field = 'data') {
	return {
		json: {},
		binary: { [field]: { data: bytes.toString('base64'), mimeType, fileName } },
	};
}

function uint32s(...values: number[]): Buffer {
	const bytes = Buffer.alloc(4 * values.length);
	values.forEach((value, i) => bytes.writeUInt32BE(value, 4 * i));
	return bytes;
}

function uint64(value: number): Buffer {
	return uint32s(Math.floor(value / 2 ** 32), value % 2 ** 32);
}

/** An ISO box: its size (32-bit, or 1 then a 64-bit size), its type, its body. */
function isoBox(type: string, parts: Buffer[], largesize = false): Buffer {
	const body = Buffer.concat(parts);
	const size = (largesize ? 16 : 8) + body.length;
	const type4 = Buffer.from(type, 'latin1');
	const head = largesize ? [uint32s(1), type4, uint64(size)] : [uint32s(size), type4];
	return Buffer.concat([...head, body]);
}

const IDENTITY_MATRIX = uint32s(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);
const MP4_TIMESCALE = 1000;

/**
 * How mvhd, tkhd and mdhd start: version and flags, creation and modification dates (0), `ids`
 * (the timescale, or the track id and a reserved word), the duration. Version 1 widens the dates
 * and the duration to 64 bits.
 */
function headerTimes(version1: boolean, flags: number, ids: number[], duration: number): Buffer {
	const time = version1 ? uint64 : (value: number) => uint32s(value);
	const versionAndFlags = uint32s((version1 ? 0x01000000 : 0) | flags);
	return Buffer.concat([versionAndFlags, time(0), time(0), uint32s(...ids), time(duration)]);
}

interface Mp4Track {
	id: number;
	handler: 'vide' | 'soun';
	width: number;
	height: number;
}

function mp4Track(track: Mp4Track, duration: number, version1: boolean): Buffer {
	const tkhd = isoBox('tkhd', [
		headerTimes(version1, 3, [track.id, 0], duration), // flags: enabled, in the movie
		Buffer.alloc(16), // reserved, layer, alternate group, volume, reserved
		IDENTITY_MATRIX,
		uint32s(track.width * 0x10000, track.height * 0x10000),
	]);
	const mdhd = isoBox('mdhd', [
		headerTimes(false, 0, [MP4_TIMESCALE], duration),
		uint32s(0x55c40000), // language "und"
	]);
	// pre_defined, the handler type, three reserved words and an empty name
	const hdlr = isoBox('hdlr', [uint32s(0, 0), Buffer.from(track.handler), Buffer.alloc(13)]);
	return isoBox('trak', [tkhd, isoBox('mdia', [mdhd, hdlr])]);
}

/**
 * A structurally valid MP4 or MOV of `seconds` (the media itself is zeros): `ftyp`, then `moov`
 * with the movie header and two tracks (sound first, so the picture size must come from the video
 * track), and `mdat`. Options give 64-bit headers, the index after the media (as encoders without
 * faststart write it) and a 64-bit `mdat` size.
 */
export function makeMp4(
	seconds: number,
	options: {
		container?: 'mp4' | 'mov';
		width?: number;
		height?: number;
		version1?: boolean;
		moovLast?: boolean;
		largesize?: boolean;
	} = {},
): Buffer {
	const { width = 1280, height = 720, version1 = false } = options;
	const duration = Math.round(seconds * MP4_TIMESCALE);
	// the major brand, the minor version, the compatible brands
	const brands = options.container === 'mov' ? 'qt  \0\0\x02\0qt  ' : 'isom\0\0\x02\0isomiso2mp41';
	const mvhd = isoBox('mvhd', [
		headerTimes(version1, 0, [MP4_TIMESCALE], duration),
		uint32s(0x10000), // rate 1.0
		Buffer.from([1, 0]), // volume 1.0
		Buffer.alloc(10),
		IDENTITY_MATRIX,
		Buffer.alloc(24),
		uint32s(3), // next track id
	]);
	const tracks = [
		{ id: 1, handler: 'soun', width: 0, height: 0 },
		{ id: 2, handler: 'vide', width, height },
	] as const;
	const moov = isoBox('moov', [
		mvhd,
		...tracks.map((track) => mp4Track(track, duration, version1)),
	]);
	const mdat = isoBox('mdat', [Buffer.alloc(1024)], options.largesize);
	const ftyp = isoBox('ftyp', [Buffer.from(brands, 'latin1')]);
	return Buffer.concat(options.moovLast ? [ftyp, mdat, moov] : [ftyp, moov, mdat]);
}

/** A RIFF chunk: its id, its little-endian size (or `size`), its body padded to an even length. */
function riffChunk(id: string, body: Buffer, size = body.length): Buffer {
	const head = Buffer.alloc(8);
	head.write(id, 0, 'latin1');
	head.writeUInt32LE(size, 4);
	return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
}

/** WAVE_FORMAT_EXTENSIBLE's sub-format for PCM, as it is laid out in the file. */
const PCM_SUBFORMAT = Buffer.from('0100000000001000800000aa00389b71', 'hex');

function wavFormat(
	sampleRate: number,
	channels: number,
	bits: number,
	extensible: boolean,
): Buffer {
	const fmt = Buffer.alloc(extensible ? 40 : 16);
	const blockAlign = (channels * bits) / 8;
	fmt.writeUInt16LE(extensible ? 0xfffe : 1, 0);
	fmt.writeUInt16LE(channels, 2);
	fmt.writeUInt32LE(sampleRate, 4);
	fmt.writeUInt32LE(sampleRate * blockAlign, 8);
	fmt.writeUInt16LE(blockAlign, 12);
	fmt.writeUInt16LE(bits, 14);
	if (extensible) {
		fmt.writeUInt16LE(22, 16); // the extension's size
		fmt.writeUInt16LE(bits, 18); // valid bits per sample
		PCM_SUBFORMAT.copy(fmt, 24); // after the channel mask (0: unspecified)
	}
	return riffChunk('fmt ', fmt);
}

/**
 * A real PCM WAV of `seconds` of silence (so its size is right), 8 kHz 16-bit mono by default.
 * `streamingSize` writes 0 or 0xFFFFFFFF as the RIFF and data sizes, as streaming writers leave
 * them; `oddChunk` puts a 3-byte chunk (and its pad byte) before the data.
 */
export function makeWav(
	seconds: number,
	options: {
		sampleRate?: number;
		channels?: number;
		bits?: number;
		extensible?: boolean;
		streamingSize?: 0 | 0xffffffff;
		oddChunk?: boolean;
	} = {},
): Buffer {
	const { sampleRate = 8000, channels = 1, bits = 16, streamingSize } = options;
	const frames = Math.round(seconds * sampleRate);
	// 8-bit PCM is unsigned: its silence is 0x80
	const samples = Buffer.alloc((frames * channels * bits) / 8, bits === 8 ? 0x80 : 0);
	const chunks = Buffer.concat([
		wavFormat(sampleRate, channels, bits, !!options.extensible),
		...(options.oddChunk ? [riffChunk('JUNK', Buffer.from('odd'))] : []),
		riffChunk('data', samples, streamingSize),
	]);
	return riffChunk('RIFF', Buffer.concat([Buffer.from('WAVE'), chunks]), streamingSize);
}

/** An input item with several binary fields: field name → [bytes, MIME type, file name]. */
export function binaryFiles(files: Record<string, [Buffer, string, string]>) {
	const binary = Object.fromEntries(
		Object.entries(files).map(([field, [bytes, mimeType, fileName]]) => [
			field,
			{ data: bytes.toString('base64'), mimeType, fileName },
		]),
	);
	return { json: {}, binary };
}
