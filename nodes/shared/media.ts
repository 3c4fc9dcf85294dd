/**
 * What EvoLink accepts as a first frame or an audio track, checked from the file itself so a bad
 * file is refused before anything is uploaded or billed. Only headers are read: no decoding.
 */
import { mp3DurationSeconds } from './mp3';

export interface ImageInfo {
	format: 'jpeg' | 'png' | 'bmp' | 'webp';
	mimeType: string;
	width: number;
	height: number;
	/** A PNG with an alpha channel or a transparency chunk (EvoLink refuses those). */
	transparent: boolean;
}

export const MEDIA_LIMITS = {
	imageBytes: 10 * 1024 * 1024,
	minSide: 360,
	maxSide: 2000,
	audioBytes: 15 * 1024 * 1024,
	audio: { minSeconds: 3, maxSeconds: 30 },
} as const;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function readPng(bytes: Buffer): ImageInfo | undefined {
	if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
	const colorType = bytes[25];
	let transparent = colorType === 4 || colorType === 6;
	// A tRNS chunk before the image data makes a palette or RGB PNG transparent too.
	for (let at = 8; !transparent && at + 8 <= bytes.length; ) {
		const length = bytes.readUInt32BE(at);
		const type = bytes.toString('latin1', at + 4, at + 8);
		if (type === 'tRNS') transparent = true;
		if (type === 'IDAT' || type === 'IEND') break;
		at += 12 + length;
	}
	return {
		format: 'png',
		mimeType: 'image/png',
		width: bytes.readUInt32BE(16),
		height: bytes.readUInt32BE(20),
		transparent,
	};
}

/** Start-of-frame markers carry the size; C4, C8 and CC are other segments in the same range. */
function isStartOfFrame(marker: number): boolean {
	return marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
}

function readJpeg(bytes: Buffer): ImageInfo | undefined {
	if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
	for (let at = 2; at + 9 < bytes.length; ) {
		if (bytes[at] !== 0xff) return undefined;
		const marker = bytes[at + 1];
		if (marker === 0xff) {
			at += 1; // fill byte
			continue;
		}
		if (isStartOfFrame(marker)) {
			const info: ImageInfo = {
				format: 'jpeg',
				mimeType: 'image/jpeg',
				height: bytes.readUInt16BE(at + 5),
				width: bytes.readUInt16BE(at + 7),
				transparent: false,
			};
			return info;
		}
		at += 2 + bytes.readUInt16BE(at + 2);
	}
	return undefined;
}

function readBmp(bytes: Buffer): ImageInfo | undefined {
	if (bytes.length < 26 || bytes.toString('latin1', 0, 2) !== 'BM') return undefined;
	return {
		format: 'bmp',
		mimeType: 'image/bmp',
		width: Math.abs(bytes.readInt32LE(18)),
		height: Math.abs(bytes.readInt32LE(22)), // negative for top-down bitmaps
		transparent: false,
	};
}

function readWebp(bytes: Buffer): ImageInfo | undefined {
	if (
		bytes.length < 30 ||
		bytes.toString('latin1', 0, 4) !== 'RIFF' ||
		bytes.toString('latin1', 8, 12) !== 'WEBP'
	) {
		return undefined;
	}
	const chunk = bytes.toString('latin1', 12, 16);
	const webp = (width: number, height: number): ImageInfo => ({
		format: 'webp',
		mimeType: 'image/webp',
		width,
		height,
		transparent: false,
	});
	if (chunk === 'VP8 ')
		return webp(bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff);
	if (chunk === 'VP8L') {
		const bits = bytes.readUInt32LE(21);
		return webp((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
	}
	if (chunk === 'VP8X') return webp(bytes.readUIntLE(24, 3) + 1, bytes.readUIntLE(27, 3) + 1);
	return undefined;
}

/** The image's format and size from its header, or undefined for anything else. */
export function inspectImage(bytes: Buffer): ImageInfo | undefined {
	return readPng(bytes) ?? readJpeg(bytes) ?? readBmp(bytes) ?? readWebp(bytes);
}

/**
 * The reason EvoLink would refuse this image, or undefined. The size is checked by the reader,
 * before the bytes are loaded.
 */
export function imageProblem(bytes: Buffer): string | undefined {
	const info = inspectImage(bytes);
	if (!info)
		return 'must be a JPEG, PNG, BMP or WEBP image (HEIC, AVIF, GIF and others are refused)';
	if (info.transparent)
		return 'must be a PNG without transparency: flatten it or convert it to JPEG';
	const { minSide, maxSide } = MEDIA_LIMITS;
	if ([info.width, info.height].some((side) => side < minSide || side > maxSide)) {
		return `must be ${minSide}–${maxSide} px wide and high (this one is ${info.width}×${info.height} px)`;
	}
	return undefined;
}

/**
 * The reason EvoLink would refuse this audio, or undefined: it must be an MP3 (MPEG audio frames,
 * maybe behind an ID3 tag) of 3–30 s, read from its frame headers. The reader checks the size.
 */
export function audioProblem(bytes: Buffer): string | undefined {
	const seconds = mp3DurationSeconds(bytes);
	if (seconds === undefined) return 'must be an MP3 file (no MPEG audio frames found)';
	const { minSeconds, maxSeconds } = MEDIA_LIMITS.audio;
	if (seconds < minSeconds || seconds > maxSeconds) {
		return `must be ${minSeconds}–${maxSeconds} s long (this one is ${seconds.toFixed(1)} s)`;
	}
	return undefined;
}

export function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
