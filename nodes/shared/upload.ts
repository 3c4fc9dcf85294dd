import { createHash, randomBytes } from 'crypto';
import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { getEvoLinkCredentials } from './credentials';
import { sendRequest, type ReadPolicy } from './transport';
import { audioProblem, imageProblem, MEDIA_LIMITS, megabytes } from './media';
import { invalidField } from './errors';

/** A file from an item's binary field, checked and ready to upload. */
export interface BinaryFile {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
	sha256: string;
}

export interface BinaryFileSpec {
	/** The parameter's display name, for errors: "Image Binary Field". */
	field: string;
	/** The binary field of the input item: "data". */
	property: unknown;
	kind: 'image' | 'audio';
}

const KIND_RULES = {
	image: { maxBytes: MEDIA_LIMITS.imageBytes, problem: imageProblem, fallbackName: 'image' },
	audio: { maxBytes: MEDIA_LIMITS.audioBytes, problem: audioProblem, fallbackName: 'audio.mp3' },
};

/** Uploads are free and repeatable, so they are retried, with room for a slow 10 MB upload. */
const UPLOAD_POLICY: ReadPolicy = { retries: 2, timeoutMs: 120_000 };

/**
 * Files already uploaded, by key and content. A repeated create ("Retry On Fail", a lost answer)
 * must send the very same body, URL included, for EvoLink to recognise its idempotency key; and
 * many items with one image upload it once. Uploads live 72 h; reuse stays well inside that.
 */
const uploaded = new Map<string, { url: Promise<string>; at: number }>();
const UPLOAD_REUSE_MS = 12 * 3600 * 1000;
const MAX_REMEMBERED_UPLOADS = 1000;

function rememberUpload(key: string, url: Promise<string>): Promise<string> {
	const now = Date.now();
	for (const [oldKey, entry] of uploaded) {
		if (now - entry.at < UPLOAD_REUSE_MS && uploaded.size < MAX_REMEMBERED_UPLOADS) break;
		uploaded.delete(oldKey); // oldest first: a Map iterates in insertion order
	}
	uploaded.set(key, { url, at: now });
	url.catch(() => uploaded.delete(key));
	return url;
}

/**
 * Reads a binary field through n8n's helpers (so filesystem and S3 binary modes work), refusing a
 * missing or oversized file before its bytes are loaded, then checks what EvoLink would refuse.
 */
export async function readBinaryFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	spec: BinaryFileSpec,
): Promise<BinaryFile> {
	const node = ctx.getNode();
	const fail = (rule: string, value: unknown = spec.property) =>
		invalidField(node, itemIndex, spec.field, rule, value);
	if (typeof spec.property !== 'string' || spec.property.trim() === '') {
		throw fail('must name a binary field of the input, e.g. data');
	}
	const property = spec.property.trim();
	const available = ctx.getInputData()[itemIndex]?.binary ?? {};
	const binary = available[property];
	if (!binary) {
		const names = Object.keys(available);
		throw fail(
			`the input item has no binary field "${property}" (${names.length ? `it has: ${names.join(', ')}` : 'it has no binary data'})`,
		);
	}
	const rules = KIND_RULES[spec.kind];
	const size = binary.id
		? (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize
		: Buffer.byteLength(binary.data, 'base64');
	if (size > rules.maxBytes) {
		throw fail(`must be at most ${megabytes(rules.maxBytes)} (this file is ${megabytes(size)})`);
	}
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	const problem = rules.problem(bytes);
	if (problem) throw fail(`${binary.fileName ?? property} ${problem}`);
	return {
		bytes,
		fileName: binary.fileName ?? rules.fallbackName,
		mimeType: binary.mimeType,
		sha256: createHash('sha256').update(bytes).digest('hex'),
	};
}

function multipartBody(file: BinaryFile): { body: Buffer; contentType: string } {
	const boundary = `----n8nWanVideo${randomBytes(12).toString('hex')}`;
	const name = file.fileName.replace(/["\r\n]/g, '_');
	const head =
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
		`Content-Type: ${file.mimeType || 'application/octet-stream'}\r\n\r\n`;
	return {
		body: Buffer.concat([Buffer.from(head), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

/**
 * Uploads a file to EvoLink's file API (same key; files live 72 h) and answers its URL, which the
 * create request then names like any other image or audio URL. A file already uploaded (same
 * content) is neither loaded nor sent again.
 */
export async function uploadFile(
	ctx: IExecuteFunctions,
	sha256: string,
	load: () => Promise<BinaryFile>,
	context: { itemIndex: number; kind: 'image' | 'audio' },
): Promise<string> {
	const { apiKey, filesBaseUrl } = await getEvoLinkCredentials(ctx);
	const key = createHash('sha256').update(`${apiKey}|${filesBaseUrl}|${sha256}`).digest('hex');
	const known = uploaded.get(key);
	if (known && Date.now() - known.at < UPLOAD_REUSE_MS) return await known.url;
	const upload = load().then(async (file) => await sendUpload(ctx, file, filesBaseUrl, context));
	return await rememberUpload(key, upload);
}

async function sendUpload(
	ctx: IExecuteFunctions,
	file: BinaryFile,
	filesBaseUrl: string,
	context: { itemIndex: number; kind: 'image' | 'audio' },
): Promise<string> {
	const { body, contentType } = multipartBody(file);
	const action = `upload the ${context.kind} ${file.fileName}`;
	const response = await sendRequest(
		ctx,
		{
			method: 'POST',
			baseURL: filesBaseUrl,
			url: '/api/v1/files/upload/stream',
			body,
			headers: { 'Content-Type': contentType },
		},
		{ action, itemIndex: context.itemIndex, retry: 'all', lane: 'upload', policy: UPLOAD_POLICY },
	);
	const data = response.body.data as { file_url?: unknown } | undefined;
	if (typeof data?.file_url !== 'string' || !/^https?:\/\//i.test(data.file_url)) {
		const reason = typeof response.body.msg === 'string' ? `: ${response.body.msg}` : '';
		throw new NodeOperationError(ctx.getNode(), `EvoLink's file API did not ${action}${reason}`, {
			itemIndex: context.itemIndex,
			description: `It answered without a file URL. No video task was created, so nothing was billed. Check the credential's File Upload URL (${filesBaseUrl}).`,
		});
	}
	return data.file_url;
}
