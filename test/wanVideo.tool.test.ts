// Wan Video as an AI agent's tool, on both paths n8n 2.41 takes (test/helpers/agent.ts): in process
// (AI Agent 2.x: n8n-core invokes the node's execute() with the model's arguments as ai_tool input)
// and as an engine request (AI Agent 3.x, n8n's default: the tool node runs with main input made of
// the agent's item and the model's arguments). A tool must answer within its bound and in words an
// agent can act on, the same way on both paths: never hang, never come back empty.
import type { IDataObject, INode } from 'n8n-workflow';

import agentExample from '../examples/agent-with-video-tool.json';
import { TEST_AGENT } from './helpers/agent';
import { runWorkflow, WAN_VIDEO_TOOL, wanVideoNode } from './helpers/engine';
import { createParameters, expectNoKey, startTask, useSimulator } from './helpers/fixtures';

const { sim, credentials } = useSimulator();

type ToolPath = 'in process (Agent 2.x)' | 'engine request (Agent 3.x)';
const PATHS: ToolPath[] = ['in process (Agent 2.x)', 'engine request (Agent 3.x)'];

/** Parameters filled by the model through $fromAI, as in examples/agent-with-video-tool.json. */
const FROM_AI_CREATE = {
	prompt: "={{ $fromAI('prompt', 'What should happen in the video', 'string') }}",
	imageUrl: "={{ $fromAI('imageUrl', 'Public URL of the first frame', 'string') }}",
};
const FROM_AI_TASK_ID = { taskId: "={{ $fromAI('taskId', 'The task ID to look up', 'string') }}" };

/**
 * Runs the Wan Video tool with the model's arguments on one path; returns the items the tool
 * answered (parsed from the agent's tool result on the in-process path) and the run.
 */
async function callTool(
	path: ToolPath,
	parameters: Record<string, unknown>,
	args: Record<string, unknown>,
	toolNode: Partial<INode> = {},
) {
	const tool = wanVideoNode(parameters, { type: WAN_VIDEO_TOOL, name: 'Wan Video', ...toolNode });
	if (path === 'engine request (Agent 3.x)') {
		const result = await runWorkflow({
			nodes: [tool],
			start: tool.name,
			input: [
				{ json: { chatInput: 'make a video', sessionId: 's-1', toolCallId: 'call_1', ...args } },
			],
			credentials: credentials(),
		});
		return { result, items: result.output(tool.name).map((item) => item.json) };
	}
	const agent: INode = {
		id: 'node-agent',
		name: 'Agent',
		type: TEST_AGENT,
		typeVersion: 1,
		position: [0, 0],
		parameters: { toolArguments: JSON.stringify(args) },
	};
	const result = await runWorkflow({
		nodes: [agent, tool],
		connections: { [tool.name]: { ai_tool: [[{ node: agent.name, type: 'ai_tool', index: 0 }]] } },
		start: agent.name,
		credentials: credentials(),
	});
	const [answer] = result.output(agent.name);
	const items = answer ? (JSON.parse(String(answer.json.toolOutput)) as IDataObject[]) : [];
	return { result, items };
}

/** Create with a bounded wait, the model giving the prompt and the image URL. */
const createAndWait = (path: ToolPath, prompt: string, waitOptions: Record<string, unknown>) =>
	callTool(path, createParameters({ ...FROM_AI_CREATE, waitForCompletion: true, waitOptions }), {
		prompt,
		imageUrl: 'https://example.com/cat.png',
	});

/** How long after its creation the task was last read (how long the tool waited for it). */
function waitedMs(taskId: string): number {
	const reads = sim.requestsTo('GET', `/v1/tasks/${taskId}`);
	return reads[reads.length - 1].at - sim.tasks.get(taskId)!.created * 1000;
}

describe.each(PATHS)('Wan Video as an agent tool, %s', (path) => {
	it('creates from the model arguments and answers with the video link, without binary', async () => {
		const { result, items } = await createAndWait(path, 'A short clip [ms:1500]', {
			download: true,
		});
		expect(result.error()).toBeUndefined();
		expect(items).toHaveLength(1);
		const [item] = items;
		expect(item.status).toBe('completed');
		expect(item.answer).toMatch(
			new RegExp(`^The video of task ${String(item.taskId)} is ready: http.*\\.mp4`),
		);
		expect(item).not.toHaveProperty('binary');
		const [created] = sim.requestsTo('POST', '/v1/videos/generations');
		expect(created.body).toMatchObject({
			prompt: 'A short clip [ms:1500]',
			image_urls: ['https://example.com/cat.png'],
		});
		expect(sim.requestsTo('GET', '/files/')).toHaveLength(0);
		expectNoKey(result.run);
	});

	it('stops waiting at the Agent Tool Wait bound and answers with the task ID, not an error', async () => {
		const { result, items } = await createAndWait(path, 'A long clip [ms:600000]', {
			timeout: 3600,
			onTimeout: 'error',
			toolWaitSeconds: 5,
		});
		expect(result.error()).toBeUndefined();
		const [item] = items;
		const taskId = String(item.taskId);
		expect(item).toMatchObject({ final: false, timedOut: true });
		expect(item.answer).toMatch(
			new RegExp(
				`^Task ${taskId} is still (pending|processing) .*Get operation and task ID ${taskId}`,
			),
		);
		// Bounded by the 5 s the tool may wait (and the poller's last read), not the hour of Timeout.
		expect(waitedMs(taskId)).toBeLessThan(10_000);
	}, 60_000);

	it('answers a failed task with its reason instead of failing the agent', async () => {
		const taskId = await startTask(sim, { durationMs: 100, outcome: 'failed' });
		const { result, items } = await callTool(
			path,
			{ operation: 'wait', ...FROM_AI_TASK_ID },
			{ taskId },
		);
		expect(result.error()).toBeUndefined();
		expect(items[0].answer).toMatch(
			new RegExp(`^Task ${taskId} failed \\(content_policy_violation\\): .*change them`),
		);
	});

	it('polls instead of parking in callback mode: an agent cannot wait for a resume', async () => {
		const taskId = await startTask(sim, { durationMs: 1000 });
		const { result, items } = await callTool(
			path,
			{ operation: 'wait', ...FROM_AI_TASK_ID, waitOptions: { waitMode: 'callback' } },
			{ taskId },
		);
		expect(result.run.waitTill).toBeUndefined();
		expect(items[0]).toMatchObject({ taskId, status: 'completed' });
	});

	it('Get answers a running task with when to look again', async () => {
		const taskId = await startTask(sim, { durationMs: 60_000 });
		const { items } = await callTool(path, { operation: 'get', ...FROM_AI_TASK_ID }, { taskId });
		expect(items[0].answer).toMatch(
			new RegExp(`^Task ${taskId} is still .*videos take about \\d+ s in all\\.$`),
		);
	});
});

describe('Agent Tool Wait (Seconds)', () => {
	it('waits 60 s by default, whatever Timeout says', async () => {
		const { result, items } = await createAndWait(
			'engine request (Agent 3.x)',
			'A long clip [ms:600000]',
			{ timeout: 3600, onTimeout: 'error' },
		);
		expect(result.error()).toBeUndefined();
		const waited = waitedMs(String(items[0].taskId));
		expect(waited).toBeGreaterThan(45_000);
		expect(waited).toBeLessThan(75_000);
	}, 120_000);

	it.each([0, 121, -5, 'soon'])(
		'refuses %p before anything is sent, in an answer',
		async (value) => {
			const { result, items } = await createAndWait('engine request (Agent 3.x)', 'A clip', {
				toolWaitSeconds: value,
			});
			expect(result.error()).toBeUndefined();
			expect(items[0].answer).toMatch(
				/^Agent Tool Wait \(Seconds\): must be a number from 1 to 120/,
			);
			expect(sim.requests).toHaveLength(0);
		},
	);
});

/** The Create Video tool of examples/agent-with-video-tool.json: every input from the agent. */
const EXAMPLE_TOOL = agentExample.nodes.find((node) => node.name === 'Create Video')!;
const FROM_AI_ANY_MODEL = { ...EXAMPLE_TOOL.parameters, waitForCompletion: false };

describe.each(PATHS)('every model through the tool, %s', (path) => {
	const call = async (args: Record<string, unknown>) =>
		await callTool(path, FROM_AI_ANY_MODEL, args, { typeVersion: EXAMPLE_TOOL.typeVersion });

	it('answers a wrong combination with what the model needs, and sends nothing', async () => {
		const { result, items } = await call({
			model: 'wan3.0-image-to-video',
			lastFrameUrl: 'https://example.com/end.png',
		});
		expect(result.error()).toBeUndefined();
		expect(items[0].answer).toMatch(
			/^First Frame URL: is required with Wan 3\.0 Image to Video: a last frame needs a first one \[item 0\]\. Nothing was created\. wan3\.0-image-to-video \(Wan 3\.0 Image to Video\) takes a first frame image URL, optionally a last frame image URL; prompt optional/,
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('answers an unknown model with the models there are', async () => {
		const { items } = await call({ model: 'wan4-video', prompt: 'x' });
		expect(items[0].answer).toMatch(
			/^Model: must be one of .*\. Nothing was created\. Models: wan2\.5-image-to-video, .*wan3\.0-prime-reference-video\.$/,
		);
	});

	it.each([
		['wan2.5-text-to-video', { prompt: 'A lighthouse' }],
		[
			'wan2.6-reference-video',
			{ prompt: 'Video 1 waves', referenceVideoUrls: 'https://example.com/a.mp4' },
		],
		[
			'wan2.7-image-to-video',
			{
				generationMode: 'first_last_frame',
				imageUrl: 'https://example.com/a.png',
				lastFrameUrl: 'https://example.com/b.png',
			},
		],
		['wan2.7-video-edit', { videoUrl: 'https://example.com/v.mp4', prompt: 'Make it night' }],
		[
			'wan3.0-reference-video',
			{ referenceImageUrls: 'https://example.com/1.png, https://example.com/2.png' },
		],
	])('creates with %s from the agent arguments', async (model, args) => {
		const { result, items } = await call({ model, ...args });
		expect(result.error()).toBeUndefined();
		expect(items[0]).toMatchObject({ model, status: 'pending' });
		expect(sim.requestsTo('POST', '/v1/videos/generations')[0]).toMatchObject({
			status: 200,
			body: { model },
		});
	});
});
