/**
 * The two ways n8n 2.41 runs a node as an AI agent's tool, reproduced through n8n-core:
 *
 * - in process (AI Agent ≤ 2.x): the agent asks n8n-core for its `ai_tool` inputs; n8n-core wraps the
 *   tool node in a LangChain tool whose invocation runs the node's `execute()` with the model's
 *   arguments as `ai_tool` input (`makeHandleToolInvocation`). `TestToolAgent` below is that agent,
 *   minus the model: it invokes each connected tool once with the arguments it is given.
 * - engine request (AI Agent 3.x, the default in n8n 2.41.1): the agent hands the call back to the
 *   engine, which runs the tool node like any other node, its main input being the agent's item plus
 *   the model's arguments and `toolCallId`.
 */
import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

export const TEST_AGENT = 'test.toolAgent';

/** What n8n's CLI does to a `usableAsTool` node for the "<name>Tool" variant: no main input, an ai_tool output. */
export function asAgentTool(nodeType: INodeType): INodeType {
	const description: INodeTypeDescription = {
		...nodeType.description,
		name: `${nodeType.description.name}Tool`,
		displayName: `${nodeType.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties: [
			{ displayName: 'Description', name: 'toolDescription', type: 'string', default: '' },
			...nodeType.description.properties,
		],
	};
	return Object.assign(Object.create(Object.getPrototypeOf(nodeType) as object) as INodeType, {
		...nodeType,
		description,
	});
}

interface InvocableTool {
	name: string;
	invoke(args: Record<string, unknown>): Promise<string>;
}

/** An agent without a model: calls every connected tool once with the `toolArguments` parameter. */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- a test stand-in for n8n's agent, never a tool
export class TestToolAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Tool Agent',
		name: 'toolAgent',
		group: ['transform'],
		version: 1,
		description: 'Invokes its tools as n8n-core does for an in-process agent',
		defaults: { name: 'Agent' },
		inputs: [
			NodeConnectionTypes.Main,
			{ type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true },
		],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Tool Arguments', name: 'toolArguments', type: 'json', default: '{}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = (await this.getInputConnectionData(
			NodeConnectionTypes.AiTool,
			0,
		)) as InvocableTool[];
		const args = JSON.parse(this.getNodeParameter('toolArguments', 0) as string) as Record<
			string,
			unknown
		>;
		const output: INodeExecutionData[] = [];
		for (const tool of tools) {
			output.push({ json: { tool: tool.name, toolOutput: await tool.invoke(args) } });
		}
		return [output];
	}
}
