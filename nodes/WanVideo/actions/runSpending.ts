import { type IExecuteFunctions, NodeApiError, type NodeOperationError } from 'n8n-workflow';

import { nodeError } from '../../shared/errors';

import { readBalance } from '../../shared/credits';
import { isCalledOff } from '../../shared/transport';
import type { EvoLinkTask } from '../../shared/task';
import type { CreateBody } from './createBody';

// What one run of Create may still start: its caps (Max Tasks per Run, Max Credits per Run, off by
// default) and the account's credits (after a 402, no further create). Each item asks before its
// create and reports after it.

export interface Caps {
	maxTasks?: number;
	maxCredits?: number;
}

/** What a task costs depends on these: tasks alike cost alike (reference seconds aside). */
function priceKind(body: CreateBody): string {
	const { model, generation_mode, duration, quality, generate_audio } = body;
	return JSON.stringify([model, generation_mode, duration, quality, generate_audio]);
}

const credits = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

interface Ticket {
	kind: string;
	/** Credits counted for it while in flight: its kind's price, 0 while the price is unknown. */
	estimate: number;
	/** Of a kind whose price is unknown: sent alone, so the others learn the price from its answer. */
	isProbe: boolean;
}

export class RunSpending {
	private created = 0;
	private inFlight = 0;
	private reserved = 0;
	private inFlightCredits = 0;
	private readonly prices = new Map<string, number>();
	/**
	 * A create whose kind's price is unknown, on its way: the others wait for its answer, so Max
	 * Credits per Run is passed by one task's reservation at most.
	 */
	private probe?: { done: Promise<void>; finish: () => void };
	private outOfCredits?: { itemIndex: number; balance: Promise<number | undefined> };
	private readonly refusals = new Map<string, number>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly caps: Caps,
	) {}

	/**
	 * Sends one item's create if the run may still start it; otherwise throws why not. `send` is told
	 * whether to call the create off at the last moment (a 402 came while it waited for its turn).
	 */
	async spend(
		itemIndex: number,
		body: CreateBody,
		send: (callOff: () => boolean) => Promise<EvoLinkTask>,
	): Promise<EvoLinkTask> {
		const ticket = await this.admit(itemIndex, priceKind(body));
		try {
			const task = await send(() => this.outOfCredits !== undefined);
			this.settle(ticket, task);
			return task;
		} catch (error) {
			this.settle(ticket);
			if (isCalledOff(error)) throw await this.notCreatedForCredits(itemIndex);
			throw await this.withBalance(error, itemIndex);
		}
	}

	/** "12 tasks created, 1,440 credits reserved; 3 items not created (Max Tasks per Run)". */
	summary(): string {
		const made = `${this.created} task${this.created === 1 ? '' : 's'} created, ${credits(this.reserved)} credits reserved`;
		const refused = [...this.refusals.entries()].map(
			([reason, count]) => `${count} item${count === 1 ? '' : 's'} not created (${reason})`,
		);
		return [made, ...refused].join('; ');
	}

	private async admit(itemIndex: number, kind: string): Promise<Ticket> {
		for (;;) {
			if (this.outOfCredits) throw await this.notCreatedForCredits(itemIndex);
			const { maxTasks, maxCredits } = this.caps;
			if (maxTasks !== undefined && this.created + this.inFlight >= maxTasks) {
				throw this.capReached(
					itemIndex,
					'Max Tasks per Run',
					`${maxTasks} tasks of this run are created or on their way`,
				);
			}
			if (maxCredits === undefined) return this.start(kind, 0, false);
			if (this.probe) {
				await this.probe.done; // until its answer, what the run has reserved is not known
				continue;
			}
			const held = this.reserved + this.inFlightCredits;
			const price = this.prices.get(kind);
			if (price === undefined) {
				if (held >= maxCredits) {
					throw this.capReached(
						itemIndex,
						'Max Credits per Run',
						`${credits(held)} of ${credits(maxCredits)} credits are reserved in this run`,
					);
				}
				return this.start(kind, 0, true);
			}
			if (held + price > maxCredits) {
				throw this.capReached(
					itemIndex,
					'Max Credits per Run',
					`it would reserve ${credits(price)} credits, and ${credits(held)} of ${credits(maxCredits)} are reserved in this run`,
				);
			}
			return this.start(kind, price, false);
		}
	}

	private start(kind: string, estimate: number, isProbe: boolean): Ticket {
		this.inFlight++;
		this.inFlightCredits += estimate;
		if (isProbe) {
			let finish = () => {};
			const done = new Promise<void>((resolve) => (finish = resolve));
			this.probe = { done, finish };
		}
		return { kind, estimate, isProbe };
	}

	/** Counts a create's outcome; its answer teaches its kind's price. */
	private settle(ticket: Ticket, task?: EvoLinkTask): void {
		this.inFlight--;
		this.inFlightCredits -= ticket.estimate;
		const reserved = task?.usage?.credits_reserved;
		if (task) {
			this.created++;
			this.reserved += typeof reserved === 'number' ? reserved : ticket.estimate;
			if (typeof reserved === 'number') this.prices.set(ticket.kind, reserved);
		}
		if (ticket.isProbe) {
			const probe = this.probe;
			this.probe = undefined;
			probe?.finish();
		}
	}

	private capReached(itemIndex: number, cap: string, why: string): NodeOperationError {
		this.refusals.set(cap, (this.refusals.get(cap) ?? 0) + 1);
		return nodeError(this.ctx.getNode(), `${cap}: ${why}, so this item was not created`, {
			itemIndex,
			description: `Nothing was sent for this item. Raise "${cap}" in Options, or run the rest later.`,
		});
	}

	/** A 402 stops the run's creates; its error, and every later one, say the balance left. */
	private async withBalance(error: unknown, itemIndex: number): Promise<unknown> {
		if (!(error instanceof NodeApiError) || error.httpCode !== '402') return error;
		this.outOfCredits ??= { itemIndex, balance: readBalance(this.ctx) };
		const balance = await this.outOfCredits.balance;
		if (balance !== undefined)
			error.description = `${error.description ?? ''} Credits left: ${credits(balance)}.`.trim();
		return error;
	}

	private async notCreatedForCredits(itemIndex: number): Promise<NodeOperationError> {
		const reason = 'out of credits';
		this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
		const { itemIndex: first, balance } = this.outOfCredits!;
		const left = await balance;
		return nodeError(
			this.ctx.getNode(),
			`Not created: EvoLink answered 402 (insufficient_quota) for item ${first} of this run${left === undefined ? '' : `; credits left: ${credits(left)}`}`,
			{
				itemIndex,
				description:
					'Nothing was sent for this item. Top up credits in the EvoLink dashboard, then run the items that were not created again.',
			},
		);
	}
}
