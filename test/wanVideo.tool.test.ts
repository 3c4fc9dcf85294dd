// Wan Video as an AI agent's tool: n8n runs the node as "<type>Tool" (wanVideoTool). A tool must
// answer within a bound and in words an agent can act on: never hang, never come back empty.
import { runWorkflow, WAN_VIDEO_TOOL, wanVideoNode } from './helpers/engine';
import { createParameters, expectNoKey, startTask, useSimulator } from './helpers/fixtures';

const { sim, credentials } = useSimulator();

async function runTool(parameters: Record<string, unknown>) {
	return await runWorkflow({
		nodes: [wanVideoNode(parameters, { type: WAN_VIDEO_TOOL })],
		start: 'Wan Video',
		credentials: credentials(),
	});
}

describe('Wan Video as an agent tool', () => {
	it('answers with the video link when the task finishes in time, without binary', async () => {
		const result = await runTool(
			createParameters({
				prompt: 'A short clip [ms:1500]',
				waitForCompletion: true,
				waitOptions: { download: true },
			}),
		);
		expect(result.error()).toBeUndefined();
		const [item] = result.output('Wan Video');
		expect(item.json.status).toBe('completed');
		expect(item.json.answer).toMatch(
			new RegExp(`^The video of task ${String(item.json.taskId)} is ready: http.*\\.mp4`),
		);
		expect(item.binary).toBeUndefined();
		expect(sim.requestsTo('GET', '/files/')).toHaveLength(0);
		expectNoKey(result.run);
	});

	it('stops waiting at 60 s and answers with the task ID to check later, not an error', async () => {
		const result = await runTool(
			createParameters({
				prompt: 'A long clip [ms:600000]',
				waitForCompletion: true,
				waitOptions: { timeout: 3600, onTimeout: 'error' },
			}),
		);
		expect(result.error()).toBeUndefined();
		const [item] = result.output('Wan Video');
		const taskId = String(item.json.taskId);
		expect(item.json).toMatchObject({ final: false, timedOut: true });
		expect(item.json.answer).toMatch(
			new RegExp(
				`^Task ${taskId} is still (pending|processing) .*Get operation and task ID ${taskId}`,
			),
		);
		const reads = sim.requestsTo('GET', `/v1/tasks/${taskId}`);
		// Bounded by the tool limit, not the hour the user set (and the poller's last read).
		expect(reads[reads.length - 1].at - sim.tasks.get(taskId)!.created * 1000).toBeLessThan(75_000);
	}, 120_000);

	it('answers a failed task with its reason instead of failing the agent', async () => {
		const taskId = await startTask(sim, { durationMs: 100, outcome: 'failed' });
		const result = await runTool({ operation: 'wait', taskId });
		expect(result.error()).toBeUndefined();
		expect(result.output('Wan Video')[0].json.answer).toMatch(
			new RegExp(`^Task ${taskId} failed \\(content_policy_violation\\): .*change them`),
		);
	});

	it('polls instead of parking in callback mode: an agent cannot wait for a resume', async () => {
		const taskId = await startTask(sim, { durationMs: 1000 });
		const result = await runTool({
			operation: 'wait',
			taskId,
			waitOptions: { waitMode: 'callback' },
		});
		expect(result.run.waitTill).toBeUndefined();
		expect(result.output('Wan Video')[0].json).toMatchObject({ taskId, status: 'completed' });
	});

	it('Get answers a running task with when to look again', async () => {
		const taskId = await startTask(sim, { durationMs: 60_000 });
		const result = await runTool({ operation: 'get', taskId });
		expect(result.output('Wan Video')[0].json.answer).toMatch(
			new RegExp(`^Task ${taskId} is still .*videos take about \\d+ s in all\\.$`),
		);
	});
});
