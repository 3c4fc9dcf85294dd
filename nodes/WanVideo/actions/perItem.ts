import type {
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';

// Many items at once: check them all before the first request, run them concurrently, keep every
// task ID when one fails, and output in input order.

/**
 * Runs one piece of work per item at the same time. With "Continue On Fail" a failed item becomes
 * an output item carrying its task ID and the error; without it, the first error stops the node and
 * names the tasks of the other items, so no task ID is lost.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	work: (itemIndex: number) => Promise<INodeExecutionData>,
): Promise<INodeExecutionData[]> {
	const outcomes = await Promise.allSettled(
		itemIndexes.map(async (itemIndex) => await work(itemIndex)),
	);
	const output: INodeExecutionData[] = [];
	let firstError: NodeApiError | NodeOperationError | undefined;
	outcomes.forEach((outcome, position) => {
		const itemIndex = itemIndexes[position];
		if (outcome.status === 'fulfilled') {
			output.push(outcome.value);
			return;
		}
		const error = toNodeError(ctx.getNode(), outcome.reason, itemIndex);
		if (ctx.continueOnFail()) {
			output.push(errorItem(error, itemIndex));
		} else {
			firstError ??= error;
		}
	});
	if (firstError) {
		const others = output.map(
			(item) => `${String(item.json.taskId)} (${String(item.json.status)})`,
		);
		if (others.length) {
			firstError.description =
				`${firstError.description ?? ''}\nOther tasks of this run: ${others.join(', ')}`.trim();
		}
		throw firstError;
	}
	return output;
}

/** An output item for a failed task or request, carrying the task ID when there is one. */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	return {
		json: {
			taskId: (error.context?.taskId as string | undefined) ?? null,
			error: { message: error.message, description: error.description ?? null },
		},
		pairedItem: { item: itemIndex },
	};
}

/**
 * Checks every item before the first request, so one bad item can neither hide behind good ones nor
 * leave them half-sent: with "Continue On Fail" a bad item becomes an error item, otherwise the
 * first one stops the node before anything is sent.
 */
export async function planEachItem<T>(
	ctx: IExecuteFunctions,
	plan: (itemIndex: number) => T | Promise<T>,
): Promise<{ plans: Map<number, T>; rejected: INodeExecutionData[] }> {
	const node = ctx.getNode();
	const plans = new Map<number, T>();
	const rejected: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			plans.set(itemIndex, await plan(itemIndex));
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			rejected.push(errorItem(nodeError, itemIndex));
		}
	}
	return { plans, rejected };
}

/** Output items in input order (items settle in any order). */
export function sortByItem(items: INodeExecutionData[]): INodeExecutionData[] {
	const position = (item: INodeExecutionData) =>
		(item.pairedItem as { item: number } | undefined)?.item ?? 0;
	return items.sort((a, b) => position(a) - position(b));
}
