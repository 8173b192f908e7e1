import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import type { PontoClient } from '../../transport';
import { accountLocator, limitOption, outputOptions, returnAllOption } from '../common.descriptions';
import { collectRecords } from '../collect';
import { shapeRecord } from '../output';
import { getOutputOptions, getPontoId, getWantedCount } from '../parameters';

const properties: INodeProperties[] = [accountLocator, returnAllOption, limitOption, outputOptions];

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
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const wanted = getWantedCount.call(this, itemIndex);
	const { raw } = getOutputOptions.call(this, itemIndex);
	return await collectRecords(client, `/accounts/${accountId}/pending-transactions`, {
		wanted,
		shape: (transaction) => shapeRecord(transaction, raw, flattenResource),
		itemIndex,
		resource: 'account',
	});
}
