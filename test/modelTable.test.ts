// One model table (nodes/shared/models.ts) drives Create's fields, its checks and its body. Here the
// editor n8n shows (n8n's own display logic over the node's description) is held against the
// simulator's separate reading of EvoLink's docs (test/simulator/wanModels.js): each model offers
// exactly the durations, qualities, ratios and inputs EvoLink takes. Then a model added to a copy of
// the table gets its own fields and rules with no other edit.
import {
	type INode,
	type INodeProperties,
	type INodePropertyOptions,
	NodeHelpers,
} from 'n8n-workflow';

import { buildCreateBody } from '../nodes/WanVideo/actions/createBody';
import { buildCreateFields } from '../nodes/WanVideo/descriptions/create.fields';
import { MEDIA_FIELDS } from '../nodes/WanVideo/descriptions/modelFields';
import { operationField, resourceField } from '../nodes/WanVideo/descriptions/video.operations';
import { MODELS, type ModelRules, type ModelTable } from '../nodes/shared/models';
import { WanVideo } from '../nodes/WanVideo/WanVideo.node';
import { validateWanCreate } from './simulator/wanModels';

const description = new WanVideo().description;

/** The top-level fields n8n shows for these parameters, with the values it resolves. */
function editor(
	parameters: Record<string, unknown>,
	typeVersion: number,
	properties = description.properties,
) {
	const node = { typeVersion, parameters } as unknown as INode;
	const values = NodeHelpers.getNodeParameters(
		properties,
		{ resource: 'video', operation: 'create', ...parameters } as never,
		true,
		false,
		node,
		description,
	)!;
	const shown = properties.filter((field) =>
		NodeHelpers.displayParameter(values, field, node, description),
	);
	return { values, shown, field: (name: string) => shown.find((field) => field.name === name) };
}

const optionValues = (field: INodeProperties | undefined) =>
	(field?.options as INodePropertyOptions[] | undefined)?.map((option) => option.value) ?? [];

const noLengths = { seconds: () => undefined };

/** A body EvoLink takes for this model (by hand, from the simulator's view), to vary one field of. */
const SAMPLE_INPUTS: Record<string, Record<string, unknown>> = {
	'wan2.5-image-to-video': { prompt: 'x', image_urls: ['https://a.example/1.png'] },
	'wan2.5-text-to-video': { prompt: 'x' },
	'wan2.6-image-to-video': { prompt: 'x', image_urls: ['https://a.example/1.png'] },
	'wan2.6-image-to-video-flash': { prompt: 'x', image_urls: ['https://a.example/1.png'] },
	'wan2.6-text-to-video': { prompt: 'x' },
	'wan2.6-reference-video': { prompt: 'x', video_urls: ['https://a.example/1.mp4'] },
	'wan2.6-reference-video-flash': { prompt: 'x', video_urls: ['https://a.example/1.mp4'] },
	'wan2.7-image-to-video': { image_start: 'https://a.example/1.png' },
	'wan2.7-text-to-video': { prompt: 'x' },
	'wan2.7-reference-video': { prompt: 'x', image_urls: ['https://a.example/1.png'] },
	'wan2.7-video-edit': { video_urls: ['https://a.example/1.mp4'] },
	'wan3.0-image-to-video': { image_start: 'https://a.example/1.png' },
	'wan3.0-text-to-video': { prompt: 'x' },
	'wan3.0-reference-video': { prompt: 'x' },
	'wan3.0-prime-image-to-video': { image_start: 'https://a.example/1.png' },
	'wan3.0-prime-text-to-video': { prompt: 'x' },
	'wan3.0-prime-reference-video': { prompt: 'x' },
};

/** Which of `candidates` EvoLink takes in `field` for the model (the simulator answers). */
const taken = (model: string, field: string, candidates: unknown[]) =>
	candidates.filter(
		(value) =>
			validateWanCreate({ model, ...SAMPLE_INPUTS[model], [field]: value }, noLengths) === null,
	);

/** The body field each input kind of the editor ends up in, for this model (as the table says). */
const bodyFieldOf = (rules: ModelRules, kind: string) =>
	[rules, ...Object.values(rules.modes ?? {})]
		.map((set) => set.inputs[kind as keyof typeof set.inputs]?.field)
		.find(Boolean);

describe.each(Object.keys(MODELS))('the editor for %s offers what EvoLink takes', (model) => {
	const rules = (MODELS as ModelTable)[model];
	const { field } = editor({ model, startFrom: rules.startFrom }, 2);

	it('every duration it takes, and no other', () => {
		const candidates = Array.from({ length: 45 }, (_, n) => n - 2);
		expect(optionValues(field('duration')).sort((a, b) => Number(a) - Number(b))).toEqual(
			taken(model, 'duration', candidates),
		);
	});

	it('every quality it takes, and no other', () => {
		expect(optionValues(field('quality'))).toEqual(
			taken(model, 'quality', ['360p', '480p', '540p', '720p', '1080p', '4k']),
		);
	});

	it('the aspect ratios it takes, and no other', () => {
		const candidates = ['adaptive', '16:9', '9:16', '1:1', '4:3', '3:4', '21:9'];
		expect(optionValues(field('aspectRatio')).filter(Boolean).sort()).toEqual(
			taken(model, 'aspect_ratio', candidates).sort(),
		);
	});

	it('a field for each kind of media it takes, going where EvoLink reads it', () => {
		for (const [kind, names] of Object.entries(MEDIA_FIELDS)) {
			const target = bodyFieldOf(rules, kind);
			const modes = Object.keys(rules.modes ?? { none: 0 });
			const shownInSomeMode = modes.some(
				(mode) =>
					editor(
						{ model, startFrom: rules.startFrom, generationMode: mode, [names.source]: 'url' },
						1,
					).field(names.url) !== undefined,
			);
			expect([kind, shownInSomeMode]).toEqual([kind, target !== undefined]);
			if (target) {
				const value = target.endsWith('_urls') ? ['https://a.example/x'] : 'https://a.example/x';
				expect(Object.keys({ ...SAMPLE_INPUTS[model], [target]: value })).toContain(target);
				expect(
					validateWanCreate({ model, ...SAMPLE_INPUTS[model], [target]: value }, noLengths)
						?.message ?? '',
				).not.toMatch(/not supported/);
			}
		}
	});
});

describe('node versions', () => {
	it('version 1 keeps what 0.1 and 0.2 saved: Wan 2.6 image to video, no wait', () => {
		const { values, field } = editor({}, 1);
		expect(values.model).toBe('wan2.6-image-to-video');
		expect(values.waitForCompletion).toBe(false);
		expect(field('download')).toBeUndefined();
		expect(field('waitOptions')).toBeUndefined(); // shown only while waiting
		expect(optionValues(field('model'))).toHaveLength(Object.keys(MODELS).length);
	});

	it('version 2 starts from an image with Wan 3.0, waits and downloads', () => {
		const { values, field } = editor({}, 2);
		expect(values).toMatchObject({
			startFrom: 'image',
			model: 'wan3.0-image-to-video',
			waitForCompletion: true,
			download: true,
		});
		expect(field('waitOptions')).toBeUndefined();
		expect(optionValues(field('model'))).toEqual([
			'wan3.0-prime-image-to-video',
			'wan3.0-image-to-video',
			'wan2.7-image-to-video',
			'wan2.6-image-to-video-flash',
			'wan2.6-image-to-video',
			'wan2.5-image-to-video',
		]);
	});

	it('version 2 groups every model by what it starts from; continuing a video is under "A Video"', () => {
		const groups = ['image', 'text', 'references', 'video'].map((startFrom) =>
			optionValues(editor({ startFrom }, 2).field('model')),
		);
		expect(new Set(groups.flat())).toEqual(new Set(Object.keys(MODELS)));
		expect(groups[3]).toEqual(['wan2.7-video-edit', 'wan2.7-image-to-video']);
		const continuing = editor({ startFrom: 'video', model: 'wan2.7-image-to-video' }, 2);
		expect(continuing.values.generationMode).toBe('video_continuation');
		expect(optionValues(continuing.field('generationMode'))).toEqual(['video_continuation']);
	});
});

const NEW_MODEL = 'wan9.0-image-to-video';
const WITH_NEW_MODEL: ModelTable = {
	...MODELS,
	[NEW_MODEL]: {
		...MODELS['wan3.0-image-to-video'],
		label: 'Wan 9.0 Image to Video',
		summary: 'A model invented for this test',
		durations: [4, 8],
		defaultDuration: 4,
		smartDuration: false,
		qualities: ['1080p', '4k'],
		inputs: { firstFrame: MODELS['wan3.0-image-to-video'].inputs.firstFrame! },
	},
};

describe('a 16th model is one table entry', () => {
	const fields = buildCreateFields(WITH_NEW_MODEL);
	const { field } = editor({ model: NEW_MODEL, startFrom: 'image' }, 2, [
		resourceField,
		operationField,
		...fields,
	]);

	it('is offered in its group, with its label and summary', () => {
		expect(field('model')?.options).toContainEqual({
			name: 'Wan 9.0 Image to Video',
			value: NEW_MODEL,
			description: 'A model invented for this test',
		});
	});

	it('shows its own durations, qualities and inputs, and no other', () => {
		expect(optionValues(field('duration'))).toEqual([4, 8]);
		expect(field('duration')?.default).toBe(4);
		expect(optionValues(field('quality'))).toEqual(['1080p', '4k']);
		expect(field('imageSource')).toBeDefined();
		expect(field('lastFrameSource')).toBeUndefined();
		expect(field('generateAudio')).toBeDefined();
		expect(field('promptExtend')).toBeUndefined();
	});

	it('is checked by its own rules', () => {
		const node = { name: 'Wan Video', type: 'n8n-nodes-wan-video.wanVideo' } as INode;
		const input = {
			model: NEW_MODEL,
			prompt: 'The cat looks up',
			duration: 8,
			quality: '4k',
			media: {
				firstFrame: {
					from: 'url' as const,
					field: 'First Frame URL',
					value: 'https://example.com/cat.png',
				},
			},
		};
		const options = { evoLinkRules: true, models: WITH_NEW_MODEL };
		expect(buildCreateBody(node, 0, input, options).body).toEqual({
			model: NEW_MODEL,
			prompt: 'The cat looks up',
			image_start: 'https://example.com/cat.png',
			duration: 8,
			quality: '4k',
			aspect_ratio: 'adaptive',
			generate_audio: true,
		});
		expect(() => buildCreateBody(node, 0, { ...input, duration: 5 }, options)).toThrow(
			'Duration: must be 4 or 8 seconds with Wan 9.0 Image to Video',
		);
		expect(() => buildCreateBody(node, 0, { ...input, quality: '720p' }, options)).toThrow(
			'Quality: must be 1080p or 4k with Wan 9.0 Image to Video',
		);
		// the shipped table does not know it
		expect(() => buildCreateBody(node, 0, input, { evoLinkRules: true })).toThrow(
			/^Model: must be one of/,
		);
	});
});
