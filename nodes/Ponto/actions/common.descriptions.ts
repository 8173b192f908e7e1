import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { MAX_LIMIT, UUID_PATTERN } from '../helpers/validation';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './concurrency';

/**
 * The canvas subtitle, in words ("Get Many: Transactions"): an expression that looks the
 * resource and operation up in a table built from their option names.
 */
export function subtitleExpression(
	resource: INodeProperties,
	operations: INodeProperties[],
): string {
	const labels: Record<string, string> = {};
	for (const option of resource.options as INodePropertyOptions[]) {
		const operation = operations.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(option.value),
		);
		for (const choice of (operation?.options ?? []) as INodePropertyOptions[]) {
			const many = choice.value === 'getAll' || choice.value === 'getUpdated';
			labels[`${option.value}.${choice.value}`] =
				`${choice.name}: ${option.name}${many ? 's' : ''}`;
		}
	}
	return `={{ (${JSON.stringify(labels)})[$parameter["resource"] + "." + $parameter["operation"]] || $parameter["operation"] + ": " + $parameter["resource"] }}`;
}

export const accountLocator: INodeProperties = {
	displayName: 'Account',
	name: 'accountId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Ponto account (only accounts shared with this integration are listed)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchAccounts', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 8804e34f-12b0-4b70-86bf-265f013ca232',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: UUID_PATTERN,
						errorMessage:
							'Account: not a valid Ponto ID (a UUID such as 8804e34f-12b0-4b70-86bf-265f013ca232)',
					},
				},
			],
		},
	],
};

export const financialInstitutionLocator: INodeProperties = {
	displayName: 'Financial Institution',
	name: 'financialInstitutionId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The bank, as Ponto calls it',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchFinancialInstitutions', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 953934eb-229a-4fd2-8675-07794078cc7d',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: UUID_PATTERN,
						errorMessage:
							'Financial Institution: not a valid Ponto ID (a UUID such as 953934eb-229a-4fd2-8675-07794078cc7d)',
					},
				},
			],
		},
	],
};

export const returnAllOption: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitOption: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_LIMIT },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

export const rawResourceOption: INodeProperties = {
	displayName: 'Raw JSON:API Resource',
	name: 'rawResource',
	type: 'boolean',
	default: false,
	description:
		'Whether to return each record exactly as Ponto sends it (type, ID, attributes, relationships, meta) instead of flattened',
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Items in Parallel',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: DEFAULT_CONCURRENCY,
	description:
		'How many input items are processed at the same time. Results keep the input order. Lowered automatically when Ponto answers "too many requests".',
};

/** The "Options" collection of operations with no other option: raw output and parallelism. */
export const outputOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [concurrencyOption, rawResourceOption],
};
