'use strict';
// What EvoLink's docs say each Wan model takes on POST /v1/videos/generations (docs/evolink-api.md,
// "The Wan models"), written for the simulator on its own, apart from the node's model table
// (nodes/shared/models.ts): the simulator is the check on that table, so it must not reuse it.
//
// Each model has the fields it accepts (anything else is refused, as a strict API would), their
// types and ranges, what is required, and `rules(body, known)`: the docs' prose rules across fields
// (which inputs go together, counts, lengths). `known.seconds(url)` gives the length of a video the
// simulator itself made (a finished task's result), else undefined. Every rule answers
// `[param, message]` or nothing.

const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'];
const string = (maxLength) => ({ type: 'string', maxLength });
const integer = (min, max) => ({ type: 'integer', min, max });
const oneOf = (...values) => ({ type: 'enum', values });
const uri = { type: 'uri' };
const uris = (maxItems, minItems = 0) => ({ type: 'uris', minItems, maxItems });
const boolean = { type: 'boolean' };
const SEED_27 = integer(1, 2147483647);
const SEED_30 = integer(0, 2147483647);

/** `params` of model_params, each with its own shape. */
const modelParams = (params) => ({ type: 'object', params });

const has = (body, field) => body[field] !== undefined;
const count = (body, field) => (Array.isArray(body[field]) ? body[field].length : 0);
const sum = (values) => values.reduce((total, value) => total + value, 0);
/** The seconds of the videos at `field` the simulator knows (its own results). */
const knownSeconds = (body, field, known) =>
	(Array.isArray(body[field]) ? body[field] : [])
		.map((url) => known.seconds(url))
		.filter((s) => s !== undefined);

const WAN25_I2V = {
	required: ['prompt', 'image_urls'],
	fields: {
		prompt: string(2000),
		duration: oneOf(5, 10),
		quality: oneOf('480p', '720p', '1080p'),
		image_urls: uris(1, 1),
		prompt_extend: boolean,
	},
};

const WAN26 = {
	prompt: string(1500),
	duration: integer(2, 15),
	quality: oneOf('720p', '1080p'),
	prompt_extend: boolean,
	model_params: modelParams({ shot_type: oneOf('single', 'multi') }),
	audio_url: uri,
};

const WAN26_I2V = {
	required: ['prompt', 'image_urls'],
	fields: { ...WAN26, image_urls: uris(1, 1) },
};

const WAN26_REF = {
	required: ['prompt', 'video_urls'],
	fields: {
		prompt: string(1500),
		video_urls: uris(3, 1),
		aspect_ratio: oneOf(...RATIOS),
		quality: oneOf('720p', '1080p'),
		duration: integer(2, 10),
		model_params: modelParams({ shot_type: oneOf('single', 'multi') }),
	},
};

const WAN27 = {
	prompt: string(Infinity), // longer prompts are cut, not refused (docs)
	negative_prompt: string(Infinity),
	quality: oneOf('720p', '1080p'),
	duration: integer(2, 15),
	seed: SEED_27,
	prompt_extend: boolean,
};

const WAN30 = {
	prompt: string(Infinity),
	duration: { type: 'duration30' },
	quality: oneOf('480p', '720p', '1080p'),
	aspect_ratio: oneOf('adaptive', ...RATIOS),
	generate_audio: boolean,
	seed: SEED_30,
};

const WAN30_I2V = {
	required: ['image_start'],
	fields: { ...WAN30, image_start: uri, image_end: uri },
	rules: (body) =>
		has(body, 'image_end') && !has(body, 'image_start')
			? ['image_end', 'image_end needs image_start']
			: undefined,
};

const WAN30_T2V = { required: ['prompt'], fields: WAN30 };

const WAN30_REF = {
	required: [],
	fields: {
		...WAN30,
		image_urls: uris(10),
		video_urls: uris(5),
		audio_urls: uris(5),
		model_params: modelParams({ file_url: uri, link_url: uri }),
	},
	rules(body, known) {
		const material =
			count(body, 'image_urls') + count(body, 'video_urls') + count(body, 'audio_urls');
		const params = body.model_params ?? {};
		if (!has(body, 'prompt') && !material && !params.file_url && !params.link_url) {
			return ['prompt', 'prompt or reference material is required'];
		}
		if (params.file_url && params.link_url)
			return ['model_params', 'file_url and link_url are mutually exclusive'];
		const videoSeconds = sum(knownSeconds(body, 'video_urls', known));
		if (videoSeconds > 15) return ['video_urls', 'reference videos may last 15 s in all'];
		if (body.duration > 0 && videoSeconds + body.duration > 30) {
			return ['duration', 'reference videos + output must not exceed 30 s'];
		}
		return undefined;
	},
};

/** The six input combinations of wan2.7-image-to-video, by generation mode. */
const WAN27_I2V_MODES = {
	first_frame: { needs: ['image_start'], may: ['audio_urls'] },
	first_last_frame: { needs: ['image_start', 'image_end'], may: ['audio_urls'] },
	video_continuation: { needs: ['video_urls'], may: ['image_end'] },
};

function wan27ImageToVideoRules(body, known) {
	const given = ['image_start', 'image_end', 'video_urls', 'audio_urls'].filter((field) =>
		has(body, field),
	);
	const modes = body.generation_mode ? [body.generation_mode] : Object.keys(WAN27_I2V_MODES);
	const fits = modes.find((mode) => {
		const { needs, may } = WAN27_I2V_MODES[mode];
		return (
			needs.every((field) => given.includes(field)) &&
			given.every((field) => needs.includes(field) || may.includes(field))
		);
	});
	if (!fits)
		return ['generation_mode', `invalid combination of inputs: ${given.join(' + ') || 'none'}`];
	if (has(body, 'video_urls')) {
		if (count(body, 'video_urls') !== 1) return ['video_urls', 'only 1 video is supported'];
		const [seconds] = knownSeconds(body, 'video_urls', known);
		if (seconds !== undefined && (seconds < 2 || seconds > 10))
			return ['video_urls', 'the input video must be 2-10 s'];
		if (seconds !== undefined && (body.duration ?? 5) < seconds) {
			return ['duration', 'duration must be at least the input video length'];
		}
	}
	return undefined;
}

const MODEL_SPECS = {
	'wan2.5-image-to-video': WAN25_I2V,
	'wan2.5-text-to-video': {
		required: ['prompt'],
		fields: {
			prompt: string(2000),
			aspect_ratio: oneOf(...RATIOS),
			quality: oneOf('480p', '720p', '1080p'),
			duration: oneOf(5, 10),
			prompt_extend: boolean,
		},
		rules: (body) =>
			body.quality === '480p' && ['4:3', '3:4'].includes(body.aspect_ratio)
				? ['aspect_ratio', '480p supports 16:9, 9:16 and 1:1 only']
				: undefined,
	},
	'wan2.6-image-to-video': WAN26_I2V,
	'wan2.6-image-to-video-flash': {
		...WAN26_I2V,
		fields: { ...WAN26_I2V.fields, generate_audio: boolean },
	},
	'wan2.6-text-to-video': {
		required: ['prompt'],
		fields: { ...WAN26, aspect_ratio: oneOf(...RATIOS) },
	},
	'wan2.6-reference-video': WAN26_REF,
	'wan2.6-reference-video-flash': {
		...WAN26_REF,
		fields: { ...WAN26_REF.fields, generate_audio: boolean },
	},
	'wan2.7-image-to-video': {
		required: [],
		fields: {
			...WAN27,
			generation_mode: oneOf(...Object.keys(WAN27_I2V_MODES)),
			image_start: uri,
			image_end: uri,
			video_urls: uris(Infinity),
			audio_urls: uris(1, 1),
		},
		rules: wan27ImageToVideoRules,
	},
	'wan2.7-text-to-video': {
		required: ['prompt'],
		fields: { ...WAN27, aspect_ratio: oneOf(...RATIOS), audio_urls: uris(1, 1) },
	},
	'wan2.7-reference-video': {
		required: ['prompt'],
		fields: {
			...WAN27,
			aspect_ratio: oneOf(...RATIOS),
			image_start: uri,
			image_urls: uris(Infinity),
			video_urls: uris(Infinity),
			audio_urls: uris(5),
			model_params: modelParams({ voice_bindings: { type: 'voiceBindings' } }),
		},
		rules(body) {
			const references = count(body, 'image_urls') + count(body, 'video_urls');
			if (references < 1 || references > 5)
				return ['image_urls', 'image_urls + video_urls must be 1 to 5'];
			if (has(body, 'video_urls') && (body.duration ?? 5) > 10)
				return ['duration', 'at most 10 s with video_urls'];
			const bindings = body.model_params?.voice_bindings ?? {};
			for (const key of Object.keys(bindings)) {
				const match = /^(image|video)([1-9]\d*)$/.exec(key);
				if (!match) return ['model_params.voice_bindings', `voice_bindings key "${key}" invalid`];
				if (Number(match[2]) > count(body, `${match[1]}_urls`)) {
					return ['model_params.voice_bindings', `voice_bindings.${key} out of range`];
				}
			}
			if (Object.keys(bindings).length > 5)
				return ['model_params.voice_bindings', 'more than 5 bindings'];
			return undefined;
		},
	},
	'wan2.7-video-edit': {
		required: ['video_urls'],
		fields: {
			...WAN27,
			video_urls: uris(1, 1),
			image_urls: uris(4),
			keep_original_sound: boolean,
			aspect_ratio: oneOf(...RATIOS),
			duration: { type: 'editDuration' },
		},
	},
	'wan3.0-image-to-video': WAN30_I2V,
	'wan3.0-text-to-video': WAN30_T2V,
	'wan3.0-reference-video': WAN30_REF,
	// Prime: the same request as Wan 3.0, another price per resolution
	'wan3.0-prime-image-to-video': WAN30_I2V,
	'wan3.0-prime-text-to-video': WAN30_T2V,
	'wan3.0-prime-reference-video': WAN30_REF,
};

function isHttpUrl(value) {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.hostname);
	} catch {
		return false;
	}
}

/** The problem with one field's value, or undefined. */
function fieldProblem(name, value, spec) {
	switch (spec.type) {
		case 'string':
			if (typeof value !== 'string') return `${name} must be a string`;
			return [...value].length > spec.maxLength
				? `${name} must be at most ${spec.maxLength} characters`
				: undefined;
		case 'integer':
			return Number.isInteger(value) && value >= spec.min && value <= spec.max
				? undefined
				: `${name} must be an integer from ${spec.min} to ${spec.max}`;
		case 'enum':
			return spec.values.includes(value)
				? undefined
				: `${name} must be one of: ${spec.values.join(', ')}`;
		case 'boolean':
			return typeof value === 'boolean' ? undefined : `${name} must be a boolean`;
		case 'uri':
			return isHttpUrl(value) ? undefined : `${name} must be an http(s) URL`;
		case 'uris':
			if (!Array.isArray(value) || value.length < spec.minItems || value.length > spec.maxItems) {
				return `${name} must be an array of ${spec.minItems} to ${spec.maxItems} URLs`;
			}
			return value.every(isHttpUrl) ? undefined : `${name} must hold http(s) URLs`;
		case 'duration30':
			return value === -1 || (Number.isInteger(value) && value >= 2 && value <= 30)
				? undefined
				: `${name} must be an integer from 2 to 30, or -1`;
		case 'editDuration':
			return value === 0 || (Number.isInteger(value) && value >= 2 && value <= 10)
				? undefined
				: `${name} must be 0 or an integer from 2 to 10`;
		case 'voiceBindings':
			return value &&
				typeof value === 'object' &&
				!Array.isArray(value) &&
				Object.values(value).every(isHttpUrl)
				? undefined
				: `${name} must map references to audio URLs`;
		case 'object':
			if (!value || typeof value !== 'object' || Array.isArray(value))
				return `${name} must be an object`;
			for (const [param, inner] of Object.entries(value)) {
				if (!spec.params[param]) return `${name}.${param} is not supported`;
				const problem = fieldProblem(`${name}.${param}`, inner, spec.params[param]);
				if (problem) return problem;
			}
			return undefined;
		default:
			return `${name}: unknown rule`;
	}
}

/**
 * The first problem with a create body, as `{ param, message }`, or null: unknown model, unknown
 * field for the model, missing required field, a value out of its type or range, a prose rule.
 */
function validateWanCreate(body, known) {
	const bad = (param, message) => ({ param, message });
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return bad(undefined, 'Request body must be a JSON object');
	const spec = MODEL_SPECS[body.model];
	if (!spec) return bad('model', `model must be one of: ${Object.keys(MODEL_SPECS).join(', ')}`);
	for (const field of Object.keys(body)) {
		if (field !== 'model' && field !== 'callback_url' && !spec.fields[field]) {
			return bad(field, `${field} is not supported by ${body.model}`);
		}
	}
	for (const field of spec.required) {
		if (!has(body, field)) return bad(field, `${field} is required`);
	}
	for (const [field, rule] of Object.entries(spec.fields)) {
		if (!rule || !has(body, field)) continue;
		const problem = fieldProblem(field, body[field], rule);
		// a problem names its parameter first: "model_params.shot_type must be one of …"
		if (problem) return bad(problem.split(' ')[0], problem);
	}
	if (has(body, 'prompt') && body.prompt.trim() === '')
		return bad('prompt', 'prompt must not be empty');
	if (
		has(body, 'callback_url') &&
		(!isHttpUrl(body.callback_url) || body.callback_url.length > 2048)
	) {
		// The real API wants public HTTPS only; this test server also takes http and loopback.
		return bad('callback_url', 'callback_url must be an http(s) URL of at most 2048 characters');
	}
	const broken = spec.rules?.(body, known);
	return broken ? bad(broken[0], broken[1]) : null;
}

/** Credits a create reserves: per second of output (and of billed input), at the quality's price. */
function creditsFor(body, known) {
	const wan30 = body.model.startsWith('wan3.0');
	const prices = body.model.includes('prime')
		? { '480p': 1, '720p': 2.06, '1080p': 4.12 }
		: wan30
			? { '480p': 1, '720p': 2, '1080p': 4 }
			: { '480p': 0.5, '720p': 1, '1080p': 2 };
	const inputSeconds = sum(knownSeconds(body, 'video_urls', known));
	// -1: held for the longest; 0 (an edit keeping its length): the input's length, 5 s if unknown
	const output = body.duration === -1 ? 30 : body.duration || inputSeconds || 5;
	const billedInput = /reference-video|video-edit/.test(body.model) ? inputSeconds : 0;
	return Math.round((output + billedInput) * (prices[body.quality ?? '720p'] ?? 1) * 100) / 100;
}

module.exports = {
	MODEL_SPECS,
	validateWanCreate,
	creditsFor,
	WAN_MODELS: Object.keys(MODEL_SPECS),
};
