import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenAccount } from '../../helpers/flatten';
import type { PontoClient } from '../../transport';
import {
	financialInstitutionLocator,
	limitOption,
	outputOptions,
	returnAllOption,
} from '../common.descriptions';
import { collectRecords } from '../collect';
import { shapeRecord } from '../output';
import { getCollection, getOutputOptions, getPontoId, getWantedCount } from '../parameters';

const properties: INodeProperties[] = [
	returnAllOption,
	limitOption,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				...financialInstitutionLocator,
				required: false,
				description: 'Only accounts held at this bank',
			},
		],
	},
	outputOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const wanted = getWantedCount.call(this, itemIndex);
	const filters = getCollection.call(this, 'filters', 'Filters', itemIndex);
	// Ponto has no server-side account filter; like Odoo, keep the accounts of the chosen bank.
	const institutionId =
		filters.financialInstitutionId !== undefined
			? getPontoId.call(this, 'filters.financialInstitutionId', 'Financial Institution', itemIndex)
			: undefined;
	const { raw } = getOutputOptions.call(this, itemIndex);

	const now = new Date();
	return await collectRecords(client, '/accounts', {
		wanted,
		shape: (account) => shapeRecord(account, raw, (resource) => flattenAccount(resource, now)),
		keep: institutionId
			? (account) => account.relationships?.financialInstitution?.data?.id?.toLowerCase() === institutionId
			: undefined,
		itemIndex,
	});
}
