import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Ponto "custom integration" of one organization: OAuth2 client credentials against
 * https://api.myponto.com, client authenticated with HTTP Basic (docs/ponto-api.md §1.4).
 * Built on n8n's oAuth2Api so n8n fetches, stores and renews the token itself (on 401), on
 * n8n 1.x and 2.x alike. The token URL follows the API Base URL, so the same credential
 * works against the bundled emulator.
 */
export class PontoOAuth2Api implements ICredentialType {
	name = 'pontoOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Ponto OAuth2 API';

	icon: Icon = { light: 'file:../nodes/Ponto/ponto.svg', dark: 'file:../nodes/Ponto/ponto.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-ponto/n8n-nodes-ponto#credentials';

	properties: INodeProperties[] = [
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
}
