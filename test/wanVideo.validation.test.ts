import { callbackUrlProblem } from '../nodes/shared/urlRules';
import { runWorkflow, wanVideoNode } from './helpers/engine';
import { createParameters, expectRefused, IMAGE_URL, useSimulator } from './helpers/fixtures';

const { sim, credentials } = useSimulator();

const longCallback = `https://hooks.example.com/${'a'.repeat(3000)}`;

/** [case, parameters, the field named, the rule's words] */
const badCreates: Array<[string, Record<string, unknown>, string, RegExp]> = [
	['empty prompt from an expression', { prompt: '={{ "" }}' }, 'Prompt', /must not be empty/],
	['blank prompt', { prompt: '   ' }, 'Prompt', /must not be empty/],
	['2001-char prompt', { prompt: 'x'.repeat(2001) }, 'Prompt', /at most 1500 characters/],
	['1501-char prompt', { prompt: 'x'.repeat(1501) }, 'Prompt', /at most 1500 characters/],
	['non-string prompt', { prompt: '={{ 42 }}' }, 'Prompt', /must be text/],
	[
		'no image from an expression',
		{ imageUrl: '={{ "" }}' },
		'First Frame URL',
		/is required with Wan 2\.6 Image to Video/,
	],
	[
		'two images',
		{ imageUrl: `={{ ["${IMAGE_URL}", "${IMAGE_URL}"] }}` },
		'First Frame URL',
		/needs exactly one URL \(got 2\)/,
	],
	['zero images', { imageUrl: '={{ [] }}' }, 'First Frame URL', /is required/],
	[
		'two URLs in one string',
		{ imageUrl: `${IMAGE_URL}, ${IMAGE_URL}` },
		'First Frame URL',
		/needs exactly one URL \(got 2\)/,
	],
	[
		'not a URL',
		{ imageUrl: 'cat.png' },
		'First Frame URL',
		/full URL starting with https:\/\/ or http:\/\//,
	],
	[
		'words with a space, not a URL',
		{ imageUrl: 'cat picture' },
		'First Frame URL',
		/must be a full URL starting with https:\/\/ or http:\/\/ \[/,
	],
	[
		'javascript: URL',
		{ imageUrl: 'javascript:alert(1)' },
		'First Frame URL',
		/https:\/\/ or http:\/\/ \(not javascript:\)/,
	],
	[
		'ftp URL',
		{ imageUrl: 'ftp://example.com/cat.png' },
		'First Frame URL',
		/https:\/\/ or http:\/\/ \(not ftp:\)/,
	],
	[
		'HEIC image',
		{ imageUrl: 'https://example.com/cat.heic' },
		'First Frame URL',
		/jpg, jpeg, png, bmp, webp file \(not \.heic\)/,
	],
	['GIF image', { imageUrl: 'https://example.com/cat.gif' }, 'First Frame URL', /not \.gif/],
	['duration 0', { duration: 0 }, 'Duration', /whole number of seconds from 2 to 15/],
	['duration 7.5', { duration: 7.5 }, 'Duration', /whole number/],
	['duration 16', { duration: 16 }, 'Duration', /from 2 to 15/],
	['duration "ten"', { duration: 'ten' }, 'Duration', /whole number/],
	['duration -5', { duration: -5 }, 'Duration', /from 2 to 15/],
	['unknown quality', { quality: '4k' }, 'Quality', /720p or 1080p/],
	['unknown shot type', { shotType: 'pan' }, 'Shot Type', /single or multi/],
	[
		'multi shot with prompt rewriting turned off by an expression',
		{ promptExtend: '={{ false }}', shotType: 'multi' },
		'Shot Type',
		/only works with Prompt Rewriting/,
	],
	[
		'prompt rewriting not a boolean',
		{ promptExtend: '={{ "yes" }}' },
		'Prompt Rewriting',
		/true or false/,
	],
	[
		'audio not mp3',
		{ options: { audioUrl: 'https://example.com/a.wav' } },
		'Audio URL',
		/mp3 file/,
	],
	['audio not a URL', { options: { audioUrl: 'voice' } }, 'Audio URL', /full URL/],
	[
		'unknown model',
		{ model: '={{ "wan3-video" }}' },
		'Model',
		/must be one of wan2\.5-image-to-video, .*wan3\.0-prime-reference-video \[/,
	],
	[
		'Wan 2.5 for 15 s',
		{ model: 'wan2.5-image-to-video', duration: 15 },
		'Duration',
		/5 or 10 seconds with Wan 2\.5 Image to Video/,
	],
	[
		'Wan 2.5 with 7 s from an expression',
		{ model: 'wan2.5-image-to-video', duration: '={{ 7 }}' },
		'Duration',
		/5 or 10 seconds/,
	],
	['Wan 2.6 at 480p', { quality: '480p' }, 'Quality', /720p or 1080p with Wan 2\.6 Image to Video/],
	[
		'Wan 2.5 at 4k',
		{ model: 'wan2.5-image-to-video', quality: '4k' },
		'Quality',
		/480p, 720p or 1080p/,
	],
	[
		'a soundtrack with a video to continue (that mode takes none)',
		{
			model: 'wan2.7-image-to-video',
			generationMode: 'video_continuation',
			videoUrl: 'https://cdn.example.com/clip.mp4',
			options: { audioUrl: 'https://example.com/a.mp3' },
		},
		'Audio URL',
		/is not taken by Wan 2\.7 Image to Video \(Continue a Video\)/,
	],
	[
		'Wan 2.5 with a 2001-char prompt',
		{ model: 'wan2.5-image-to-video', prompt: 'x'.repeat(2001) },
		'Prompt',
		/at most 2000 characters/,
	],
	[
		'text to video in 21:9',
		{ model: 'wan2.6-text-to-video', aspectRatio: '={{ "21:9" }}' },
		'Aspect Ratio',
		/16:9, 9:16, 1:1, 4:3 or 3:4/,
	],
	[
		'flash with audio "yes"',
		{ model: 'wan2.6-image-to-video-flash', generateAudio: '={{ "yes" }}' },
		'Generate Audio',
		/true or false/,
	],
];

/** Callback rules are EvoLink's: they apply when the credential points at EvoLink. */
const badEvoLinkCallbacks: Array<[string, string, RegExp]> = [
	['http callback', 'http://n8n.example.com/webhook/x', /must use HTTPS/],
	['localhost callback', 'https://localhost:5678/webhook/x', /public address.*localhost/],
	['loopback IP callback', 'https://127.0.0.1/webhook/x', /public address/],
	['private IP callback', 'https://192.168.1.20/webhook/x', /public address/],
	['10/8 callback', 'https://10.0.0.7/webhook/x', /public address/],
	['IPv6 loopback callback', 'https://[::1]/webhook/x', /public address/],
	['3000-char callback', longCallback, /at most 2048 characters/],
	['callback not a URL', 'n8n webhook', /full URL/],
];

async function runCreate(parameters: Record<string, unknown>, baseUrl?: string) {
	return await runWorkflow({
		nodes: [wanVideoNode(createParameters(parameters))],
		start: 'Wan Video',
		credentials: { ...credentials(), ...(baseUrl ? { baseUrl } : {}) },
	});
}

describe('Create refuses bad input before anything is sent', () => {
	it.each(badCreates)('%s', async (_case, parameters, field, rule) => {
		const result = await runCreate(parameters);
		expectRefused(result.error(), field, rule);
		expect(sim.requests).toHaveLength(0);
	});

	it.each(badEvoLinkCallbacks)('%s (EvoLink base URL)', async (_case, callbackUrl, rule) => {
		// The base URL is EvoLink's, so a request would leave the machine: none may be sent at all.
		const result = await runCreate({ options: { callbackUrl } }, 'https://api.evolink.ai');
		expectRefused(result.error(), 'Callback URL', rule);
	});

	it('an empty prompt, where the model needs one, is refused naming the model', async () => {
		const result = await runCreate({ prompt: '' });
		expectRefused(result.error(), 'Prompt', /must not be empty with Wan 2\.6 Image to Video/);
		expect(sim.requests).toHaveLength(0);
	});

	it('takes a plain-HTTP image URL (EvoLink fetches http and https alike)', async () => {
		const result = await runCreate({ imageUrl: 'http://cdn.example.com/cat.png' });
		expect(result.error()).toBeUndefined();
		expect(sim.requestsTo('POST')[0].body).toMatchObject({
			image_urls: ['http://cdn.example.com/cat.png'],
		});
	});

	it('drops a hidden Shot Type when prompt rewriting is off (n8n removes hidden fields)', async () => {
		const result = await runCreate({ promptExtend: false, shotType: 'multi' });
		expect(result.error()).toBeUndefined();
		expect(sim.requestsTo('POST')[0].body).not.toHaveProperty('model_params');
	});

	it('takes plain-HTTP loopback callbacks when the base URL is a test server', async () => {
		const result = await runCreate({ options: { callbackUrl: 'http://127.0.0.1:5678/webhook/x' } });
		expect(result.error()).toBeUndefined();
		expect(sim.tasks.size).toBe(1);
	});

	it('takes any whole duration from 2 to 15 from an expression', async () => {
		const durations = Array.from({ length: 14 }, (_, n) => n + 2);
		const result = await runWorkflow({
			nodes: [wanVideoNode(createParameters({ duration: '={{ $json.d }}' }))],
			start: 'Wan Video',
			input: durations.map((d) => ({ json: { d } })),
			credentials: credentials(),
		});
		expect(result.error()).toBeUndefined();
		const sent = sim.requestsTo('POST').map((post) => (post.body as { duration: number }).duration);
		expect(sent.sort((a, b) => a - b)).toEqual(durations);
	});

	it('sends nothing for any item when one item of many is bad', async () => {
		const input = [
			{ json: { prompt: 'fine' } },
			{ json: { prompt: 'x'.repeat(1600) } },
			{ json: { prompt: 'fine too' } },
		];
		const result = await runWorkflow({
			nodes: [wanVideoNode(createParameters({ prompt: '={{ $json.prompt }}' }))],
			start: 'Wan Video',
			input,
			credentials: credentials(),
		});
		expect(result.error()?.message).toMatch(
			/^Prompt: must be at most 1500 characters with Wan 2\.6 Image to Video \[item 1\]/,
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('with "Continue On Fail", turns bad items into error items and creates the rest', async () => {
		const input = [{ json: { prompt: 'fine' } }, { json: { prompt: '' } }];
		const result = await runWorkflow({
			nodes: [
				wanVideoNode(createParameters({ prompt: '={{ $json.prompt }}' }), {
					onError: 'continueRegularOutput',
				}),
			],
			start: 'Wan Video',
			input,
			credentials: credentials(),
		});
		const [good, bad] = result.output('Wan Video');
		expect(good.json.status).toBe('pending');
		expect(bad.json).toMatchObject({
			taskId: null,
			error: { message: 'Prompt: must not be empty with Wan 2.6 Image to Video [item 1]' },
		});
		expect(bad.pairedItem).toEqual({ item: 1 });
		expect(sim.requestsTo('POST')).toHaveLength(1);
	});
});

describe('Get and Wait refuse bad task IDs and options before anything is sent', () => {
	const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
		[
			'Get: empty task ID from an expression',
			{ operation: 'get', taskId: '={{ "" }}' },
			'Task ID',
			/must look like task-unified-/,
		],
		[
			'Get: malformed task ID',
			{ operation: 'get', taskId: 'abc/../credits' },
			'Task ID',
			/must look like/,
		],
		[
			'Wait: malformed task ID',
			{ operation: 'wait', taskId: 'task-123' },
			'Task ID',
			/must look like/,
		],
		[
			'Wait: negative timeout',
			{ operation: 'wait', taskId: 'task-unified-1-abc', waitOptions: { timeout: -5 } },
			'Timeout \\(Seconds\\)',
			/from 1 to 86400/,
		],
		[
			'Wait: zero timeout',
			{ operation: 'wait', taskId: 'task-unified-1-abc', waitOptions: { timeout: 0 } },
			'Timeout \\(Seconds\\)',
			/from 1/,
		],
		[
			'Wait: empty binary field',
			{
				operation: 'wait',
				taskId: 'task-unified-1-abc',
				waitOptions: { download: true, binaryProperty: ' ' },
			},
			'Put Output in Field',
			/field name/,
		],
		[
			'Create+wait: timeout "soon"',
			{ ...createParameters(), waitForCompletion: true, waitOptions: { timeout: 'soon' } },
			'Timeout \\(Seconds\\)',
			/number/,
		],
	];
	it.each(cases)('%s', async (_case, parameters, field, rule) => {
		const result = await runWorkflow({
			nodes: [wanVideoNode(parameters)],
			start: 'Wan Video',
			credentials: credentials(),
		});
		expect(result.error()?.message).toMatch(new RegExp(`^${field}: `));
		expect(result.error()?.message).toMatch(rule);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Wait Mode is one choice for the whole run', () => {
	it('refuses items whose expression gives different modes, naming the item, before any read', async () => {
		const result = await runWorkflow({
			nodes: [
				wanVideoNode({
					operation: 'wait',
					taskId: '={{ $json.taskId }}',
					waitOptions: { waitMode: '={{ $json.mode }}' },
				}),
			],
			start: 'Wan Video',
			input: [
				{ json: { taskId: 'task-unified-1-aaa', mode: 'poll' } },
				{ json: { taskId: 'task-unified-1-bbb', mode: 'poll' } },
				{ json: { taskId: 'task-unified-1-ccc', mode: 'callback' } },
			],
			credentials: credentials(),
		});
		expect(result.error()?.message).toBe(
			'Wait Mode: must be the same for every item, since the execution waits as a whole (item 0 is "poll") [item 2]',
		);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('The credential is checked before anything is sent', () => {
	it.each([
		[
			'an empty API key',
			{ apiKey: '' },
			'API Key \\(EvoLink API credential\\)',
			/must not be empty/,
		],
		[
			'a blank API key',
			{ apiKey: '   ' },
			'API Key \\(EvoLink API credential\\)',
			/must not be empty/,
		],
		[
			'a base URL that is not http(s)',
			{ baseUrl: 'ftp://api.example.com' },
			'Base URL \\(EvoLink API credential\\)',
			/https:\/\//,
		],
	])('%s', async (_case, override, field, rule) => {
		for (const parameters of [
			createParameters(),
			{ operation: 'get', taskId: 'task-unified-1-abc' },
			{ operation: 'wait', taskId: 'task-unified-1-abc' },
		]) {
			const result = await runWorkflow({
				nodes: [wanVideoNode(parameters)],
				start: 'Wan Video',
				credentials: { ...credentials(), ...override },
			});
			expect(result.error()?.message).toMatch(new RegExp(`^${field}: `));
			expect(result.error()?.message).toMatch(rule);
		}
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Preflight of callback waits: would EvoLink ever call this n8n back?', () => {
	it.each([
		[
			'a plain-HTTP loopback n8n',
			'http://127.0.0.1:5678/webhook-waiting/7?signature=x',
			true,
			/must use HTTPS/,
		],
		[
			'an HTTPS n8n on a private address',
			'https://192.168.1.9/webhook-waiting/7?signature=x',
			true,
			/public address/,
		],
		[
			'an HTTPS n8n on localhost',
			'https://localhost/webhook-waiting/7?signature=x',
			true,
			/public address/,
		],
		[
			'a public HTTPS n8n',
			'https://n8n.example.com/webhook-waiting/7?signature=x',
			true,
			undefined,
		],
		[
			'a loopback n8n with a test server as base URL',
			'http://127.0.0.1:5678/webhook-waiting/7',
			false,
			undefined,
		],
	])('%s', (_case, resumeUrl, evoLinkRules, problem) => {
		const found = callbackUrlProblem(resumeUrl, evoLinkRules);
		if (problem) expect(found).toMatch(problem);
		else expect(found).toBeUndefined();
	});
});
