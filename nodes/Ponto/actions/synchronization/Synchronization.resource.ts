import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';

export { create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['synchronization'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Ask Ponto to fetch fresh data from the bank, and optionally wait for it',
				action: 'Create a synchronization',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the state of a synchronization',
				action: 'Get a synchronization',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
];
