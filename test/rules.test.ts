// The pure rules under the nodes, as tables: each row is an input and what the rule must answer.
// No engine, no simulator: these run in milliseconds, beside the engine tests that exercise the same
// rules through n8n.
import { hasValidSignature, signCallbackUrl } from '../nodes/shared/callbackSignature';
import { fileProblem, inspectImage, inspectMedia } from '../nodes/shared/media';
import { type FileRules, MODELS } from '../nodes/shared/models';
import { mp3DurationSeconds } from '../nodes/shared/mp3';
import { nearMissMemory, nextPollDelayMs, planNextRead } from '../nodes/shared/poll';
import { laneRateAfterCut, slowStartRate } from '../nodes/shared/requestBudget';
import { retryAfterMs } from '../nodes/shared/transport';
import { callbackUrlProblem, isNonPublicHost } from '../nodes/shared/urlRules';
import { REMEMBERED_KEYS, rememberOnce } from '../nodes/WanVideoTrigger/dedupe';
import { GIF, makeJpeg, makeMp3, makeMp4, makePng, makeWav, MP3 } from './helpers/media';

describe('poll schedule (nextPollDelayMs); its bounds over every progress shape: pollSchedule.test.ts', () => {
	const s = 1000;
	it.each([
		// elapsed s, estimate s, progress %, earlier read [s, %], next read in s
		['nothing known yet: 5 s', 0, undefined, 0, undefined, 5],
		['nothing known: a quarter of the elapsed time', 100, undefined, 0, undefined, 24],
		[
			'estimate only: equal steps of at most 9 s that land 1 s after its end',
			0,
			120,
			0,
			undefined,
			121 / 14,
		],
		['estimate only, its end close: read 1 s after it', 115, 120, 0, undefined, 6],
		['estimate passed, no progress: a quarter of the elapsed time', 130, 120, 0, undefined, 31.2],
		['progress saturated, nothing else: at most every 9 s', 50, undefined, 97, undefined, 9],
		['progress saturated late: 8 % of the elapsed time', 200, undefined, 97, undefined, 16],
		[
			'progress that did not move says nothing: estimate steps of a quarter of the elapsed time',
			60,
			120,
			40,
			[50, 40],
			61 / 5,
		],
		[
			'paced progress agreeing with the estimate: steps of up to half the elapsed time',
			60,
			120,
			49,
			[30, 24],
			61 / 3,
		],
		['agreeing early: the unsure steps still apply', 20, 120, 16, [10, 8], 101 / 11],
		['never more often than every 2 s', 119.5, 120, 99, undefined, 2],
		['never less often than every 60 s', 2000, undefined, 0, undefined, 60],
	])('%s', (_case, elapsed, estimate, progress, before, seconds) => {
		const delay = nextPollDelayMs({
			elapsedMs: (elapsed as number) * s,
			estimatedSeconds: estimate as number | undefined,
			progress: progress as number,
			previous: before
				? { elapsedMs: (before as number[])[0] * s, progress: (before as number[])[1] }
				: undefined,
		});
		expect(delay).toBeCloseTo((seconds as number) * s, 0);
	});
});

describe('Retry-After (retryAfterMs)', () => {
	const now = Date.now();
	it.each([
		['3', 3000],
		['0', 0],
		['1.5', 1500],
		[7, 7000],
		['-4', 0],
		['', undefined],
		[undefined, undefined],
		['soon', undefined],
	])('%p -> %p ms', (value, ms) => {
		expect(retryAfterMs(value === undefined ? {} : { 'retry-after': value })).toBe(ms);
	});
	it('reads an HTTP date as the time until then', () => {
		const inTenSeconds = new Date(now + 10_000).toUTCString();
		const ms = retryAfterMs({ 'retry-after': inTenSeconds })!;
		expect(ms).toBeGreaterThan(8000);
		expect(ms).toBeLessThanOrEqual(10_000);
		expect(retryAfterMs({ 'retry-after': new Date(now - 60_000).toUTCString() })).toBe(0);
	});
});

describe('recovery after a 429 (laneRateAfterCut); the budget itself: wanVideo.budget.test.ts', () => {
	const cut = { refusedRate: 10, at: 0, holdSeconds: 15 };
	it.each([
		// seconds since the 429, requests per second allowed
		['at once: 70 % of the rate that was refused', 0, 7],
		['climbing back over 3 s', 1.5, 8],
		['held at 90 % of the refused rate', 3, 9],
		['still held at the end of its hold', 15, 9],
		['then probing 10 % faster each second', 17, 9 * 1.1 ** 2],
	])('%s', (_, seconds, rate) => {
		expect(laneRateAfterCut(cut, (seconds as number) * 1000)).toBeCloseTo(rate as number, 6);
	});

	it('starts a create lane at 2 per second and doubles it each second', () => {
		expect([0, 1, 2, 3.5].map((seconds) => slowStartRate(0, seconds * 1000))).toEqual([
			2,
			4,
			8,
			2 * 2 ** 3.5,
		]);
	});
});

describe('non-public hosts (isNonPublicHost)', () => {
	it.each([
		['localhost', true],
		['n8n.localhost', true],
		['printer.local', true],
		['db.internal', true],
		['nas.lan', true],
		['intranet', true],
		['127.0.0.1', true],
		['10.1.2.3', true],
		['172.16.0.1', true],
		['172.31.255.255', true],
		['192.168.1.10', true],
		['169.254.169.254', true],
		['100.64.0.1', true],
		['0.0.0.0', true],
		['[::1]', true],
		['fd00::1', true],
		['fe80::1', true],
		['::ffff:127.0.0.1', true],
		['172.32.0.1', false],
		['8.8.8.8', false],
		['n8n.example.com', false],
		['2001:db8::1', false],
	])('%s -> %p', (host, nonPublic) => {
		expect(isNonPublicHost(host)).toBe(nonPublic);
	});

	it.each([
		['https://n8n.example.com/webhook/x', true, undefined],
		['http://n8n.example.com/webhook/x', true, /HTTPS/],
		['https://192.168.1.5/webhook/x', true, /public address/],
		['http://127.0.0.1:5678/webhook/x', false, undefined],
		[`https://n8n.example.com/${'a'.repeat(2040)}`, true, /at most 2048/],
		['ftp://n8n.example.com/x', false, /https:\/\/ or http:\/\//],
	])('callback URL %s (EvoLink rules %p)', (url, evoLinkRules, problem) => {
		const found = callbackUrlProblem(url, evoLinkRules);
		if (problem) expect(found).toMatch(problem);
		else expect(found).toBeUndefined();
	});
});

/** The file rules of some inputs, straight from the model table. */
const RULES = {
	imageV26: MODELS['wan2.6-image-to-video'].inputs.firstFrame!.file,
	imageV30: MODELS['wan3.0-image-to-video'].inputs.firstFrame!.file,
	mp3Track: MODELS['wan2.6-image-to-video'].inputs.audio!.file,
	wavOrMp3: MODELS['wan2.7-text-to-video'].inputs.audio!.file,
	clipToEdit: MODELS['wan2.7-video-edit'].inputs.video!.file,
};
const problemOf = (bytes: Buffer, rules: FileRules) =>
	fileProblem(inspectMedia(bytes, rules.type), rules);

describe('a near miss (planNextRead, nearMissMemory)', () => {
	it('aims a read just after the expected end', () => {
		expect(planNextRead({ elapsedMs: 60_000, estimatedSeconds: 61, progress: 97 })).toEqual({
			delayMs: 2000,
			aimsAtEnd: true,
		});
	});

	it('reads again within 2 s when that read finds the task running, whatever progress says', () => {
		const state = { elapsedMs: 62_200, estimatedSeconds: 61, progress: 99 };
		expect(planNextRead(state).delayMs).toBe(9000);
		expect(planNextRead({ ...state, missedEnd: true }).delayMs).toBe(2000);
		expect(planNextRead({ ...state, progress: 40, missedEnd: true }).delayMs).toBe(2000);
	});

	it('answers the first miss of a wait only', () => {
		const memory = nearMissMemory();
		expect(memory.missedEnd()).toBe(false);
		memory.planned({ delayMs: 2000, aimsAtEnd: true });
		expect(memory.missedEnd()).toBe(true);
		memory.planned({ delayMs: 2000, aimsAtEnd: true });
		expect(memory.missedEnd()).toBe(false);
	});
});

describe('media files against the rules of the table (media.ts)', () => {
	it.each([
		['PNG 480×360', makePng(480, 360), RULES.imageV26, undefined],
		['PNG with alpha', makePng(480, 360, { alpha: true }), RULES.imageV26, /without transparency/],
		['PNG with tRNS', makePng(480, 360, { trns: true }), RULES.imageV26, /without transparency/],
		['PNG 360×2000: both edges', makePng(360, 2000), RULES.imageV26, undefined],
		['PNG 359×400', makePng(359, 400), RULES.imageV26, /360–2000 px .*359×400/],
		['PNG 2001×400', makePng(2001, 400), RULES.imageV26, /360–2000 px/],
		['PNG 300×300 for Wan 3.0 (240 px and up)', makePng(300, 300), RULES.imageV30, undefined],
		['PNG 239×400 for Wan 3.0', makePng(239, 400), RULES.imageV30, /240–8000 px/],
		['PNG 2400×300 for Wan 3.0: 8:1', makePng(2400, 300), RULES.imageV30, undefined],
		[
			'PNG 2401×300 for Wan 3.0: wider than 8:1',
			makePng(2401, 300),
			RULES.imageV30,
			/between 1:8 and 8:1/,
		],
		['JPEG 1280×720 behind EXIF', makeJpeg(1280, 720), RULES.imageV26, undefined],
		['JPEG 100×100', makeJpeg(100, 100), RULES.imageV26, /360–2000 px/],
		['GIF', GIF, RULES.imageV26, /JPEG, PNG, BMP or WEBP/],
		['text', Buffer.from('hello, not an image'), RULES.imageV26, /JPEG, PNG, BMP or WEBP/],
		['ID3-tagged MP3 of 5 s', MP3, RULES.mp3Track, undefined],
		['MP3 of 3 s', makeMp3(3.05), RULES.mp3Track, undefined],
		['MP3 of 30.0 s: the limit', makeMp3(30.04), RULES.mp3Track, undefined],
		[
			'MP3 of 30.1 s: past it',
			makeMp3(30.1),
			RULES.mp3Track,
			/3–30 s long \(this one is 30\.1 s\)/,
		],
		['MP3 of 2 s', makeMp3(2), RULES.mp3Track, /3–30 s long \(this one is 2\.0 s\)/],
		[
			'MP3 of 31 s behind an ID3 tag',
			makeMp3(31, { id3: true }),
			RULES.mp3Track,
			/this one is 31\.0 s/,
		],
		['VBR MP3 of 45 s', makeMp3(45, { vbr: true }), RULES.mp3Track, /this one is 45\.0 s/],
		[
			'VBR MP3 of 12 s with a Xing header',
			makeMp3(12, { vbr: true, xing: true }),
			RULES.mp3Track,
			undefined,
		],
		['MPEG-2 MP3 of 40 s', makeMp3(40, { mpeg2: true }), RULES.mp3Track, /this one is 40\.0 s/],
		[
			'a lone frame header',
			Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]),
			RULES.mp3Track,
			/3–30 s long/,
		],
		['an ID3 tag and nothing else', MP3.subarray(0, 2010), RULES.mp3Track, /an MP3 file/],
		['a WAV where only MP3 goes', makeWav(5), RULES.mp3Track, /an MP3 file/],
		['a WAV of 2.0 s for Wan 2.7', makeWav(2), RULES.wavOrMp3, undefined],
		[
			'a WAV of 1.9 s for Wan 2.7',
			makeWav(1.9),
			RULES.wavOrMp3,
			/2–30 s long \(this one is 1\.9 s\)/,
		],
		['PNG as audio', makePng(480, 360), RULES.mp3Track, /MP3/],
		['empty', Buffer.alloc(0), RULES.wavOrMp3, /an MP3 or WAV file/],
		['an MP4 of 2.0 s to edit', makeMp4(2), RULES.clipToEdit, undefined],
		['an MOV of 10.0 s to edit', makeMp4(10, { container: 'mov' }), RULES.clipToEdit, undefined],
		[
			'an MP4 of 10.1 s to edit',
			makeMp4(10.1),
			RULES.clipToEdit,
			/2–10 s long \(this one is 10\.1 s\)/,
		],
		['an MP4 of 1.9 s to edit', makeMp4(1.9), RULES.clipToEdit, /this one is 1\.9 s/],
		[
			'an MP4 of 200×200 px',
			makeMp4(5, { width: 200, height: 200 }),
			RULES.clipToEdit,
			/240–4096 px/,
		],
		['a PNG as a video', makePng(480, 360), RULES.clipToEdit, /an MP4 or MOV file/],
	])('%s', (_name, bytes, rules, problem) => {
		const found = problemOf(bytes, rules as FileRules);
		if (problem) expect(found).toMatch(problem);
		else expect(found).toBeUndefined();
	});

	it('reads width and height from the header', () => {
		expect(inspectImage(makeJpeg(1280, 720))).toMatchObject({ width: 1280, height: 720 });
		expect(inspectImage(makePng(640, 480))).toMatchObject({ width: 640, height: 480 });
	});
});

describe('MP3 length from frame headers (mp3.ts)', () => {
	it.each([
		['CBR', makeMp3(10), 10],
		['VBR, walked frame by frame', makeMp3(10, { vbr: true }), 10],
		['VBR, from its Xing header', makeMp3(10, { vbr: true, xing: true }), 10],
		// the Xing count is what counts: the frames are not walked (here most are cut off)
		['a Xing header on a truncated file', makeMp3(10, { xing: true }).subarray(0, 5000), 10],
		['MPEG-2, 576 samples a frame', makeMp3(10, { mpeg2: true }), 10],
		['behind an ID3 tag', makeMp3(10, { id3: true }), 10],
	])('%s', (_name, bytes, seconds) => {
		expect(mp3DurationSeconds(bytes)).toBeCloseTo(seconds, 1);
	});
});

describe('callback URL signature (callbackSignature.ts)', () => {
	const key = 'sk-test-key-1';
	const signed = new URL(signCallbackUrl('https://n8n.example.com/webhook/abc/callback?x=1', key));
	const pathAndQuery = `${signed.pathname}${signed.search}`;

	it.each([
		['the signed URL', pathAndQuery, key, true],
		['another key', pathAndQuery, 'sk-other-key', false],
		['another path', pathAndQuery.replace('/abc/', '/abd/'), key, false],
		['a changed query', pathAndQuery.replace('x=1', 'x=2'), key, false],
		['no signature', '/webhook/abc/callback?x=1', key, false],
		['a truncated signature', pathAndQuery.slice(0, -3), key, false],
	])('%s -> %p', (_name, url, apiKey, valid) => {
		expect(hasValidSignature(url, apiKey)).toBe(valid);
	});

	it('signing again replaces the old signature rather than adding one', () => {
		const twice = new URL(signCallbackUrl(signed.toString(), key));
		expect(twice.searchParams.getAll('wvsig')).toHaveLength(1);
		expect(twice.toString()).toBe(signed.toString());
	});
});

describe('duplicate memory (rememberOnce)', () => {
	const unique = () => `task-${Math.random().toString(36).slice(2)}:completed`;

	it('says a key is new once, then remembers it in static data and in the process', () => {
		const staticData = {};
		const key = unique();
		expect(rememberOnce(staticData, key)).toBe(true);
		expect(rememberOnce(staticData, key)).toBe(false);
		// another copy of the static data (a concurrent request) still sees it in the process
		expect(rememberOnce({}, key)).toBe(false);
		// static data that survived a restart knows it without the process memory
		expect(rememberOnce({ seenCallbacks: ['restart-key'] }, 'restart-key')).toBe(false);
	});

	it(`keeps the newest ${REMEMBERED_KEYS} keys in static data`, () => {
		const staticData: { seenCallbacks?: string[] } = {};
		const first = unique();
		rememberOnce(staticData, first);
		for (let i = 0; i < REMEMBERED_KEYS; i++) rememberOnce(staticData, unique());
		expect(staticData.seenCallbacks).toHaveLength(REMEMBERED_KEYS);
		expect(staticData.seenCallbacks).not.toContain(first);
	});
});
