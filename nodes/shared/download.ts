import type { IBinaryData, IN8nHttpFullResponse } from 'n8n-workflow';

import { type ApiContext } from './transport';
import { nodeError } from './errors';
import type { EvoLinkTask } from './task';

function linkAge(task: EvoLinkTask): string {
	if (!task.created) return 'unknown age';
	const hours = (Date.now() - task.created * 1000) / 3600_000;
	return `created ${hours.toFixed(1)} h ago; links live 24 h`;
}

/**
 * Streams the task's first result into n8n binary data: with n8n's filesystem or S3 binary mode the
 * file never sits in memory. A short or broken download is an error, never a truncated video.
 */
export async function downloadVideo(
	ctx: ApiContext,
	task: EvoLinkTask,
	itemIndex: number,
): Promise<IBinaryData> {
	const url = task.results?.[0];
	const fail = (message: string, description: string) =>
		nodeError(ctx.getNode(), `${message} for task ${task.id}`, {
			itemIndex,
			taskId: task.id,
			description,
		});
	if (!url) throw fail('There is no video to download', 'Only completed tasks have a video.');

	let response: IN8nHttpFullResponse;
	try {
		// Result links are pre-signed: no credential, so the API key never goes to the file host.
		response = (await ctx.helpers.httpRequest({
			url,
			method: 'GET',
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 120_000,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw fail('The video download failed', `${(error as Error).message} (${linkAge(task)}).`);
	}
	if (response.statusCode >= 400) {
		(response.body as { resume?: () => void }).resume?.();
		throw fail(
			`The video link answered HTTP ${response.statusCode}`,
			response.statusCode === 403 || response.statusCode === 404 || response.statusCode === 410
				? `The link has probably expired (${linkAge(task)}). Create the video again.`
				: `Try again later (${linkAge(task)}).`,
		);
	}

	const expectedBytes = Number(response.headers['content-length'] ?? NaN);
	const stream = response.body as {
		complete?: boolean;
		on(event: 'error', listener: () => void): unknown;
	};
	// Only an error listener: a 'data' listener would start the flow before n8n's own consumer.
	let streamError: string | undefined;
	stream.on('error', () => (streamError = 'the connection broke'));
	let binary: IBinaryData;
	try {
		binary = await ctx.helpers.prepareBinaryData(
			response.body as Buffer,
			`${task.id}.mp4`,
			'video/mp4',
		);
	} catch (error) {
		throw fail(
			'The video download was cut off',
			`${(error as Error).message} (${linkAge(task)}). Run the node again to retry.`,
		);
	}
	const problem =
		streamError ??
		(stream.complete === false ? 'the connection closed early' : undefined) ??
		(Number.isFinite(expectedBytes) && binary.bytes !== undefined && binary.bytes !== expectedBytes
			? `got ${binary.bytes} of ${expectedBytes} bytes`
			: undefined);
	if (problem) {
		throw fail(
			'The video download was cut off',
			`${problem} (${linkAge(task)}). Run the node again to retry.`,
		);
	}
	return binary;
}
