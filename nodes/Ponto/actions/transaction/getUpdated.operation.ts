import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import type { PontoClient } from '../../transport';
import { limitOption, outputOptions, returnAllOption } from '../common.descriptions';
import { collectRecords } from '../collect';
import { shapeRecord } from '../output';
import { getOutputOptions, getPontoId, getWantedCount } from '../parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Synchronization ID',
		name: 'synchronizationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1b3e3011-d018-4785-bbba-9aa75ba14d45',
		description: 'The synchronization whose new and changed transactions to return',
	},
	returnAllOption,
	limitOption,
	outputOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['transaction'], operation: ['getUpdated'] } },
	properties,
);

/** The incremental feed: transactions a synchronization created or changed (docs/ponto-api.md §3). */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const synchronizationId = getPontoId.call(
		this,
		'synchronizationId',
		'Synchronization ID',
		itemIndex,
	);
	const wanted = getWantedCount.call(this, itemIndex);
	const { raw } = getOutputOptions.call(this, itemIndex);
	return await collectRecords(
		client,
		`/synchronizations/${synchronizationId}/updated-transactions`,
		{
			wanted,
			shape: (transaction) => shapeRecord(transaction, raw, flattenResource),
			itemIndex,
			resource: 'synchronization',
		},
	);
}
