#!/usr/bin/env node
// A tiny fake OpenAI-compatible chat model for the agent example (test/e2e/run.sh starts it).
//
//   node test/e2e/fake-llm.mjs --port 0 --host 127.0.0.1 [--log requests.jsonl]
//
// Prints one JSON line {"baseUrl":"http://127.0.0.1:<port>/v1"} once listening; stops on SIGTERM.
// Serves:
//   GET  /v1/models             one model, "fake-video-agent"
//   POST /v1/chat/completions   (stream or not) a scripted two-turn agent:
//       no tool result yet   -> a tool call to the first offered tool whose name mentions "create", else
//                               "wan"/"video" (else the first tool), its arguments filled from its JSON schema
//                               as a valid call (ARGUMENTS: model, mode, prompt, image URL; other media
//                               URLs empty; a prompt for any other string)
//       after a tool result  -> a final answer quoting the task id and the tool's `answer` sentence
// Every request is appended to --log as one JSON line {path, body} so the test can check what n8n sent.

import { createServer } from 'node:http';
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const args = process.argv.slice(2);
const opt = (name, def) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : def;
};
const PORT = Number(opt('port', '0'));
const HOST = opt('host', '127.0.0.1');
const LOG = opt('log');
const MODEL = 'fake-video-agent';
const IMAGE_URL = 'https://example.com/e2e/agent-first-frame.png';
const PROMPT = '[ms:1500] e2e agent clip: the cat looks up at a butterfly';

/**
 * What the scripted model fills in, by argument name: a valid call of the Create Video tool (Wan 3.0
 * from an image URL) whatever the example offers; the optional media it does not use stay empty.
 */
const ARGUMENTS = {
	model: 'wan3.0-image-to-video',
	generationMode: 'first_frame',
	prompt: PROMPT,
	imageUrl: IMAGE_URL,
};

function toolArguments(tool) {
	const props = tool?.function?.parameters?.properties ?? {};
	const out = {};
	for (const [name, schema] of Object.entries(props)) {
		if (schema?.type && schema.type !== 'string') continue;
		if (name in ARGUMENTS) out[name] = ARGUMENTS[name];
		else if (/url|image|video|audio/i.test(name)) out[name] = '';
		else out[name] = PROMPT;
	}
	if (!Object.keys(out).length) out.input = PROMPT; // a tool without a schema takes one string
	return out;
}

/** The Wan Video tool's one-sentence `answer` in a tool result (JSON, maybe encoded twice). */
function toolAnswer(text) {
	let value = text;
	for (let depth = 0; depth < 3 && typeof value === 'string'; depth++) {
		try {
			value = JSON.parse(value);
		} catch {
			break;
		}
	}
	const items = Array.isArray(value) ? value : [value];
	const found = items
		.map((it) => it?.answer ?? it?.json?.answer)
		.find((a) => typeof a === 'string');
	return found ?? /"answer"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
}

/** The scripted reply: { content } or { toolCall: {id, name, arguments} }. */
function reply(body) {
	const messages = body.messages ?? [];
	const toolResults = messages.filter((m) => m.role === 'tool');
	if (toolResults.length) {
		const text = toolResults
			.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
			.join('\n');
		const id = /task-unified-[A-Za-z0-9-]+/.exec(text)?.[0];
		const said = toolAnswer(text);
		return {
			content: id
				? `Task id: ${id}.${said ? ` The tool said: ${said}` : ''}`
				: `The tool answered without a task id: ${text.slice(0, 300)}`,
		};
	}
	const tools = body.tools ?? [];
	if (!tools.length) return { content: 'No tool was offered, so no video was started.' };
	const named = (re) => tools.find((t) => re.test(t.function?.name ?? ''));
	const tool = named(/create/i) ?? named(/wan|video/i) ?? tools[0];
	return {
		toolCall: {
			id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
			name: tool.function.name,
			arguments: JSON.stringify(toolArguments(tool)),
		},
	};
}

function completion(r) {
	const message = r.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: r.toolCall.id,
						type: 'function',
						function: { name: r.toolCall.name, arguments: r.toolCall.arguments },
					},
				],
			}
		: { role: 'assistant', content: r.content };
	return {
		id: `chatcmpl-${randomUUID()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
		choices: [
			{ index: 0, message, logprobs: null, finish_reason: r.toolCall ? 'tool_calls' : 'stop' },
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function streamChunks(r) {
	const base = {
		id: `chatcmpl-${randomUUID()}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
	};
	const chunk = (delta, finish = null) => ({
		...base,
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
	});
	if (r.toolCall) {
		return [
			chunk({
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						index: 0,
						id: r.toolCall.id,
						type: 'function',
						function: { name: r.toolCall.name, arguments: '' },
					},
				],
			}),
			chunk({ tool_calls: [{ index: 0, function: { arguments: r.toolCall.arguments } }] }),
			chunk({}, 'tool_calls'),
		];
	}
	return [
		chunk({ role: 'assistant', content: '' }),
		chunk({ content: r.content }),
		chunk({}, 'stop'),
	];
}

const server = createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const raw = Buffer.concat(chunks).toString('utf8');
		let body = {};
		try {
			body = raw ? JSON.parse(raw) : {};
		} catch {
			body = { unparsable: raw.slice(0, 200) };
		}
		const url = new URL(req.url, 'http://x');
		const p = url.pathname.replace(/\/+$/, '');
		if (LOG) appendFileSync(LOG, `${JSON.stringify({ method: req.method, path: p, body })}\n`);
		const send = (status, obj) => {
			const s = JSON.stringify(obj);
			res.writeHead(status, {
				'content-type': 'application/json',
				'content-length': Buffer.byteLength(s),
			});
			res.end(s);
		};
		if (req.method === 'GET' && p === '/v1/models') {
			return send(200, {
				object: 'list',
				data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'e2e' }],
			});
		}
		if (req.method === 'POST' && p === '/v1/chat/completions') {
			const r = reply(body);
			if (body.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				for (const c of streamChunks(r)) res.write(`data: ${JSON.stringify(c)}\n\n`);
				res.end('data: [DONE]\n\n');
				return;
			}
			return send(200, completion(r));
		}
		send(404, {
			error: { message: `fake-llm: no route ${req.method} ${p}`, type: 'invalid_request_error' },
		});
	});
});

server.listen(PORT, HOST, () => {
	const { port } = server.address();
	process.stdout.write(`${JSON.stringify({ baseUrl: `http://${HOST}:${port}/v1` })}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
