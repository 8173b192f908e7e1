import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import { simplifyFinancialInstitution } from '../../helpers/simplify';
import type { JsonApiResource } from '../../helpers/interfaces';
import { describeValue } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { limitOption, outputOptions, returnAllOption } from '../common.descriptions';
import { collectRecords } from '../collect';
import { shapeRecord } from '../output';
import { getCollection, getOutputOptions, invalidParameter } from '../parameters';
import {
	getSimplify,
	getWantedRecords,
	isToolUse,
	simplifyProperties,
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
				displayName: 'Country Code',
				name: 'country',
				type: 'string',
				default: '',
				placeholder: 'e.g. BE',
				description: 'Two-letter ISO 3166 country code of the bank',
			},
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. KBC',
				description: 'Only banks whose name contains this text (not case-sensitive)',
			},
		],
	},
	...simplifyProperties,
	outputOptions,
];

const NARROW = 'filter by part of the bank name or by a two-letter country code';

export const description = updateDisplayOptions(
	{ show: { resource: ['financialInstitution'], operation: ['getAll'] } },
	properties,
);

interface InstitutionFilter {
	name?: string;
	country?: string;
}

function readFilter(this: IExecuteFunctions, itemIndex: number): InstitutionFilter {
	const filters = getCollection.call(this, 'filters', 'Filters', itemIndex);
	const filter: InstitutionFilter = {};
	if (filters.name !== undefined && filters.name !== '') {
		if (typeof filters.name !== 'string') {
			throw invalidParameter(
				this,
				itemIndex,
				`Name Contains: ${describeValue(filters.name)} is not text`,
				'Enter part of the bank name.',
			);
		}
		filter.name = filters.name.trim().toLowerCase();
	}
	if (filters.country !== undefined && filters.country !== '') {
		const country = typeof filters.country === 'string' ? filters.country.trim() : '';
		if (!/^[A-Za-z]{2}$/.test(country)) {
			throw invalidParameter(
				this,
				itemIndex,
				`Country Code: ${describeValue(filters.country)} is not a two-letter country code`,
				'Use an ISO 3166 alpha-2 code such as BE, NL or FR.',
			);
		}
		filter.country = country.toUpperCase();
	}
	return filter;
}

function matches(resource: JsonApiResource, filter: InstitutionFilter): boolean {
	const attributes = resource.attributes ?? {};
	if (
		filter.name &&
		!String(attributes.name ?? '')
			.toLowerCase()
			.includes(filter.name)
	)
		return false;
	if (filter.country && String(attributes.country ?? '').toUpperCase() !== filter.country)
		return false;
	return true;
}

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const tool = isToolUse(this);
	const { wanted, capped } = getWantedRecords.call(this, itemIndex, tool, NARROW);
	const filter = readFilter.call(this, itemIndex);
	const { raw } = getOutputOptions.call(this, itemIndex);
	const simplify = !raw && getSimplify.call(this, itemIndex, tool);

	// Only the name filter is documented server-side (docs/ponto-api.md §3); country is applied here,
	// and the name again, so the result is right whichever filters the server honours.
	const records = await collectRecords(client, '/financial-institutions', {
		wanted,
		shape: (institution) => {
			const record = shapeRecord(institution, raw, flattenResource);
			return simplify ? simplifyFinancialInstitution(record) : record;
		},
		keep: filter.name || filter.country ? (institution) => matches(institution, filter) : undefined,
		qs: filter.name ? { 'filter[name][contains]': filter.name } : undefined,
		itemIndex,
	});
	return capped ? withinCap.call(this, itemIndex, records, 'banks', NARROW) : records;
}
