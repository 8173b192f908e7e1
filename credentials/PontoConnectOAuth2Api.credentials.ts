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

import { CredentialProblem } from '../nodes/Ponto/helpers/pem';
import { parseAuthorizationResponse } from '../nodes/Ponto/helpers/pkce';
import { connectAuthenticate, connectPreAuthentication, tokenSettings } from '../nodes/Ponto/transport/connectCredential';
import { CONNECT_RELINK_STEPS } from '../nodes/Ponto/transport/connectTokens';

/**
 * A Ponto Connect application (https://api.ibanity.com/ponto-connect), for agencies serving
 * many organizations. n8n's built-in OAuth2 cannot present the app's TLS client certificate at
 * the token endpoint nor keep refresh tokens that rotate on every use, so this credential does
 * both itself (docs/n8n-notes.md §3.3-3.4): preAuthentication exchanges or renews
 * tokens over mTLS and returns the rotated refresh token for n8n to persist; authenticate adds
 * the bearer token, the certificate and, when configured, the HTTP signature. Needs n8n 2.20+.
 */
export class PontoConnectOAuth2Api implements ICredentialType {
	name = 'pontoConnectOAuth2Api';

	displayName = 'Ponto Connect OAuth2 API';

	icon: Icon = { light: 'file:../nodes/Ponto/ponto.svg', dark: 'file:../nodes/Ponto/ponto.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-ponto/n8n-nodes-ponto#link-a-ponto-connect-app';

	properties: INodeProperties[] = [
		{
			displayName:
				'Needs n8n 2.20 or newer. To link an organization: fill in the app fields, save, run a Ponto node with Organization > Get Authorization Link, approve in Ponto, then paste the address Ponto sends you to into Authorization Response URL and save again.',
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
			description: 'Sandbox and live apps have their own credentials, certificates and authorization page',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Redirect URI',
			name: 'redirectUri',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/ponto-linked',
			description:
				'A redirect URI registered for the app in the Ponto developer portal. After approval Ponto sends the browser there; the page need not exist, you only copy its address.',
		},
		{
			displayName: 'Include Payment Scope (Pi)',
			name: 'includePaymentScope',
			type: 'boolean',
			default: false,
			description: 'Whether the authorization link also asks for payment initiation rights (scope pi)',
		},
		{
			displayName: 'TLS Certificate',
			name: 'certificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: "The app's TLS client certificate (PEM), sent on every call including the token endpoint",
		},
		{
			displayName: 'TLS Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description: 'The private key of the TLS certificate (PEM)',
		},
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The passphrase of the TLS private key, if it is encrypted',
		},
		{
			displayName: 'CA Certificate',
			name: 'ca',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			description: 'Leave empty for Ponto. Only for a test server whose certificate is signed by your own CA.',
		},
		{
			displayName: 'Signature Certificate ID',
			name: 'signatureCertificateId',
			type: 'string',
			default: '',
			description: 'ID of the signature certificate (from the developer portal). With a Signing Private Key, every request is signed.',
		},
		{
			displayName: 'Signing Private Key',
			name: 'signingPrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description: 'Private key (PEM) of the signature certificate, for HTTP request signing',
		},
		{
			displayName: 'Signing Passphrase',
			name: 'signingPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Application ID',
			name: 'applicationId',
			type: 'string',
			default: '',
			description: 'Ponto Connect application ID (a UUID): the audience Ponto signs webhooks for',
		},
		{
			displayName: 'Authorization Response URL',
			name: 'authorizationResponse',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/ponto-linked?code=…&state=…',
			description:
				'After approving in Ponto, paste the whole address Ponto sent the browser to. n8n exchanges its one-time code for tokens and keeps the link from then on.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.ibanity.com',
			description: 'Change only to use a local Ponto emulator or a proxy',
		},
		{
			displayName: 'Authorization Page URL',
			name: 'authorizationUrl',
			type: 'string',
			default: '',
			description: 'Leave empty: it follows Environment. Set only for a local Ponto emulator.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
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
			displayName: 'Linked Code',
			name: 'linkedCode',
			type: 'hidden',
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		return await connectPreAuthentication(this.helpers, credentials);
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		// Fields only token renewal reads are checked here too, so a broken credential is refused
		// before the request instead of after Ponto's 401.
		tokenSettings(credentials);
		const pasted = parseAuthorizationResponse(credentials.authorizationResponse);
		if (pasted && 'problem' in pasted) throw new CredentialProblem(`Authorization Response URL: ${pasted.problem}`, CONNECT_RELINK_STEPS);
		return connectAuthenticate(credentials, requestOptions);
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}/ponto-connect',
			url: '/userinfo',
		},
	};
}
