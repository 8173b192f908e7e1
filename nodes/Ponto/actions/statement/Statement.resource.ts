import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';

export { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['statement'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Build a statement for a period with balances from the bank, as JSON, Odoo lines or files (CAMT.053, CODA, OFX, CSV)',
				action: 'Create a statement',
			},
		],
		default: 'create',
	},
	...create.description,
];
