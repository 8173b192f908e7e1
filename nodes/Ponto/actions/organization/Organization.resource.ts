import type { INodeProperties } from 'n8n-workflow';

import * as getAuthorizationLink from './getAuthorizationLink.operation';
import * as getUserInfo from './getUserInfo.operation';

export { getAuthorizationLink, getUserInfo };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['organization'] } },
		options: [
			{
				name: 'Get Authorization Link',
				value: 'getAuthorizationLink',
				description: 'Build the link that links (or relinks, to share more accounts) an organization to the credential',
				action: 'Get an authorization link',
			},
			{
				name: 'Get User Info',
				value: 'getUserInfo',
				description: 'Get the ID and name of the linked organization',
				action: 'Get user info of the organization',
			},
		],
		default: 'getUserInfo',
	},
	...getAuthorizationLink.description,
	...getUserInfo.description,
];
