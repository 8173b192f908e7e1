import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['pendingTransaction'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a pending (not yet booked) transaction',
				action: 'Get a pending transaction',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many pending transactions of an account',
				action: 'Get many pending transactions',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
