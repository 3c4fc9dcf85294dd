// Every Wan model through n8n's engine (node version 2): for each, inputs from URLs and binary
// fields whose bodies the simulator (its own reading of EvoLink's docs) accepts, and combinations
// the node refuses before any request. Clips build on clips: a finished task's video URL goes
// straight into the next Create.
import { type IConnections, type INodeExecutionData, NodeConnectionTypes } from 'n8n-workflow';

import { MODELS, type ModelTable } from '../nodes/shared/models';
import { runWorkflow, wanVideoNode } from './helpers/engine';
import { expectNoKey, expectRefused, useSimulator } from './helpers/fixtures';
import { binaryFiles, makeJpeg, makeMp3, makeMp4, makePng, makeWav } from './helpers/media';

const { sim, credentials } = useSimulator();

const creates = () => sim.requestsTo('POST', '/v1/videos/generations');
const uploads = () => sim.requestsTo('POST', '/api/v1/files/upload/stream');
const U = 'https://cdn.example.com';

/** Create (version 2, without waiting) for a model, in the editor group it belongs to. */
function createNode(model: string, parameters: Record<string, unknown>) {
	const rules = (MODELS as ModelTable)[model];
	const continuing = parameters.generationMode === 'video_continuation';
	return wanVideoNode(
		{
			operation: 'create',
			startFrom: continuing ? 'video' : rules.startFrom,
			model,
			waitForCompletion: false,
			...parameters,
		},
		{ typeVersion: 2 },
	);
}

async function create(
	model: string,
	parameters: Record<string, unknown>,
	input?: INodeExecutionData[],
) {
	return await runWorkflow({
		nodes: [createNode(model, parameters)],
		start: 'Wan Video',
		input,
		credentials: credentials(),
	});
}

// [model, case, parameters, input items, what the body must hold]
type Valid = [
	string,
	string,
	Record<string, unknown>,
	INodeExecutionData[] | undefined,
	Record<string, unknown>,
];

const VALID: Valid[] = [
	[
		'wan2.5-image-to-video',
		'a URL first frame, 10 s at 480p',
		{ imageUrl: `${U}/cat.png`, duration: 10, quality: '480p', prompt: 'Cat' },
		undefined,
		{ image_urls: [`${U}/cat.png`], duration: 10, quality: '480p', prompt_extend: true },
	],
	[
		'wan2.5-image-to-video',
		'a binary JPEG first frame',
		{ imageSource: 'binary', prompt: 'Cat' },
		[binaryFiles({ data: [makeJpeg(1000, 800), 'image/jpeg', 'cat.jpg'] })],
		{ image_urls: [expect.stringMatching(/\/uploads\/.*\.jpg$/)] },
	],
	[
		'wan2.5-text-to-video',
		'4:3 at 720p',
		{ prompt: 'A lighthouse', aspectRatio: '4:3', quality: '720p' },
		undefined,
		{ aspect_ratio: '4:3', duration: 5 },
	],
	[
		'wan2.5-text-to-video',
		'9:16 at 480p for 10 s',
		{ prompt: 'A lighthouse', aspectRatio: '9:16', quality: '480p', duration: 10 },
		undefined,
		{ aspect_ratio: '9:16', quality: '480p' },
	],
	[
		'wan2.6-image-to-video',
		'multi shot, an MP3 soundtrack URL, 15 s',
		{
			imageUrl: `${U}/a.png`,
			prompt: 'Dance',
			shotType: 'multi',
			duration: 15,
			options: { audioUrl: `${U}/a.mp3` },
		},
		undefined,
		{ model_params: { shot_type: 'multi' }, audio_url: `${U}/a.mp3`, duration: 15 },
	],
	[
		'wan2.6-image-to-video',
		'a binary MP3 soundtrack, 2 s',
		{
			imageUrl: `${U}/a.png`,
			prompt: 'Dance',
			duration: 2,
			options: { audioBinaryProperty: 'voice' },
		},
		[binaryFiles({ voice: [makeMp3(8), 'audio/mpeg', 'voice.mp3'] })],
		{ audio_url: expect.stringMatching(/\.mp3$/), duration: 2 },
	],
	[
		'wan2.6-image-to-video-flash',
		'silent',
		{ imageUrl: `${U}/a.png`, prompt: 'Dance', generateAudio: false },
		undefined,
		{ generate_audio: false },
	],
	[
		'wan2.6-text-to-video',
		'1:1 with a soundtrack',
		{ prompt: 'Rain', aspectRatio: '1:1', options: { audioUrl: `${U}/rain.mp3` } },
		undefined,
		{ aspect_ratio: '1:1', audio_url: `${U}/rain.mp3` },
	],
	[
		'wan2.6-reference-video',
		'three reference clips, multi shot, 10 s',
		{
			prompt: 'Video 1 meets Video 2',
			referenceVideoUrls: `${U}/1.mp4, ${U}/2.mov\n${U}/3.mp4`,
			shotType: 'multi',
			duration: 10,
		},
		undefined,
		{
			video_urls: [`${U}/1.mp4`, `${U}/2.mov`, `${U}/3.mp4`],
			model_params: { shot_type: 'multi' },
			aspect_ratio: '16:9',
		},
	],
	[
		'wan2.6-reference-video',
		'a binary MP4 reference clip',
		{
			prompt: 'Video 1 waves',
			referenceVideosSource: 'binary',
			referenceVideoBinaryProperties: 'clip',
		},
		[binaryFiles({ clip: [makeMp4(4), 'video/mp4', 'clip.mp4'] })],
		{ video_urls: [expect.stringMatching(/\.mp4$/)] },
	],
	[
		'wan2.6-reference-video-flash',
		'silent',
		{ prompt: 'Video 1 waves', referenceVideoUrls: `${U}/1.mp4`, generateAudio: false },
		undefined,
		{ generate_audio: false },
	],
	[
		'wan2.7-image-to-video',
		'first frame with a WAV from a binary field, seed, negative prompt',
		{
			generationMode: 'first_frame',
			imageUrl: `${U}/a.png`,
			options: { audioBinaryProperty: 'beat', seed: 7, negativePrompt: 'blur' },
		},
		[binaryFiles({ beat: [makeWav(3), 'audio/wav', 'beat.wav'] })],
		{
			generation_mode: 'first_frame',
			image_start: `${U}/a.png`,
			audio_urls: [expect.stringMatching(/\.wav$/)],
			seed: 7,
			negative_prompt: 'blur',
			prompt_extend: true,
		},
	],
	[
		'wan2.7-image-to-video',
		'first and last frames from binary fields',
		{
			generationMode: 'first_last_frame',
			imageSource: 'binary',
			imageBinaryProperty: 'first',
			lastFrameSource: 'binary',
			lastFrameBinaryProperty: 'last',
			prompt: 'Bloom',
		},
		[
			binaryFiles({
				first: [makePng(900, 600), 'image/png', 'bud.png'],
				last: [makePng(901, 600), 'image/png', 'flower.png'],
			}),
		],
		{
			generation_mode: 'first_last_frame',
			image_start: expect.stringMatching(/\.png$/),
			image_end: expect.stringMatching(/\.png$/),
		},
	],
	[
		'wan2.7-image-to-video',
		'continuing a binary 4 s clip to 8 s, ending on a last frame',
		{
			generationMode: 'video_continuation',
			videoSource: 'binary',
			videoBinaryProperty: 'clip',
			duration: 8,
			lastFrameUrl: `${U}/end.png`,
		},
		[binaryFiles({ clip: [makeMp4(4, { container: 'mov' }), 'video/quicktime', 'clip.mov'] })],
		{
			generation_mode: 'video_continuation',
			video_urls: [expect.stringMatching(/\.mov$/)],
			image_end: `${U}/end.png`,
			duration: 8,
		},
	],
	[
		'wan2.7-text-to-video',
		'driven by an audio URL, 3:4, 1080p',
		{
			prompt: 'A singer',
			aspectRatio: '3:4',
			quality: '1080p',
			options: { audioUrl: `${U}/song.wav` },
		},
		undefined,
		{ audio_urls: [`${U}/song.wav`], aspect_ratio: '3:4', quality: '1080p' },
	],
	[
		'wan2.7-reference-video',
		'images and a clip, a first frame and voices',
		{
			prompt: 'Image 1 talks to Video 1',
			imageUrl: `${U}/start.png`,
			referenceImageUrls: [`${U}/1.png`, `${U}/2.png`],
			referenceVideoUrls: `${U}/v.mp4`,
			duration: 10,
			options: { voiceBindings: JSON.stringify({ image1: `${U}/v1.mp3`, video1: 'voice' }) },
		},
		[binaryFiles({ voice: [makeWav(4), 'audio/wav', 'voice.wav'] })],
		{
			image_start: `${U}/start.png`,
			image_urls: [`${U}/1.png`, `${U}/2.png`],
			video_urls: [`${U}/v.mp4`],
			model_params: {
				voice_bindings: { image1: `${U}/v1.mp3`, video1: expect.stringMatching(/\.wav$/) },
			},
		},
	],
	[
		'wan2.7-reference-video',
		'binary reference images with positional voices',
		{
			prompt: 'Image 1 and Image 2 sing',
			referenceImagesSource: 'binary',
			referenceImageBinaryProperties: 'a, b',
			referenceAudioUrls: `${U}/a.mp3, ${U}/b.wav`,
		},
		[
			binaryFiles({
				a: [makePng(500, 700), 'image/png', 'a.png'],
				b: [makeJpeg(600, 800), 'image/jpeg', 'b.jpg'],
			}),
		],
		{
			image_urls: [expect.stringMatching(/\.png$/), expect.stringMatching(/\.jpg$/)],
			audio_urls: [`${U}/a.mp3`, `${U}/b.wav`],
		},
	],
	[
		'wan2.7-video-edit',
		'keeping the length and the sound, with two garments',
		{
			prompt: 'Swap the jacket for Image 1',
			videoUrl: `${U}/walk.mp4`,
			referenceImageUrls: `${U}/j1.png ${U}/j2.png`,
			options: { keepOriginalSound: true },
		},
		undefined,
		{
			video_urls: [`${U}/walk.mp4`],
			image_urls: [`${U}/j1.png`, `${U}/j2.png`],
			duration: 0,
			keep_original_sound: true,
		},
	],
	[
		'wan2.7-video-edit',
		'a binary 10 s clip cut to 6 s, 9:16',
		{ videoSource: 'binary', videoBinaryProperty: 'clip', duration: 6, aspectRatio: '9:16' },
		[binaryFiles({ clip: [makeMp4(10), 'video/mp4', 'walk.mp4'] })],
		{ duration: 6, aspect_ratio: '9:16', keep_original_sound: false },
	],
	[
		'wan3.0-image-to-video',
		'first and last frames from binary fields, smart duration at 1080p',
		{
			imageSource: 'binary',
			imageBinaryProperty: 'first',
			lastFrameSource: 'binary',
			lastFrameBinaryProperty: 'last',
			duration: -1,
			quality: '1080p',
		},
		[
			binaryFiles({
				first: [makePng(1920, 1080), 'image/png', 'a.png'],
				last: [makeJpeg(1920, 1080), 'image/jpeg', 'b.jpg'],
			}),
		],
		{
			image_start: expect.any(String),
			image_end: expect.any(String),
			duration: -1,
			quality: '1080p',
			aspect_ratio: 'adaptive',
			generate_audio: true,
		},
	],
	[
		'wan3.0-text-to-video',
		'30 s at 480p, silent, seed 0',
		{
			prompt: 'A long drive',
			duration: 30,
			quality: '480p',
			generateAudio: false,
			options: { seed: 0 },
		},
		undefined,
		{ duration: 30, quality: '480p', generate_audio: false, seed: 0 },
	],
	[
		'wan3.0-reference-video',
		'10 images, 5 clips, 5 voices and a document',
		{
			prompt: 'Image 1 to Image 10 dance to Audio 1',
			referenceImageUrls: Array.from({ length: 10 }, (_, n) => `${U}/${n}.png`),
			referenceVideoUrls: Array.from({ length: 5 }, (_, n) => `${U}/${n}.mp4`),
			referenceAudioUrls: Array.from({ length: 5 }, (_, n) => `${U}/${n}.mp3`),
			duration: 15,
			options: { referenceDocumentUrl: `${U}/brief.pdf` },
		},
		undefined,
		{ model_params: { file_url: `${U}/brief.pdf` }, duration: 15 },
	],
	[
		'wan3.0-reference-video',
		'no prompt, binary clips of 15 s in all and 15 s out',
		{ referenceVideosSource: 'binary', referenceVideoBinaryProperties: 'a,b', duration: 15 },
		[binaryFiles({ a: [makeMp4(7), 'video/mp4', 'a.mp4'], b: [makeMp4(8), 'video/mp4', 'b.mp4'] })],
		{ video_urls: [expect.any(String), expect.any(String)], duration: 15 },
	],
	[
		'wan3.0-prime-image-to-video',
		'a first frame',
		{ imageUrl: `${U}/a.png` },
		undefined,
		{ image_start: `${U}/a.png` },
	],
	['wan3.0-prime-text-to-video', 'a prompt', { prompt: 'Waves' }, undefined, { prompt: 'Waves' }],
	[
		'wan3.0-prime-reference-video',
		'a web page',
		{ prompt: 'A product film', options: { referenceWebPageUrl: 'https://shop.example.com/p/1' } },
		undefined,
		{ model_params: { link_url: 'https://shop.example.com/p/1' } },
	],
];

describe('every model creates from URLs and binary fields, and the simulator takes the body', () => {
	it('covers every model of the table', () => {
		expect(new Set(VALID.map(([model]) => model))).toEqual(new Set(Object.keys(MODELS)));
	});

	it.each(VALID)('%s: %s', async (model, _case, parameters, input, expected) => {
		const result = await create(model, parameters, input);
		expect(result.error()).toBeUndefined();
		const [post] = creates();
		expect(post.status).toBe(200);
		expect(post.body).toMatchObject({ model, ...expected });
		expect(result.output('Wan Video')[0].json).toMatchObject({ taskId: post.taskId, model });
		for (const upload of uploads())
			expect(String(JSON.stringify(post.body))).toContain(upload.upload!.fileId);
		expectNoKey(result.run);
	});
});

// [model, case, parameters, input items, the field named, the rule's words]
type Invalid = [
	string,
	string,
	Record<string, unknown>,
	INodeExecutionData[] | undefined,
	string,
	RegExp,
];

const CLIP_12S = [binaryFiles({ clip: [makeMp4(12), 'video/mp4', 'long.mp4'] })];
const IMAGE_25MB = [
	binaryFiles({ data: [makeJpeg(2000, 2000, 25 * 1024 * 1024), 'image/jpeg', 'big.jpg'] }),
];

const INVALID: Invalid[] = [
	[
		'wan2.5-image-to-video',
		'duration 15',
		{ imageUrl: `${U}/a.png`, prompt: 'x', duration: 15 },
		undefined,
		'Duration',
		/5 or 10 seconds with Wan 2\.5 Image to Video/,
	],
	[
		'wan2.5-image-to-video',
		'two first frames',
		{ imageUrl: `${U}/a.png, ${U}/b.png`, prompt: 'x' },
		undefined,
		'First Frame URL',
		/needs exactly one URL \(got 2\)/,
	],
	[
		'wan2.5-image-to-video',
		'a 2001-character prompt',
		{ imageUrl: `${U}/a.png`, prompt: 'x'.repeat(2001) },
		undefined,
		'Prompt',
		/at most 2000 characters/,
	],
	[
		'wan2.5-text-to-video',
		'4:3 at 480p',
		{ prompt: 'x', quality: '480p', aspectRatio: '4:3' },
		undefined,
		'Aspect Ratio',
		/16:9, 9:16, 1:1 at 480p/,
	],
	[
		'wan2.5-text-to-video',
		'duration 7 from an expression',
		{ prompt: 'x', duration: '={{ 7 }}' },
		undefined,
		'Duration',
		/5 or 10 seconds/,
	],
	[
		'wan2.5-text-to-video',
		'a prompt of spaces',
		{ prompt: '   ' },
		undefined,
		'Prompt',
		/must not be empty/,
	],
	[
		'wan2.6-image-to-video',
		'a WAV soundtrack (MP3 only)',
		{ imageUrl: `${U}/a.png`, prompt: 'x', options: { audioUrl: `${U}/a.wav` } },
		undefined,
		'Audio URL',
		/mp3 file \(not \.wav\)/,
	],
	[
		'wan2.6-image-to-video',
		'a binary WAV soundtrack',
		{ imageUrl: `${U}/a.png`, prompt: 'x', options: { audioBinaryProperty: 'a' } },
		[binaryFiles({ a: [makeWav(5), 'audio/wav', 'a.wav'] })],
		'Audio Binary Field',
		/a\.wav must be an MP3 file/,
	],
	[
		'wan2.6-image-to-video',
		'multi shot without prompt rewriting',
		{ imageUrl: `${U}/a.png`, prompt: 'x', promptExtend: '={{ false }}', shotType: 'multi' },
		undefined,
		'Shot Type',
		/only works with Prompt Rewriting/,
	],
	[
		'wan2.6-image-to-video-flash',
		'generate audio "yes"',
		{ imageUrl: `${U}/a.png`, prompt: 'x', generateAudio: '={{ "yes" }}' },
		undefined,
		'Generate Audio',
		/true or false/,
	],
	[
		'wan2.6-image-to-video-flash',
		'duration 1',
		{ imageUrl: `${U}/a.png`, prompt: 'x', duration: 1 },
		undefined,
		'Duration',
		/from 2 to 15/,
	],
	[
		'wan2.6-image-to-video-flash',
		'a 300 px binary first frame',
		{ imageSource: 'binary', prompt: 'x' },
		[binaryFiles({ data: [makePng(300, 600), 'image/png', 'a.png'] })],
		'First Frame Binary Field',
		/360–2000 px/,
	],
	[
		'wan2.6-text-to-video',
		'21:9',
		{ prompt: 'x', aspectRatio: '={{ "21:9" }}' },
		undefined,
		'Aspect Ratio',
		/16:9, 9:16, 1:1, 4:3 or 3:4/,
	],
	[
		'wan2.6-text-to-video',
		'a 1501-character prompt',
		{ prompt: 'x'.repeat(1501) },
		undefined,
		'Prompt',
		/at most 1500/,
	],
	[
		'wan2.6-text-to-video',
		'a soundtrack URL that is no URL',
		{ prompt: 'x', options: { audioUrl: 'voice' } },
		undefined,
		'Audio URL',
		/full URL/,
	],
	[
		'wan2.6-reference-video',
		'four clips',
		{ prompt: 'x', referenceVideoUrls: [1, 2, 3, 4].map((n) => `${U}/${n}.mp4`).join(',') },
		undefined,
		'Reference Video URLs',
		/takes at most 3 .*\(got 4\)/,
	],
	[
		'wan2.6-reference-video',
		'no clip',
		{ prompt: 'x' },
		undefined,
		'Reference Video URLs',
		/needs 1 to 3 .*\(got 0\)/,
	],
	[
		'wan2.6-reference-video',
		'duration 11',
		{ prompt: 'x', referenceVideoUrls: `${U}/1.mp4`, duration: 11 },
		undefined,
		'Duration',
		/from 2 to 10/,
	],
	[
		'wan2.6-reference-video-flash',
		'a 1 s binary clip (2–30 s)',
		{ prompt: 'x', referenceVideosSource: 'binary', referenceVideoBinaryProperties: 'c' },
		[binaryFiles({ c: [makeMp4(1), 'video/mp4', 'c.mp4'] })],
		'Reference Video Binary Fields',
		/c\.mp4 must be 2–30 s long \(this one is 1\.0 s\)/,
	],
	[
		'wan2.6-reference-video-flash',
		'a GIF as a clip',
		{ prompt: 'x', referenceVideoUrls: `${U}/c.gif` },
		undefined,
		'Reference Video URLs',
		/mp4, mov file \(not \.gif\)/,
	],
	[
		'wan2.6-reference-video-flash',
		'a missing binary field',
		{ prompt: 'x', referenceVideosSource: 'binary', referenceVideoBinaryProperties: 'nope' },
		[binaryFiles({ c: [makeMp4(3), 'video/mp4', 'c.mp4'] })],
		'Reference Video Binary Fields',
		/no binary field "nope" \(it has: c\)/,
	],
	[
		'wan2.7-image-to-video',
		'first and last frames without the last',
		{ generationMode: 'first_last_frame', imageUrl: `${U}/a.png` },
		undefined,
		'Last Frame URL',
		/is required with Wan 2\.7 Image to Video \(First and Last Frames\)/,
	],
	[
		'wan2.7-image-to-video',
		'a 12 s clip to continue',
		{
			generationMode: 'video_continuation',
			videoSource: 'binary',
			videoBinaryProperty: 'clip',
			duration: 15,
		},
		CLIP_12S,
		'Video Binary Field',
		/long\.mp4 must be 2–10 s long \(this one is 12\.0 s\)/,
	],
	[
		'wan2.7-image-to-video',
		'continuing an 8 s clip to 5 s',
		{
			generationMode: 'video_continuation',
			videoSource: 'binary',
			videoBinaryProperty: 'clip',
			duration: 5,
		},
		[binaryFiles({ clip: [makeMp4(8), 'video/mp4', 'c.mp4'] })],
		'Duration',
		/at least the video's length \(8\.0 s\)/,
	],
	[
		'wan2.7-image-to-video',
		'seed 0',
		{ imageUrl: `${U}/a.png`, options: { seed: 0 } },
		undefined,
		'Seed',
		/from 1 to 2147483647/,
	],
	[
		'wan2.7-image-to-video',
		'a 501-character negative prompt',
		{ imageUrl: `${U}/a.png`, options: { negativePrompt: 'x'.repeat(501) } },
		undefined,
		'Negative Prompt',
		/at most 500/,
	],
	[
		'wan2.7-text-to-video',
		'a 5001-character prompt',
		{ prompt: 'x'.repeat(5001) },
		undefined,
		'Prompt',
		/at most 5000 characters with Wan 2\.7 Text to Video/,
	],
	[
		'wan2.7-text-to-video',
		'a 31 s binary audio',
		{ prompt: 'x', options: { audioBinaryProperty: 'a' } },
		[binaryFiles({ a: [makeWav(31), 'audio/wav', 'a.wav'] })],
		'Audio Binary Field',
		/2–30 s long \(this one is 31\.0 s\)/,
	],
	[
		'wan2.7-text-to-video',
		'a soundtrack URL and a binary one',
		{ prompt: 'x', options: { audioUrl: `${U}/a.mp3`, audioBinaryProperty: 'a' } },
		undefined,
		'Audio URL',
		/cannot go with Audio Binary Field/,
	],
	[
		'wan2.7-reference-video',
		'6 references',
		{
			prompt: 'x',
			referenceImageUrls: [1, 2, 3, 4].map((n) => `${U}/${n}.png`),
			referenceVideoUrls: `${U}/1.mp4 ${U}/2.mp4`,
		},
		undefined,
		'Reference Images and Reference Videos',
		/need 1 to 5 in all .*\(got 6\)/,
	],
	[
		'wan2.7-reference-video',
		'only a first frame',
		{ prompt: 'x', imageUrl: `${U}/a.png` },
		undefined,
		'Reference Images and Reference Videos',
		/need 1 to 5 in all .*\(got 0\)/,
	],
	[
		'wan2.7-reference-video',
		'duration 11 with a clip',
		{ prompt: 'x', referenceVideoUrls: `${U}/1.mp4`, duration: 11 },
		undefined,
		'Duration',
		/at most 10 s with reference videos/,
	],
	[
		'wan2.7-reference-video',
		'a voice for a third image of two',
		{
			prompt: 'x',
			referenceImageUrls: `${U}/1.png, ${U}/2.png`,
			options: { voiceBindings: JSON.stringify({ image3: `${U}/v.mp3` }) },
		},
		undefined,
		'Voice Bindings',
		/each naming a reference given/,
	],
	[
		'wan2.7-reference-video',
		'voices both ways',
		{
			prompt: 'x',
			referenceImageUrls: `${U}/1.png`,
			referenceAudioUrls: `${U}/a.mp3`,
			options: { voiceBindings: JSON.stringify({ image1: `${U}/v.mp3` }) },
		},
		undefined,
		'Voice Bindings',
		/use one of them/,
	],
	[
		'wan2.7-video-edit',
		'no video',
		{ prompt: 'x' },
		undefined,
		'Video URL',
		/is required with Wan 2\.7 Video Edit/,
	],
	[
		'wan2.7-video-edit',
		'five garments',
		{ videoUrl: `${U}/v.mp4`, referenceImageUrls: [1, 2, 3, 4, 5].map((n) => `${U}/${n}.png`) },
		undefined,
		'Reference Image URLs',
		/takes at most 4 .*\(got 5\)/,
	],
	[
		'wan2.7-video-edit',
		'duration 1',
		{ videoUrl: `${U}/v.mp4`, duration: 1 },
		undefined,
		'Duration',
		/from 2 to 10, or 0 \(keep the video's length\)/,
	],
	[
		'wan2.7-video-edit',
		'a 12 s binary clip',
		{ videoSource: 'binary', videoBinaryProperty: 'clip' },
		CLIP_12S,
		'Video Binary Field',
		/2–10 s long/,
	],
	[
		'wan3.0-image-to-video',
		'a last frame without a first',
		{ imageUrl: '', lastFrameUrl: `${U}/end.png` },
		undefined,
		'First Frame URL',
		/is required with Wan 3\.0 Image to Video: a last frame needs a first one/,
	],
	[
		'wan3.0-image-to-video',
		'duration 31',
		{ imageUrl: `${U}/a.png`, duration: 31 },
		undefined,
		'Duration',
		/from 2 to 30, or -1 \(smart\)/,
	],
	[
		'wan3.0-image-to-video',
		'a binary 25 MB image',
		{ imageSource: 'binary' },
		IMAGE_25MB,
		'First Frame Binary Field',
		/big\.jpg must be at most 20\.0 MB \(it is 25\.0 MB\)/,
	],
	[
		'wan3.0-image-to-video',
		'a 9:1 binary image',
		{ imageSource: 'binary' },
		[binaryFiles({ data: [makePng(2700, 300), 'image/png', 'wide.png'] })],
		'First Frame Binary Field',
		/between 1:8 and 8:1 \(this one is 2700×300 px\)/,
	],
	[
		'wan3.0-text-to-video',
		'duration 1',
		{ prompt: 'x', duration: 1 },
		undefined,
		'Duration',
		/from 2 to 30/,
	],
	[
		'wan3.0-text-to-video',
		'quality 4k',
		{ prompt: 'x', quality: '={{ "4k" }}' },
		undefined,
		'Quality',
		/480p, 720p or 1080p/,
	],
	[
		'wan3.0-text-to-video',
		'a 20001-character prompt',
		{ prompt: 'x'.repeat(20001) },
		undefined,
		'Prompt',
		/at most 20000 characters/,
	],
	[
		'wan3.0-reference-video',
		'11 images',
		{ prompt: 'x', referenceImageUrls: Array.from({ length: 11 }, (_, n) => `${U}/${n}.png`) },
		undefined,
		'Reference Image URLs',
		/takes at most 10/,
	],
	[
		'wan3.0-reference-video',
		'binary clips of 16 s in all',
		{ referenceVideosSource: 'binary', referenceVideoBinaryProperties: 'a, b' },
		[binaryFiles({ a: [makeMp4(8), 'video/mp4', 'a.mp4'], b: [makeMp4(8), 'video/mp4', 'b.mp4'] })],
		'Reference Videos',
		/at most 15 s in all .*\(these are 16\.0 s\)/,
	],
	[
		'wan3.0-reference-video',
		'10 s of clips and 25 s out',
		{ referenceVideosSource: 'binary', referenceVideoBinaryProperties: 'a', duration: 25 },
		[binaryFiles({ a: [makeMp4(10), 'video/mp4', 'a.mp4'] })],
		'Duration',
		/at most 20 s: reference videos \(10\.0 s\)/,
	],
	[
		'wan3.0-reference-video',
		'a document and a web page',
		{ prompt: 'x', options: { referenceDocumentUrl: `${U}/a.pdf`, referenceWebPageUrl: `${U}/p` } },
		undefined,
		'Reference Document URL',
		/use one of them/,
	],
	[
		'wan3.0-reference-video',
		'nothing at all',
		{},
		undefined,
		'Prompt',
		/or at least one reference is needed/,
	],
	[
		'wan3.0-prime-image-to-video',
		'no first frame',
		{},
		undefined,
		'First Frame URL',
		/is required with Wan 3\.0 Prime Image to Video/,
	],
	[
		'wan3.0-prime-image-to-video',
		'seed -1',
		{ imageUrl: `${U}/a.png`, options: { seed: -1 } },
		undefined,
		'Seed',
		/from 0 to 2147483647/,
	],
	[
		'wan3.0-prime-image-to-video',
		'an HEIC first frame',
		{ imageUrl: `${U}/a.heic` },
		undefined,
		'First Frame URL',
		/not \.heic/,
	],
	[
		'wan3.0-prime-text-to-video',
		'duration 0',
		{ prompt: 'x', duration: 0 },
		undefined,
		'Duration',
		/from 2 to 30/,
	],
	[
		'wan3.0-prime-text-to-video',
		'no prompt',
		{ prompt: '={{ "" }}' },
		undefined,
		'Prompt',
		/must not be empty with Wan 3\.0 Prime Text to Video/,
	],
	[
		'wan3.0-prime-text-to-video',
		'aspect 5:4',
		{ prompt: 'x', aspectRatio: '={{ "5:4" }}' },
		undefined,
		'Aspect Ratio',
		/adaptive, 16:9/,
	],
	[
		'wan3.0-prime-reference-video',
		'6 clips',
		{ referenceVideoUrls: Array.from({ length: 6 }, (_, n) => `${U}/${n}.mp4`) },
		undefined,
		'Reference Video URLs',
		/takes at most 5/,
	],
	[
		'wan3.0-prime-reference-video',
		'6 voices',
		{ referenceAudioUrls: Array.from({ length: 6 }, (_, n) => `${U}/${n}.mp3`) },
		undefined,
		'Reference Audio URLs',
		/takes at most 5/,
	],
	[
		'wan3.0-prime-reference-video',
		'a document that is no document',
		{ prompt: 'x', options: { referenceDocumentUrl: `${U}/a.exe` } },
		undefined,
		'Reference Document URL',
		/not \.exe/,
	],
];

describe('every model refuses bad combinations before anything is sent', () => {
	it('has at least three per model', () => {
		for (const model of Object.keys(MODELS)) {
			expect([model, INVALID.filter(([m]) => m === model).length >= 3]).toEqual([model, true]);
		}
	});

	it.each(INVALID)('%s: %s', async (model, _case, parameters, input, field, rule) => {
		const result = await create(model, parameters, input);
		expectRefused(result.error(), field, rule);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('files the file API refuses', () => {
	it('name the file, the field and the reason, and nothing is billed', async () => {
		sim.refuseUploadTypes = ['video/mp4'];
		const result = await create(
			'wan2.7-video-edit',
			{ videoSource: 'binary', videoBinaryProperty: 'clip' },
			[binaryFiles({ clip: [makeMp4(5), 'video/mp4', 'walk.mp4'] })],
		);
		expect(result.error()?.message).toBe(
			"Video Binary Field: EvoLink's file API did not take walk.mp4 (HTTP 400: Unsupported file type: video/mp4) [item 0]",
		);
		expect(result.error()?.description).toMatch(/nothing was billed/);
		expect(creates()).toHaveLength(0);
	});
});

/** Runs Create nodes one after the other, each named, each fed by the one before. */
async function chain(named: Array<[string, ReturnType<typeof createNode>]>) {
	const nodes = named.map(([name, node]) => ({ ...node, name, id: `node-${name}` }));
	const connections: IConnections = Object.fromEntries(
		nodes
			.slice(1)
			.map((node, n) => [
				nodes[n].name,
				{ main: [[{ node: node.name, type: NodeConnectionTypes.Main, index: 0 }]] },
			]),
	);
	return await runWorkflow({
		nodes,
		connections,
		start: nodes[0].name,
		credentials: credentials(),
	});
}

/** A Wan 3.0 text-to-video clip that is waited for but not downloaded: the next node gets its URL. */
const finishedClip = (prompt: string, duration: number) =>
	createNode('wan3.0-text-to-video', {
		prompt,
		duration,
		waitForCompletion: true,
		download: false,
	});

describe('clips that build on clips', () => {
	it("continues and edits a finished task's video by its URL, without downloading it", async () => {
		const result = await chain([
			['Clip 1', finishedClip('A fox in the snow [ms:300]', 5)],
			[
				'Clip 2',
				createNode('wan2.7-image-to-video', {
					generationMode: 'video_continuation',
					videoUrl: '={{ $json.videoUrl }}',
					duration: 10,
					prompt: 'The fox runs [ms:300]',
					waitForCompletion: true,
					download: false,
				}),
			],
			[
				'Edit',
				createNode('wan2.7-video-edit', {
					videoUrl: '={{ $json.videoUrl }}',
					prompt: 'Make it night',
				}),
			],
		]);
		expect(result.error()).toBeUndefined();
		const [clip1, clip2, edited] = creates();
		const url1 = result.output('Clip 1')[0].json.videoUrl;
		expect(clip2.body).toMatchObject({ video_urls: [url1], duration: 10 });
		expect(edited.body).toMatchObject({ video_urls: [result.output('Clip 2')[0].json.videoUrl] });
		expect([clip1, clip2, edited].map((post) => post.status)).toEqual([200, 200, 200]);
		expect(sim.requestsTo('GET', '/files/')).toHaveLength(0);
	});

	it('lets EvoLink refuse a continuation shorter than its clip (the simulator knows its own clips)', async () => {
		const result = await chain([
			['Clip 1', finishedClip('A fox [ms:200]', 8)],
			[
				'Clip 2',
				createNode('wan2.7-image-to-video', {
					generationMode: 'video_continuation',
					videoUrl: '={{ $json.videoUrl }}',
					duration: 6,
				}),
			],
		]);
		expect(result.error()?.message).toMatch(
			/HTTP 400.*duration must be at least the input video length/,
		);
		expect(creates().map((post) => post.status)).toEqual([200, 400]);
	});
});

describe('smart duration', () => {
	it('is offered by name, saying credits are held for 30 s', async () => {
		const { WanVideo } = await import('../nodes/WanVideo/WanVideo.node');
		const duration = new WanVideo().description.properties.find(
			(field) =>
				field.name === 'duration' &&
				(field.displayOptions?.show?.model as string[]).includes('wan3.0-text-to-video'),
		)!;
		expect(duration.options).toContainEqual({
			name: 'Smart (Model Decides, Up to 30 s)',
			value: -1,
		});
		expect(duration.description).toMatch(
			/Smart holds credits for the longest and refunds the rest/,
		);
	});
});

describe('a model from an expression', () => {
	// n8n then shows every model's fields: each must still get its own model's defaults
	it.each([
		['wan2.7-video-edit', { videoUrl: `${U}/v.mp4` }, { duration: 0 }],
		['wan3.0-text-to-video', { prompt: 'x' }, { aspect_ratio: 'adaptive', duration: 5 }],
		['wan2.5-text-to-video', { prompt: 'x' }, { aspect_ratio: '16:9', quality: '720p' }],
	])('%s gets its own defaults', async (model, parameters, expected) => {
		const result = await create(model, { ...parameters, model: `={{ "${model}" }}` });
		expect(result.error()).toBeUndefined();
		expect(creates()[0].body).toMatchObject(expected);
	});

	it('still refuses a value the model does not take', async () => {
		const result = await create('wan3.0-text-to-video', {
			model: '={{ "wan3.0-text-to-video" }}',
			prompt: 'x',
			duration: 31,
		});
		expect(result.error()?.message).toMatch(
			/^Duration: must be a whole number of seconds from 2 to 30/,
		);
	});
});
