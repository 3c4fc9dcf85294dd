import type { INode } from 'n8n-workflow';

import {
	postToWaitingExecution,
	type RunOptions,
	runWorkflow,
	wanVideoNode,
} from './helpers/engine';
import { createParameters, readsOf, startTask, useSimulator } from './helpers/fixtures';

const { sim, credentials } = useSimulator();

/** Create (sending this execution's resume URL) → Wait in callback mode. */
function workflow(executionId: string, input: Array<{ json: { p: string } }>): RunOptions {
	const createNode = wanVideoNode(
		createParameters({ prompt: '={{ $json.p }}', options: { resumeOnCallback: true } }),
		{ name: 'Create', id: 'node-create' },
	);
	const waitNode: INode = wanVideoNode(
		{ operation: 'wait', waitOptions: { waitMode: 'callback', download: true, timeout: 600 } },
		{ name: 'Wait', id: 'node-wait', webhookId: 'wait-webhook' },
	);
	return {
		nodes: [createNode, waitNode],
		connections: { Create: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] } },
		start: 'Create',
		input,
		credentials: credentials(),
		executionId,
	};
}

const callbackUrlOf = (taskId: string) => String(sim.tasks.get(taskId)!.callbackUrl);

describe('Wait by callback', () => {
	it('parks the execution, stays parked on an early callback, and resumes with the videos when all are final', async () => {
		const options = workflow('exec-cb-1', [
			{ json: { p: 'one [ms:60000]' } },
			{ json: { p: 'two [ms:60000]' } },
		]);
		const parked = await runWorkflow(options);
		expect(parked.run.status).toBe('waiting');
		expect(parked.run.data.waitTill?.getTime()).toBeGreaterThan(Date.now() + 590_000);

		const taskIds = parked.output('Create').map((item) => String(item.json.taskId));
		expect(parked.output('Create').map((item) => item.json.final)).toEqual([false, false]);
		for (const taskId of taskIds) {
			const url = new URL(callbackUrlOf(taskId));
			expect(url.pathname).toBe('/webhook-waiting/exec-cb-1');
			expect(url.searchParams.get('signature')).toBe(parked.run.data.resumeToken);
			expect(url.searchParams.get('signature')).toBeTruthy();
			expect(url.searchParams.get('wvsig')).toBeTruthy();
			// One look before parking (a task may already be done), none while parked.
			expect(readsOf(sim, taskId)).toHaveLength(1);
		}

		sim.completeNow(taskIds[0]);
		const early = await postToWaitingExecution(options, parked, {
			url: callbackUrlOf(taskIds[0]),
			body: sim.taskObject(taskIds[0]),
		});
		expect(early.response).toEqual({ status: 200, body: { waitingFor: 1 } });
		expect(early.resumed).toBeUndefined();

		sim.completeNow(taskIds[1]);
		const last = await postToWaitingExecution(options, parked, {
			url: callbackUrlOf(taskIds[1]),
			body: sim.taskObject(taskIds[1]),
		});
		expect(last.response.status).toBe(200);
		expect(last.resumed?.run.status).toBe('success');
		const waitOutput = last.resumed!.run.data.resultData.runData.Wait.at(-1)!.data!.main[0]!;
		expect(waitOutput.map((item) => item.json.taskId)).toEqual(taskIds);
		expect(waitOutput.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		expect(waitOutput.every((item) => item.binary?.data.mimeType === 'video/mp4')).toBe(true);
	});

	it('refuses a resume without our signature, and a forged "completed" body changes nothing', async () => {
		const options = workflow('exec-cb-2', [{ json: { p: 'one [ms:60000]' } }]);
		const parked = await runWorkflow(options);
		const [taskId] = parked.output('Create').map((item) => String(item.json.taskId));
		const signed = new URL(callbackUrlOf(taskId));
		const forgedBody = {
			...sim.taskObject(taskId),
			status: 'completed',
			results: ['https://evil.example/x.mp4'],
		};

		const unsigned = new URL(signed);
		unsigned.searchParams.delete('wvsig');
		const refused = await postToWaitingExecution(options, parked, {
			url: unsigned.toString(),
			body: forgedBody,
		});
		expect(refused.response.status).toBe(401);
		expect(refused.resumed).toBeUndefined();

		const readsBefore = readsOf(sim, taskId).length;
		const forged = await postToWaitingExecution(options, parked, {
			url: signed.toString(),
			body: forgedBody,
		});
		expect(forged.response).toEqual({ status: 200, body: { waitingFor: 1 } });
		expect(forged.resumed).toBeUndefined();
		expect(readsOf(sim, taskId).length).toBe(readsBefore + 1);
	});

	it('answers 503 when the API cannot confirm, so EvoLink retries and nothing is lost', async () => {
		const options = workflow('exec-cb-3', [{ json: { p: 'one [ms:60000]' } }]);
		const parked = await runWorkflow(options);
		const [taskId] = parked.output('Create').map((item) => String(item.json.taskId));
		sim.completeNow(taskId);
		sim.inject({
			kind: 'status',
			status: 500,
			times: 2,
			match: { method: 'GET', path: '/v1/tasks/' },
		});
		const first = await postToWaitingExecution(options, parked, {
			url: callbackUrlOf(taskId),
			body: sim.taskObject(taskId),
		});
		expect(first.response.status).toBe(503);
		const retry = await postToWaitingExecution(options, parked, {
			url: callbackUrlOf(taskId),
			body: sim.taskObject(taskId),
		});
		expect(retry.resumed?.run.status).toBe('success');
	});

	it('a confirm read slower than its timeout is retried, and the callback still resumes', async () => {
		const options = workflow('exec-cb-5', [{ json: { p: 'one [ms:60000]' } }]);
		const parked = await runWorkflow(options);
		const [taskId] = parked.output('Create').map((item) => String(item.json.taskId));
		sim.completeNow(taskId);
		sim.inject({ kind: 'slow', delayMs: 6000, match: { method: 'GET', path: '/v1/tasks/' } });
		const resumed = await postToWaitingExecution(options, parked, {
			url: callbackUrlOf(taskId),
			body: sim.taskObject(taskId),
		});
		expect(resumed.resumed?.run.status).toBe('success');
		const reads = readsOf(sim, taskId);
		expect(reads.at(-2)?.fault).toBe('slow');
		expect(reads.at(-1)!.at - reads.at(-2)!.at).toBeLessThan(6000);
	});

	it('does not park when every task is already final', async () => {
		const options = workflow('exec-cb-4', [{ json: { p: 'quick [ms:200]' } }]);
		options.nodes[0].parameters.waitForCompletion = false;
		const created = await runWorkflow({ ...options, nodes: [options.nodes[0]] });
		const taskId = String(created.output('Create')[0].json.taskId);
		sim.completeNow(taskId);
		const result = await runWorkflow({
			...options,
			nodes: [options.nodes[1]],
			start: 'Wait',
			input: [{ json: { taskId } }],
		});
		expect(result.run.status).toBe('success');
		expect(result.output('Wait')[0].json).toMatchObject({
			taskId,
			status: 'completed',
			final: true,
		});
	});
});

describe('Wait by callback, with some items already done or in error', () => {
	it('parks while any task is still running, even when others are final', async () => {
		const options = workflow('exec-cb-6', []);
		const [done, running] = [
			await startTask(sim, { durationMs: 100 }),
			await startTask(sim, { durationMs: 60_000 }),
		];
		sim.completeNow(done);
		const result = await runWorkflow({
			...options,
			nodes: [options.nodes[1]],
			start: 'Wait',
			input: [{ json: { taskId: done } }, { json: { taskId: running } }],
		});
		expect(result.run.status).toBe('waiting');
		expect(readsOf(sim, running)).toHaveLength(1);
	});

	it('with "Continue On Fail", resumes once its valid tasks are final and passes error items on as errors', async () => {
		const options = workflow('exec-cb-7', [
			{ json: { p: 'one [ms:60000]' } },
			{ json: { p: 'x'.repeat(1600) } },
			{ json: { p: 'three [ms:60000]' } },
		]);
		for (const node of options.nodes) node.onError = 'continueRegularOutput';
		const parked = await runWorkflow(options);
		expect(parked.run.status).toBe('waiting');
		const created = parked.output('Create');
		expect(created[1].json).toMatchObject({
			taskId: null,
			error: { message: expect.stringMatching(/^Prompt: /) },
		});
		const [first, , third] = created.map((item) => String(item.json.taskId));

		sim.completeNow(first);
		const early = await postToWaitingExecution(options, parked, {
			url: callbackUrlOf(first),
			body: sim.taskObject(first),
		});
		expect(early.response).toEqual({ status: 200, body: { waitingFor: 1 } });

		sim.completeNow(third);
		const last = await postToWaitingExecution(options, parked, {
			url: callbackUrlOf(third),
			body: sim.taskObject(third),
		});
		expect(last.response).toEqual({ status: 200, body: { resumed: 2 } });
		const output = last.resumed!.run.data.resultData.runData.Wait.at(-1)!.data!.main[0]!;
		expect(output.map((item) => [item.json.taskId, item.json.status, item.pairedItem])).toEqual([
			[first, 'completed', { item: 0 }],
			[null, undefined, { item: 1 }],
			[third, 'completed', { item: 2 }],
		]);
		expect(output[1].json.error).toMatchObject({
			message: expect.stringMatching(/^Task ID: must look like/),
		});
	});
});
