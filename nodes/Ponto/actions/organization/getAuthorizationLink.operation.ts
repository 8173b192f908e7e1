import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildAuthorizationLink, STATE_MAX_AGE_MS } from '../../helpers/pkce';
import { authorizationPage } from '../../transport/connectCredential';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['organization'], operation: ['getAuthorizationLink'] } },
	properties,
);

/**
 * The link that starts (or renews, to share more accounts) the link between the credential
 * and an organization: PKCE S256 with a verifier the credential can derive again when the
 * redirect address is pasted into it, and a state bound to the credential (client secret,
 * Redirect URI) and to the time: the pasted address is refused after 30 minutes. No request
 * is sent.
 */
export async function execute(
	this: IExecuteFunctions,
	_client: unknown,
	itemIndex: number,
): Promise<IDataObject[]> {
	const credentials = await this.getCredentials('pontoConnectOAuth2Api', itemIndex);
	const missing = ['clientId', 'clientSecret', 'redirectUri'].filter(
		(field) => typeof credentials[field] !== 'string' || !String(credentials[field]).trim(),
	);
	if (missing.length) {
		throw new NodeOperationError(
			this.getNode(),
			`The Ponto Connect credential lacks ${missing.join(', ')}`,
			{
				itemIndex,
				description:
					'Fill in Client ID, Client Secret and Redirect URI (as registered in the Ponto developer portal) and save the credential.',
			},
		);
	}
	const nowMs = Date.now();
	const link = buildAuthorizationLink({
		nowMs,
		authorizationPage: authorizationPage(credentials),
		clientId: String(credentials.clientId).trim(),
		clientSecret: String(credentials.clientSecret).trim(),
		redirectUri: String(credentials.redirectUri).trim(),
		includePaymentScope: credentials.includePaymentScope === true,
	});
	return [
		{
			authorizationUrl: link.url,
			scope: link.scope,
			redirectUri: String(credentials.redirectUri).trim(),
			validUntil: new Date(nowMs + STATE_MAX_AGE_MS).toISOString(),
			nextStep:
				'Open authorizationUrl and approve in Ponto before validUntil, then paste the address Ponto sends you to into the credential field Authorization Response URL and save.',
		},
	];
}
