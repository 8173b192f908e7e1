import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenAccount } from '../../helpers/flatten';
import { simplifyAccount } from '../../helpers/simplify';
import type { PontoClient } from '../../transport';
import {
	financialInstitutionLocator,
	limitOption,
	outputOptions,
	returnAllOption,
} from '../common.descriptions';
import { collectRecords } from '../collect';
import { shapeRecord } from '../output';
import { getCollection, getOutputOptions, getPontoId } from '../parameters';
import {
	getSimplify,
	getWantedRecords,
	isToolUse,
	simplifyProperties,
	withAgentAdvice,
	withinCap,
} from '../toolUse';

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
	...simplifyProperties,
	outputOptions,
];

const NARROW = 'filter by the bank (financialInstitutionId from Get many financial institutions)';
const INSTITUTION_ADVICE =
	'Pass the id of a bank returned by Get many financial institutions (or the financialInstitutionId of an account), or leave the filter empty.';

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const tool = isToolUse(this);
	const advice = { parameters: { 'Financial Institution': INSTITUTION_ADVICE } };
	return await withAgentAdvice(this, itemIndex, tool, advice, async () => {
		const { wanted, capped } = getWantedRecords.call(this, itemIndex, tool, NARROW);
		const filters = getCollection.call(this, 'filters', 'Filters', itemIndex);
		// Ponto has no server-side account filter; like Odoo, keep the accounts of the chosen bank.
		const institutionId =
			filters.financialInstitutionId !== undefined
				? getPontoId.call(
						this,
						'filters.financialInstitutionId',
						'Financial Institution',
						itemIndex,
					)
				: undefined;
		const { raw } = getOutputOptions.call(this, itemIndex);
		const simplify = !raw && getSimplify.call(this, itemIndex, tool);

		const now = new Date();
		const records = await collectRecords(client, '/accounts', {
			wanted,
			shape: (account) => {
				const record = shapeRecord(account, raw, (resource) => flattenAccount(resource, now));
				return simplify ? simplifyAccount(record) : record;
			},
			keep: institutionId
				? (account) =>
						account.relationships?.financialInstitution?.data?.id?.toLowerCase() === institutionId
				: undefined,
			itemIndex,
		});
		return capped ? withinCap.call(this, itemIndex, records, 'accounts', NARROW) : records;
	});
}
