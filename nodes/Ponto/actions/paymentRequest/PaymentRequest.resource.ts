import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';

export { create, del as delete, get };

/** Payment requests (someone pays the organization) are Ponto Connect only. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['paymentRequest'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Ask someone to pay you and get the link they pay with', action: 'Create a payment request' },
			{ name: 'Delete', value: 'delete', description: 'Delete a payment request nobody paid yet', action: 'Delete a payment request' },
			{ name: 'Get', value: 'get', description: 'Get a payment request and its status', action: 'Get a payment request' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...del.description,
];
