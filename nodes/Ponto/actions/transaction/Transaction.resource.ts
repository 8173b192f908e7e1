import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getUpdated from './getUpdated.operation';

export { get, getAll, getUpdated };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['transaction'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a booked transaction',
				action: 'Get a transaction',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'Get many booked transactions of an account, newest first, optionally within dates',
				action: 'Get many transactions',
			},
			{
				name: 'Get Updated by Synchronization',
				value: 'getUpdated',
				description: 'Get the transactions a synchronization created or changed',
				action: 'Get transactions updated by a synchronization',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...getUpdated.description,
];
