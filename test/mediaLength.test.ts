// The video and WAV length readers, as tables: files made here (each edge the headers allow), real
// files ffmpeg made (committed under test/fixtures, and made on the spot where ffmpeg is
// installed), and bytes that are no such file. Then the simulator's result video, read back.
import { readVideoInfo } from '../nodes/shared/mp4';
import { wavDurationSeconds } from '../nodes/shared/wav';
import { makeMp3, makeMp4, makePng, makeWav } from './helpers/media';
import { ffmpegVersion, makeWithFfmpeg, readFixture } from './helpers/realMedia';
import { minPlayableBytes, resultVideo } from './simulator/resultVideo';

const DEMO = readFixture('demo.mp4');
const BARS_MOV = readFixture('bars.mov');
const TONE_WAV = readFixture('tone.wav');
/** Deterministic noise: no format starts like it. */
const NOISE = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 167 + 13) % 251));

/** `file` with `bytes` written `offset` bytes after the first `type` (a box's or chunk's name). */
function patched(file: Buffer, type: string, offset: number, bytes: number[]): Buffer {
	const copy = Buffer.from(file);
	copy.set(bytes, copy.indexOf(type, 0, 'latin1') + offset);
	return copy;
}

/** `file` without its first box (the `ftyp`), as QuickTime wrote files before `ftyp` existed. */
function withoutFirstBox(file: Buffer): Buffer {
	return file.subarray(file.readUInt32BE(0));
}

const mp4 = (durationSeconds: number, width = 1280, height = 720) => ({
	container: 'mp4',
	durationSeconds,
	width,
	height,
});
const mov = (durationSeconds: number, width = 1280, height = 720) => ({
	...mp4(durationSeconds, width, height),
	container: 'mov',
});

describe('video length and size (readVideoInfo)', () => {
	const moovLast = makeMp4(10, { moovLast: true });
	it.each([
		['0.5 s', makeMp4(0.5), mp4(0.5)],
		['1.99 s', makeMp4(1.99), mp4(1.99)],
		['2 s', makeMp4(2), mp4(2)],
		['10 s', makeMp4(10), mp4(10)],
		['10.01 s', makeMp4(10.01), mp4(10.01)],
		['30 s', makeMp4(30), mp4(30)],
		['portrait 1080×1920', makeMp4(5, { width: 1080, height: 1920 }), mp4(5, 1080, 1920)],
		['64-bit headers (version 1)', makeMp4(15, { version1: true }), mp4(15)],
		['index after the media', moovLast, mp4(10)],
		['64-bit media box size', makeMp4(10, { largesize: true }), mp4(10)],
		[
			'both, and version 1',
			makeMp4(2, { moovLast: true, largesize: true, version1: true }),
			mp4(2),
		],
		[
			'last box sized 0: up to the end of the file',
			patched(moovLast, 'moov', -4, [0, 0, 0, 0]),
			mp4(10),
		],
		['QuickTime brand', makeMp4(4.5, { container: 'mov' }), mov(4.5)],
		['QuickTime without ftyp', withoutFirstBox(makeMp4(4.5, { container: 'mov' })), mov(4.5)],
		['cut in the media, index first: the index still says', makeMp4(10).subarray(0, -100), mp4(10)],
	])('%s', (_case, file, info) => {
		expect(readVideoInfo(file)).toEqual(info);
	});

	it.each([
		['empty', Buffer.alloc(0)],
		['PNG', makePng(400, 400)],
		['MP3', makeMp3(5)],
		['WAV', makeWav(5)],
		['noise', NOISE],
		['ftyp alone', makeMp4(5).subarray(0, makeMp4(5).readUInt32BE(0))],
		['cut inside the index', makeMp4(10).subarray(0, 100)],
		['index last, cut before its end', moovLast.subarray(0, -1)],
		['mvhd version 2', patched(makeMp4(10), 'mvhd', 4, [2])],
		['timescale 0', patched(makeMp4(10), 'mvhd', 16, [0, 0, 0, 0])],
		['duration 0 (fragmented)', patched(makeMp4(10), 'mvhd', 20, [0, 0, 0, 0])],
		['duration unknown (all ones)', patched(makeMp4(10), 'mvhd', 20, [255, 255, 255, 255])],
		['box smaller than its header', patched(makeMp4(10), 'moov', -4, [0, 0, 0, 4])],
		['64-bit size smaller than its header', patched(moovLast, 'mdat', -4, [0, 0, 0, 1])],
		['box larger than the file', patched(makeMp4(10), 'moov', -4, [0x7f, 0, 0, 0])],
		['no mvhd', patched(makeMp4(10), 'mvhd', 0, [...Buffer.from('skip')])],
	])('%s: undefined', (_case, file) => {
		expect(readVideoInfo(file)).toBeUndefined();
	});
});

describe('WAV length (wavDurationSeconds)', () => {
	it.each([
		['0.5 s', makeWav(0.5), 0.5],
		['1.99 s', makeWav(1.99), 1.99],
		['2 s', makeWav(2), 2],
		['10 s, 44.1 kHz stereo', makeWav(10, { sampleRate: 44100, channels: 2 }), 10],
		['10.01 s, 44.1 kHz', makeWav(10.01, { sampleRate: 44100 }), 10.01],
		[
			'30 s, 48 kHz 24-bit extensible',
			makeWav(30, { sampleRate: 48000, bits: 24, extensible: true }),
			30,
		],
		['8-bit, odd data size', makeWav(0.500125, { bits: 8 }), 0.500125],
		['odd-sized chunk before the data', makeWav(3, { oddChunk: true }), 3],
		['streamed: sizes 0xFFFFFFFF', makeWav(4, { streamingSize: 0xffffffff }), 4],
		['streamed: sizes 0', makeWav(4, { streamingSize: 0 }), 4],
		['cut in the data: what is there', makeWav(10).subarray(0, 44 + 5 * 16000), 5],
	])('%s', (_case, file, seconds) => {
		expect(wavDurationSeconds(file)).toBe(seconds);
	});

	it.each([
		['empty', Buffer.alloc(0)],
		['PNG', makePng(400, 400)],
		['MP3', makeMp3(5)],
		['MP4', makeMp4(5)],
		['noise', NOISE],
		['RIFF but WEBP', patched(makeWav(2), 'WAVE', 0, [...Buffer.from('WEBP')])],
		['cut before the data', makeWav(2).subarray(0, 40)],
		['no fmt chunk', patched(makeWav(2), 'fmt ', 0, [...Buffer.from('JUNK')])],
		['sample rate 0', patched(makeWav(2), 'fmt ', 12, [0, 0, 0, 0])],
		['fmt larger than the file', patched(makeWav(2), 'fmt ', 4, [0, 0, 0, 0x7f])],
	])('%s: undefined', (_case, file) => {
		expect(wavDurationSeconds(file)).toBeUndefined();
	});
});

describe('real files from ffmpeg 5.1, committed (test/fixtures/README.md)', () => {
	it.each([
		['demo.mp4: H.264 + AAC, index first', DEMO, mp4(3, 320, 180)],
		['bars.mov: H.264, index last', BARS_MOV, mov(4.5, 320, 180)],
		['bars.mov without its ftyp', withoutFirstBox(BARS_MOV), mov(4.5, 320, 180)],
		['demo.mp4 cut in the media: the index still says', DEMO.subarray(0, 8000), mp4(3, 320, 180)],
	])('%s', (_case, file, info) => {
		expect(readVideoInfo(file)).toEqual(info);
	});

	it('bars.mov cut before its index (at the end): undefined', () => {
		expect(readVideoInfo(BARS_MOV.subarray(0, -10))).toBeUndefined();
	});

	it('tone.wav: 16-bit PCM with a LIST chunk before the data; each reader refuses the other', () => {
		expect(wavDurationSeconds(TONE_WAV)).toBe(2.5);
		expect(readVideoInfo(TONE_WAV)).toBeUndefined();
		expect(wavDurationSeconds(DEMO)).toBeUndefined();
	});
});

const ffmpeg = ffmpegVersion();
const withFfmpeg = ffmpeg ? describe : describe.skip;
const lavfi = (source: string) => ['-f', 'lavfi', '-i', source];
/** 2.5 s of a 440 Hz tone at 8 kHz, then `options`. */
const tone = (...options: string[]) => [
	...lavfi('sine=frequency=440:sample_rate=8000:duration=2.5'),
	...options,
];

withFfmpeg(`real files made now by ffmpeg ${ffmpeg ?? '(not installed: skipped)'}`, () => {
	const clip = (source: string, ...options: string[]) => [
		...lavfi(source),
		...['-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
		...options,
	];
	it.each([
		['3.0 s MP4', clip('testsrc2=size=640x360:rate=25:duration=3'), 'clip.mp4', 'mp4', 3],
		[
			'3.0 s MP4, index first',
			clip('testsrc2=rate=25:duration=3', '-movflags', '+faststart'),
			'clip.mp4',
			'mp4',
			3,
		],
		['4.5 s MOV', clip('smptebars=size=640x360:rate=20:duration=4.5'), 'clip.mov', 'mov', 4.5],
	])('%s', (_case, args, output, container, seconds) => {
		const info = readVideoInfo(makeWithFfmpeg(args, output));
		expect(info?.container).toBe(container);
		expect(info?.durationSeconds).toBeCloseTo(seconds as number, 1);
	});

	it('a fragmented MP4 whose index has no length: undefined', () => {
		const args = clip('testsrc2=duration=1', '-movflags', 'frag_keyframe+empty_moov');
		expect(readVideoInfo(makeWithFfmpeg(args, 'clip.mp4'))).toBeUndefined();
	});

	it.each([
		['16-bit PCM', tone(), 'tone.wav'],
		['24-bit stereo (extensible)', tone('-ac', '2', '-c:a', 'pcm_s24le'), 'tone.wav'],
		['32-bit float', tone('-c:a', 'pcm_f32le'), 'tone.wav'],
		[
			'IMA ADPCM with a fact chunk',
			tone('-c:a', 'adpcm_ima_wav', '-block_size', '256'),
			'tone.wav',
		],
		['written to a pipe (sizes unknown)', tone('-f', 'wav'), 'pipe:1'],
	])('2.5 s WAV, %s', (_case, args, output) => {
		expect(wavDurationSeconds(makeWithFfmpeg(args, output))).toBeCloseTo(2.5, 1);
	});
});

describe("the simulator's result video (resultVideo)", () => {
	const taskId = 'task-unified-1757169743-7cvnl5zw';
	const served = (id: string, total: number) => {
		const { head, fillerBytes } = resultVideo(id, total);
		return Buffer.concat([head, Buffer.alloc(fillerBytes)]);
	};

	it.each([minPlayableBytes(taskId), 64 * 1024, 300_000])(
		'%d bytes: the 3 s demo, then a free box with the task id',
		(total) => {
			const bytes = served(taskId, total);
			expect(bytes.length).toBe(total);
			expect(bytes.subarray(0, DEMO.length).equals(DEMO)).toBe(true);
			expect(bytes.toString('latin1', DEMO.length + 4, DEMO.length + 8)).toBe('free');
			expect(bytes.includes(taskId)).toBe(true);
			expect(readVideoInfo(bytes)).toEqual(mp4(3, 320, 180));
		},
	);

	it('each task gets its own file', () => {
		expect(served(taskId, 65536).equals(served(`${taskId}x`, 65536))).toBe(false);
	});

	it.each([minPlayableBytes(taskId) - 1, 4096, 40, 39, 0])(
		'%d bytes, too few for the demo: a placeholder of exactly that size',
		(total) => {
			const bytes = served(taskId, total);
			expect(bytes.length).toBe(total);
			if (total >= 8) expect(bytes.toString('latin1', 4, 8)).toBe('ftyp'); // simulator.test.ts
			expect(readVideoInfo(bytes)).toBeUndefined();
		},
	);

	it('5 GiB: the free box takes a 64-bit size, and the zeros are left to the caller', () => {
		const total = 5 * 2 ** 30;
		const { head, fillerBytes } = resultVideo(taskId, total);
		expect(head.length + fillerBytes).toBe(total);
		expect(head.readUInt32BE(DEMO.length)).toBe(1);
		expect(head.toString('latin1', DEMO.length + 4, DEMO.length + 8)).toBe('free');
		expect(Number(head.readBigUInt64BE(DEMO.length + 8))).toBe(total - DEMO.length);
	});
});
