import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Ponto "custom integration" of one organization: OAuth2 client credentials against
 * https://api.myponto.com, client authenticated with HTTP Basic (docs/ponto-api.md §1.4).
 * Built on n8n's oAuth2Api so n8n fetches, stores and renews the token itself (on 401), on
 * n8n 1.x and 2.x alike. The token URL follows the API Base URL, so the same credential
 * works against the bundled emulator. Tested on save with one cheap call (one account).
 */
export class PontoOAuth2Api implements ICredentialType {
	name = 'pontoOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Ponto OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/Ponto/ponto.svg',
		dark: 'file:../nodes/Ponto/ponto.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-ponto/n8n-nodes-ponto#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				"For one organization's own Ponto (a custom integration). In the Ponto dashboard (my.ponto.com) open Integrations, create or open your custom integration, choose the accounts it may read, and copy its Client ID and Client Secret here. For an app serving several organizations use the Ponto Connect OAuth2 API credential instead.",
			name: 'customIntegrationNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'From the Ponto dashboard (my.ponto.com): Integrations, your custom integration, Client ID',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'From the Ponto dashboard: Integrations, your custom integration, the client secret shown when its credentials were generated (generate new ones there if lost)',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.myponto.com',
			placeholder: 'e.g. https://api.myponto.com',
			description:
				'Ponto API for custom integrations. Change it only to use a local Ponto emulator or a proxy.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '={{ $self["baseUrl"].replace(/\\/+$/, "") + "/oauth2/token" }}',
			required: true,
		},
		{
			displayName: 'Auth URL',
			name: 'authUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	// One account, the cheapest real call: a wrong Client ID or Secret fails here, on save.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			url: '/accounts',
			qs: { 'page[limit]': 1 },
		},
	};
}
