'use strict';
// Local HTTP simulator of EvoLink's video API (see docs/evolink-api.md), for tests, the benchmark
// and the README demo. Plain CommonJS with Node built-ins only: the package lint bans timers and
// `process` in .ts files, and the package may not have runtime dependencies.
//
// Types: ./index.d.ts (the JSDoc below points at it, so TS tests get typed imports via allowJs).

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { URL } = require('node:url');
const { EventEmitter } = require('node:events');
const { resultVideo } = require('./resultVideo');

const { validateWanCreate, creditsFor, WAN_MODELS } = require('./wanModels');
const { PROGRESS_SHAPES, progressAt } = require('./progressShapes');
/**
 * File API: the documented image types, plus the audio and video EvoLink's own clients upload; files
 * up to 100 MB. `refuseUploadTypes` makes it refuse some, as the documented API might.
 */
const UPLOAD_TYPES = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/gif': 'gif',
	'image/webp': 'webp',
	'image/bmp': 'bmp',
	'audio/mpeg': 'mp3',
	'audio/wav': 'wav',
	'video/mp4': 'mp4',
	'video/quicktime': 'mov',
};
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const UPLOAD_PATH = '/api/v1/files/upload/stream';
const FINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);
const OUTCOMES = new Set(['completed', 'failed', 'cancelled']);
const FAULT_KINDS = new Set([
	'status',
	'reset',
	'slow',
	'malformed',
	'html',
	'dropAfterCreate',
	'downloadAbort',
	'expired',
]);
const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9._-]{16,96}$/;
const TASK_ID_PREFIX = 'task-unified-';
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_TIMER_MS = 2147483647;
const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000];
const FILLER = Buffer.alloc(256 * 1024, 0);

/** HTTP status -> [code, type, message] of the documented error body. */
const HTTP_ERRORS = {
	400: ['invalid_request', 'invalid_request_error', 'Invalid request'],
	401: ['unauthorized', 'authentication_error', 'Invalid or expired API key'],
	402: ['insufficient_quota', 'insufficient_quota_error', 'Insufficient credits balance'],
	403: ['model_access_denied', 'permission_error', 'This API key has no access to the model'],
	404: ['not_found', 'invalid_request_error', 'Not found'],
	405: ['method_not_allowed', 'invalid_request_error', 'Method not allowed'],
	409: ['idempotency_conflict', 'invalid_request_error', 'Idempotency conflict'],
	413: ['request_too_large', 'invalid_request_error', 'Request body too large'],
	429: ['rate_limit_exceeded', 'rate_limit_error', 'Rate limit exceeded, please retry later'],
	500: ['internal_error', 'api_error', 'Internal server error'],
	502: ['bad_gateway', 'api_error', 'Bad gateway'],
	503: ['service_unavailable', 'api_error', 'Service temporarily unavailable'],
	504: ['gateway_timeout', 'api_error', 'Gateway timeout'],
};

const TASK_ERROR_MESSAGES = {
	content_policy_violation: 'The input or output was flagged by the content safety policy',
	invalid_parameters: 'Invalid parameters for the model',
	image_processing_error: 'The input image could not be processed',
	image_dimension_mismatch: 'The input image dimensions are not supported',
	request_cancelled: 'The task was cancelled',
	generation_failed_no_content: 'The generation produced no content',
	service_error: 'Upstream service error',
	generation_timeout: 'The generation timed out',
	resource_exhausted: 'Upstream resources exhausted',
	quota_exceeded: 'Upstream quota exceeded',
	service_unavailable: 'Upstream service unavailable',
	resource_not_found: 'Resource not found',
	unknown_error: 'Unknown error',
};

function randomId(length) {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = crypto.randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
	return out;
}

/** JSON with sorted object keys, so the idempotency fingerprint ignores key order and spacing. */
function canonicalJson(value) {
	if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
	if (value && typeof value === 'object') {
		return (
			'{' +
			Object.keys(value)
				.sort()
				.map((k) => JSON.stringify(k) + ':' + canonicalJson(value[k]))
				.join(',') +
			'}'
		);
	}
	return JSON.stringify(value);
}

function isPlainObject(value) {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Scenario overrides written as markers in the prompt, for the README demo. */
function scenarioFromPrompt(prompt) {
	const s = {};
	if (typeof prompt !== 'string') return s;
	let m = /\[ms:(\d+)\]/i.exec(prompt);
	if (m) s.durationMs = Number(m[1]);
	m = /\[fail(?::([a-z0-9_]+))?\]/i.exec(prompt);
	if (m) {
		s.outcome = 'failed';
		if (m[1]) s.errorCode = m[1];
	}
	if (/\[cancel\]/i.test(prompt)) s.outcome = 'cancelled';
	m = /\[estimate:(none|accurate|x?\d+(?:\.\d+)?)\]/i.exec(prompt);
	if (m) {
		const v = m[1].toLowerCase();
		s.estimate = v === 'none' || v === 'accurate' ? v : Number(v.replace(/^x/, ''));
	}
	m = /\[progress:([a-z]+)\]/i.exec(prompt);
	if (m) s.progressShape = m[1];
	m = /\[bytes:(\d+)\]/i.exec(prompt);
	if (m) s.videoBytes = Number(m[1]);
	return s;
}

function sha256(bytes) {
	return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The part named "file" of a multipart/form-data body, or null. */
function parseMultipartFile(buffer, contentType) {
	const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(contentType || ''));
	if (!m) return null;
	const boundary = Buffer.from(`--${m[1] || m[2]}`);
	for (let at = buffer.indexOf(boundary); at !== -1; ) {
		const headEnd = buffer.indexOf('\r\n\r\n', at);
		const next = headEnd === -1 ? -1 : buffer.indexOf(boundary, headEnd + 4);
		if (next === -1) return null;
		const head = buffer.toString('utf8', at + boundary.length, headEnd);
		if (/name="file"/i.test(head)) {
			const type = /content-type:\s*([^\r\n;]+)/i.exec(head);
			return {
				fileName: (/filename="([^"]*)"/i.exec(head) || [])[1] || 'file',
				mimeType: type ? type[1].trim().toLowerCase() : 'application/octet-stream',
				bytes: buffer.subarray(headEnd + 4, next - 2),
			};
		}
		at = next;
	}
	return null;
}

function normalizeScenario(s, where) {
	if (!isPlainObject(s)) throw new TypeError(`${where}: scenario must be an object`);
	if (s.outcome !== undefined && !OUTCOMES.has(s.outcome)) {
		throw new TypeError(`${where}: outcome must be completed, failed or cancelled`);
	}
	if (s.durationMs !== undefined && (typeof s.durationMs !== 'number' || !(s.durationMs >= 0))) {
		throw new TypeError(`${where}: durationMs must be a number >= 0`);
	}
	if (s.progressShape !== undefined && !PROGRESS_SHAPES[s.progressShape]) {
		throw new TypeError(
			`${where}: progressShape must be one of ${Object.keys(PROGRESS_SHAPES).join(', ')}`,
		);
	}
	return { ...s };
}

function estimateFactor(estimate) {
	if (typeof estimate === 'number') return estimate;
	if (typeof estimate === 'string' && /^x?\d+(\.\d+)?$/i.test(estimate)) {
		return Number(estimate.replace(/^x/i, ''));
	}
	return null;
}

function normalizeRateLimit(limit) {
	if (!isPlainObject(limit) || !(limit.perSecond > 0)) {
		throw new TypeError('rateLimit: perSecond must be a number above 0');
	}
	const scope = limit.scope || 'model';
	if (scope !== 'model' && scope !== 'key')
		throw new TypeError("rateLimit: scope is 'model' or 'key'");
	return {
		perSecond: limit.perSecond,
		burst: limit.burst !== undefined ? limit.burst : Math.max(1, limit.perSecond),
		scope,
		retryAfter: limit.retryAfter !== false,
	};
}

class EvoLinkSimulator extends EventEmitter {
	constructor(options = {}) {
		super();
		this.apiKey = options.apiKey || 'sk-sim-' + randomId(24);
		this.host = options.host || '127.0.0.1';
		this.port = options.port || 0;
		this.taskMs = options.taskMs !== undefined ? options.taskMs : 3000;
		this.videoBytes = options.videoBytes !== undefined ? options.videoBytes : 64 * 1024;
		this.callbackRetryDelaysMs = (options.callbackRetryDelaysMs || DEFAULT_RETRY_DELAYS_MS).slice(
			0,
			3,
		);
		this.callbackTimeoutMs = options.callbackTimeoutMs || 10000;
		/**
		 * The account's credits, and the key's own limit (undefined: unlimited): a create that would
		 * reserve more than what is left of the smaller answers 402, as EvoLink does.
		 */
		this.credits = options.credits !== undefined ? options.credits : 1_000_000;
		this.keyCredits = options.keyCredits;
		/** Upload MIME types the file API refuses (mutable), e.g. ['video/mp4']. */
		this.refuseUploadTypes = [];
		/** 'string' (since March 2026) or 'number' (the HTTP status, older API) for error.code. */
		this.errorFormat = options.errorFormat || 'string';
		/** Optional rate limit (mutable): see `_rateLimited`. */
		this.rateLimit = options.rateLimit ? normalizeRateLimit(options.rateLimit) : null;
		this._buckets = new Map();
		/** Scenario applied to every task unless overridden (mutable). */
		this.defaults = {
			durationMs: this.taskMs,
			outcome: 'completed',
			errorCode: 'content_policy_violation',
			estimate: 'accurate',
			videoBytes: this.videoBytes,
		};
		this.requests = [];
		this.tasks = new Map();
		this.callbacks = [];
		this.faults = [];
		this.baseUrl = undefined;
		this._nextTasks = [];
		this._idempotency = new Map();
		/** Files uploaded through the file API, by file_id. */
		this.uploads = new Map();
		this._timers = new Set();
		this._outgoing = new Set();
		this._sockets = new Set();
		this._server = null;
		this._epoch = 0;
	}

	// ------------------------------------------------------------------ lifecycle

	start() {
		if (this._server) return Promise.resolve(this._address());
		const server = http.createServer((req, res) => this._onRequest(req, res));
		server.keepAliveTimeout = 5000;
		server.on('connection', (socket) => {
			this._sockets.add(socket);
			socket.on('close', () => this._sockets.delete(socket));
		});
		return new Promise((resolve, reject) => {
			const onError = (err) => {
				server.removeListener('listening', onListening);
				reject(err);
			};
			const onListening = () => {
				server.removeListener('error', onError);
				this._server = server;
				for (const task of this.tasks.values()) {
					if (!task._timer) this._scheduleFinal(task);
				}
				const addr = server.address();
				this.port = addr.port;
				const h =
					this.host === '0.0.0.0' || this.host === '::' || this.host === ''
						? '127.0.0.1'
						: this.host;
				this.baseUrl = `http://${h.includes(':') ? `[${h}]` : h}:${addr.port}`;
				resolve(this._address());
			};
			server.once('error', onError);
			server.once('listening', onListening);
			server.listen(this.port, this.host);
		});
	}

	_address() {
		return { baseUrl: this.baseUrl, port: this.port, host: this.host, apiKey: this.apiKey };
	}

	stop() {
		this._cancelBackground();
		const server = this._server;
		this._server = null;
		if (!server) return Promise.resolve();
		return new Promise((resolve) => {
			server.close(() => resolve());
			if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
			for (const socket of this._sockets) socket.destroy();
			this._sockets.clear();
		});
	}

	reset() {
		this._cancelBackground();
		this.requests.length = 0;
		this.callbacks.length = 0;
		this.faults.length = 0;
		this.tasks.clear();
		this._nextTasks.length = 0;
		this._idempotency.clear();
		this.uploads.clear();
		this.rateLimit = null;
		this._buckets.clear();
		this.refuseUploadTypes = [];
	}

	/** Cancels task timers, callback retries and in-flight callback posts. */
	_cancelBackground() {
		this._epoch++;
		for (const t of this._timers) clearTimeout(t);
		this._timers.clear();
		for (const req of this._outgoing) req.destroy();
		this._outgoing.clear();
		for (const task of this.tasks.values()) task._timer = null;
	}

	_setTimer(fn, ms) {
		const t = setTimeout(
			() => {
				this._timers.delete(t);
				fn();
			},
			Math.min(Math.max(0, ms), MAX_TIMER_MS),
		);
		this._timers.add(t);
		return t;
	}

	// ------------------------------------------------------------------ scenario & faults

	setNextTask(scenario) {
		const list = Array.isArray(scenario) ? scenario : [scenario];
		for (const s of list) this._nextTasks.push(normalizeScenario(s, 'setNextTask'));
		return this;
	}

	/** Sets (or with null removes) the rate limit; see `_rateLimited`. */
	setRateLimit(limit) {
		this.rateLimit = limit ? normalizeRateLimit(limit) : null;
		this._buckets.clear();
		return this;
	}

	inject(fault) {
		if (!isPlainObject(fault) || !FAULT_KINDS.has(fault.kind)) {
			throw new TypeError(`inject: kind must be one of ${[...FAULT_KINDS].join(', ')}`);
		}
		if (fault.kind === 'status' && !Number.isInteger(fault.status)) {
			throw new TypeError('inject: kind "status" needs an integer status');
		}
		const entry = { ...fault, remaining: fault.times === undefined ? 1 : fault.times };
		this.faults.push(entry);
		return entry;
	}

	_takeFault(method, path) {
		for (let i = 0; i < this.faults.length; i++) {
			const f = this.faults[i];
			const m = f.match || {};
			if (m.method && m.method.toUpperCase() !== method) continue;
			if (m.path instanceof RegExp) {
				m.path.lastIndex = 0;
				if (!m.path.test(path)) continue;
			} else if (typeof m.path === 'string' && !path.startsWith(m.path)) continue;
			f.remaining--;
			if (!(f.remaining > 0)) this.faults.splice(i, 1);
			return f;
		}
		return null;
	}

	// ------------------------------------------------------------------ inspection helpers

	requestsTo(method, pathPrefixOrRegex) {
		const wantMethod = method && method !== '*' ? method.toUpperCase() : null;
		return this.requests.filter((r) => {
			if (wantMethod && r.method !== wantMethod) return false;
			if (pathPrefixOrRegex instanceof RegExp) {
				pathPrefixOrRegex.lastIndex = 0;
				return pathPrefixOrRegex.test(r.path);
			}
			return typeof pathPrefixOrRegex !== 'string' || r.path.startsWith(pathPrefixOrRegex);
		});
	}

	/** The task as `GET /v1/tasks/{id}` would return it now (undefined if unknown). */
	taskObject(id) {
		const task = this.tasks.get(id);
		if (!task) return undefined;
		this._refresh(task);
		return this._taskObject(task);
	}

	// ------------------------------------------------------------------ tasks

	_createTask(body) {
		const now = Date.now();
		const next = this._nextTasks.length ? this._nextTasks.shift() : {};
		const scenario = { ...this.defaults, ...scenarioFromPrompt(body.prompt), ...next };
		const duration = body.duration !== undefined ? body.duration : 5;
		const quality = body.quality || '720p';
		const id = `${TASK_ID_PREFIX}${Math.floor(now / 1000)}-${randomId(8)}`;
		const factor = estimateFactor(scenario.estimate);
		let estimatedTime;
		if (scenario.estimate === 'none') estimatedTime = undefined;
		else if (factor !== null) {
			estimatedTime = Math.max(1, Math.round((scenario.durationMs / 1000) * factor));
		} else estimatedTime = Math.max(1, Math.ceil(scenario.durationMs / 1000));
		const sim = this;
		const task = {
			id,
			model: body.model,
			created: Math.floor(now / 1000),
			createdAt: now,
			request: body,
			duration,
			quality,
			callbackUrl: body.callback_url,
			scenario,
			estimatedTime,
			creditsReserved: creditsFor(body, this._known()),
			/** How long its video lasts, as far as a continuation or an edit of it is concerned. */
			outputSeconds: duration > 0 ? duration : duration === -1 ? 10 : 5,
			forced: null,
			finalized: false,
			finalizedAt: undefined,
			_timer: null,
			get status() {
				return sim._state(task).status;
			},
			get progress() {
				return sim._state(task).progress;
			},
		};
		this.tasks.set(id, task);
		this._scheduleFinal(task);
		this.emit('taskCreated', task);
		return task;
	}

	_scheduleFinal(task) {
		if (task.finalized || task.forced) return;
		const remaining = task.createdAt + task.scenario.durationMs - Date.now();
		if (remaining > MAX_TIMER_MS) return; // lazy only
		const epoch = this._epoch;
		task._timer = this._setTimer(() => {
			if (epoch !== this._epoch) return;
			task._timer = null;
			this._refresh(task);
			if (!task.finalized) this._scheduleFinal(task); // timer fired a hair early
		}, remaining + 1);
	}

	/** Current status/progress, computed from the clock (or a forced final state). */
	_state(task, now = Date.now()) {
		if (task.forced) return task.forced;
		const d = task.scenario.durationMs;
		const elapsed = now - task.createdAt;
		if (elapsed >= d) {
			const outcome = task.scenario.outcome || 'completed';
			if (outcome === 'completed') return { status: 'completed', progress: 100 };
			return {
				status: outcome,
				progress: 99,
				errorCode:
					outcome === 'cancelled'
						? 'request_cancelled'
						: task.scenario.errorCode || 'content_policy_violation',
			};
		}
		if (elapsed < 0.1 * d) {
			return { status: 'pending', progress: progressAt(task.scenario.progressShape, elapsed / d) };
		}
		return { status: 'processing', progress: progressAt(task.scenario.progressShape, elapsed / d) };
	}

	/** Marks the task final once (fires the callback) if its state has become final. */
	_refresh(task) {
		if (task.finalized) return;
		const state = this._state(task);
		if (!FINAL_STATUSES.has(state.status)) return;
		task.finalized = true;
		task.finalizedAt = Date.now();
		if (task._timer) {
			clearTimeout(task._timer);
			this._timers.delete(task._timer);
			task._timer = null;
		}
		this.emit('taskFinal', this._taskObject(task));
		if (task.callbackUrl) {
			this._deliverWithRetries(
				task.id,
				task.callbackUrl,
				JSON.stringify(this._taskObject(task)),
				1,
			);
		}
	}

	_taskObject(task, stateOverride) {
		const state = stateOverride || this._state(task);
		const taskInfo = { can_cancel: !FINAL_STATUSES.has(state.status) };
		if (task.estimatedTime !== undefined) taskInfo.estimated_time = task.estimatedTime;
		const obj = {
			created: task.created,
			id: task.id,
			model: task.model,
			object: 'video.generation.task',
			progress: state.progress,
			status: state.status,
			task_info: taskInfo,
			type: 'video',
			usage: {
				billing_rule: task.model.startsWith('wan3.0') ? 'per_second' : 'per_call',
				credits_reserved: task.creditsReserved,
				user_group: 'default',
			},
		};
		if (state.status === 'completed') obj.results = [`${this.baseUrl}/files/${task.id}.mp4`];
		if (state.status === 'failed' || state.status === 'cancelled') {
			obj.error = {
				code: state.errorCode,
				message: TASK_ERROR_MESSAGES[state.errorCode] || `Task failed: ${state.errorCode}`,
				type: 'task_error',
			};
		}
		return obj;
	}

	_force(id, state) {
		const task = this.tasks.get(id);
		if (!task) throw new Error(`unknown task ${id}`);
		this._refresh(task);
		if (task.finalized) throw new Error(`task ${id} is already ${this._state(task).status}`);
		const current = this._state(task);
		task.forced = { ...state, progress: state.status === 'completed' ? 100 : current.progress };
		this._refresh(task);
		return this._taskObject(task);
	}

	completeNow(id) {
		return this._force(id, { status: 'completed' });
	}

	failNow(id, code = 'content_policy_violation') {
		return this._force(id, { status: 'failed', errorCode: code });
	}

	cancelNow(id) {
		return this._force(id, { status: 'cancelled', errorCode: 'request_cancelled' });
	}

	// ------------------------------------------------------------------ callbacks

	_deliverWithRetries(taskId, url, body, attempt) {
		const epoch = this._epoch;
		this._post(url, body).then(
			(status) => {
				if (epoch !== this._epoch) return;
				this._logCallback({ taskId, url, attempt, status, at: Date.now() });
				if (status < 200 || status > 299) this._retryCallback(taskId, url, body, attempt, epoch);
			},
			(err) => {
				if (epoch !== this._epoch) return;
				this._logCallback({ taskId, url, attempt, error: err.message, at: Date.now() });
				this._retryCallback(taskId, url, body, attempt, epoch);
			},
		);
	}

	_retryCallback(taskId, url, body, attempt, epoch) {
		const delay = this.callbackRetryDelaysMs[attempt - 1];
		if (delay === undefined) return;
		this._setTimer(() => {
			if (epoch === this._epoch) this._deliverWithRetries(taskId, url, body, attempt + 1);
		}, delay);
	}

	_logCallback(entry) {
		this.callbacks.push(entry);
		this.emit('callback', entry);
	}

	/** One POST of `body` (JSON string) to `url`; resolves with the HTTP status. */
	_post(url, body) {
		return new Promise((resolve, reject) => {
			let target;
			try {
				target = new URL(url);
			} catch {
				reject(new Error(`invalid callback URL: ${url}`));
				return;
			}
			const mod = target.protocol === 'https:' ? https : http;
			const payload = Buffer.from(body);
			const req = mod.request(target, {
				method: 'POST',
				agent: false,
				timeout: this.callbackTimeoutMs,
				headers: { 'content-type': 'application/json', 'content-length': payload.length },
			});
			this._outgoing.add(req);
			let settled = false;
			const done = (fn, value) => {
				if (settled) return;
				settled = true;
				this._outgoing.delete(req);
				fn(value);
			};
			req.on('timeout', () => req.destroy(new Error(`timeout after ${this.callbackTimeoutMs} ms`)));
			req.on('error', (err) => done(reject, err));
			req.on('close', () => done(reject, new Error('connection closed')));
			req.on('response', (res) => {
				res.resume();
				done(resolve, res.statusCode);
			});
			req.end(payload);
		});
	}

	/**
	 * Re-posts a callback once (duplicate / forgery tests). body: object (JSON-encoded) or raw
	 * string; defaults to the task's current object. url defaults to the task's callback_url.
	 */
	deliverCallback(id, options = {}) {
		const task = this.tasks.get(id);
		if (task) this._refresh(task);
		const url = options.url || (task && task.callbackUrl);
		if (!url) return Promise.reject(new Error(`no callback URL for task ${id}`));
		let body = options.body;
		if (body === undefined) {
			if (!task) return Promise.reject(new Error(`unknown task ${id} and no body given`));
			body = this._taskObject(task);
		}
		const raw = typeof body === 'string' ? body : JSON.stringify(body);
		return this._post(url, raw).then(
			(status) => {
				this._logCallback({ taskId: id, url, attempt: 1, manual: true, status, at: Date.now() });
				return status;
			},
			(err) => {
				this._logCallback({
					taskId: id,
					url,
					attempt: 1,
					manual: true,
					error: err.message,
					at: Date.now(),
				});
				throw err;
			},
		);
	}

	// ------------------------------------------------------------------ HTTP

	_onRequest(req, res) {
		const at = Date.now();
		const chunks = [];
		let size = 0;
		let tooBig = false;
		// Uploads keep their bytes (a Buffer); everything else is JSON text.
		const isUpload = (req.url || '').split('?')[0] === UPLOAD_PATH;
		const limit = isUpload ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
		req.on('data', (c) => {
			size += c.length;
			if (size > limit) tooBig = true;
			else chunks.push(c);
		});
		req.on('error', () => undefined);
		req.on('end', () => {
			try {
				const raw = tooBig ? null : Buffer.concat(chunks);
				this._handle(req, res, at, raw && !isUpload ? raw.toString('utf8') : raw);
			} catch (err) {
				if (!res.headersSent)
					this._sendError({ req, res, record: {} }, 500, null, String(err && err.message));
				else res.destroy();
			}
		});
	}

	_handle(req, res, at, raw) {
		const method = (req.method || 'GET').toUpperCase();
		const path = req.url || '/';
		const headers = { ...req.headers };
		const auth = req.headers.authorization;
		let authOk = false;
		if (auth === undefined) headers.authorization = '<missing>';
		else {
			const m = /^Bearer\s+(.+)$/i.exec(String(auth).trim());
			authOk = Boolean(m) && m[1].trim() === this.apiKey;
			headers.authorization = authOk ? 'Bearer <ok>' : 'Bearer <bad>';
		}
		let body;
		if (raw === null) body = '<too large>';
		else if (Buffer.isBuffer(raw)) body = `<${raw.length} bytes>`;
		else if (raw !== '') {
			try {
				body = JSON.parse(raw);
			} catch {
				body = raw;
			}
		}
		const record = { method, path, headers, body, at };
		this.requests.push(record);
		const fault = this._takeFault(method, path);
		if (fault) record.fault = fault.kind;
		this.emit('request', record);
		const ctx = { req, res, record, method, path, raw, body, authOk };
		ctx.pathname = new URL(path, 'http://simulator.local').pathname;
		if (fault) this._applyFault(fault, ctx);
		else if (!this._rateLimited(ctx)) this._route(ctx);
	}

	/**
	 * EvoLink answers 429 past a per-model limit it does not publish. Scope 'model' limits creates
	 * per model (a task read names no model, so reads pass); scope 'key' counts every authenticated
	 * request. A token bucket of `burst` tokens refilled at `perSecond`; a refused request gets
	 * Retry-After in whole seconds (unless `retryAfter` is false), and counts in `requests` as 429.
	 */
	_rateLimited(ctx) {
		const limit = this.rateLimit;
		if (!limit || !ctx.authOk) return false;
		let bucketKey = 'key';
		if (limit.scope === 'model') {
			if (ctx.method !== 'POST' || ctx.pathname !== '/v1/videos/generations') return false;
			bucketKey = `model:${isPlainObject(ctx.body) ? String(ctx.body.model) : ''}`;
		}
		const now = Date.now();
		const bucket = this._buckets.get(bucketKey) || { tokens: limit.burst, at: now };
		bucket.tokens = Math.min(
			limit.burst,
			bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond,
		);
		bucket.at = now;
		this._buckets.set(bucketKey, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return false;
		}
		ctx.record.rateLimited = true;
		const waitSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
		const headers = limit.retryAfter ? { 'retry-after': String(waitSeconds) } : {};
		this._sendError(ctx, 429, undefined, undefined, undefined, headers);
		return true;
	}

	_applyFault(fault, ctx) {
		const { res } = ctx;
		switch (fault.kind) {
			case 'status': {
				const extra = {};
				if (fault.retryAfter !== undefined) extra['retry-after'] = String(fault.retryAfter);
				if (fault.body !== undefined) {
					this._sendJson(ctx, fault.status, fault.body, extra);
				} else {
					this._sendError(ctx, fault.status, fault.code, fault.message, fault.type, extra);
				}
				return;
			}
			case 'reset':
				ctx.record.status = null;
				res.socket.destroy();
				return;
			case 'slow': {
				const epoch = this._epoch;
				this._setTimer(
					() => {
						if (epoch !== this._epoch || res.socket === null || res.socket.destroyed) return;
						this._route(ctx);
					},
					fault.delayMs !== undefined ? fault.delayMs : 5000,
				);
				return;
			}
			case 'malformed':
				this._sendRaw(ctx, 200, 'application/json', '{"id": "task-unified-');
				return;
			case 'html':
				this._sendRaw(
					ctx,
					fault.status || 502,
					'text/html',
					'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
						'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
				);
				return;
			case 'dropAfterCreate':
				ctx.drop = true;
				this._route(ctx);
				return;
			case 'downloadAbort':
				ctx.abortAfter = fault.bytes;
				ctx.abort = true;
				this._route(ctx);
				return;
			case 'expired': {
				const now = new Date();
				this._sendRaw(
					ctx,
					403,
					'application/xml',
					'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>' +
						'<Message>Request has expired</Message>' +
						`<Expires>${new Date(now.getTime() - 3600e3).toISOString()}</Expires>` +
						`<ServerTime>${now.toISOString()}</ServerTime>` +
						`<RequestId>${randomId(16).toUpperCase()}</RequestId></Error>`,
				);
				return;
			}
		}
	}

	_route(ctx) {
		const { method, pathname } = ctx;
		if (pathname === '/v1/videos/generations') {
			if (method !== 'POST') return this._sendError(ctx, 405);
			return this._create(ctx);
		}
		const taskMatch = /^\/v1\/tasks\/([^/]+)$/.exec(pathname);
		if (taskMatch) {
			if (method !== 'GET') return this._sendError(ctx, 405);
			return this._getTask(ctx, decodeURIComponent(taskMatch[1]));
		}
		if (pathname === '/v1/credits') {
			if (method !== 'GET') return this._sendError(ctx, 405);
			return this._credits(ctx);
		}
		if (pathname === UPLOAD_PATH) {
			if (method !== 'POST') return this._sendError(ctx, 405);
			return this._upload(ctx);
		}
		const uploadMatch = /^\/uploads\/([^/.]+)\.[a-z0-9]+$/.exec(pathname);
		if (uploadMatch) {
			if (method !== 'GET' && method !== 'HEAD') return this._sendError(ctx, 405);
			return this._uploadedFile(ctx, uploadMatch[1]);
		}
		const fileMatch = /^\/files\/([^/]+)\.mp4$/.exec(pathname);
		if (fileMatch) {
			if (method !== 'GET' && method !== 'HEAD') return this._sendError(ctx, 405);
			return this._file(ctx, decodeURIComponent(fileMatch[1]));
		}
		return this._sendError(ctx, 404, 'not_found', `Unknown endpoint ${method} ${pathname}`);
	}

	_create(ctx) {
		if (!ctx.authOk) return this._sendError(ctx, 401);
		const keyHeader = ctx.req.headers['idempotency-key'];
		const key = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
		if (key !== undefined && !IDEMPOTENCY_KEY_RE.test(key)) {
			return this._sendError(
				ctx,
				400,
				'invalid_request',
				'Idempotency-Key must be 16-96 characters of [A-Za-z0-9._-]',
				undefined,
				{},
				'Idempotency-Key',
			);
		}
		if (ctx.raw === null) return this._sendError(ctx, 413);
		let body;
		try {
			body = JSON.parse(ctx.raw);
		} catch {
			return this._sendError(ctx, 400, 'invalid_request', 'Request body must be valid JSON');
		}
		const fingerprint = canonicalJson(body);
		if (key !== undefined && this._idempotency.has(key)) {
			const entry = this._idempotency.get(key);
			const task = this.tasks.get(entry.taskId);
			if (entry.fingerprint === fingerprint && task) {
				this._refresh(task);
				ctx.record.replayed = true;
				return this._sendJson(ctx, 200, this._taskObject(task), { 'idempotency-replayed': 'true' });
			}
			if (entry.fingerprint !== fingerprint) {
				return this._sendError(
					ctx,
					409,
					'idempotency_conflict',
					'Idempotency-Key was already used with a different request body',
					undefined,
					{},
					'Idempotency-Key',
				);
			}
		}
		const problem = validateWanCreate(body, this._known());
		if (problem) {
			return this._sendError(
				ctx,
				400,
				'invalid_request',
				problem.message,
				undefined,
				{},
				problem.param,
			);
		}
		const left = this.creditsLeft();
		if (creditsFor(body, this._known()) > left) {
			return this._sendError(ctx, 402, 'insufficient_quota', `Insufficient credits: ${left} left`);
		}
		const task = this._createTask(body);
		if (key !== undefined) this._idempotency.set(key, { fingerprint, taskId: task.id });
		task.idempotencyKey = key;
		ctx.record.taskId = task.id;
		// The create answer is always the documented "just accepted" state.
		return this._sendJson(ctx, 200, this._taskObject(task, { status: 'pending', progress: 0 }));
	}

	_getTask(ctx, id) {
		if (!ctx.authOk) return this._sendError(ctx, 401);
		if (!id.startsWith(TASK_ID_PREFIX)) {
			return this._sendError(
				ctx,
				400,
				'invalid_task_id',
				`Invalid task id: ${id}`,
				undefined,
				{},
				'task_id',
			);
		}
		const task = this.tasks.get(id);
		if (!task) return this._sendError(ctx, 404, 'task_not_found', `Task not found: ${id}`);
		this._refresh(task);
		return this._sendJson(ctx, 200, this._taskObject(task));
	}

	/** What `video_urls` know of the simulator's own results: how long each lasts. */
	_known() {
		const files = `${this.baseUrl}/files/`;
		return {
			seconds: (url) => {
				if (typeof url !== 'string' || !url.startsWith(files)) return undefined;
				const task = this.tasks.get(
					decodeURIComponent(url.slice(files.length).replace(/\.mp4$/, '')),
				);
				return task && this._state(task).status === 'completed' ? task.outputSeconds : undefined;
			},
		};
	}

	/** Credits held by tasks that did not fail (failed and cancelled tasks are refunded). */
	creditsUsed() {
		let used = 0;
		for (const task of this.tasks.values()) {
			this._refresh(task);
			const status = this._state(task).status;
			if (status !== 'failed' && status !== 'cancelled') used += task.creditsReserved;
		}
		return Math.round(used * 100) / 100;
	}

	/** The smaller of the account's and the key's credits left. */
	creditsLeft() {
		const used = this.creditsUsed();
		const limits = [this.credits, ...(this.keyCredits !== undefined ? [this.keyCredits] : [])];
		return Math.max(0, Math.round((Math.min(...limits) - used) * 100) / 100);
	}

	_credits(ctx) {
		if (!ctx.authOk) return this._sendError(ctx, 401);
		const used = this.creditsUsed();
		const unlimited = this.keyCredits === undefined;
		return this._sendJson(ctx, 200, {
			success: true,
			data: {
				user: { remaining_credits: Math.max(0, this.credits - used), used_credits: used },
				token: {
					remaining_credits: unlimited ? 0 : Math.max(0, this.keyCredits - used),
					unlimited_credits: unlimited,
					used_credits: used,
				},
			},
		});
	}

	/** POST /api/v1/files/upload/stream (multipart, field `file`), answered as the file API does. */
	_upload(ctx) {
		const fail = (status, msg) =>
			this._sendJson(ctx, status, { success: false, code: status, msg });
		if (!ctx.authOk) return fail(401, 'Invalid or expired API key');
		if (ctx.raw === null) return fail(413, 'File too large (at most 100 MB)');
		const file = parseMultipartFile(ctx.raw, ctx.req.headers['content-type']);
		if (!file) return fail(400, 'A multipart form with a "file" field is required');
		if (file.bytes.length === 0) return fail(400, 'The file is empty');
		const extension = UPLOAD_TYPES[file.mimeType];
		if (!extension || this.refuseUploadTypes.includes(file.mimeType)) {
			return fail(400, `Unsupported file type: ${file.mimeType}`);
		}
		const id = `file_${randomId(20)}`;
		const stored = { ...file, id, extension, sha256: sha256(file.bytes), at: Date.now() };
		this.uploads.set(id, stored);
		ctx.record.upload = {
			fileId: id,
			fileName: file.fileName,
			mimeType: file.mimeType,
			bytes: file.bytes.length,
			sha256: stored.sha256,
		};
		const url = `${this.baseUrl}/uploads/${id}.${extension}`;
		return this._sendJson(ctx, 200, {
			success: true,
			code: 200,
			msg: 'success',
			data: {
				file_id: id,
				file_name: `${id}.${extension}`,
				original_name: file.fileName,
				file_size: file.bytes.length,
				mime_type: file.mimeType,
				file_url: url,
				download_url: url,
				upload_time: new Date(stored.at).toISOString(),
				expires_at: new Date(stored.at + 72 * 3600e3).toISOString(),
			},
		});
	}

	_uploadedFile(ctx, id) {
		const file = this.uploads.get(id);
		if (!file) return this._sendError(ctx, 404, 'not_found', `No uploaded file ${id}`);
		ctx.record.status = 200;
		ctx.res.writeHead(200, {
			'content-type': file.mimeType,
			'content-length': String(file.bytes.length),
		});
		return ctx.res.end(ctx.method === 'HEAD' ? undefined : file.bytes);
	}

	_file(ctx, id) {
		const task = this.tasks.get(id);
		if (task) this._refresh(task);
		if (!task || this._state(task).status !== 'completed') {
			return this._sendRaw(
				ctx,
				404,
				'application/xml',
				'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>' +
					'<Message>The specified key does not exist.</Message></Error>',
			);
		}
		const total = Math.max(
			0,
			Math.floor(
				task.scenario.videoBytes !== undefined ? task.scenario.videoBytes : this.videoBytes,
			),
		);
		this._streamVideo(ctx, total, task.id);
	}

	_streamVideo(ctx, total, taskId) {
		const { res } = ctx;
		if (ctx.drop) return this._drop(ctx);
		ctx.record.status = 200;
		res.writeHead(200, {
			'content-type': 'video/mp4',
			'content-length': String(total),
			'cache-control': 'private, max-age=86400',
		});
		if (ctx.method === 'HEAD') return res.end();
		const limit = ctx.abort
			? Math.min(total, ctx.abortAfter !== undefined ? ctx.abortAfter : Math.floor(total / 2))
			: total;
		const header = resultVideo(taskId, total).head;
		let sent = 0;
		let closed = false;
		res.on('close', () => {
			closed = true;
		});
		const finish = () => {
			if (!ctx.abort) return res.end();
			res.flushHeaders();
			const socket = res.socket;
			if (!socket) return undefined;
			// Let what was written reach the client, then cut the connection mid-body.
			socket.write('', () => socket.destroy());
			return undefined;
		};
		const pump = () => {
			while (!closed && sent < limit) {
				const chunk =
					sent < header.length
						? header.subarray(sent, Math.min(header.length, limit))
						: FILLER.subarray(0, Math.min(FILLER.length, limit - sent));
				sent += chunk.length;
				if (!res.write(chunk)) {
					if (sent < limit) {
						res.once('drain', pump);
						return;
					}
					res.once('drain', finish);
					return;
				}
			}
			if (!closed) finish();
		};
		pump();
		return undefined;
	}

	_drop(ctx) {
		ctx.record.status = null;
		ctx.res.socket.destroy();
	}

	_sendRaw(ctx, status, contentType, text, extraHeaders = {}) {
		if (ctx.drop) return this._drop(ctx);
		const { res } = ctx;
		const payload = Buffer.from(text);
		ctx.record.status = status;
		res.writeHead(status, {
			'content-type': contentType.includes('charset')
				? contentType
				: `${contentType}; charset=utf-8`,
			'content-length': String(payload.length),
			...extraHeaders,
		});
		if (ctx.method === 'HEAD') return res.end();
		if (ctx.abort) {
			const cut = Math.min(
				payload.length,
				ctx.abortAfter !== undefined ? ctx.abortAfter : Math.floor(payload.length / 2),
			);
			const socket = res.socket;
			res.write(payload.subarray(0, cut), () => socket && socket.destroy());
			return undefined;
		}
		res.end(payload);
		return undefined;
	}

	_sendJson(ctx, status, obj, extraHeaders = {}) {
		return this._sendRaw(ctx, status, 'application/json', JSON.stringify(obj), extraHeaders);
	}

	_sendError(ctx, status, code, message, type, extraHeaders = {}, param) {
		const defaults = HTTP_ERRORS[status] || [
			status >= 500 ? 'internal_error' : 'invalid_request',
			status >= 500 ? 'api_error' : 'invalid_request_error',
			http.STATUS_CODES[status] || 'Error',
		];
		const error = {
			code: this.errorFormat === 'number' ? status : code || defaults[0],
			message: message || defaults[2],
			type: type || defaults[1],
		};
		if (param !== undefined) error.param = param;
		return this._sendJson(ctx, status, { error }, extraHeaders);
	}
}

/**
 * @param {import('./index').SimulatorOptions} [options]
 * @returns {import('./index').EvoLinkSimulator}
 */
function createSimulator(options) {
	return new EvoLinkSimulator(options);
}

/**
 * A tiny HTTP server that records what is POSTed to it (a callback target for tests).
 * `statuses` is consumed one per request (then `defaultStatus`, 200).
 * @param {import('./index').CallbackReceiverOptions} [options]
 * @returns {import('./index').CallbackReceiver}
 */
function createCallbackReceiver(options = {}) {
	const statuses = [...(options.statuses || [])];
	const defaultStatus = options.defaultStatus || 200;
	const received = [];
	const sockets = new Set();
	const emitter = new EventEmitter();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = raw;
			try {
				body = JSON.parse(raw);
			} catch {
				// keep the raw string
			}
			const status = statuses.length ? statuses.shift() : defaultStatus;
			const entry = {
				method: req.method,
				path: req.url,
				headers: { ...req.headers },
				body,
				status,
				at: Date.now(),
			};
			received.push(entry);
			emitter.emit('request', entry);
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ ok: status >= 200 && status < 300 }));
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	const receiver = {
		url: '',
		received,
		statuses,
		on: (event, fn) => {
			emitter.on(event, fn);
			return receiver;
		},
		start() {
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(options.port || 0, '127.0.0.1', () => {
					receiver.url = `http://127.0.0.1:${server.address().port}${options.path || '/callback'}`;
					resolve(receiver.url);
				});
			});
		},
		stop() {
			return new Promise((resolve) => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			});
		},
	};
	return receiver;
}

module.exports = {
	createSimulator,
	createCallbackReceiver,
	EvoLinkSimulator,
	MODELS: WAN_MODELS,
	FAULT_KINDS: [...FAULT_KINDS],
	TASK_ERROR_MESSAGES,
};
