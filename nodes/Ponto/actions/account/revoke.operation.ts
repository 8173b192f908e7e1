import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import { getPontoId } from '../parameters';

const properties: INodeProperties[] = [
	{
		...accountLocator,
		description:
			'The account to remove from this integration. It stays in Ponto; the organization can share it again.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['revoke'] } },
	properties,
);

/** Removes the account from the Ponto Connect integration (DELETE /accounts/{id}), not from Ponto. */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const id = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const document = await client.delete(`/accounts/${id}`, { itemIndex, resource: 'account' });
	const revoked = document.data && !Array.isArray(document.data) ? document.data.id : id;
	return [{ id: revoked, revoked: true }];
}
