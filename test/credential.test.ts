import { type INode, Workflow } from 'n8n-workflow';

import { EvoLinkApi } from '../credentials/EvoLinkApi.credentials';
import { DEFAULT_REQUESTS_PER_SECOND } from '../nodes/shared/requestBudget';
import { nodeTypes, TestCredentialsHelper, wanVideoNode } from './helpers/engine';
import { SIM_KEY, useSimulator } from './helpers/fixtures';

const { sim, credentials } = useSimulator();
const credential = new EvoLinkApi();

/** Sends the credential's own test request as n8n's credential dialog does: its expressions resolved, its authentication applied. */
async function testCredential(data: { apiKey: string; baseUrl: string }) {
	const node: INode = wanVideoNode({ operation: 'get' });
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const baseURL = workflow.expression.getParameterValue(
		credential.test.request.baseURL as string,
		null,
		0,
		0,
		node.name,
		[],
		'internal',
		{ $credentials: data },
	) as string;
	const request = await new TestCredentialsHelper(data).authenticate(
		data,
		credential.name,
		{ method: credential.test.request.method, url: credential.test.request.url!, headers: {} },
		workflow,
		node,
	);
	const response = await fetch(`${baseURL}${request.url}`, {
		method: request.method,
		headers: request.headers as Record<string, string>,
	});
	const rule = credential.test.rules?.find(
		(candidate) =>
			candidate.type === 'responseCode' && candidate.properties.value === response.status,
	);
	return { status: response.status, message: rule?.properties.message };
}

describe('EvoLink API credential', () => {
	it('is tested with the free GET /v1/credits, sending the key as a Bearer token', async () => {
		const result = await testCredential({ ...credentials(), baseUrl: `${credentials().baseUrl}/` });
		expect(result.status).toBe(200);
		expect(sim.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /v1/credits',
		]);
		expect(sim.requests[0].headers.authorization).toBe('Bearer <ok>');
		expect(sim.tasks.size).toBe(0);
	});

	it('says plainly that a wrong key was rejected', async () => {
		const result = await testCredential({ ...credentials(), apiKey: 'sk-wrong-key' });
		expect(result.status).toBe(401);
		expect(result.message).toMatch(/API key was rejected/);
		expect(result.message).not.toContain(SIM_KEY);
	});

	it('keeps the key in a password field', () => {
		const apiKey = credential.properties.find((property) => property.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((property) => property.name === 'baseUrl')?.default).toBe(
			'https://api.evolink.ai',
		);
	});

	it('shows the request budget the nodes use when the field is empty', () => {
		const rate = credential.properties.find((property) => property.name === 'requestsPerSecond');
		expect(rate?.default).toBe(DEFAULT_REQUESTS_PER_SECOND);
	});
});
