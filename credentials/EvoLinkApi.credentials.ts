import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class EvoLinkApi implements ICredentialType {
	name = 'evoLinkApi';

	displayName = 'EvoLink API';

	icon: Icon = { light: 'file:evoLink.svg', dark: 'file:evoLink.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-wan-video/n8n-nodes-wan-video';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your EvoLink API key, from the API Keys page of the EvoLink dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.evolink.ai',
			description: 'Leave as is unless you use a gateway or a test server',
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 50,
			description:
				'The most requests per second this n8n process sends with this key, for all its items and workflows',
		},
		{
			displayName: 'File Upload URL',
			name: 'filesBaseUrl',
			type: 'string',
			default: 'https://files-api.evolink.ai',
			description:
				"EvoLink's file API, where binary inputs are uploaded; leave as is unless you use a test server",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// GET /v1/credits is free: testing the key never creates (or bills) a task.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.evolink.ai").replace(/\\/+$/, "")}}',
			url: '/v1/credits',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The API key was rejected. Copy it again from the EvoLink dashboard.',
				},
			},
		],
	};
}
