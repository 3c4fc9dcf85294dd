'use strict';
// A tiny real HTTP server standing in for n8n's production webhook endpoint (`/webhook/...`), for the
// Wan Video Trigger tests. Plain CommonJS with Node built-ins only: the package lint bans `http`,
// timers and `process` in .ts files. Types: ./webhookServer.d.ts.
//
// What it copies from n8n 2.41 (packages/cli: middlewares/body-parser.ts, webhooks/webhook-helpers.ts):
// - the raw body is read up to n8n's payload limit (N8N_PAYLOAD_SIZE_MAX, 16 MiB): beyond it, 413;
// - a version-1 webhook node always gets its body parsed by content type: application/json with
//   n8n-workflow's jsonParse (a parse error is UnprocessableRequestError: 422
//   `{ code: 422, message: 'Failed to parse request body', hint }`, the node is not called),
//   application/x-www-form-urlencoded with querystring, text/plain as a string; any other type,
//   and an empty body, leave `body` undefined. XML (xml2js in n8n) is kept as the raw string here;
//   multipart is not supported;
// - the node gets an express-like request (`method, headers, body, rawBody, originalUrl, url, path,
//   query, params, contentType, encoding`) and response (`status, json, send, end, setHeader,
//   getHeader, headersSent, statusCode`).
// Everything the server answered is recorded in `log`, with timings.

const http = require('node:http');
const querystring = require('node:querystring');

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** n8n's parseIncomingMessage: the media type (lower case, no parameters) and the charset. */
function parseContentType(header) {
	if (typeof header !== 'string' || header.trim() === '') return {};
	const [type, ...parameters] = header.split(';');
	let encoding = 'utf-8';
	for (const parameter of parameters) {
		const [name, value] = parameter.split('=').map((part) => part.trim());
		if (name && name.toLowerCase() === 'charset' && value) {
			encoding = value.replace(/^"|"$/g, '').toLowerCase();
		}
	}
	return { contentType: type.trim().toLowerCase(), encoding };
}

function toNodeEncoding(encoding) {
	const normalized = String(encoding || 'utf-8').toLowerCase();
	return Buffer.isEncoding(normalized) ? normalized : 'utf-8';
}

/** Express's `req.query` for simple queries: repeated names become arrays. */
function parseQuery(search) {
	const query = {};
	for (const [name, value] of new URLSearchParams(search)) {
		if (name in query) {
			query[name] = Array.isArray(query[name]) ? [...query[name], value] : [query[name], value];
		} else query[name] = value;
	}
	return query;
}

/** What n8n's body parser makes of the raw body; throws a 422-shaped error on unparsable JSON. */
function parseBody(rawBody, contentType, encoding) {
	if (!rawBody.length) return undefined;
	const text = rawBody.toString(toNodeEncoding(encoding));
	const stripped = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	if (contentType === 'application/json') {
		try {
			return JSON.parse(stripped);
		} catch (error) {
			const failure = new Error('Failed to parse request body');
			failure.httpStatus = 422;
			failure.hint = error.message;
			throw failure;
		}
	}
	if (contentType === 'application/x-www-form-urlencoded') {
		return { ...querystring.parse(stripped, undefined, undefined, { maxKeys: 1000 }) };
	}
	if (contentType === 'text/plain') return text;
	if (contentType && (contentType.endsWith('/xml') || contentType.endsWith('+xml'))) return text;
	return undefined;
}

/** An express-like response over node's ServerResponse; `entry` records what was answered. */
function createResponse(res, entry, onFinish) {
	const response = {
		statusCode: 200,
		get headersSent() {
			return res.headersSent;
		},
		get finished() {
			return entry.answeredAt !== undefined;
		},
		status(code) {
			response.statusCode = code;
			return response;
		},
		setHeader(name, value) {
			res.setHeader(name, value);
			return response;
		},
		set(name, value) {
			return response.setHeader(name, value);
		},
		header(name, value) {
			return response.setHeader(name, value);
		},
		getHeader(name) {
			return res.getHeader(name);
		},
		json(body) {
			if (!res.getHeader('content-type')) {
				res.setHeader('content-type', 'application/json; charset=utf-8');
			}
			return response.end(body === undefined ? '' : JSON.stringify(body));
		},
		send(body) {
			if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) {
				return response.json(body);
			}
			if (typeof body === 'string' && !res.getHeader('content-type')) {
				res.setHeader('content-type', 'text/html; charset=utf-8');
			}
			return response.end(body === undefined || body === null ? '' : body);
		},
		end(data) {
			if (entry.answeredAt !== undefined) {
				entry.lateWrites = (entry.lateWrites || 0) + 1;
				return response;
			}
			const payload = data === undefined ? Buffer.alloc(0) : Buffer.from(data);
			entry.status = response.statusCode;
			entry.responseHeaders = { ...res.getHeaders() };
			entry.responseBody = payload.toString('utf8');
			try {
				entry.responseJson = JSON.parse(entry.responseBody);
			} catch {
				entry.responseJson = undefined;
			}
			entry.answeredAt = Date.now();
			entry.ms = entry.answeredAt - entry.receivedAt;
			if (!res.destroyed) {
				res.statusCode = response.statusCode;
				res.setHeader('content-length', String(payload.length));
				res.end(payload);
			}
			onFinish();
			return response;
		},
	};
	return response;
}

/**
 * @param {import('./webhookServer').WebhookServerOptions} options
 * @returns {import('./webhookServer').WebhookServer}
 */
function createWebhookServer(options) {
	const maxBodyBytes = options.maxBodyBytes || DEFAULT_MAX_BODY_BYTES;
	const log = [];
	const sockets = new Set();
	const pending = new Set();
	let idleWaiters = [];

	const settleIfIdle = () => {
		if (pending.size) return;
		const waiters = idleWaiters;
		idleWaiters = [];
		for (const resolve of waiters) resolve();
	};

	const server = http.createServer((req, res) => {
		const entry = {
			method: req.method,
			url: req.url,
			contentType: req.headers['content-type'],
			receivedAt: Date.now(),
		};
		log.push(entry);
		const work = new Promise((resolveWork) => {
			let answered = false;
			const finish = () => {
				answered = true;
			};
			const response = createResponse(res, entry, finish);
			const fail = (status, body) => response.status(status).json(body);

			const chunks = [];
			let size = 0;
			let tooBig = false;
			req.on('data', (chunk) => {
				size += chunk.length;
				if (size > maxBodyBytes) tooBig = true;
				else if (!tooBig) chunks.push(chunk);
			});
			req.on('error', () => {
				entry.error = 'request stream error';
				resolveWork();
			});
			req.on('end', () => {
				entry.bodyBytes = size;
				if (tooBig) {
					fail(413, { code: 413, message: 'request entity too large' });
					resolveWork();
					return;
				}
				const rawBody = Buffer.concat(chunks);
				const { contentType, encoding } = parseContentType(req.headers['content-type']);
				const target = new URL(req.url || '/', 'http://127.0.0.1');
				let body;
				try {
					body = parseBody(rawBody, contentType, encoding);
				} catch (error) {
					fail(error.httpStatus || 400, {
						code: error.httpStatus || 400,
						message: error.message,
						hint: error.hint,
					});
					resolveWork();
					return;
				}
				const request = {
					method: req.method,
					headers: { ...req.headers },
					body,
					rawBody,
					contentType,
					encoding,
					originalUrl: req.url,
					url: req.url,
					path: target.pathname,
					query: parseQuery(target.search),
					params: {},
					ip: req.socket.remoteAddress,
				};
				Promise.resolve()
					.then(async () => await options.handler(request, response, entry))
					.catch((error) => {
						entry.handlerError = String((error && error.message) || error);
						if (!answered) fail(500, { code: 500, message: 'Internal server error' });
					})
					.finally(() => {
						if (!answered) {
							entry.unanswered = true;
							fail(500, { code: 500, message: 'The handler sent no response' });
						}
						entry.doneAt = Date.now();
						resolveWork();
					});
			});
		});
		pending.add(work);
		void work.then(() => {
			pending.delete(work);
			settleIfIdle();
		});
	});
	server.keepAliveTimeout = 1000;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	const webhookServer = {
		baseUrl: '',
		port: 0,
		log,
		start() {
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(options.port || 0, '127.0.0.1', () => {
					server.removeListener('error', reject);
					webhookServer.port = server.address().port;
					webhookServer.baseUrl = `http://127.0.0.1:${webhookServer.port}`;
					resolve(webhookServer.baseUrl);
				});
			});
		},
		idle() {
			if (!pending.size) return Promise.resolve();
			return new Promise((resolve) => idleWaiters.push(resolve));
		},
		stop() {
			return new Promise((resolve) => {
				if (!server.listening) {
					resolve();
					return;
				}
				server.close(() => resolve());
				if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
				for (const socket of sockets) socket.destroy();
				sockets.clear();
			});
		},
	};
	return webhookServer;
}

module.exports = { createWebhookServer, parseContentType };
