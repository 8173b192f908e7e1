import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import type { PontoClient } from '../../transport';
import { accountLocator, outputOptions } from '../common.descriptions';
import { shapeRecord } from '../output';
import { getOutputOptions, getPontoId } from '../parameters';

const properties: INodeProperties[] = [
	accountLocator,
	{
		displayName: 'Transaction ID',
		name: 'transactionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. a4a47c21-b606-464f-ae17-f8e3af6772c9',
	},
	outputOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['transaction'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const id = getPontoId.call(this, 'transactionId', 'Transaction ID', itemIndex);
	const { raw } = getOutputOptions.call(this, itemIndex);
	const resource = await client.getResource(`/accounts/${accountId}/transactions/${id}`, {
		itemIndex,
		resource: 'transaction',
	});
	return [shapeRecord(resource, raw, flattenResource)];
}
