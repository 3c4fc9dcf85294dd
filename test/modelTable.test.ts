// One model table (nodes/shared/models.ts) drives both Create's fields and its rules: a model added
// to a copy of the table gets its own choices in the editor and is checked by its own rules, with no
// other edit.
import type { INode, INodeProperties } from 'n8n-workflow';

import { buildCreateBody } from '../nodes/WanVideo/actions/createBody';
import { buildCreateFields, createFields } from '../nodes/WanVideo/descriptions/create.fields';
import { MODELS, type ModelTable } from '../nodes/shared/models';

const NEW_MODEL = 'wan9.0-image-to-video';
const WITH_NEW_MODEL: ModelTable = {
	...MODELS,
	[NEW_MODEL]: {
		...MODELS['wan2.6-image-to-video'],
		label: 'Wan 9.0 Image to Video',
		summary: 'A model invented for this test',
		durations: [4, 8],
		qualities: ['1080p', '4k'],
		audioSwitch: true,
		shotType: false,
	},
};

const node = { name: 'Wan Video', type: 'n8n-nodes-wan-video.wanVideo' } as INode;
const shownFor = (field: INodeProperties) =>
	(field.displayOptions?.show?.model as string[] | undefined) ?? 'every model';
const fieldsNamed = (fields: INodeProperties[], name: string, model: string) =>
	fields.filter((field) => {
		const models = shownFor(field);
		return field.name === name && (models === 'every model' || models.includes(model));
	});

describe('the model table', () => {
	const fields = buildCreateFields(WITH_NEW_MODEL);

	it('builds the fields n8n shows today from the shipped table', () => {
		expect(buildCreateFields()).toEqual(createFields);
	});

	it('offers a new model in the Model field, with its label and summary', () => {
		const model = fields.find((field) => field.name === 'model')!;
		expect(model.options).toContainEqual({
			name: 'Wan 9.0 Image to Video',
			value: NEW_MODEL,
			description: 'A model invented for this test',
		});
	});

	it("shows the new model's own durations and qualities, and only its fields", () => {
		const [duration] = fieldsNamed(fields, 'duration', NEW_MODEL);
		expect(shownFor(duration)).toEqual([NEW_MODEL]);
		expect(duration.options).toEqual([
			{ name: '4 Seconds', value: 4 },
			{ name: '8 Seconds', value: 8 },
		]);
		expect(duration.default).toBe(4);
		const [quality] = fieldsNamed(fields, 'quality', NEW_MODEL);
		expect(quality.options?.map((option) => (option as { value: string }).value)).toEqual([
			'1080p',
			'4k',
		]);
		expect(fieldsNamed(fields, 'imageUrl', NEW_MODEL)).toHaveLength(1);
		expect(fieldsNamed(fields, 'generateAudio', NEW_MODEL)).toHaveLength(1);
		expect(fieldsNamed(fields, 'shotType', NEW_MODEL)).toHaveLength(0);
		expect(fieldsNamed(fields, 'aspectRatio', NEW_MODEL)).toHaveLength(0);
	});

	it("checks a create for the new model by the new model's rules", () => {
		const input = {
			model: NEW_MODEL,
			prompt: 'The cat looks up',
			imageUrl: 'https://example.com/cat.png',
			duration: 8,
			quality: '4k',
			promptExtend: true,
		};
		const options = { evoLinkRules: true, models: WITH_NEW_MODEL };
		expect(buildCreateBody(node, 0, input, options)).toMatchObject({
			model: NEW_MODEL,
			duration: 8,
			quality: '4k',
			generate_audio: true,
		});
		expect(() => buildCreateBody(node, 0, { ...input, duration: 5 }, options)).toThrow(
			`Duration: must be 4 or 8 seconds for ${NEW_MODEL}`,
		);
		expect(() => buildCreateBody(node, 0, { ...input, quality: '720p' }, options)).toThrow(
			`Quality: must be 1080p or 4k for ${NEW_MODEL}`,
		);
		// the shipped table does not know it
		expect(() => buildCreateBody(node, 0, input, { evoLinkRules: true })).toThrow(
			/^Model: must be one of/,
		);
	});
});
