import type {
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { getBaseUrl, isEvoLinkHost } from '../../shared/credentials';
import { readTask } from '../../shared/transport';
import { type EvoLinkTask, isFinalStatus, isTaskId, taskIdError } from '../../shared/task';
import { callbackUrlProblem } from '../../shared/urlRules';
import { CONFIRM_POLICY, isSignedRequest, reply } from '../../shared/webhook';
import { toOutputItem } from '../../shared/output';
import { errorItem, sortByItem } from './perItem';
import { readWaitSettings, waitingParameters } from './waitSettings';

/**
 * The execution's own resume URL (`$execution.resumeUrl`): n8n checks its token against the
 * parked execution, whichever node is parked. `getSignedResumeUrl` would name the calling node,
 * which only n8n's send-and-wait operations can use.
 */
export function executionResumeUrl(ctx: IExecuteFunctions): string {
	return String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
}

/**
 * Why EvoLink could not call this execution back, or undefined when it can. Only EvoLink's own
 * API has the public-HTTPS rule: a test server on loopback can call a local n8n.
 */
export async function resumeUrlProblem(ctx: IExecuteFunctions): Promise<string | undefined> {
	const evoLinkRules = isEvoLinkHost(await getBaseUrl(ctx));
	const problem = callbackUrlProblem(executionResumeUrl(ctx), evoLinkRules);
	if (problem) {
		ctx.addExecutionHints({
			message: `EvoLink cannot call this n8n back (its resume URL ${problem}), so tasks are polled instead. Set WEBHOOK_URL to n8n's public HTTPS address to wait without polling.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return problem;
}

/**
 * Wait by callback, after a Create that sent this execution's resume URL: parks the execution,
 * holding no worker, until EvoLink's callback resumes it. When every task is already final there
 * is nothing to wait for: answers the tasks instead, and undefined when it parked.
 */
export async function parkUntilCallback(
	ctx: IExecuteFunctions,
	waiting: Array<{ itemIndex: number; taskId: string }>,
	timeoutMs: number,
): Promise<EvoLinkTask[] | undefined> {
	const tasks = await Promise.all(
		waiting.map(async ({ taskId, itemIndex }) => await readTask(ctx, taskId, { itemIndex })),
	);
	if (tasks.every((task) => isFinalStatus(task.status))) return tasks;
	await ctx.putExecutionToWait(new Date(Date.now() + timeoutMs));
	return undefined;
}

/**
 * The parked node's input items and their task IDs, as its Task ID parameter gives them. An item
 * without a valid one (an error item passed on by "Continue On Fail") waits for nothing: it comes
 * out as the error Wait would have given it.
 */
function waitingItems(ctx: IWebhookFunctions) {
	const count = Number(ctx.evaluateExpression('{{ $input.all().length }}', 0));
	const parameter = ctx.getNode().parameters.taskId;
	const items = Array.from({ length: count }, (_, itemIndex) => ({
		itemIndex,
		taskId: String(
			typeof parameter === 'string' && parameter.startsWith('=')
				? ctx.evaluateExpression(parameter.slice(1), itemIndex)
				: parameter,
		).trim(),
	}));
	return {
		waiting: items.filter(({ taskId }) => isTaskId(taskId)),
		invalid: items
			.filter(({ taskId }) => !isTaskId(taskId))
			.map(({ itemIndex, taskId }) =>
				errorItem(ctx, taskIdError(ctx.getNode(), taskId, itemIndex), itemIndex),
			),
	};
}

/**
 * A callback to the parked execution. It proves nothing by itself: the URL must carry Create's
 * signature, and the execution resumes only when the API says every task is final, with what the
 * API says. An early callback (one task of many) answers 200 and the execution stays parked.
 */
export async function resumeOnCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (!(await isSignedRequest(this))) {
		return reply(this, 401, {
			error: 'This URL is not signed: use the URL that Wan Video Create sends',
		});
	}
	const { waiting, invalid } = waitingItems(this);
	if (!waiting.length)
		return reply(this, 400, { error: 'The waiting items have no valid task IDs' });
	let tasks;
	try {
		tasks = await Promise.all(
			waiting.map(async ({ taskId }) => await readTask(this, taskId, { policy: CONFIRM_POLICY })),
		);
	} catch {
		// EvoLink retries after a non-2xx; the execution stays parked meanwhile.
		return reply(this, 503, { error: 'Could not confirm the tasks with EvoLink; try again' });
	}
	const unfinished = tasks.filter((task) => !isFinalStatus(task.status)).length;
	if (unfinished) return reply(this, 200, { waitingFor: unfinished });

	// Answer now: downloads can take longer than EvoLink's 10 s callback timeout.
	reply(this, 200, { resumed: tasks.length });
	const node = this.getNode();
	const waitOptions = waitingParameters(node, (name, fallback) =>
		this.getNodeParameter(name, fallback as object),
	);
	const settings = readWaitSettings(node, waitOptions, 0);
	const items: INodeExecutionData[] = await Promise.all(
		tasks.map(
			async (task, position) =>
				await toOutputItem(this, task, waiting[position].itemIndex, {
					enabled: settings.download,
					binaryProperty: settings.binaryProperty,
				}),
		),
	);
	return { workflowData: [sortByItem([...items, ...invalid])], noWebhookResponse: true };
}
