import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { invalidField } from '../../shared/errors';
import { assertTaskId, type EvoLinkTask, isFinalStatus, taskFromItem } from '../../shared/task';
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
		const waiting = itemIndexes.map((itemIndex) => ({
			itemIndex,
			taskId: plans.get(itemIndex)!.taskId,
		}));
		const tasks = await parkUntilCallback(this, waiting, longest);
		// Parked: on resume n8n outputs what the callback gives; on timeout, these input items.
		if (!tasks) return [this.getInputData()];
		tasks.forEach((task, position) => known.set(itemIndexes[position], task));
	}
	const input = this.getInputData();
	const settled = await runPerItem(this, itemIndexes, async (itemIndex) => {
		const { taskId, settings } = plans.get(itemIndex)!;
		const seen = known.get(itemIndex) ?? justCreated(input[itemIndex]?.json, taskId);
		return await settleTask(this, taskId, itemIndex, settings, seen);
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

/** How recent Create's answer must be to stand in for a first read. */
const FRESH_CREATE_MS = 30_000;

/**
 * The task as Create answered it moments ago, when that is this item's input (Create → Wait): Wait
 * plans its first read from it instead of reading at once. Anything older, or final, is read again.
 */
function justCreated(json: IDataObject | undefined, taskId: string): EvoLinkTask | undefined {
	const task = json && taskFromItem(json);
	if (!task || task.id !== taskId || task.created === undefined) return undefined;
	if (isFinalStatus(task.status) || Date.now() - task.created * 1000 > FRESH_CREATE_MS)
		return undefined;
	return task;
}
