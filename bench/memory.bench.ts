/**
 * Peak memory while a finished task's video is downloaded, in a Node process that does nothing
 * else (bench/run.js starts one per case, with n8n's binary data in filesystem mode and the
 * EvoLink simulator serving the file from the parent process):
 * - 'node': the Wan Video node's Get with Download Video, through n8n's engine;
 * - 'fetch': the baseline, a plain fetch + arrayBuffer() of the same file.
 * Each case first downloads a small file the same way (so code loading and first-use buffers are
 * not counted), collects garbage, then samples memory every millisecond during the download.
 */
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import { sleep } from 'n8n-workflow';

import { runWorkflow, wanVideoNode } from '../test/helpers/engine';
import {
	collectGarbage,
	envValue,
	fileSize,
	type MemorySnapshot,
	snapshot,
	startSampler,
} from './lib/runtime';

export interface MemoryInput {
	mode: 'node' | 'fetch';
	baseUrl: string;
	apiKey: string;
	taskId: string;
	warmTaskId: string;
	bytes: number;
}

export interface MemoryResult {
	mode: 'node' | 'fetch';
	bytes: number;
	durationMs: number;
	baseline: MemorySnapshot;
	/** Peak minus baseline. */
	growth: MemorySnapshot;
	samples: number;
	/** Where the node put the video (node mode). */
	stored?: { id: string; bytes: number; fileBytes: number; binaryDataMode?: string };
	received?: number;
	error?: string;
}

async function download(input: MemoryInput, taskId: string) {
	if (input.mode === 'fetch') {
		const response = await fetch(`${input.baseUrl}/files/${taskId}.mp4`);
		const body = await response.arrayBuffer();
		return { received: body.byteLength, keep: body, binary: undefined };
	}
	const result = await runWorkflow({
		nodes: [wanVideoNode({ operation: 'get', taskId, getOptions: { download: true } })],
		start: 'Wan Video',
		credentials: { apiKey: input.apiKey, baseUrl: input.baseUrl },
	});
	const error = result.error();
	if (error) throw error;
	const binary = result.output('Wan Video')[0]?.binary?.data;
	if (!binary?.id) throw new Error(`no binary data stored: ${JSON.stringify(binary)}`);
	return { received: binary.bytes, keep: result, binary };
}

export async function run(input: MemoryInput): Promise<MemoryResult> {
	await download(input, input.warmTaskId);
	collectGarbage();
	await sleep(100);
	collectGarbage();
	const baseline = snapshot();
	const sampler = startSampler(1);
	const startedAt = Date.now();
	let outcome: Awaited<ReturnType<typeof download>> | undefined;
	let error: string | undefined;
	try {
		outcome = await download(input, input.taskId);
	} catch (caught) {
		error = (caught as Error).message;
	}
	const durationMs = Date.now() - startedAt;
	const { peak, samples } = sampler.stop();
	const growth = {
		rss: peak.rss - baseline.rss,
		heapUsed: peak.heapUsed - baseline.heapUsed,
		external: peak.external - baseline.external,
		arrayBuffers: peak.arrayBuffers - baseline.arrayBuffers,
		heap: peak.heap - baseline.heap,
	};
	const result: MemoryResult = {
		mode: input.mode,
		bytes: input.bytes,
		durationMs,
		baseline,
		growth,
		samples,
		received: outcome?.received,
		error,
	};
	if (outcome?.binary?.id) {
		const path = Container.get(BinaryDataService).getPath(outcome.binary.id);
		result.stored = {
			id: outcome.binary.id,
			bytes: Number(outcome.binary.bytes),
			fileBytes: fileSize(path),
			binaryDataMode: envValue('N8N_DEFAULT_BINARY_DATA_MODE'),
		};
	}
	if (!error && outcome?.received !== input.bytes) {
		result.error = `received ${outcome?.received} of ${input.bytes} bytes`;
	}
	return result;
}
