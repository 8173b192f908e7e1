import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import type { PontoClient } from '../../transport';
import { financialInstitutionLocator, outputOptions } from '../common.descriptions';
import { shapeRecord } from '../output';
import { getOutputOptions, getPontoId } from '../parameters';

const properties: INodeProperties[] = [financialInstitutionLocator, outputOptions];

export const description = updateDisplayOptions(
	{ show: { resource: ['financialInstitution'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const id = getPontoId.call(this, 'financialInstitutionId', 'Financial Institution', itemIndex);
	const { raw } = getOutputOptions.call(this, itemIndex);
	const resource = await client.getResource(`/financial-institutions/${id}`, {
		itemIndex,
		resource: 'financial institution',
	});
	return [shapeRecord(resource, raw, flattenResource)];
}
