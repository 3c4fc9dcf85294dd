import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { isAgentTool } from '../../shared/output';

// Many items at once: check them all before the first request, run them concurrently, keep every
// task ID when one fails, and output in input order.

/**
 * Whether a failed item becomes an output item rather than stopping the node: with "Continue On
 * Fail", and always for an AI agent, which gets an answer it can act on instead of an error.
 */
function keepsGoing(ctx: IExecuteFunctions): boolean {
	return ctx.continueOnFail() || isAgentTool(ctx.getNode());
}

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
		if (keepsGoing(ctx)) {
			output.push(errorItem(ctx, error, itemIndex));
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

/**
 * An output item for a failed task or request, carrying the task ID when there is one; for an AI
 * agent, with an answer saying what went wrong and what the call needs.
 */
export function errorItem(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = {
		taskId: (error.context?.taskId as string | undefined) ?? null,
		error: { message: error.message, description: error.description ?? null },
	};
	const hint = (error.context?.agentHint as string | undefined) ?? error.description;
	const answer = isAgentTool(ctx.getNode())
		? { answer: `${error.message}. ${hint ?? ''}`.trim() }
		: {};
	return { json: { ...answer, ...json }, pairedItem: { item: itemIndex } };
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
			if (!keepsGoing(ctx)) throw nodeError;
			rejected.push(errorItem(ctx, nodeError, itemIndex));
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
