#!/usr/bin/env node
// Which n8n process enqueued and which ran each execution of the queue-mode run, read from the logs
// of the main, webhook and worker processes (n8n logs "Enqueued execution <id> (job <n>)" where an
// execution is queued and "Worker finished execution <id>" where it ran).
//
//   node queue-topology.mjs <main.log> <webhook.log> <worker.log>
//
// Prints one line per execution, then a summary line; exits 1 unless every execution enqueued was
// run by the worker and the webhook process enqueued at least one (production webhooks and resumed
// executions never reach the main process: N8N_DISABLE_PRODUCTION_MAIN_PROCESS).
import { existsSync, readFileSync } from 'node:fs';

const [mainLog, webhookLog, workerLog] = process.argv.slice(2);
const read = (file) => (file && existsSync(file) ? readFileSync(file, 'utf8') : '');
const ids = (text, pattern) => [...text.matchAll(pattern)].map((m) => m[1]);

const enqueuedBy = new Map();
for (const [name, file] of [
	['main', mainLog],
	['webhook', webhookLog],
]) {
	for (const id of ids(read(file), /Enqueued execution (\d+)/g)) {
		enqueuedBy.set(id, [...(enqueuedBy.get(id) ?? []), name]);
	}
}
const ranByWorker = new Set(ids(read(workerLog), /Worker finished execution (\d+)/g));

const executions = [...new Set([...enqueuedBy.keys(), ...ranByWorker])].sort((a, b) => a - b);
for (const id of executions) {
	const by = enqueuedBy.get(id)?.join(' + ') ?? 'nobody';
	console.log(
		`  execution ${id}: enqueued by ${by}, run by ${ranByWorker.has(id) ? 'the worker' : 'nobody'}`,
	);
}
const byWebhook = executions.filter((id) => enqueuedBy.get(id)?.includes('webhook')).length;
const byMain = executions.filter((id) => enqueuedBy.get(id)?.includes('main')).length;
const notRun = executions.filter((id) => enqueuedBy.has(id) && !ranByWorker.has(id));
const ok = byWebhook > 0 && notRun.length === 0;
console.log(
	`${executions.length} executions: ${byWebhook} enqueued by the webhook process, ${byMain} by main, ` +
		`${ranByWorker.size} run by the worker` +
		(notRun.length ? `; never run: ${notRun.join(', ')}` : ''),
);
process.exitCode = ok ? 0 : 1;
