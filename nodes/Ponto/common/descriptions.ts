import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

// Description pieces the Ponto node and the polling trigger share.

/** Which credential a node uses: the Ponto node and the polling trigger work with both. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Ponto Connect (OAuth2, Client Certificate)', value: 'pontoConnectOAuth2Api' },
		{ name: 'Ponto Custom Integration (OAuth2 Client Credentials)', value: 'pontoOAuth2Api' },
	],
	default: 'pontoOAuth2Api',
};

/** The two credentials, each shown when Authentication picks it. */
export const pontoCredentials: INodeCredentialDescription[] = [
	'pontoConnectOAuth2Api',
	'pontoOAuth2Api',
].map((name) => ({
	name,
	required: true,
	displayOptions: { show: { authentication: [name] } },
}));
