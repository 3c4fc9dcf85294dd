// Every documented limit of every model, at its edges, generated from the model table: the limit
// passes and one past it is refused, naming the field. Each body the node builds is then put to the
// simulator's own reading of EvoLink's docs (test/simulator/wanModels.js, written apart from the
// table): a limit wrong in the table fails here twice, once in each direction. Pure: no engine.
import type { INode } from 'n8n-workflow';

import {
	buildCreateBody,
	type CreateInput,
	type MediaGiven,
} from '../nodes/WanVideo/actions/createBody';
import { MEDIA_FIELDS } from '../nodes/WanVideo/descriptions/modelFields';
import {
	durationChoices,
	inputSetOf,
	type InputKind,
	MODELS,
	type ModelRules,
} from '../nodes/shared/models';
import { validateWanCreate } from './simulator/wanModels';

const node = { name: 'Wan Video', type: 'n8n-nodes-wan-video.wanVideo', typeVersion: 2 } as INode;
const noLengths = { seconds: () => undefined };

/** One URL per file, of the right kind: the URL's extension is part of what is checked. */
const EXTENSIONS: Record<InputKind, string> = {
	firstFrame: 'png',
	lastFrame: 'png',
	video: 'mp4',
	referenceImages: 'png',
	referenceVideos: 'mp4',
	referenceAudio: 'wav',
	audio: 'mp3',
};
const urls = (kind: InputKind, count: number) =>
	Array.from(
		{ length: count },
		(_, n) => `https://cdn.example.com/${kind}-${n}.${EXTENSIONS[kind]}`,
	);

const given = (kind: InputKind, count: number): MediaGiven => ({
	from: 'url',
	field: kind === 'audio' ? 'Audio URL' : `${MEDIA_FIELDS[kind].label} URLs`,
	value: urls(kind, count),
});

/** Every (model, mode) pair of the table. */
const TARGETS: Array<{ model: string; mode?: string; rules: ModelRules; name: string }> =
	Object.entries(MODELS as Record<string, ModelRules>).flatMap(([model, rules]) =>
		rules.modes
			? Object.keys(rules.modes).map((mode) => ({ model, mode, rules, name: `${model} (${mode})` }))
			: [{ model, rules, name: model }],
	);

/** The least a model (in a mode) needs: its required inputs, a prompt, its defaults. */
function minimalInput(model: string, mode: string | undefined, rules: ModelRules): CreateInput {
	const { inputs, limits } = inputSetOf(rules, mode);
	const media: CreateInput['media'] = {};
	for (const [kind, spec] of Object.entries(inputs) as Array<[InputKind, { min: number }]>) {
		if (spec.min) media[kind] = given(kind, spec.min);
	}
	if (limits?.together && !limits.together.kinds.some((kind) => media[kind])) {
		media[limits.together.kinds[0]] = given(limits.together.kinds[0], limits.together.min);
	}
	return {
		model,
		mode,
		prompt: 'A cat turns its head',
		duration: rules.defaultDuration,
		quality: rules.qualities[0],
		media,
	};
}

function build(input: CreateInput) {
	return buildCreateBody(node, 0, input, { evoLinkRules: true }).body;
}

/** The node builds the body and the simulator's reading of the docs accepts it. */
function expectAccepted(input: CreateInput) {
	const body = build(input);
	expect(validateWanCreate(body, noLengths)).toBeNull();
	return body;
}

describe.each(TARGETS)(
	'$name: the limits of the table, at their edges',
	({ model, mode, rules }) => {
		const base = () => minimalInput(model, mode, rules);

		it('takes the least it needs', () => {
			expect(expectAccepted(base())).toMatchObject({ model });
		});

		it(`takes a prompt of ${rules.prompt.maxChars} characters and refuses one more`, () => {
			const limit = rules.prompt.maxChars;
			expectAccepted({ ...base(), prompt: 'x'.repeat(limit) });
			expect(() => build({ ...base(), prompt: 'x'.repeat(limit + 1) })).toThrow(
				new RegExp(`^Prompt: must be at most ${limit} characters`),
			);
		});

		it('takes every duration it offers, and refuses those just outside', () => {
			const choices = durationChoices(rules);
			for (const duration of choices) expectAccepted({ ...base(), duration });
			const positive = choices.filter((seconds) => seconds > 0);
			for (const outside of [positive[0] - 1, positive.at(-1)! + 1, 7.5]) {
				if (choices.includes(outside)) continue;
				expect(() => build({ ...base(), duration: outside })).toThrow(/^Duration: must be /);
			}
		});

		it('takes each of its qualities and refuses others', () => {
			for (const quality of rules.qualities) expectAccepted({ ...base(), quality });
			expect(() => build({ ...base(), quality: '4k' })).toThrow(/^Quality: must be /);
		});

		const inputs = Object.entries(inputSetOf(rules, mode).inputs) as Array<
			[InputKind, { min: number; max: number }]
		>;
		// (a model without media inputs has no such test)
		if (inputs.length)
			it.each(inputs)('takes as many %s as allowed, and refuses one more', (kind, spec) => {
				// inputs counted together (references): this one alone fills the total
				const together = inputSetOf(rules, mode).limits?.together;
				const shared = together?.kinds.includes(kind) ? together : undefined;
				const others = { ...base().media };
				for (const other of shared?.kinds ?? []) delete others[other];
				const withCount = (count: number) => ({
					...base(),
					media: { ...others, [kind]: given(kind, count) },
				});
				const max = shared ? Math.min(spec.max, shared.max) : spec.max;
				expectAccepted(withCount(max));
				expect(() => build(withCount(max + 1))).toThrow(
					/(takes at most|needs exactly one|need \d+ to \d+ in all)/,
				);
				const min = Math.max(spec.min, shared?.min ?? 0);
				if (min) expect(() => build(withCount(min - 1))).toThrow(/(is required|needs? \d+ to \d+)/);
			});

		if (rules.seed) {
			const { min, max } = rules.seed;
			it(`takes seeds from ${min} to ${max} and refuses those outside`, () => {
				expect(expectAccepted({ ...base(), seed: min })).toMatchObject({ seed: min });
				expectAccepted({ ...base(), seed: max });
				for (const seed of [min - 1, max + 1, 1.5]) {
					expect(() => build({ ...base(), seed })).toThrow(/^Seed: must be a whole number/);
				}
			});
		}

		if (rules.negativePromptChars) {
			const limit = rules.negativePromptChars;
			it(`takes a negative prompt of ${limit} characters and refuses one more`, () => {
				expectAccepted({ ...base(), negativePrompt: 'x'.repeat(limit) });
				expect(() => build({ ...base(), negativePrompt: 'x'.repeat(limit + 1) })).toThrow(
					/^Negative Prompt: must be at most/,
				);
			});
		}

		if (rules.aspectRatio) {
			const { choices, byQuality } = rules.aspectRatio;
			it('takes each of its aspect ratios and refuses others', () => {
				for (const aspectRatio of choices) {
					const quality = rules.qualities.find((q) =>
						(byQuality?.[q] ?? choices).includes(aspectRatio),
					)!;
					expectAccepted({ ...base(), quality, aspectRatio });
				}
				expect(() => build({ ...base(), aspectRatio: '21:9' })).toThrow(/^Aspect Ratio: must be /);
			});
		}
	},
);

describe('the simulator refuses what the node refuses, for the rules it can see', () => {
	// The node's refusals above never reach the simulator; these bodies are built by hand to show the
	// simulator's reading of the docs is not a rubber stamp.
	it.each([
		[
			'an unknown field',
			{ model: 'wan2.6-image-to-video', prompt: 'x', image_urls: ['https://a/b.png'], seed: 1 },
			'seed',
		],
		[
			'a last frame without a first',
			{ model: 'wan3.0-image-to-video', image_end: 'https://a/b.png' },
			'image_start',
		],
		[
			'6 references',
			{ model: 'wan2.7-reference-video', prompt: 'x', image_urls: urls('referenceImages', 6) },
			'image_urls',
		],
		['seed 0 on Wan 2.7', { model: 'wan2.7-text-to-video', prompt: 'x', seed: 0 }, 'seed'],
		['duration 31', { model: 'wan3.0-text-to-video', prompt: 'x', duration: 31 }, 'duration'],
		[
			'audio with a continuation',
			{
				model: 'wan2.7-image-to-video',
				generation_mode: 'video_continuation',
				video_urls: ['https://a/c.mp4'],
				audio_urls: ['https://a/a.mp3'],
			},
			'generation_mode',
		],
		[
			'4:3 at 480p on Wan 2.5',
			{ model: 'wan2.5-text-to-video', prompt: 'x', quality: '480p', aspect_ratio: '4:3' },
			'aspect_ratio',
		],
	])('%s', (_case, body, param) => {
		expect(validateWanCreate(body, noLengths)).toMatchObject({ param });
	});
});
