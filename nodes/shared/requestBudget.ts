import { createHash } from 'crypto';
import { sleep } from 'n8n-workflow';

// One request budget per API key and n8n process: every item of every Wan Video node sends its
// creates, task reads and uploads through it. EvoLink rate-limits per model and publishes no numbers
// (docs/evolink-api.md), so the budget starts from the credential's rate and learns from 429s.

/** The credential's "Requests per Second" when left empty. */
export const DEFAULT_REQUESTS_PER_SECOND = 50;

/** The longest pause a 429 imposes on the key; a request asked to wait longer gives up instead. */
export const MAX_PAUSE_MS = 60_000;

/** In flight at once: one second's worth of requests, and never fewer than this. */
const MIN_IN_FLIGHT = 10;

/** A 429 cuts a lane only when it sent at least this many requests in the last second: a lone
 * request refused says the key is busy (the pause covers that), not that this lane sends too fast. */
const MIN_RATE_TO_CUT = 2;
/** After a 429 a lane drops to half the rate it really sent at ... */
const CUT_SHARE = 0.5;
/** ... climbs back by this factor per second ... */
const CLIMB_PER_SECOND = 1.2;
/** ... up to this share of the refused rate, holds there this long ... */
const HOLD_SHARE = 0.9;
const HOLD_SECONDS = 30;
/** ... then probes above it by this many requests per second, each second, up to the key's rate. */
const PROBE_STEP = 1;

/** What a 429 tells about: EvoLink limits per model, so creates of each model form a lane. */
export type Lane = 'read' | 'upload' | `create:${string}`;

export interface LaneCut {
	/** The rate the lane really sent at when refused. */
	refusedRate: number;
	/** Milliseconds since epoch. */
	at: number;
}

/** A lane's rate after a 429, as a pure function of the time since (tested in test/rules.test.ts). */
export function laneRateAfterCut(cut: LaneCut, now: number): number {
	const seconds = Math.max(0, (now - cut.at) / 1000);
	const climbing = CUT_SHARE * cut.refusedRate * CLIMB_PER_SECOND ** seconds;
	const held = HOLD_SHARE * cut.refusedRate;
	return Math.min(climbing, held + PROBE_STEP * Math.max(0, seconds - HOLD_SECONDS));
}

interface LaneState {
	cut?: LaneCut;
	/** Spacing while cut: the lane's next request may start then. */
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
	private pausedUntil = 0;
	/** 429s in a row: without Retry-After the pause doubles. */
	private refusalsInARow = 0;
	private lastRefusalAt = 0;
	private readonly lanes = new Map<Lane, LaneState>();
	private readonly waiting: Waiter[] = [];
	/** When a pending wake-up will dispatch again (Infinity: none pending). */
	private wakeAt = Infinity;

	/** The credential's rate; it may change between executions. */
	setRate(requestsPerSecond: number): void {
		this.ratePerSecond = requestsPerSecond;
	}

	/** How long every caller still waits because of the last 429. */
	pausedForMs(now = Date.now()): number {
		return Math.max(0, this.pausedUntil - now);
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
	 * Gives the slot back. A 429 pauses every caller of the key (as long as Retry-After asks, or a
	 * backoff that doubles with each 429 in a row) and cuts the refused lane's rate, unless the
	 * request left before the lane's last cut (it says nothing new).
	 */
	finish(slot: Grant, refusal?: { retryAfterMs?: number }): void {
		this.inFlight--;
		const now = Date.now();
		if (!refusal) {
			this.refusalsInARow = 0;
		} else {
			// Requests that left before the last 429 was answered were refused for the same reason.
			const isNews = slot.at >= this.lastRefusalAt;
			const backoff = isNews ? backoffMs(this.refusalsInARow++) : 0;
			const pauseMs = Math.min(MAX_PAUSE_MS, refusal.retryAfterMs ?? backoff);
			this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
			if (isNews) this.lastRefusalAt = now;
			const state = this.lane(slot.lane);
			const sentRate = Math.min(this.laneRate(state, now), this.recentRate(state, now));
			if ((!state.cut || slot.at >= state.cut.at) && sentRate >= MIN_RATE_TO_CUT) {
				state.cut = { refusedRate: sentRate, at: now };
			}
		}
		this.dispatch();
	}

	private lane(name: Lane): LaneState {
		let state = this.lanes.get(name);
		if (!state) {
			state = { nextAt: 0, recent: [] };
			this.lanes.set(name, state);
		}
		return state;
	}

	/** The lane's own rate: the key's, or lower while it recovers from a 429. */
	private laneRate(state: LaneState, now: number): number {
		if (!state.cut) return this.ratePerSecond;
		const rate = laneRateAfterCut(state.cut, now);
		if (rate < this.ratePerSecond) return rate;
		state.cut = undefined;
		return this.ratePerSecond;
	}

	/** Requests the lane started in the last second. */
	private recentRate(state: LaneState, now: number): number {
		while (state.recent.length && state.recent[0] <= now - 1000) state.recent.shift();
		return state.recent.length;
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
		const paused = this.pausedUntil > now;
		let wakeAt = paused ? this.pausedUntil : Infinity;
		for (let i = 0; !paused && i < this.waiting.length; ) {
			if (this.inFlight >= this.maxInFlight) return; // finish() dispatches again
			if (this.tokens < 1) {
				wakeAt = Math.min(wakeAt, now + ((1 - this.tokens) / this.ratePerSecond) * 1000);
				break;
			}
			const waiter = this.waiting[i];
			const state = this.lane(waiter.lane);
			if (state.cut && state.nextAt > now) {
				wakeAt = Math.min(wakeAt, state.nextAt);
				i++;
				continue;
			}
			this.waiting.splice(i, 1);
			this.tokens--;
			this.inFlight++;
			if (state.cut) state.nextAt = now + 1000 / this.laneRate(state, now);
			state.recent.push(now);
			this.recentRate(state, now); // keeps only the last second
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
