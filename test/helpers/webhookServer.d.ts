// Types of webhookServer.js: a real HTTP server standing in for n8n's webhook endpoint.

/** The express-like request a webhook node gets from n8n (`getRequestObject()`). */
export interface WebhookRequest {
	method: string | undefined;
	/** Lower-cased, as node's http gives them. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed as n8n 2.41 parses a version-1 webhook node's body; undefined when not parsed. */
	body: unknown;
	rawBody: Buffer;
	/** Media type without parameters, lower case (n8n's `req.contentType`). */
	contentType?: string;
	encoding?: string;
	/** Path and query as received. */
	originalUrl: string | undefined;
	url: string | undefined;
	/** Path without the query. */
	path: string;
	query: Record<string, string | string[]>;
	params: Record<string, string>;
	ip?: string;
}

/** The express-like response (`getResponseObject()`); only what nodes use. */
export interface WebhookResponse {
	statusCode: number;
	readonly headersSent: boolean;
	/** Whether an answer was sent. */
	readonly finished: boolean;
	status(code: number): WebhookResponse;
	json(body?: unknown): WebhookResponse;
	send(body?: unknown): WebhookResponse;
	end(data?: string | Buffer): WebhookResponse;
	setHeader(name: string, value: string | number | readonly string[]): WebhookResponse;
	set(name: string, value: string): WebhookResponse;
	header(name: string, value: string): WebhookResponse;
	getHeader(name: string): string | number | string[] | undefined;
}

/** One request and what the server answered. */
export interface WebhookLogEntry {
	method: string | undefined;
	url: string | undefined;
	contentType?: string | string[];
	/** ms epoch, when the request's headers arrived. */
	receivedAt: number;
	bodyBytes?: number;
	status?: number;
	responseHeaders?: Record<string, unknown>;
	responseBody?: string;
	responseJson?: unknown;
	/** ms epoch of the answer; `ms` = answeredAt - receivedAt. */
	answeredAt?: number;
	ms?: number;
	/** When the handler finished (it may go on after answering). */
	doneAt?: number;
	/** Writes after the answer was sent (ignored). */
	lateWrites?: number;
	handlerError?: string;
	/** The handler returned without answering (the server then answered 500). */
	unanswered?: boolean;
	error?: string;
	/** Free for the handler to annotate. */
	[key: string]: unknown;
}

export type WebhookHandler = (
	request: WebhookRequest,
	response: WebhookResponse,
	entry: WebhookLogEntry,
) => Promise<void> | void;

export interface WebhookServerOptions {
	handler: WebhookHandler;
	/** n8n's payload limit. Default 16 MiB. */
	maxBodyBytes?: number;
	/** Default 0 (a free port). */
	port?: number;
}

export interface WebhookServer {
	/** Set by start(): http://127.0.0.1:PORT */
	baseUrl: string;
	port: number;
	readonly log: WebhookLogEntry[];
	start(): Promise<string>;
	/** Resolves once no request is being handled (handlers may work on after answering). */
	idle(): Promise<void>;
	stop(): Promise<void>;
}

export declare function createWebhookServer(options: WebhookServerOptions): WebhookServer;

export declare function parseContentType(header: unknown): {
	contentType?: string;
	encoding?: string;
};
