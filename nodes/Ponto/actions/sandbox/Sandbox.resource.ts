import type { INodeProperties } from 'n8n-workflow';

import * as createTransaction from './createTransaction.operation';

export { createTransaction };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sandbox'] } },
		options: [
			{
				name: 'Create Transaction',
				value: 'createTransaction',
				description: 'Add a transaction to a sandbox bank account, to test workflows end to end',
				action: 'Create a sandbox transaction',
			},
		],
		default: 'createTransaction',
	},
	...createTransaction.description,
];
