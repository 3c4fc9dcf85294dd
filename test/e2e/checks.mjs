// Soft checks reported through node:test, for the end-to-end scenarios (scenarios.mjs) and the
// editor check (editor.mjs). A scenario makes many checks and goes on after a failed one (the
// later checks say how far it got); each check is a subtest of the running test, so node:test's
// spec reporter lists it (✔ / ✖ / ﹣) and counts it, and a failed check fails its test and the
// run's exit code. Nothing else counts or reports results.
//
//   it('a', (t) => withChecks(t, async () => { check(ok, 'what was checked', detail); … }));
//
// check/pass/fail/skip/note find the running test through AsyncLocalStorage, so helpers called
// from a scenario need no test handle; group() nests a subtest (its checks indented under it).

import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';

const scope = new AsyncLocalStorage();

/** A value shortened for a failure message. */
export function short(v) {
	const s = typeof v === 'string' ? v : JSON.stringify(v);
	return s && s.length > 600 ? `${s.slice(0, 600)}…` : s;
}

function current(what) {
	const s = scope.getStore();
	if (!s) throw new Error(`${what} outside a test`);
	return s;
}

/** A failure without a stack trace: the message says what failed and with which value. */
function failure(message) {
	const error = new Error(message);
	error.stack = message;
	return error;
}

/**
 * Runs fn with `t` as the test its checks report to; waits for the checks' subtests; skips the test
 * when all it could do was skip. Returns the number of checks that passed.
 */
export async function withChecks(t, fn) {
	const s = { t, pending: [], passed: 0, failed: 0, skipped: 0, lastSkip: '' };
	await scope.run(s, async () => {
		try {
			await fn();
		} catch (e) {
			fail(
				'threw',
				`${e?.stack ?? String(e)}${e?.cause ? ` cause: ${e.cause.stack ?? e.cause}` : ''}`,
			);
		}
	});
	await Promise.all(s.pending);
	if (!s.passed && !s.failed && s.skipped) t.skip(s.lastSkip);
	return s.passed;
}

/** One check: a subtest named msg that passes or fails with the detail. Returns ok. */
export function check(ok, msg, detail) {
	const s = current(`check "${msg}"`);
	const name = String(msg).replace(/\s+/g, ' ');
	const why = ok ? undefined : `${name}${detail !== undefined ? ` -- ${short(detail)}` : ''}`;
	s.pending.push(
		s.t.test(name, () => {
			if (why) throw failure(why);
		}),
	);
	if (ok) s.passed++;
	else s.failed++;
	return !!ok;
}
export const pass = (msg) => check(true, msg);
/** How many checks of the running test (not of its groups) passed so far. */
export const passedSoFar = () => current('passedSoFar').passed;
export const fail = (msg, detail) => check(false, msg, detail ?? 'failed');

/** A check that could not be made here: a skipped subtest. */
export function skip(msg) {
	const s = current(`skip "${msg}"`);
	s.skipped++;
	s.lastSkip = msg;
	s.pending.push(s.t.test(msg, { skip: true }, () => {}));
}

/**
 * A measurement: printed under the running test (node:test diagnostic) and, with E2E_FIGURES, added
 * to that file, where run.sh prints the run's figures at the end.
 */
export function note(msg) {
	current('note').t.diagnostic(msg);
	if (process.env.E2E_FIGURES) appendFileSync(process.env.E2E_FIGURES, `${msg}\n`);
}

/** Checks grouped under a subtest of their own (e.g. one per agent version). */
export async function group(name, fn) {
	const parent = current(`group "${name}"`);
	const done = parent.t.test(name, async (t) => {
		await withChecks(t, fn);
	});
	parent.pending.push(done);
	await done;
}
