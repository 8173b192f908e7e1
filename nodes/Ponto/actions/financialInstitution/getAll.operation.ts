import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import type { JsonApiResource } from '../../helpers/interfaces';
import { describeValue } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { limitOption, outputOptions, returnAllOption } from '../common.descriptions';
import { collectRecords } from '../collect';
import { shapeRecord } from '../output';
import { getCollection, getOutputOptions, getWantedCount, invalidParameter } from '../parameters';

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
	outputOptions,
];

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
			throw invalidParameter(this, itemIndex, `Name Contains: ${describeValue(filters.name)} is not text`, 'Enter part of the bank name.');
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
	if (filter.name && !String(attributes.name ?? '').toLowerCase().includes(filter.name)) return false;
	if (filter.country && String(attributes.country ?? '').toUpperCase() !== filter.country) return false;
	return true;
}

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const wanted = getWantedCount.call(this, itemIndex);
	const filter = readFilter.call(this, itemIndex);
	const { raw } = getOutputOptions.call(this, itemIndex);

	// Only the name filter is documented server-side (docs/ponto-api.md §3); country is applied here,
	// and the name again, so the result is right whichever filters the server honours.
	return await collectRecords(client, '/financial-institutions', {
		wanted,
		shape: (institution) => shapeRecord(institution, raw, flattenResource),
		keep: filter.name || filter.country ? (institution) => matches(institution, filter) : undefined,
		qs: filter.name ? { 'filter[name][contains]': filter.name } : undefined,
		itemIndex,
	});
}
