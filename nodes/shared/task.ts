import type { IDataObject, INode } from 'n8n-workflow';

import { invalidField } from './errors';

const TASK_ID_PATTERN = /^task-unified-[A-Za-z0-9_-]{1,100}$/;

/** EvoLink keeps result files for 24 hours. */
const VIDEO_URL_LIFETIME_MS = 24 * 60 * 60 * 1000;

const FINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;
type FinalStatus = (typeof FINAL_STATUSES)[number];

/** The task object as `GET /v1/tasks/{id}` and the completion callback give it. */
export interface EvoLinkTask extends IDataObject {
	id: string;
	status?: string;
	progress?: number;
	created?: number;
	model?: string;
	results?: string[];
	error?: { code?: string | number; message?: string; type?: string };
	task_info?: { can_cancel?: boolean; estimated_time?: number; video_duration?: number };
	usage?: { credits_reserved?: number; billing_rule?: string; [key: string]: unknown };
}

export interface TaskError extends IDataObject {
	code: string;
	message: string;
	hint: string;
	retryable: boolean;
}

const USER_FIXABLE_HINTS: Record<string, string> = {
	content_policy_violation:
		'The prompt or image was flagged by the content filter: change them and create a new task (failed tasks are refunded).',
	invalid_parameters: 'A parameter was refused: check the prompt, duration, quality and URLs.',
	image_processing_error:
		'The image could not be read: use a directly downloadable JPEG, PNG, BMP or WEBP URL (no HEIC/AVIF), at most 10 MB.',
	image_dimension_mismatch: 'Use an image whose width and height are each between 360 and 2000 px.',
	request_cancelled: 'The task was cancelled: create it again if you still need the video.',
};
const RETRY_LATER_HINT =
	'A temporary problem on the provider side: create the task again later (failed tasks are refunded).';

export function isFinalStatus(status: unknown): status is FinalStatus {
	return (FINAL_STATUSES as readonly unknown[]).includes(status);
}

export function describeTaskError(task: EvoLinkTask): TaskError | undefined {
	if (task.status !== 'failed' && task.status !== 'cancelled') return undefined;
	const code = String(
		task.error?.code ?? (task.status === 'cancelled' ? 'request_cancelled' : 'unknown_error'),
	);
	const userFixable = code in USER_FIXABLE_HINTS;
	return {
		code,
		message: task.error?.message ?? `The task ended with status "${task.status}"`,
		hint: USER_FIXABLE_HINTS[code] ?? RETRY_LATER_HINT,
		retryable: !userFixable,
	};
}

/**
 * When the video link expires, at the earliest: links live 24 h from completion, and creation is the
 * earliest moment we know for sure.
 */
function linkExpiry(task: EvoLinkTask): string | null {
	return task.results?.[0] && task.created
		? new Date(task.created * 1000 + VIDEO_URL_LIFETIME_MS).toISOString()
		: null;
}

const camelCase = (key: string) =>
	key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Fields of the API's task that version 2 renames, regroups or drops (constant `object`, `type`). */
const MAPPED_FIELDS = [
	'id',
	'model',
	'status',
	'progress',
	'created',
	'results',
	'error',
	'usage',
	'task_info',
	'object',
	'type',
];

/**
 * The task as Wan Video version 2 outputs it: each value once, camelCase, ISO times. Fields the API
 * adds later pass through under their own names.
 */
export function toTaskItemV2(task: EvoLinkTask): IDataObject {
	const [videoUrl, ...moreVideoUrls] = task.results ?? [];
	const info = task.task_info ?? {};
	const extra = Object.fromEntries(
		Object.entries(task).filter(([key]) => !MAPPED_FIELDS.includes(key)),
	);
	return {
		taskId: task.id,
		model: task.model ?? null,
		status: task.status ?? 'unknown',
		final: isFinalStatus(task.status),
		progress: task.progress ?? (task.status === 'completed' ? 100 : 0),
		videoUrl: videoUrl ?? null,
		...(moreVideoUrls.length ? { moreVideoUrls } : {}),
		videoUrlExpiresAt: linkExpiry(task),
		createdAt: task.created ? new Date(task.created * 1000).toISOString() : null,
		...(info.estimated_time !== undefined ? { estimatedSeconds: info.estimated_time } : {}),
		...(info.video_duration !== undefined ? { videoSeconds: info.video_duration } : {}),
		usage: task.usage
			? Object.fromEntries(
					Object.entries(task.usage).map(([key, value]) => [camelCase(key), value]),
				)
			: null,
		error: describeTaskError(task) ?? null,
		...extra,
	};
}

/**
 * Version 1's task item, as 0.1 and 0.2 output it: convenient fields first, then the task as the API
 * gives it.
 */
export function toTaskItem(task: EvoLinkTask): IDataObject {
	const raw: IDataObject = { ...task };
	delete raw.error;
	const videoUrl = task.results?.[0];
	return {
		taskId: task.id,
		status: task.status ?? 'unknown',
		final: isFinalStatus(task.status),
		progress: task.progress ?? (task.status === 'completed' ? 100 : 0),
		videoUrl: videoUrl ?? null,
		videoUrlExpiresAt: linkExpiry(task),
		error: describeTaskError(task) ?? null,
		creditsReserved: task.usage?.credits_reserved ?? null,
		...raw,
	};
}

/**
 * The task an output item shows, in the API's shape: version 1 items carry it as it came, version 2
 * items (taskId, createdAt, estimatedSeconds) are read back. Undefined for anything else.
 */
export function taskFromItem(json: IDataObject): EvoLinkTask | undefined {
	if (typeof json.id === 'string' && typeof json.created === 'number') return json as EvoLinkTask;
	if (typeof json.taskId !== 'string' || typeof json.createdAt !== 'string') return undefined;
	const created = Date.parse(json.createdAt) / 1000;
	if (Number.isNaN(created)) return undefined;
	return {
		id: json.taskId,
		created,
		status: json.status as string | undefined,
		progress: json.progress as number | undefined,
		task_info:
			typeof json.estimatedSeconds === 'number' ? { estimated_time: json.estimatedSeconds } : {},
	};
}

export function isTaskId(value: unknown): value is string {
	return typeof value === 'string' && TASK_ID_PATTERN.test(value);
}

/** The error for a value that is no task ID. */
export function taskIdError(node: INode, taskId: unknown, itemIndex: number) {
	return invalidField(
		node,
		itemIndex,
		'Task ID',
		'must look like task-unified-1757169743-7cvnl5zw (the taskId of a Create output)',
		taskId,
	);
}

export function assertTaskId(node: INode, taskId: unknown, itemIndex: number): string {
	const value = typeof taskId === 'string' ? taskId.trim() : taskId;
	if (!isTaskId(value)) throw taskIdError(node, taskId, itemIndex);
	return value;
}
