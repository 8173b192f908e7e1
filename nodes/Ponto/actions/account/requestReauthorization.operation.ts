import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import { describeValue } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import { getPontoId, invalidParameter } from '../parameters';

const properties: INodeProperties[] = [
	accountLocator,
	{
		displayName: 'Redirect URI',
		name: 'redirectUri',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/ponto-reauthorized',
		description: 'Where Ponto sends the customer once the bank consent is renewed',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['requestReauthorization'] } },
	properties,
);

/**
 * Asks Ponto for a reauthorization link: the customer opens it to renew the bank consent
 * (PSD2) before it lapses or after a synchronization failed with authorizationInvalid.
 */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const redirectUri = this.getNodeParameter('redirectUri', itemIndex) as unknown;
	if (typeof redirectUri !== 'string' || !/^https?:\/\/\S+$/i.test(redirectUri.trim())) {
		throw invalidParameter(
			this,
			itemIndex,
			`Redirect URI: ${describeValue(redirectUri)} is not a web address`,
			'Enter an address starting with https://.',
		);
	}
	const document = await client.post(
		`/accounts/${accountId}/reauthorization-requests`,
		{ data: { type: 'reauthorizationRequest', attributes: { redirectUri: redirectUri.trim() } } },
		{ itemIndex, resource: 'account' },
	);
	const request = document.data && !Array.isArray(document.data) ? document.data : undefined;
	if (!request) return [{ accountId }];
	return [{ ...flattenResource(request), accountId }];
}
