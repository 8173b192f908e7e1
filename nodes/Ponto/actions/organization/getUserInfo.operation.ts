import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PontoClient } from '../../transport';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['organization'], operation: ['getUserInfo'] } },
	properties,
);

/** The linked organization (GET /userinfo, plain JSON): `sub` is its id, `name` its name. */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const info = (await client.get('/userinfo', { itemIndex })) as unknown as IDataObject;
	return [{ organizationId: info.sub, ...info }];
}
