import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import { simplifyTransaction } from '../../helpers/simplify';
import type { PontoClient } from '../../transport';
import {
	accountLocator,
	limitOption,
	outputOptions,
	returnAllOption,
} from '../common.descriptions';
import { collectRecords } from '../collect';
import { shapeRecord } from '../output';
import { getOutputOptions, getPontoId } from '../parameters';
import {
	ACCOUNT_ID_ADVICE,
	ACCOUNT_NOT_FOUND_ADVICE,
	getSimplify,
	getWantedRecords,
	isToolUse,
	simplifyProperties,
	withAgentAdvice,
	withinCap,
} from '../toolUse';

const properties: INodeProperties[] = [
	accountLocator,
	returnAllOption,
	limitOption,
	...simplifyProperties,
	outputOptions,
];

const NARROW = 'a limit of the newest ones only';

export const description = updateDisplayOptions(
	{ show: { resource: ['pendingTransaction'], operation: ['getAll'] } },
	properties,
);

/**
 * Pending (unsettled) transactions have their own ids and vanish when booked, so they are a
 * separate stream from booked ones. Ponto refreshes them only on an
 * accountTransactionsWithUnsettled synchronization (docs/ponto-api.md §3, §8).
 */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const tool = isToolUse(this);
	const advice = { parameters: { Account: ACCOUNT_ID_ADVICE }, notFound: ACCOUNT_NOT_FOUND_ADVICE };
	return await withAgentAdvice(this, itemIndex, tool, advice, async () => {
		const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
		const { wanted, capped } = getWantedRecords.call(this, itemIndex, tool, NARROW);
		const { raw } = getOutputOptions.call(this, itemIndex);
		const simplify = !raw && getSimplify.call(this, itemIndex, tool);
		const records = await collectRecords(client, `/accounts/${accountId}/pending-transactions`, {
			wanted,
			shape: (transaction) => {
				const record = shapeRecord(transaction, raw, flattenResource);
				return simplify ? simplifyTransaction(record) : record;
			},
			itemIndex,
			resource: 'account',
		});
		return capped
			? withinCap.call(this, itemIndex, records, 'pending transactions', NARROW)
			: records;
	});
}
