import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import type { PontoClient } from '../../transport';
import { outputOptions } from '../common.descriptions';
import { shapeRecord } from '../output';
import { getOutputOptions, getPontoId } from '../parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Synchronization ID',
		name: 'synchronizationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1b3e3011-d018-4785-bbba-9aa75ba14d45',
	},
	outputOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['synchronization'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const id = getPontoId.call(this, 'synchronizationId', 'Synchronization ID', itemIndex);
	const { raw } = getOutputOptions.call(this, itemIndex);
	const resource = await client.getResource(`/synchronizations/${id}`, {
		itemIndex,
		resource: 'synchronization',
	});
	return [shapeRecord(resource, raw, flattenResource)];
}
