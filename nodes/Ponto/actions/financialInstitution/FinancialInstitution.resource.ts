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
		displayOptions: { show: { resource: ['financialInstitution'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a financial institution',
				action: 'Get a financial institution',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'Get many financial institutions, with their beta, deprecated and maintenance status',
				action: 'Get many financial institutions',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
