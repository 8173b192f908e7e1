import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';

export { create, del as delete, get };

/** Payments are Ponto Connect only (the custom integration has no payment scope). */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a SEPA credit transfer and get the link where it is signed', action: 'Create a payment' },
			{ name: 'Delete', value: 'delete', description: 'Delete a payment that is not signed yet', action: 'Delete a payment' },
			{ name: 'Get', value: 'get', description: 'Get a payment and its status', action: 'Get a payment' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...del.description,
];
