import {
	type InputKind,
	type InputSet,
	isModelName,
	type MediaInput,
	MODELS,
	type ModelRules,
	type ModelTable,
	secondsOf,
} from './models';

// What a model needs, in words, from the model table: an AI agent that called the tool with a wrong
// combination gets it in the answer, and can fix its call.

const INPUT_WORDS: Record<InputKind, string> = {
	firstFrame: 'first frame image URL',
	lastFrame: 'last frame image URL',
	video: 'video URL (MP4 or MOV) to edit or continue',
	referenceImages: 'reference image URLs',
	referenceVideos: 'reference video URLs',
	referenceAudio: 'reference audio URLs',
	audio: 'audio URL',
};

function inputWords(kind: InputKind, input: MediaInput): string {
	const words = INPUT_WORDS[kind];
	if (input.max === 1) return `${input.min ? 'a' : 'optionally a'} ${words}`;
	return input.min ? `${input.min} to ${input.max} ${words}` : `up to ${input.max} ${words}`;
}

function inputsWords(set: InputSet): string {
	const inputs = Object.entries(set.inputs) as Array<[InputKind, MediaInput]>;
	const together = set.limits?.together;
	const words = inputs.map(([kind, input]) => inputWords(kind, input));
	if (together) words.push(`${together.min} to ${together.max} reference images and videos in all`);
	return words.length ? words.join(', ') : 'no media';
}

function durationWords(rules: ModelRules): string {
	const seconds = secondsOf(rules);
	const range = Array.isArray(rules.durations)
		? `${seconds.join(' or ')} s`
		: `${seconds[0]}–${seconds.at(-1)} s`;
	return [
		range,
		rules.smartDuration ? '-1 (the model decides)' : '',
		rules.keepVideoLength ? "0 (the video's length)" : '',
	]
		.filter(Boolean)
		.join(' or ');
}

/** "wan3.0-image-to-video takes a first frame image URL, …; prompt optional, at most 20000 …". */
export function modelGuide(model: string, models: ModelTable = MODELS): string {
	if (!isModelName(model, models)) {
		return `Models: ${Object.keys(models).join(', ')}.`;
	}
	const rules = models[model];
	const inputs = rules.modes
		? Object.entries(rules.modes)
				.map(([mode, set]) => `generation mode ${mode}: ${inputsWords(set)}`)
				.join('; ')
		: inputsWords(rules);
	const prompt = `prompt ${rules.prompt.required ? 'required' : 'optional'}, at most ${rules.prompt.maxChars} characters`;
	return (
		`${model} (${rules.label}) takes ${inputs}; ${prompt}; duration ${durationWords(rules)}; ` +
		`quality ${rules.qualities.join(', ')}.`
	);
}
