import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { invalidField } from '../../shared/errors';
import { assertTaskId, type EvoLinkTask } from '../../shared/task';
import { parkUntilCallback, resumeUrlProblem } from './callbackWait';
import { planEachItem, runPerItem, sortByItem } from './perItem';
import { readWaitSettings, waitOptionsOf } from './waitSettings';
import { settleTask } from './settle';

/**
 * Wait: every item's task at once, each polled on its own adaptive schedule; or, in callback mode,
 * the execution parks until EvoLink calls back.
 */
export async function wait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const { plans, rejected } = await planEachItem(this, (itemIndex) => ({
		taskId: assertTaskId(node, this.getNodeParameter('taskId', itemIndex), itemIndex),
		settings: readWaitSettings(node, waitOptionsOf(this, itemIndex), itemIndex),
	}));
	const planned = [...plans.values()];
	const itemIndexes = [...plans.keys()];
	assertOneWaitMode(this, plans);
	const known = new Map<number, EvoLinkTask>();
	if (planned[0]?.settings.mode === 'callback' && !(await resumeUrlProblem(this))) {
		const longest = Math.max(...planned.map((plan) => plan.settings.timeoutMs));
		const tasks = await parkUntilCallback(
			this,
			planned.map((plan) => plan.taskId),
			longest,
		);
		// Parked: on resume n8n outputs what the callback gives; on timeout, these input items.
		if (!tasks) return [this.getInputData()];
		tasks.forEach((task, position) => known.set(itemIndexes[position], task));
	}
	const settled = await runPerItem(this, itemIndexes, async (itemIndex) => {
		const { taskId, settings } = plans.get(itemIndex)!;
		return await settleTask(this, taskId, itemIndex, settings, known.get(itemIndex));
	});
	return [sortByItem([...settled, ...rejected])];
}

/**
 * A parked execution resumes as a whole, so Wait Mode is one choice for the run: an expression that
 * gives items different modes is refused before anything is sent.
 */
function assertOneWaitMode(
	ctx: IExecuteFunctions,
	plans: Map<number, { settings: { mode: string } }>,
): void {
	const [first, ...others] = [...plans.entries()];
	const differing = others.find(([, plan]) => plan.settings.mode !== first?.[1].settings.mode);
	if (!first || !differing) return;
	throw invalidField(
		ctx.getNode(),
		differing[0],
		'Wait Mode',
		`must be the same for every item, since the execution waits as a whole (item ${first[0]} is "${first[1].settings.mode}")`,
		differing[1].settings.mode,
	);
}
