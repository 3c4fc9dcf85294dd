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
