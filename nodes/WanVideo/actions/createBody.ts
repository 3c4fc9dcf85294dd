import type { INode, NodeOperationError } from 'n8n-workflow';

import { invalidField } from '../../shared/errors';
import { roundSeconds } from '../../shared/media';
import {
	type FileRules,
	inputSetOf,
	type InputKind,
	type InputSet,
	isDurationAllowed,
	isModelName,
	type MediaInput,
	MODELS,
	type ModelName,
	type ModelRules,
	type ModelTable,
	secondsOf,
} from '../../shared/models';
import type { CheckedFile } from '../../shared/upload';
import { callbackUrlProblem, checkMediaUrl, LIMITS, urlList } from '../../shared/urlRules';

/** One media input as the user gave it: URLs, or binary files already read and checked. */
export type MediaGiven =
	| { from: 'url'; field: string; value: unknown }
	| { from: 'binary'; field: string; files: CheckedFile[] };

/** Create's parameters of one item as the user gave them, before any check. */
export interface CreateInput {
	model: unknown;
	/** The generation mode, for models that have modes. */
	mode?: unknown;
	prompt: unknown;
	duration: unknown;
	quality: unknown;
	aspectRatio?: unknown;
	promptExtend?: unknown;
	shotType?: unknown;
	generateAudio?: unknown;
	negativePrompt?: unknown;
	seed?: unknown;
	keepOriginalSound?: unknown;
	/** Reference ("image1", "video2") to an audio URL or a checked binary file. */
	voiceBindings?: Record<string, MediaGiven>;
	referenceDocumentUrl?: unknown;
	referenceWebPageUrl?: unknown;
	callbackUrl?: unknown;
	media: Partial<Record<InputKind, MediaGiven>>;
}

/** The body of `POST /v1/videos/generations`: the model's own fields only. */
export interface CreateBody {
	model: ModelName;
	[field: string]: unknown;
}

/** A binary file to upload just before the create, and where its URL goes in the body. */
export interface PlannedUpload {
	path: Array<string | number>;
	file: CheckedFile;
}

export interface PlannedBody {
	body: CreateBody;
	uploads: PlannedUpload[];
}

/** The name of each kind of input in errors that concern several fields. */
const INPUT_NAMES: Readonly<Record<InputKind, string>> = {
	firstFrame: 'First Frame',
	lastFrame: 'Last Frame',
	video: 'Video',
	referenceImages: 'Reference Images',
	referenceVideos: 'Reference Videos',
	referenceAudio: 'Reference Audio',
	audio: 'Audio',
};

type Fail = (field: string, value: unknown) => (rule: string) => NodeOperationError;

/** What one item asks of one model: the rules, and the model's name as errors say it. */
interface Target {
	model: ModelName;
	rules: ModelRules;
	inputs: InputSet;
	mode?: string;
	/** "Wan 2.7 Image to Video (Continue a Video)". */
	name: string;
}

/** File extensions a URL may end in, per kind of file (a URL without one is not judged). */
function urlExtensions(file: FileRules): readonly string[] {
	return file.type === 'image' ? LIMITS.imageExtensions : file.formats;
}

function checkTarget(fail: Fail, input: CreateInput, models: ModelTable): Target {
	if (!isModelName(input.model, models)) {
		throw fail('Model', input.model)(`must be one of ${Object.keys(models).join(', ')}`);
	}
	const model = input.model;
	const rules: ModelRules = models[model];
	if (!rules.modes) return { model, rules, inputs: rules, name: rules.label };
	const mode = input.mode;
	if (typeof mode !== 'string' || !rules.modes[mode]) {
		const names = Object.keys(rules.modes).join(', ');
		throw fail('Generation Mode', mode)(`must be one of ${names} with ${rules.label}`);
	}
	const name = `${rules.label} (${rules.modes[mode].label})`;
	return { model, rules, inputs: inputSetOf(rules, mode), mode, name };
}

function checkPrompt(fail: Fail, prompt: unknown, target: Target): string | undefined {
	const { maxChars, required } = target.rules.prompt;
	if (prompt === undefined || prompt === null || prompt === '') {
		if (required) throw fail('Prompt', prompt)(`must not be empty with ${target.name}`);
		return undefined;
	}
	if (typeof prompt !== 'string') throw fail('Prompt', prompt)('must be text');
	if (prompt.trim() === '') throw fail('Prompt', prompt)('must not be empty');
	if (prompt.length > maxChars) {
		throw fail('Prompt', prompt)(`must be at most ${maxChars} characters with ${target.name}`);
	}
	return prompt;
}

/** The URLs or files of one input, counted and checked; their body value, uploads to come. */
interface CheckedInput {
	count: number;
	/** Seconds of the binary files among them (URLs are EvoLink's to measure). */
	knownSeconds: number[];
	value: string | string[];
	uploads: PlannedUpload[];
}

function checkCount(
	fail: Fail,
	given: MediaGiven,
	count: number,
	spec: MediaInput,
	target: Target,
): void {
	const value = given.from === 'url' ? given.value : given.files.map((file) => file.property);
	const what = spec.max === 1 ? (given.from === 'url' ? 'URL' : 'file') : undefined;
	if (count < spec.min) {
		throw fail(
			given.field,
			value,
		)(
			what
				? `is required with ${target.name}`
				: `needs ${spec.min} to ${spec.max} with ${target.name} (got ${count})`,
		);
	}
	if (count > spec.max) {
		throw fail(
			given.field,
			value,
		)(
			what
				? `needs exactly one ${what} (got ${count})`
				: `takes at most ${spec.max} with ${target.name} (got ${count})`,
		);
	}
}

/** How many URLs or files were given. */
const countOf = (given: MediaGiven) =>
	given.from === 'url' ? urlList(given.value).length : given.files.length;

function checkInput(fail: Fail, given: MediaGiven, spec: MediaInput, target: Target): CheckedInput {
	const isList = spec.field.endsWith('_urls');
	const urls = given.from === 'url' ? urlList(given.value) : [];
	const count = countOf(given);
	checkCount(fail, given, count, spec, target);
	const checked =
		given.from === 'url'
			? urls.map((url) => checkMediaUrl(fail(given.field, url), url, urlExtensions(spec.file)))
			: given.files.map(() => '');
	const uploads =
		given.from === 'binary'
			? given.files.map((file, index) => ({
					path: isList ? [spec.field, index] : [spec.field],
					file,
				}))
			: [];
	const knownSeconds =
		given.from === 'binary' ? given.files.map((file) => file.info.seconds ?? 0) : [];
	return { count, knownSeconds, value: isList ? checked : checked[0], uploads };
}

/** The inputs the item gives, checked against the model's: unknown ones are refused. */
function checkInputs(
	fail: Fail,
	media: CreateInput['media'],
	target: Target,
): Partial<Record<InputKind, CheckedInput>> {
	const checked: Partial<Record<InputKind, CheckedInput>> = {};
	for (const [kind, spec] of Object.entries(target.inputs.inputs) as Array<
		[InputKind, MediaInput]
	>) {
		const given = media[kind] ?? { from: 'url', field: INPUT_NAMES[kind], value: '' };
		if (kind === 'firstFrame' && spec.min && !countOf(given) && media.lastFrame) {
			throw fail(
				given.field,
				'',
			)(`is required with ${target.name}: a last frame needs a first one`);
		}
		const result = checkInput(fail, given, spec, target);
		if (result.count) checked[kind] = result;
	}
	for (const [kind, given] of Object.entries(media) as Array<[InputKind, MediaGiven]>) {
		if (countOf(given) && !target.inputs.inputs[kind]) {
			throw fail(
				given.field,
				given.from === 'url' ? given.value : '',
			)(`is not taken by ${target.name}: remove it or pick another model`);
		}
	}
	return checked;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function checkLimits(
	fail: Fail,
	checked: Partial<Record<InputKind, CheckedInput>>,
	target: Target,
): void {
	const limits = target.inputs.limits ?? {};
	if (limits.together) {
		const { kinds, min, max } = limits.together;
		const count = sum(kinds.map((kind) => checked[kind]?.count ?? 0));
		const names = kinds.map((kind) => INPUT_NAMES[kind]).join(' and ');
		if (count < min || count > max) {
			throw fail(names, count)(`need ${min} to ${max} in all with ${target.name} (got ${count})`);
		}
	}
	for (const [kind, maxSeconds] of Object.entries(limits.totalSeconds ?? {}) as Array<
		[InputKind, number]
	>) {
		const seconds = roundSeconds(sum(checked[kind]?.knownSeconds ?? []));
		if (seconds > maxSeconds) {
			throw fail(
				INPUT_NAMES[kind],
				`${seconds} s`,
			)(
				`must be at most ${maxSeconds} s in all with ${target.name} (these are ${seconds.toFixed(1)} s)`,
			);
		}
	}
}

/** A duration the model takes, and one its inputs allow. */
function checkDuration(
	fail: Fail,
	value: unknown,
	checked: Partial<Record<InputKind, CheckedInput>>,
	target: Target,
): number {
	const duration = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const { rules } = target;
	if (!isDurationAllowed(rules, duration)) {
		const seconds = secondsOf(rules);
		const whole = Array.isArray(rules.durations)
			? `${seconds.join(' or ')} seconds`
			: `a whole number of seconds from ${seconds[0]} to ${seconds.at(-1)}`;
		const extras = [
			rules.keepVideoLength ? "0 (keep the video's length)" : '',
			rules.smartDuration ? '-1 (smart)' : '',
		].filter(Boolean);
		throw fail(
			'Duration',
			value,
		)(`must be ${whole}${extras.length ? `, or ${extras.join(' or ')}` : ''} with ${target.name}`);
	}
	const limits = target.inputs.limits ?? {};
	const videoSeconds = checked.video?.knownSeconds[0];
	if (
		limits.durationIncludesVideo &&
		videoSeconds !== undefined &&
		duration < roundSeconds(videoSeconds)
	) {
		throw fail(
			'Duration',
			value,
		)(
			`must be at least the video's length (${roundSeconds(videoSeconds).toFixed(1)} s): it is the length of the whole result`,
		);
	}
	const references = checked.referenceVideos;
	if (
		references &&
		limits.durationWithReferenceVideos &&
		duration > limits.durationWithReferenceVideos
	) {
		throw fail(
			'Duration',
			value,
		)(
			`must be at most ${limits.durationWithReferenceVideos} s with reference videos (${target.name})`,
		);
	}
	const referenceSeconds = roundSeconds(sum(references?.knownSeconds ?? []));
	const cap = limits.referencesPlusOutputSeconds;
	if (cap && duration > 0 && referenceSeconds + duration > cap) {
		throw fail(
			'Duration',
			value,
		)(
			`must be at most ${roundSeconds(cap - referenceSeconds)} s: reference videos (${referenceSeconds.toFixed(1)} s) and the video may last ${cap} s in all`,
		);
	}
	return duration;
}

function checkChoice(
	fail: Fail,
	field: string,
	value: unknown,
	allowed: readonly string[],
	target: Target,
): string {
	if (typeof value === 'string' && allowed.includes(value)) return value;
	const list = allowed.join(', ').replace(/, ([^,]*)$/, ' or $1');
	throw fail(field, value)(`must be ${list} with ${target.name}`);
}

function checkBoolean(fail: Fail, field: string, value: unknown): boolean {
	if (typeof value !== 'boolean') throw fail(field, value)('must be true or false');
	return value;
}

function checkAspectRatio(
	fail: Fail,
	value: unknown,
	quality: string,
	target: Target,
): string | undefined {
	const ratio = target.rules.aspectRatio!;
	const given = value ?? ratio.default ?? '';
	if (given === '' && ratio.default === undefined) return undefined;
	const choices = ratio.byQuality?.[quality] ?? ratio.choices;
	const chosen = checkChoice(fail, 'Aspect Ratio', given, ratio.choices, target);
	if (!choices.includes(chosen)) {
		throw fail(
			'Aspect Ratio',
			given,
		)(`must be ${choices.join(', ')} at ${quality} with ${target.name}`);
	}
	return chosen;
}

function checkShotType(fail: Fail, input: CreateInput, target: Target): string | undefined {
	const { shotType } = input;
	const mode = target.rules.shotType;
	if (!mode || shotType === undefined) return undefined;
	if (shotType !== 'single' && shotType !== 'multi') {
		throw fail('Shot Type', shotType)('must be single or multi');
	}
	if (mode === 'withPromptExtend' && input.promptExtend !== true) {
		if (shotType === 'multi') {
			throw fail(
				'Shot Type',
				shotType,
			)('only works with Prompt Rewriting on: turn it on or use single');
		}
		return undefined;
	}
	return shotType;
}

function checkSeed(fail: Fail, value: unknown, target: Target): number | undefined {
	const range = target.rules.seed;
	if (!range || value === undefined || value === null || value === '') return undefined;
	if (
		typeof value !== 'number' ||
		!Number.isInteger(value) ||
		value < range.min ||
		value > range.max
	) {
		throw fail(
			'Seed',
			value,
		)(`must be a whole number from ${range.min} to ${range.max} with ${target.name}`);
	}
	return value;
}

function checkNegativePrompt(fail: Fail, value: unknown, target: Target): string | undefined {
	const max = target.rules.negativePromptChars;
	if (!max || value === undefined || value === '') return undefined;
	if (typeof value !== 'string') throw fail('Negative Prompt', value)('must be text');
	if (value.length > max) {
		throw fail('Negative Prompt', value)(`must be at most ${max} characters with ${target.name}`);
	}
	return value;
}

const VOICE_KEY = /^(image|video)([1-9]\d*)$/;

/** `model_params.voice_bindings`: a voice per reference image or video given. */
function checkVoiceBindings(
	fail: Fail,
	bindings: CreateInput['voiceBindings'],
	checked: Partial<Record<InputKind, CheckedInput>>,
	target: Target,
): { value: Record<string, string>; uploads: PlannedUpload[] } | undefined {
	const max = target.rules.voiceBindings?.max;
	if (!max || !bindings || !Object.keys(bindings).length) return undefined;
	const keys = Object.keys(bindings);
	if (keys.length > max)
		throw fail('Voice Bindings', keys)(`takes at most ${max} voices (got ${keys.length})`);
	if (checked.referenceAudio) {
		throw fail('Voice Bindings', keys)('replace Reference Audio: use one of them');
	}
	const value: Record<string, string> = {};
	const uploads: PlannedUpload[] = [];
	const audio = (target.inputs.inputs.referenceAudio as MediaInput).file;
	for (const key of keys) {
		const match = VOICE_KEY.exec(key);
		const count =
			match && checked[match[1] === 'image' ? 'referenceImages' : 'referenceVideos']?.count;
		if (!match || !count || Number(match[2]) > count) {
			throw fail(
				'Voice Bindings',
				key,
			)(
				'keys must be image1, image2… or video1, video2…, each naming a reference given (image_start cannot be bound)',
			);
		}
		const voice = checkInput(
			fail,
			bindings[key],
			{ field: 'audio_urls', min: 1, max: 1, file: audio },
			target,
		);
		value[key] = voice.value[0] ?? '';
		uploads.push(
			...voice.uploads.map((upload) => ({
				...upload,
				path: ['model_params', 'voice_bindings', key],
			})),
		);
	}
	return { value, uploads };
}

/** `model_params.file_url` or `link_url`: one document or one web page. */
function checkReferenceDocument(fail: Fail, input: CreateInput, target: Target) {
	if (!target.rules.referenceDocument) return {};
	const given = (value: unknown) => value !== undefined && value !== '';
	const [document, page] = [input.referenceDocumentUrl, input.referenceWebPageUrl];
	if (given(document) && given(page)) {
		throw fail(
			'Reference Document URL',
			document,
		)('cannot go with Reference Web Page URL: use one of them');
	}
	return {
		...(given(document)
			? {
					file_url: checkMediaUrl(
						fail('Reference Document URL', document),
						document,
						LIMITS.documentExtensions,
					),
				}
			: {}),
		...(given(page)
			? { link_url: checkMediaUrl(fail('Reference Web Page URL', page), page, []) }
			: {}),
	};
}

function checkCallbackUrl(
	fail: Fail,
	value: unknown,
	options: { evoLinkRules: boolean; signCallback?: (url: string) => string },
): string {
	const problem =
		typeof value === 'string' ? callbackUrlProblem(value, options.evoLinkRules) : 'must be a URL';
	if (problem) throw fail('Callback URL', value)(problem);
	const signed = options.signCallback?.(String(value)) ?? String(value);
	if (signed.length > LIMITS.callbackUrlChars) {
		const room = LIMITS.callbackUrlChars - (signed.length - String(value).length);
		throw fail(
			'Callback URL',
			value,
		)(`must be at most ${room} characters, to leave room for its signature`);
	}
	return signed;
}

/** The model's own settings: only those it takes, checked. */
function settings(fail: Fail, input: CreateInput, quality: string, target: Target) {
	const { rules } = target;
	const body: Record<string, unknown> = {};
	if (rules.aspectRatio) {
		const ratio = checkAspectRatio(fail, input.aspectRatio, quality, target);
		if (ratio !== undefined) body.aspect_ratio = ratio;
	}
	if (rules.promptExtend)
		body.prompt_extend = checkBoolean(fail, 'Prompt Rewriting', input.promptExtend ?? true);
	const shotType = checkShotType(fail, input, target);
	if (shotType) body.model_params = { shot_type: shotType };
	if (rules.generateAudio)
		body.generate_audio = checkBoolean(fail, 'Generate Audio', input.generateAudio ?? true);
	const negative = checkNegativePrompt(fail, input.negativePrompt, target);
	if (negative !== undefined) body.negative_prompt = negative;
	const seed = checkSeed(fail, input.seed, target);
	if (seed !== undefined) body.seed = seed;
	if (rules.keepOriginalSound) {
		body.keep_original_sound = checkBoolean(
			fail,
			'Keep Original Sound',
			input.keepOriginalSound ?? false,
		);
	}
	return body;
}

/**
 * Checks every rule of the chosen Wan model (and mode) and builds the request body. Binary files
 * are already checked; their URLs go in just before the create (`uploads`). Throws an error naming
 * the field, the rule and the value.
 */
export function buildCreateBody(
	node: INode,
	itemIndex: number,
	input: CreateInput,
	options: {
		evoLinkRules: boolean;
		signCallback?: (url: string) => string;
		/** The model table (shared/models.ts); tests pass a copy with a model added. */
		models?: ModelTable;
	},
): PlannedBody {
	const fail: Fail = (field, value) => (rule) => invalidField(node, itemIndex, field, rule, value);
	const target = checkTarget(fail, input, options.models ?? MODELS);
	const prompt = checkPrompt(fail, input.prompt, target);
	const checked = checkInputs(fail, input.media, target);
	checkLimits(fail, checked, target);
	const duration = checkDuration(fail, input.duration, checked, target);
	const quality = checkChoice(fail, 'Quality', input.quality, target.rules.qualities, target);
	const voices = checkVoiceBindings(fail, input.voiceBindings, checked, target);
	const document = checkReferenceDocument(fail, input, target);
	if (
		target.inputs.limits?.promptOrInput &&
		!prompt &&
		!Object.keys(checked).length &&
		!Object.keys(document).length
	) {
		throw fail('Prompt', input.prompt)(`or at least one reference is needed with ${target.name}`);
	}
	const body: CreateBody = {
		model: target.model,
		...(prompt !== undefined ? { prompt } : {}),
		...(target.mode ? { generation_mode: target.mode } : {}),
	};
	for (const [kind, result] of Object.entries(checked) as Array<[InputKind, CheckedInput]>) {
		body[target.inputs.inputs[kind]!.field] = result.value;
	}
	Object.assign(body, { duration, quality }, settings(fail, input, quality, target));
	const modelParams = {
		...(body.model_params as object | undefined),
		...(voices ? { voice_bindings: voices.value } : {}),
		...document,
	};
	if (Object.keys(modelParams).length) body.model_params = modelParams;
	if (input.callbackUrl !== undefined && input.callbackUrl !== '') {
		body.callback_url = checkCallbackUrl(fail, input.callbackUrl, options);
	}
	const uploads = [
		...Object.values(checked).flatMap((result) => result.uploads),
		...(voices?.uploads ?? []),
	];
	return { body, uploads };
}
