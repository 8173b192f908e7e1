import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import { isInWindow, isPageBeyondWindow } from '../../helpers/dateWindow';
import { simplifyTransaction } from '../../helpers/simplify';
import type { PontoClient } from '../../transport';
import {
	accountLocator,
	concurrencyOption,
	limitOption,
	rawResourceOption,
	returnAllOption,
} from '../common.descriptions';
import { collectRecords } from '../collect';
import { shapeRecord } from '../output';
import { getCollection, getOutputOptions, getPontoId } from '../parameters';
import {
	ACCOUNT_ID_ADVICE,
	ACCOUNT_NOT_FOUND_ADVICE,
	DATE_ADVICE,
	getSimplify,
	getWantedRecords,
	isToolUse,
	simplifyProperties,
	withAgentAdvice,
	withinCap,
} from '../toolUse';
import { DEFAULT_MARGIN_DAYS, readDateWindow } from './readDateWindow';

const properties: INodeProperties[] = [
	accountLocator,
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
				displayName: 'Date Field',
				name: 'dateField',
				type: 'options',
				default: 'executionDate',
				description: 'Which transaction date Since and Until apply to',
				options: [
					{
						name: 'Execution Date',
						value: 'executionDate',
						description: 'When the bank booked the transaction',
					},
					{
						name: 'Value Date',
						value: 'valueDate',
						description: 'When the amount took effect on the balance',
					},
				],
			},
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				description:
					'Only transactions on or after this moment. Without a time zone the value is read as UTC, the zone of Ponto dates.',
			},
			{
				displayName: 'Until',
				name: 'until',
				type: 'dateTime',
				default: '',
				description:
					'Only transactions on or before this moment. Without a time zone the value is read as UTC, the zone of Ponto dates.',
			},
		],
	},
	...simplifyProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			concurrencyOption,
			rawResourceOption,
			{
				displayName: 'Safety Margin (Days)',
				name: 'safetyMarginDays',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 366 },
				default: DEFAULT_MARGIN_DAYS,
				description:
					'Ponto lists transactions by when it received them, which is only roughly by date. With Since set, reading stops at the first page received before Since; when Ponto gives no reception time, or for value dates (they can lie ahead of it), only once a whole page is older than Since minus this margin.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['transaction'], operation: ['getAll'] } },
	properties,
);

const NARROW =
	'a shorter since/until window (ISO dates such as 2026-01-31), then call again for the rest of the period';

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const tool = isToolUse(this);
	const advice = {
		parameters: {
			Account: ACCOUNT_ID_ADVICE,
			Since: DATE_ADVICE,
			Until: DATE_ADVICE,
			'Date Field': 'Use executionDate or valueDate.',
		},
		notFound: ACCOUNT_NOT_FOUND_ADVICE,
	};
	return await withAgentAdvice(this, itemIndex, tool, advice, async () => {
		const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
		const { wanted, capped } = getWantedRecords.call(this, itemIndex, tool, NARROW);
		const filters = getCollection.call(this, 'filters', 'Filters', itemIndex);
		const { options, raw } = getOutputOptions.call(this, itemIndex);
		const simplify = !raw && getSimplify.call(this, itemIndex, tool);
		const window = readDateWindow.call(this, filters, options, itemIndex);

		const records = await collectRecords(client, `/accounts/${accountId}/transactions`, {
			wanted,
			shape: (transaction) => {
				const record = shapeRecord(transaction, raw, flattenResource);
				return simplify ? simplifyTransaction(record) : record;
			},
			keep: window && ((transaction) => isInWindow(transaction, window)),
			isLastPage: window && ((page) => isPageBeyondWindow(page, window)),
			itemIndex,
			resource: 'account',
		});
		return capped ? withinCap.call(this, itemIndex, records, 'transactions', NARROW) : records;
	});
}
