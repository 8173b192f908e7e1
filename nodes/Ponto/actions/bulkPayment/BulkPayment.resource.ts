import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';

export { create, del as delete, get };

/** Bulk payments are Ponto Connect only. Create takes every input item at once (one request). */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['bulkPayment'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Pay every input item in one bulk payment and get the link where it is signed', action: 'Create a bulk payment' },
			{ name: 'Delete', value: 'delete', description: 'Delete a bulk payment that is not signed yet', action: 'Delete a bulk payment' },
			{ name: 'Get', value: 'get', description: 'Get a bulk payment and its status', action: 'Get a bulk payment' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...del.description,
];
