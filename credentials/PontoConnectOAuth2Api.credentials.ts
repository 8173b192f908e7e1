import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	connectAuthenticate,
	connectPreAuthentication,
	CREDENTIAL_TEST_HEADER,
	LINK_CHECK_FIELD,
} from '../nodes/Ponto/transport/connectCredential';

/**
 * A Ponto Connect application (https://api.ibanity.com/ponto-connect), for agencies serving
 * many organizations. n8n's built-in OAuth2 cannot present the app's TLS client certificate at
 * the token endpoint nor keep refresh tokens that rotate on every use, so this credential does
 * both itself (docs/token-rotation.md), through transport/connectCredential.ts: before each
 * request preAuthentication exchanges a newly pasted code (once) or renews the tokens; authenticate
 * adds the bearer token, the certificate and, when configured, the HTTP signature. Needs n8n 2.20+.
 */
export class PontoConnectOAuth2Api implements ICredentialType {
	name = 'pontoConnectOAuth2Api';

	displayName = 'Ponto Connect OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/Ponto/ponto.svg',
		dark: 'file:../nodes/Ponto/ponto.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-ponto/n8n-nodes-ponto#link-a-ponto-connect-app';

	properties: INodeProperties[] = [
		{
			displayName:
				'For a Ponto Connect app (agencies serving several organizations; needs n8n 2.20 or newer). To link an organization: fill in the fields below and save; run a Ponto node with this credential, Organization > Get Authorization Link; open the link and approve in Ponto within 30 minutes; paste the address Ponto sends you to into Authorization Response URL and save again. Do the same later to add or re-approve accounts.',
			name: 'linkNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Live', value: 'live' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'sandbox',
			description:
				'The environment of your app in the Ponto developer portal (developer.ibanity.com): sandbox and live apps have their own client ID, secret, certificates and authorization page',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'From the Ponto developer portal (developer.ibanity.com): your Ponto Connect application, its Client ID',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'From the Ponto developer portal: the client secret shown when the application was created (generate a new one there if lost)',
		},
		{
			displayName: 'Redirect URI',
			name: 'redirectUri',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://n8n.example.com/ponto-linked',
			description:
				'One of the redirect URIs registered for the app in the Ponto developer portal. After approval Ponto sends the browser there; the page need not exist, you only copy its address.',
		},
		{
			displayName: 'TLS Certificate',
			name: 'certificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				"From the Ponto developer portal, the app's certificates: the TLS certificate (certificate.pem), not the signature one. Sent on every call, the token endpoint included.",
		},
		{
			displayName: 'TLS Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			description:
				'The private key (private_key.pem) you created with the TLS certificate request for the developer portal',
		},
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The passphrase of the TLS private key, if it is encrypted (the one chosen when the key was created)',
		},
		{
			displayName: 'Authorization Response URL',
			name: 'authorizationResponse',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/ponto-linked?code=…&state=…',
			description:
				'After approving in Ponto, paste the whole address Ponto sent the browser to (it starts with the Redirect URI). On the next test or use n8n exchanges its one-time code once; if Ponto refuses it, the earlier link keeps working and the credential test says why.',
		},
		{
			displayName: 'Advanced (usually left as they are)',
			name: 'advancedNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Include Payment Scope (Pi)',
			name: 'includePaymentScope',
			type: 'boolean',
			default: false,
			description:
				'Whether the authorization link also asks for payment initiation rights (scope pi). Only if the app has payments enabled in the Ponto developer portal.',
		},
		{
			displayName: 'Signature Certificate ID',
			name: 'signatureCertificateId',
			type: 'string',
			default: '',
			description:
				'Only for HTTP request signing (required by Ponto for payments in live): the ID of the signature certificate, from the Ponto developer portal. With a Signing Private Key, every request is signed.',
		},
		{
			displayName: 'Signing Private Key',
			name: 'signingPrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description:
				'Only for request signing: the private key (PEM) created with the signature certificate request',
		},
		{
			displayName: 'Signing Passphrase',
			name: 'signingPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for request signing: the passphrase of the signing private key, if it is encrypted',
		},
		{
			displayName: 'Application ID',
			name: 'applicationId',
			type: 'string',
			default: '',
			description:
				'Only for the Ponto Connect Trigger (webhooks): the application ID (a UUID) from the Ponto developer portal, the audience Ponto signs webhooks for',
		},
		{
			displayName: 'CA Certificate',
			name: 'ca',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			description:
				'Leave empty for Ponto. Only for a test server whose certificate is signed by your own CA.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.ibanity.com',
			description: 'Leave as is for Ponto. Change only to use a local Ponto emulator or a proxy.',
		},
		{
			displayName: 'Authorization Page URL',
			name: 'authorizationUrl',
			type: 'string',
			default: '',
			description: 'Leave empty: it follows Environment. Set only for a local Ponto emulator.',
		},
		{
			// Always empty: n8n then runs preAuthentication before every request (see LINK_CHECK_FIELD).
			displayName: 'Link Check',
			name: LINK_CHECK_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			// Hash of the pasted address whose code produced the tokens. Password fields keep their
			// stored value when the editor saves the dialog again, so a stale copy never comes back.
			displayName: 'Linked Token Source',
			name: 'linkedTokenSource',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			// Hash of a pasted address Ponto refused while the earlier link kept working, and why.
			displayName: 'Refused Token Source',
			name: 'refusedTokenSource',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Refused Token Reason',
			name: 'refusedTokenReason',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			// Credentials linked by earlier versions kept the exchanged code itself.
			displayName: 'Linked Code',
			name: 'linkedCode',
			type: 'hidden',
			default: '',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		return await connectPreAuthentication(this.helpers, credentials);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return connectAuthenticate(credentials, requestOptions);
	}

	// A cheap real call with the linked organization's token: before linking, the app fields are
	// checked with a client token and the error says how to link.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}/ponto-connect',
			url: '/userinfo',
			headers: { [CREDENTIAL_TEST_HEADER]: 'true' },
		},
	};
}
