/**
 * What a media file is (format, picture size, length), read from the file itself, and whether a
 * model's rules take it: so a bad file is refused before anything is uploaded or billed. Only
 * headers are read: no decoding.
 */
import type { ClipRules, FileRules, ImageRules } from './models';
import { mp3DurationSeconds } from './mp3';
import { readVideoInfo } from './mp4';
import { wavDurationSeconds } from './wav';

export interface ImageInfo {
	format: 'jpeg' | 'png' | 'bmp' | 'webp';
	mimeType: string;
	width: number;
	height: number;
	/** A PNG with an alpha channel or a transparency chunk (EvoLink refuses those). */
	transparent: boolean;
}

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

/** What a file is, as far as the rules care. */
export interface MediaInfo {
	format: ImageInfo['format'] | ClipRules['formats'][number];
	mimeType: string;
	width?: number;
	height?: number;
	seconds?: number;
	transparent?: boolean;
}

function inspectVideo(bytes: Buffer): MediaInfo | undefined {
	const info = readVideoInfo(bytes);
	if (!info) return undefined;
	const mimeType = info.container === 'mov' ? 'video/quicktime' : 'video/mp4';
	const { width, height, durationSeconds: seconds } = info;
	return { format: info.container, mimeType, width, height, seconds };
}

function inspectAudio(bytes: Buffer): MediaInfo | undefined {
	const wav = wavDurationSeconds(bytes);
	if (wav !== undefined) return { format: 'wav', mimeType: 'audio/wav', seconds: wav };
	const mp3 = mp3DurationSeconds(bytes);
	return mp3 === undefined ? undefined : { format: 'mp3', mimeType: 'audio/mpeg', seconds: mp3 };
}

/** The file's format and size or length from its headers, or undefined when it is not of `type`. */
export function inspectMedia(bytes: Buffer, type: FileRules['type']): MediaInfo | undefined {
	if (type === 'image') return inspectImage(bytes);
	return type === 'video' ? inspectVideo(bytes) : inspectAudio(bytes);
}

const FORMAT_NAMES: Record<MediaInfo['format'], string> = {
	jpeg: 'JPEG',
	png: 'PNG',
	bmp: 'BMP',
	webp: 'WEBP',
	mp4: 'MP4',
	mov: 'MOV',
	mp3: 'MP3',
	wav: 'WAV',
};

/** "MP3 or WAV", "JPEG, PNG, BMP or WEBP". */
function formatList(formats: readonly MediaInfo['format'][]): string {
	const names = formats.map((format) => FORMAT_NAMES[format]);
	return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
}

/** Lengths are compared as shown, to a tenth of a second: 30.04 s passes a 30 s limit, 30.1 s not. */
export function roundSeconds(seconds: number): number {
	return Math.round(seconds * 10) / 10;
}

const IMAGE_FORMATS: Array<MediaInfo['format']> = ['jpeg', 'png', 'bmp', 'webp'];

function imageProblem(info: MediaInfo | undefined, rules: ImageRules): string | undefined {
	if (!info) {
		return `must be a ${formatList(IMAGE_FORMATS)} image (HEIC, AVIF, GIF and others are refused)`;
	}
	if (info.transparent)
		return 'must be a PNG without transparency: flatten it or convert it to JPEG';
	return sizeProblem(info, rules.minSide, rules.maxSide, rules.maxAspect);
}

/** Sides within range and, where the model says, an aspect ratio no wider than 1:n. */
function sizeProblem(
	info: MediaInfo,
	minSide?: number,
	maxSide?: number,
	maxAspect?: number,
): string | undefined {
	const { width, height } = info;
	if (width === undefined || height === undefined || minSide === undefined) return undefined;
	const size = `this one is ${width}×${height} px`;
	if ([width, height].some((side) => side < minSide || side > (maxSide ?? Infinity))) {
		return `must be ${minSide}–${maxSide} px wide and high (${size})`;
	}
	if (maxAspect && Math.max(width, height) > maxAspect * Math.min(width, height)) {
		return `must be between 1:${maxAspect} and ${maxAspect}:1 (${size})`;
	}
	return undefined;
}

function clipProblem(info: MediaInfo | undefined, rules: ClipRules): string | undefined {
	if (!info || !(rules.formats as readonly string[]).includes(info.format)) {
		return `must be an ${formatList(rules.formats)} file`; // each list starts with MP3 or MP4
	}
	const seconds = roundSeconds(info.seconds ?? 0);
	if (seconds < rules.minSeconds || seconds > rules.maxSeconds) {
		return `must be ${rules.minSeconds}–${rules.maxSeconds} s long (this one is ${seconds.toFixed(1)} s)`;
	}
	return sizeProblem(info, rules.minSide, rules.maxSide, rules.maxAspect);
}

/**
 * The reason the model would refuse this file, or undefined. Its byte size is checked by the
 * reader, before the bytes are loaded.
 */
export function fileProblem(info: MediaInfo | undefined, rules: FileRules): string | undefined {
	return rules.type === 'image' ? imageProblem(info, rules) : clipProblem(info, rules);
}

export function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
