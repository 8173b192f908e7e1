import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenAccount } from '../../helpers/flatten';
import type { PontoClient } from '../../transport';
import { accountLocator, outputOptions } from '../common.descriptions';
import { shapeRecord } from '../output';
import { getOutputOptions, getPontoId } from '../parameters';

const properties: INodeProperties[] = [accountLocator, outputOptions];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const id = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const { raw } = getOutputOptions.call(this, itemIndex);
	const resource = await client.getResource(`/accounts/${id}`, { itemIndex, resource: 'account' });
	const now = new Date();
	return [shapeRecord(resource, raw, (account) => flattenAccount(account, now))];
}
