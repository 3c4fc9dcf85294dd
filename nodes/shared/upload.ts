import { createHash, randomBytes } from 'crypto';
import { type IExecuteFunctions, NodeApiError, type NodeOperationError } from 'n8n-workflow';

import { getEvoLinkCredentials } from './credentials';
import { invalidField, nodeError, toNodeError } from './errors';
import { fileProblem, inspectMedia, type MediaInfo, megabytes } from './media';
import type { FileRules } from './models';
import { isTransient, type RequestPolicy, sendRequest } from './transport';

/** A binary field of an input item, and the rules its file must meet. */
export interface BinaryFileSpec {
	/** The parameter's display name, for errors: "First Frame Binary Field". */
	field: string;
	/** The binary field of the input item: "data". */
	property: string;
	rules: FileRules;
}

/** A file checked against its rules: what the create needs to know, without its bytes. */
export interface CheckedFile extends BinaryFileSpec {
	fileName: string;
	info: MediaInfo;
	sha256: string;
}

/** Uploads are free and repeatable, so they are retried, with room for a slow 100 MB upload. */
const UPLOAD_POLICY: RequestPolicy = { retries: 2, timeoutMs: 300_000 };

/**
 * Files already uploaded, by key and content. A repeated create ("Retry On Fail", a lost answer)
 * must send the very same body, URL included, for EvoLink to recognise its idempotency key; and
 * many items with one file upload it once. Uploads live 72 h; reuse stays well inside that.
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
 * missing or oversized file before its bytes are loaded, then checks what the model would refuse:
 * its format, picture size and length, from its own headers.
 */
export async function readBinaryFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	spec: BinaryFileSpec,
): Promise<CheckedFile & { bytes: Buffer }> {
	const fail = (rule: string) =>
		invalidField(ctx.getNode(), itemIndex, spec.field, rule, spec.property);
	const available = ctx.getInputData()[itemIndex]?.binary ?? {};
	const binary = available[spec.property];
	if (!binary) {
		const names = Object.keys(available);
		throw fail(
			`the input item has no binary field "${spec.property}" (${names.length ? `it has: ${names.join(', ')}` : 'it has no binary data'})`,
		);
	}
	const name = binary.fileName ?? spec.property;
	const size = binary.id
		? (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize
		: Buffer.byteLength(binary.data, 'base64');
	if (size > spec.rules.maxBytes) {
		throw fail(
			`${name} must be at most ${megabytes(spec.rules.maxBytes)} (it is ${megabytes(size)})`,
		);
	}
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, spec.property);
	const info = inspectMedia(bytes, spec.rules.type);
	const problem = fileProblem(info, spec.rules);
	if (problem) throw fail(`${name} ${problem}`);
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	return { ...spec, bytes, fileName: name, info: info!, sha256 };
}

function multipartBody(file: CheckedFile & { bytes: Buffer }): {
	body: Buffer;
	contentType: string;
} {
	const boundary = `----n8nWanVideo${randomBytes(12).toString('hex')}`;
	const name = file.fileName.replace(/["\r\n]/g, '_');
	const head =
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
		`Content-Type: ${file.info.mimeType}\r\n\r\n`;
	return {
		body: Buffer.concat([Buffer.from(head), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

/**
 * Uploads a checked file to EvoLink's file API (same key; files live 72 h) and answers its URL,
 * which the create request then names like any other URL. A file already uploaded (same content)
 * is neither read nor sent again; `load` reads it when it must be sent.
 */
export async function uploadFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: CheckedFile,
	load: () => Promise<CheckedFile & { bytes: Buffer }>,
): Promise<string> {
	const { apiKey, filesBaseUrl } = await getEvoLinkCredentials(ctx);
	const key = createHash('sha256').update(`${apiKey}|${filesBaseUrl}|${file.sha256}`).digest('hex');
	const known = uploaded.get(key);
	if (known && Date.now() - known.at < UPLOAD_REUSE_MS) return await known.url;
	const upload = load().then(
		async (loaded) => await sendUpload(ctx, itemIndex, loaded, filesBaseUrl),
	);
	return await rememberUpload(key, upload);
}

/** An upload that failed: the file, the field and the reason, and that nothing was billed. */
function uploadFailed(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: CheckedFile,
	reason: string,
	filesBaseUrl: string,
): NodeOperationError {
	return nodeError(
		ctx.getNode(),
		`${file.field}: EvoLink's file API did not take ${file.fileName} (${reason})`,
		{
			itemIndex,
			description: `No video task was created for this item, so nothing was billed. Give the file as a URL instead, or check the credential's File Upload URL (${filesBaseUrl}).`,
		},
	);
}

async function sendUpload(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: CheckedFile & { bytes: Buffer },
	filesBaseUrl: string,
): Promise<string> {
	const { body, contentType } = multipartBody(file);
	let response;
	try {
		response = await sendRequest(
			ctx,
			{
				method: 'POST',
				baseURL: filesBaseUrl,
				url: '/api/v1/files/upload/stream',
				body,
				headers: { 'Content-Type': contentType },
			},
			{
				action: `upload ${file.fileName}`,
				itemIndex,
				retry: 'all',
				lane: 'upload',
				policy: UPLOAD_POLICY,
			},
		);
	} catch (error) {
		// refused (4xx), or still failing after the retries (5xx, no answer); a cancel passes as it is
		if (error instanceof NodeApiError) {
			const reason = `HTTP ${error.httpCode}: ${String(error.context.apiMessage)}`;
			throw uploadFailed(ctx, itemIndex, file, reason, filesBaseUrl);
		}
		if (!isTransient(error)) throw toNodeError(ctx.getNode(), error, itemIndex);
		const reason = (error as Error).message.replace(/^Could not [^:]*: /, '');
		throw uploadFailed(
			ctx,
			itemIndex,
			file,
			`${reason}, after ${UPLOAD_POLICY.retries + 1} attempts`,
			filesBaseUrl,
		);
	}
	const data = response.body.data as { file_url?: unknown } | undefined;
	if (
		response.body.success === false ||
		typeof data?.file_url !== 'string' ||
		!/^https?:\/\//i.test(data.file_url)
	) {
		const reason =
			typeof response.body.msg === 'string' ? response.body.msg : 'no file URL in its answer';
		throw uploadFailed(ctx, itemIndex, file, reason, filesBaseUrl);
	}
	return data.file_url;
}
