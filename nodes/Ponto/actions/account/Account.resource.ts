import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as requestReauthorization from './requestReauthorization.operation';
import * as revoke from './revoke.operation';

export { get, getAll, requestReauthorization, revoke };

/** Request Reauthorization and Revoke are Ponto Connect only (see ../connectOnly.ts). */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get an account with its balances and consent expiry',
				action: 'Get an account',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many accounts shared with this integration',
				action: 'Get many accounts',
			},
			{
				name: 'Request Reauthorization',
				value: 'requestReauthorization',
				description: 'Get the link the customer follows to renew the bank consent',
				action: 'Request reauthorization of an account',
			},
			{
				name: 'Revoke',
				value: 'revoke',
				description: 'Remove the account from this integration (it stays in Ponto)',
				action: 'Revoke an account',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...requestReauthorization.description,
	...revoke.description,
];
