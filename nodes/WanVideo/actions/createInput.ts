import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidField } from '../../shared/errors';
import {
	defaultModeOf,
	defaultsOf,
	inputSetOf,
	type InputKind,
	isModelName,
	type MediaInput,
	MODELS,
	type ModelRules,
	type ModelTable,
	V1_DEFAULT_MODEL,
} from '../../shared/models';
import { type CheckedFile, readBinaryFile } from '../../shared/upload';
import { MEDIA_FIELDS, mediaFieldLabels } from '../descriptions/modelFields';
import type { CreateInput, MediaGiven } from './createBody';

// Create's parameters of one item, read as the chosen model shows them, with its binary files read
// and checked (their bytes are not kept: they are read again to upload).

type Param = (name: string, fallback?: unknown) => unknown;

/** Binary field names: "data, data_1" or an array from an expression. */
function propertyList(value: unknown): string[] {
	const names = Array.isArray(value) ? value : String(value ?? '').split(/[\s,]+/);
	return names.map((name) => String(name).trim()).filter(Boolean);
}

/** Reads and checks the files of binary fields; bad or missing files stop here, naming the field. */
async function readFiles(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	properties: string[],
	spec: MediaInput,
): Promise<CheckedFile[]> {
	const files: CheckedFile[] = [];
	for (const property of properties) {
		// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the bytes stay out of the plan
		const { bytes, ...file } = await readBinaryFile(ctx, itemIndex, {
			field,
			property,
			rules: spec.file,
		});
		files.push(file);
	}
	return files;
}

/** One media input from its fields: a source, then URLs or binary field names. */
async function readMedia(
	ctx: IExecuteFunctions,
	itemIndex: number,
	param: Param,
	kind: Exclude<InputKind, 'audio'>,
	spec: MediaInput,
): Promise<MediaGiven> {
	const names = MEDIA_FIELDS[kind];
	const labels = mediaFieldLabels(names);
	const source = param(names.source, 'url');
	if (source === 'url') return { from: 'url', field: labels.url, value: param(names.url, '') };
	const field = labels.binary;
	if (source !== 'binary') {
		throw invalidField(ctx.getNode(), itemIndex, names.label, 'must be url or binary', source);
	}
	const properties = propertyList(param(names.binary, ''));
	if (!properties.length) {
		throw invalidField(
			ctx.getNode(),
			itemIndex,
			field,
			'must name a binary field of the input, e.g. data',
			'',
		);
	}
	return { from: 'binary', field, files: await readFiles(ctx, itemIndex, field, properties, spec) };
}

/** The soundtrack from Options: a URL or a binary field, not both. */
async function readAudio(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	spec: MediaInput | undefined,
): Promise<MediaGiven | undefined> {
	const url = options.audioUrl;
	const property = options.audioBinaryProperty;
	const given = (value: unknown) => value !== undefined && value !== '';
	if (given(url) && given(property)) {
		throw invalidField(
			ctx.getNode(),
			itemIndex,
			'Audio URL',
			'cannot go with Audio Binary Field: use one of them',
			url,
		);
	}
	if (given(url)) return { from: 'url', field: 'Audio URL', value: url };
	if (!given(property)) return undefined;
	const field = 'Audio Binary Field';
	// a mode without audio: the body check refuses it by name, no file needed
	if (!spec) return { from: 'url', field, value: property };
	return {
		from: 'binary',
		field,
		files: await readFiles(ctx, itemIndex, field, propertyList(property), spec),
	};
}

/** Voice Bindings: a JSON object of reference → audio URL or binary field name. */
async function readVoiceBindings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	spec: MediaInput | undefined,
): Promise<Record<string, MediaGiven> | undefined> {
	if (raw === undefined || raw === '' || spec === undefined) return undefined;
	let bindings: unknown = raw;
	try {
		if (typeof raw === 'string') bindings = JSON.parse(raw);
	} catch {
		bindings = undefined;
	}
	if (!bindings || typeof bindings !== 'object' || Array.isArray(bindings)) {
		throw invalidField(
			ctx.getNode(),
			itemIndex,
			'Voice Bindings',
			'must be a JSON object, e.g. {"image1": "https://example.com/voice.mp3"}',
			raw,
		);
	}
	const read: Record<string, MediaGiven> = {};
	for (const [key, value] of Object.entries(bindings as IDataObject)) {
		read[key] =
			typeof value === 'string' && !/^https?:\/\//i.test(value.trim())
				? {
						from: 'binary',
						field: 'Voice Bindings',
						files: await readFiles(ctx, itemIndex, 'Voice Bindings', [value.trim()], spec),
					}
				: { from: 'url', field: 'Voice Bindings', value };
	}
	return read;
}

/** Fields whose default differs between models. */
const PER_MODEL_DEFAULTS = ['duration', 'quality', 'aspectRatio'] as const;

/**
 * With the model from an expression, n8n shows every model's copy of a field and fills one left
 * alone with the default of the copy it reads last: maybe another model's (5 s where an edit keeps
 * the video's length). n8n stores no value equal to a default, so such a value means "left alone":
 * the chosen model's own default replaces it.
 */
function ownDefaults(input: CreateInput, rules: ModelRules): CreateInput {
	const adopted = { ...input };
	for (const field of PER_MODEL_DEFAULTS) {
		const isSomeDefault = Object.values(MODELS as ModelTable).some(
			(other) => defaultsOf(other)[field] === input[field],
		);
		if (isSomeDefault) adopted[field] = defaultsOf(rules)[field];
	}
	return adopted;
}

/** Create's parameters of one item: those the chosen model (and mode) shows, binary files checked. */
export async function readCreateInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<CreateInput> {
	const param: Param = (name, fallback = null) => {
		const value = ctx.getNodeParameter(name, itemIndex, fallback);
		return value === null ? undefined : value;
	};
	const options = (param('options', {}) ?? {}) as IDataObject;
	const model = param('model', V1_DEFAULT_MODEL);
	const rules: ModelRules | undefined = isModelName(model) ? MODELS[model] : undefined;
	const mode = rules?.modes ? param('generationMode', defaultModeOf(rules)) : undefined;
	const inputs = rules ? inputSetOf(rules, typeof mode === 'string' ? mode : undefined).inputs : {};
	const media: CreateInput['media'] = {};
	for (const kind of Object.keys(MEDIA_FIELDS) as Array<Exclude<InputKind, 'audio'>>) {
		const spec = inputs[kind];
		if (spec) media[kind] = await readMedia(ctx, itemIndex, param, kind, spec);
	}
	const audio = await readAudio(ctx, itemIndex, options, inputs.audio);
	if (audio) media.audio = audio;
	const input: CreateInput = {
		model,
		mode,
		prompt: param('prompt', ''),
		duration: param('duration', rules?.defaultDuration ?? 5),
		quality: param('quality', '720p'),
		aspectRatio: param('aspectRatio'),
		promptExtend: param('promptExtend', true),
		shotType: param('shotType'),
		generateAudio: param('generateAudio', true),
		negativePrompt: options.negativePrompt,
		seed: options.seed,
		keepOriginalSound: options.keepOriginalSound,
		voiceBindings: await readVoiceBindings(
			ctx,
			itemIndex,
			options.voiceBindings,
			inputs.referenceAudio,
		),
		referenceDocumentUrl: options.referenceDocumentUrl,
		referenceWebPageUrl: options.referenceWebPageUrl,
		callbackUrl: options.callbackUrl,
		media,
	};
	const rawModel = ctx.getNodeParameter('model', itemIndex, '', { rawExpressions: true });
	return rules && String(rawModel).startsWith('=') ? ownDefaults(input, rules) : input;
}
