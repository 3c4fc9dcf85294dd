// The Wan family and binary input: what Create sends for each model, and images or audio from an
// earlier node's binary field, checked locally and uploaded through EvoLink's file API.
import { createRunner, expectNoKey, expectRefused, useSimulator } from './helpers/fixtures';
import { binaryItem, GIF, makeJpeg, makeMp3, makePng, MP3 } from './helpers/media';

const { sim, credentials } = useSimulator();

const create = createRunner(credentials);

const creates = () => sim.requestsTo('POST', '/v1/videos/generations');
const uploads = () => sim.requestsTo('POST', '/api/v1/files/upload/stream');

describe('Create: each Wan model gets its own fields', () => {
	it('text to video sends an aspect ratio and no image', async () => {
		const result = await create({
			model: 'wan2.6-text-to-video',
			aspectRatio: '9:16',
			duration: 12,
		});
		expect(result.error()).toBeUndefined();
		expect(creates()[0].body).toEqual({
			model: 'wan2.6-text-to-video',
			prompt: 'The cat turns its head',
			duration: 12,
			quality: '720p',
			prompt_extend: true,
			model_params: { shot_type: 'single' },
			aspect_ratio: '9:16',
		});
	});

	it('flash sends its audio switch', async () => {
		await create({ model: 'wan2.6-image-to-video-flash', generateAudio: false });
		expect(creates()[0].body).toMatchObject({
			model: 'wan2.6-image-to-video-flash',
			generate_audio: false,
		});
	});

	it('Wan 2.5 takes 480p and 10 s, and never gets a shot type', async () => {
		const result = await create({
			model: 'wan2.5-image-to-video',
			duration: 10,
			quality: '480p',
			shotType: 'multi',
		});
		expect(result.error()).toBeUndefined();
		const body = creates()[0].body as Record<string, unknown>;
		expect(body).toMatchObject({ model: 'wan2.5-image-to-video', duration: 10, quality: '480p' });
		expect(body).not.toHaveProperty('model_params');
	});
});

describe('Create: a binary image is checked, uploaded and used', () => {
	it('uploads the bytes through the file API and creates with the returned URL', async () => {
		const png = makePng(640, 480); // each test its own image: uploads are reused by content
		const result = await create({ imageSource: 'binary', imageBinaryProperty: 'photo' }, [
			binaryItem(png, 'image/png', 'frame.png', 'photo'),
		]);
		expect(result.error()).toBeUndefined();
		const [upload] = uploads();
		expect(upload.headers.authorization).toBe('Bearer <ok>');
		expect(upload.upload).toMatchObject({
			fileName: 'frame.png',
			mimeType: 'image/png',
			bytes: png.length,
		});
		expect(sim.uploads.get(upload.upload!.fileId)!.bytes.equals(png)).toBe(true);
		const imageUrl = (creates()[0].body as { image_urls: string[] }).image_urls[0];
		expect(imageUrl).toBe(`${sim.baseUrl}/uploads/${upload.upload!.fileId}.png`);
		expect(result.output('Wan Video')[0].json.taskId).toBe(creates()[0].taskId);
		expectNoKey(result.run);
	});

	it('reads a JPEG size behind its EXIF segment, and uploads an MP3 soundtrack too', async () => {
		const item = binaryItem(makeJpeg(1920, 1080), 'image/jpeg', 'frame.jpg');
		item.binary.voice = binaryItem(MP3, 'audio/mpeg', 'voice.mp3').binary.data;
		const result = await create(
			{ imageSource: 'binary', options: { audioBinaryProperty: 'voice' } },
			[item],
		);
		expect(result.error()).toBeUndefined();
		expect(
			uploads()
				.map((u) => u.upload!.mimeType)
				.sort(),
		).toEqual(['audio/mpeg', 'image/jpeg']);
		expect(creates()[0].body).toMatchObject({
			audio_url: expect.stringMatching(/\/uploads\/.*\.mp3$/),
		});
	});

	it('is not billed twice when "Retry On Fail" repeats a create whose answer was lost', async () => {
		sim.inject({
			kind: 'dropAfterCreate',
			match: { method: 'POST', path: '/v1/videos/generations' },
		});
		const result = await create(
			{ imageSource: 'binary' },
			[binaryItem(makePng(801, 800), 'image/png', 'a.png')],
			{
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 100,
			},
		);
		expect(result.error()).toBeUndefined();
		// The second try reuses the uploaded file, so body and key are the same: one task.
		expect(uploads()).toHaveLength(1);
		expect(creates()).toHaveLength(2);
		expect(creates()[0].body).toEqual(creates()[1].body);
		expect(creates()[0].headers['idempotency-key']).toBe(creates()[1].headers['idempotency-key']);
		expect(sim.tasks.size).toBe(1);
	});

	it('uploads an image shared by many items once', async () => {
		const png = makePng(802, 800);
		const input = [0, 1, 2].map(() => binaryItem(png, 'image/png', 'same.png'));
		const result = await create(
			{ imageSource: 'binary', prompt: '={{ "scene " + $itemIndex }}' },
			input,
		);
		expect(result.error()).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect(sim.tasks.size).toBe(3);
	});

	it('retries a failed upload (free), and creates nothing when the upload keeps failing', async () => {
		sim.inject({ kind: 'status', status: 503, match: { path: '/api/v1/files/upload/stream' } });
		const retried = await create({ imageSource: 'binary' }, [
			binaryItem(makePng(803, 800), 'image/png', 'a.png'),
		]);
		expect(retried.error()).toBeUndefined();
		expect(uploads()).toHaveLength(2);

		sim.reset();
		for (let n = 0; n < 3; n++)
			sim.inject({ kind: 'status', status: 500, match: { path: '/api/v1/files/upload/stream' } });
		const failed = await create({ imageSource: 'binary' }, [
			binaryItem(makePng(804, 800), 'image/png', 'a.png'),
		]);
		expect(failed.error()?.message).toMatch(
			/^First Frame Binary Field: EvoLink.s file API did not take a\.png \(HTTP 500: Internal server error\) \[item 0\]/,
		);
		expect(creates()).toHaveLength(0);
		expectNoKey(failed.run);
	});
});

/** [case, input item, parameters, the field named, the rule's words] */
const badFiles: Array<
	[string, ReturnType<typeof binaryItem>, Record<string, unknown>, string, RegExp]
> = [
	[
		'a missing binary field',
		binaryItem(makePng(800, 800), 'image/png', 'a.png', 'file'),
		{},
		'First Frame Binary Field',
		/no binary field "data" \(it has: file\)/,
	],
	[
		'a GIF',
		binaryItem(GIF, 'image/gif', 'a.gif'),
		{},
		'First Frame Binary Field',
		/a\.gif must be a JPEG, PNG, BMP or WEBP/,
	],
	[
		'a PNG with alpha',
		binaryItem(makePng(800, 800, { alpha: true }), 'image/png', 'a.png'),
		{},
		'First Frame Binary Field',
		/without transparency/,
	],
	[
		'a PNG with a tRNS chunk',
		binaryItem(makePng(800, 800, { trns: true }), 'image/png', 'a.png'),
		{},
		'First Frame Binary Field',
		/without transparency/,
	],
	[
		'a 300 px wide image',
		binaryItem(makePng(300, 800), 'image/png', 'a.png'),
		{},
		'First Frame Binary Field',
		/360–2000 px .*300×800/,
	],
	[
		'a 2400 px high JPEG',
		binaryItem(makeJpeg(1000, 2400), 'image/jpeg', 'a.jpg'),
		{},
		'First Frame Binary Field',
		/1000×2400/,
	],
	[
		'an 11 MB image',
		binaryItem(makeJpeg(1000, 1000, 11 * 1024 * 1024), 'image/jpeg', 'a.jpg'),
		{},
		'First Frame Binary Field',
		/a\.jpg must be at most 10\.0 MB \(it is 11\.0 MB\)/,
	],
	[
		'an empty field name',
		binaryItem(makePng(800, 800), 'image/png', 'a.png'),
		{ imageBinaryProperty: '={{ "" }}' },
		'First Frame Binary Field',
		/must name a binary field/,
	],
	[
		'audio that is not an MP3',
		binaryItem(makePng(800, 800), 'image/png', 'a.png'),
		{ options: { audioBinaryProperty: 'data' } },
		'Audio Binary Field',
		/must be an MP3/,
	],
	[
		'a 45 s soundtrack (read from its MP3 frame headers)',
		{
			json: {},
			binary: {
				data: binaryItem(makePng(800, 800), 'image/png', 'a.png').binary.data,
				voice: binaryItem(makeMp3(45, { vbr: true }), 'audio/mpeg', 'long.mp3').binary.data,
			},
		},
		{ options: { audioBinaryProperty: 'voice' } },
		'Audio Binary Field',
		/long\.mp3 must be 3–30 s long \(this one is 45\.0 s\)/,
	],
];

describe('Create refuses a bad binary file before anything is sent', () => {
	it.each(badFiles)('%s', async (_case, item, parameters, field, rule) => {
		const result = await create({ imageSource: 'binary', ...parameters }, [item]);
		expectRefused(result.error(), field, rule);
		expect(sim.requests).toHaveLength(0);
	});
});
