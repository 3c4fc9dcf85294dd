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

/** An MP3 that starts with an ID3 tag. */
export const MP3 = Buffer.concat([
	Buffer.from('ID3', 'latin1'),
	Buffer.from([4, 0, 0, 0, 0, 0, 0]),
	Buffer.alloc(4096, 0xff),
]);

/** An item whose binary field holds `bytes`, as an earlier node (form, HTTP Request) gives it. */
export function binaryItem(bytes: Buffer, mimeType: string, fileName: string, field = 'data') {
	return {
		json: {},
		binary: { [field]: { data: bytes.toString('base64'), mimeType, fileName } },
	};
}
