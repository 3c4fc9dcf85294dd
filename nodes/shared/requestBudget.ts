import { createHash } from 'crypto';
import { sleep } from 'n8n-workflow';

// One request budget per API key and n8n process: every item of every Wan Video node sends its
// creates, task reads and uploads through it. EvoLink rate-limits per model and publishes no numbers
// (docs/evolink-api.md), so the budget keeps the credential's rate in all, and each lane (the creates
// of a model, reads, uploads) learns its own from 429s. Several n8n workers on one key each have a
// budget: they learn alone, and their random holds keep them from rising in step.

/** The credential's "Requests per Second" when left empty. */
export const DEFAULT_REQUESTS_PER_SECOND = 50;

/** The longest pause a 429 imposes on a lane; a request asked to wait longer gives up instead. */
export const MAX_PAUSE_MS = 60_000;

/** In flight at once: one second's worth of requests, and never fewer than this. */
const MIN_IN_FLIGHT = 10;

/**
 * A 429 cuts a lane only when it sent at least this many requests in the last second: a request
 * after a long quiet says the key is busy (the pause covers that), not that this lane sends too fast.
 */
const MIN_RATE_TO_CUT = 0.5;
/** After a 429 a lane drops to this share of the rate it really sent at ... */
const CUT_SHARE = 0.7;
/** ... climbs back within this many seconds to this share of it ... */
const CLIMB_SECONDS = 3;
const HOLD_SHARE = 0.9;
/** ... holds there for a random while in this range (so workers on one key do not rise in step) ... */
const HOLD_SECONDS = { min: 10, max: 20 };
/** ... then probes above it, this much faster each second, up to the key's rate. */
const PROBE_GROWTH = 1.1;
/** A new create lane starts at this rate and doubles it each second until a 429 or the key's rate. */
const SLOW_START_RATE = 2;

/** What a 429 tells about: EvoLink limits per model, so creates of each model form a lane. */
export type Lane = 'read' | 'upload' | `create:${string}`;

export interface LaneCut {
	/** The rate the lane really sent at when refused. */
	refusedRate: number;
	/** Milliseconds since epoch. */
	at: number;
	holdSeconds: number;
}

/** A lane's rate after a 429, as a pure function of the time since (tested in test/rules.test.ts). */
export function laneRateAfterCut(cut: LaneCut, now: number): number {
	const seconds = Math.max(0, (now - cut.at) / 1000);
	const climbed = Math.min(1, seconds / CLIMB_SECONDS);
	const held = (CUT_SHARE + (HOLD_SHARE - CUT_SHARE) * climbed) * cut.refusedRate;
	return held * PROBE_GROWTH ** Math.max(0, seconds - cut.holdSeconds);
}

/** A new create lane's rate: it doubles each second from SLOW_START_RATE (tested beside). */
export function slowStartRate(openedAt: number, now: number): number {
	return SLOW_START_RATE * 2 ** Math.max(0, (now - openedAt) / 1000);
}

/** A random hold for a cut (HOLD_SECONDS). */
function randomHoldSeconds(): number {
	return HOLD_SECONDS.min + Math.random() * (HOLD_SECONDS.max - HOLD_SECONDS.min);
}

interface LaneState {
	/** Until then the lane sends nothing: a 429's Retry-After, or a backoff. */
	pausedUntil: number;
	/** 429s in a row: without Retry-After the pause doubles. */
	refusalsInARow: number;
	lastRefusalAt: number;
	cut?: LaneCut;
	/** A create lane in slow start: when it opened. */
	openedAt?: number;
	/** Spacing while cut or starting: the lane's next request may start then. */
	nextAt: number;
	/** When the lane's requests of the last second were granted: what it really sends. */
	recent: number[];
}

/** A slot in the budget; hand it back with `finish` whatever the answer. */
export interface Grant {
	lane: Lane;
	at: number;
}

interface Waiter {
	lane: Lane;
	grant: (slot: Grant) => void;
}

export class RequestBudget {
	private ratePerSecond = DEFAULT_REQUESTS_PER_SECOND;
	private tokens = DEFAULT_REQUESTS_PER_SECOND;
	private refilledAt = Date.now();
	private inFlight = 0;
	private readonly lanes = new Map<Lane, LaneState>();
	private readonly waiting: Waiter[] = [];
	/** When a pending wake-up will dispatch again (Infinity: none pending). */
	private wakeAt = Infinity;

	/** The credential's rate; it may change between executions. */
	setRate(requestsPerSecond: number): void {
		this.ratePerSecond = requestsPerSecond;
	}

	/** How long the lane's callers still wait because of its last 429. */
	pausedForMs(lane: Lane, now = Date.now()): number {
		return Math.max(0, this.lane(lane).pausedUntil - now);
	}

	/** Waits for a slot in `lane` (in call order within what may go); rejects when `signal` aborts. */
	async take(lane: Lane, signal?: AbortSignal): Promise<Grant> {
		return await new Promise<Grant>((resolve, reject) => {
			if (signal?.aborted) return reject(new Error('cancelled'));
			const onAbort = () => {
				const position = this.waiting.indexOf(waiter);
				if (position >= 0) this.waiting.splice(position, 1);
				reject(new Error('cancelled'));
			};
			const waiter: Waiter = {
				lane,
				grant: (slot) => {
					signal?.removeEventListener('abort', onAbort);
					resolve(slot);
				},
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiting.push(waiter);
			this.dispatch();
		});
	}

	/**
	 * Gives the slot back. A 429 pauses the refused lane (as long as Retry-After asks, or a backoff
	 * that doubles with each 429 in a row) and cuts its rate, unless the request left before the
	 * lane's last refusal (it says nothing new). Other lanes go on: EvoLink limits per model.
	 */
	finish(slot: Grant, refusal?: { retryAfterMs?: number }): void {
		this.inFlight--;
		const now = Date.now();
		const state = this.lane(slot.lane);
		if (!refusal) {
			state.refusalsInARow = 0;
		} else {
			// Requests that left before the last 429 was answered were refused for the same reason.
			const isNews = slot.at >= state.lastRefusalAt;
			const backoff = isNews ? backoffMs(state.refusalsInARow++) : 0;
			const pauseMs = Math.min(MAX_PAUSE_MS, refusal.retryAfterMs ?? backoff);
			state.pausedUntil = Math.max(state.pausedUntil, now + pauseMs);
			if (isNews) state.lastRefusalAt = now;
			const sentRate = Math.min(this.laneRate(state, now), sentLastSecond(state, now));
			if ((!state.cut || slot.at >= state.cut.at) && sentRate >= MIN_RATE_TO_CUT) {
				state.cut = { refusedRate: sentRate, at: now, holdSeconds: randomHoldSeconds() };
				state.openedAt = undefined;
			}
		}
		this.dispatch();
	}

	/** A lane's state; a create lane starts slowly (a key's limits are unknown until a 429). */
	private lane(name: Lane): LaneState {
		let state = this.lanes.get(name);
		if (!state) {
			state = {
				pausedUntil: 0,
				refusalsInARow: 0,
				lastRefusalAt: 0,
				nextAt: 0,
				recent: [],
				openedAt: name.startsWith('create:') ? Date.now() : undefined,
			};
			this.lanes.set(name, state);
		}
		return state;
	}

	/** The lane's own rate: the key's, or lower while it starts or recovers from a 429. */
	private laneRate(state: LaneState, now: number): number {
		const limited = state.cut
			? laneRateAfterCut(state.cut, now)
			: state.openedAt !== undefined
				? slowStartRate(state.openedAt, now)
				: Infinity;
		return Math.min(this.ratePerSecond, limited);
	}

	/** Frees a lane that is back at the key's rate: it starts no more and has no cut to recover from. */
	private freeIfRecovered(state: LaneState, now: number): void {
		const limited = state.cut !== undefined || state.openedAt !== undefined;
		if (limited && this.laneRate(state, now) >= this.ratePerSecond) {
			state.cut = undefined;
			state.openedAt = undefined;
		}
	}

	private get maxInFlight(): number {
		return Math.max(MIN_IN_FLIGHT, Math.ceil(this.ratePerSecond));
	}

	/** Grants what may go now, in call order, and wakes up when the next may go. */
	private dispatch(): void {
		const now = Date.now();
		const burst = Math.max(1, this.ratePerSecond);
		this.tokens = Math.min(
			burst,
			this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond,
		);
		this.refilledAt = now;
		let wakeAt = Infinity;
		for (let i = 0; i < this.waiting.length; ) {
			if (this.inFlight >= this.maxInFlight) return; // finish() dispatches again
			if (this.tokens < 1) {
				wakeAt = Math.min(wakeAt, now + ((1 - this.tokens) / this.ratePerSecond) * 1000);
				break;
			}
			const waiter = this.waiting[i];
			const state = this.lane(waiter.lane);
			this.freeIfRecovered(state, now);
			const limited = state.cut !== undefined || state.openedAt !== undefined;
			const nextAt = Math.max(state.pausedUntil, limited ? state.nextAt : 0);
			if (nextAt > now) {
				wakeAt = Math.min(wakeAt, nextAt);
				i++;
				continue;
			}
			this.waiting.splice(i, 1);
			this.tokens--;
			this.inFlight++;
			if (limited) state.nextAt = now + 1000 / this.laneRate(state, now);
			state.recent.push(now);
			waiter.grant({ lane: waiter.lane, at: now });
		}
		if (this.waiting.length && wakeAt < this.wakeAt) this.wakeUpAt(wakeAt, now);
	}

	/** Dispatches again at `at`; an earlier wake-up replaces a later one, a stale one does no harm. */
	private wakeUpAt(at: number, now: number): void {
		this.wakeAt = at;
		void sleep(Math.max(1, at - now)).then(() => {
			if (this.wakeAt === at) this.wakeAt = Infinity;
			this.dispatch();
		});
	}
}

/** Requests the lane started in the last second (older grants are forgotten here). */
function sentLastSecond(state: LaneState, now: number): number {
	while (state.recent.length && state.recent[0] <= now - 1000) state.recent.shift();
	return state.recent.length;
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s ... capped at 30 s. */
export function backoffMs(attempt: number): number {
	return Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
}

/** Budgets by key (hashed: the key itself is kept nowhere else) and base URL. */
const budgets = new Map<string, RequestBudget>();

export function requestBudgetFor(credentials: {
	apiKey: string;
	baseUrl: string;
	requestsPerSecond: number;
}): RequestBudget {
	const id = createHash('sha256')
		.update(`${credentials.baseUrl}\n${credentials.apiKey}`)
		.digest('hex');
	let budget = budgets.get(id);
	if (!budget) {
		budget = new RequestBudget();
		budgets.set(id, budget);
	}
	budget.setRate(credentials.requestsPerSecond);
	return budget;
}

/** Forgets every budget (tests start each case from a fresh one). */
export function forgetRequestBudgets(): void {
	budgets.clear();
}
