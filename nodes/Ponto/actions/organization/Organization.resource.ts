import type { INodeProperties } from 'n8n-workflow';

import * as getAuthorizationLink from './getAuthorizationLink.operation';
import * as getUserInfo from './getUserInfo.operation';
import * as requestPaymentActivation from './requestPaymentActivation.operation';
import * as requestPaymentRequestActivation from './requestPaymentRequestActivation.operation';

export {
	getAuthorizationLink,
	getUserInfo,
	requestPaymentActivation,
	requestPaymentRequestActivation,
};

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
				description:
					'Build the link that links (or relinks, to share more accounts) an organization to the credential',
				action: 'Get an authorization link',
			},
			{
				name: 'Get User Info',
				value: 'getUserInfo',
				description: 'Get the ID and name of the linked organization',
				action: 'Get user info of the organization',
			},
			{
				name: 'Request Payment Activation',
				value: 'requestPaymentActivation',
				description: 'Get the link the organization follows to activate payments',
				action: 'Request payment activation',
			},
			{
				name: 'Request Payment Request Activation',
				value: 'requestPaymentRequestActivation',
				description: 'Get the link the organization follows to activate payment requests',
				action: 'Request payment request activation',
			},
		],
		default: 'getUserInfo',
	},
	...getAuthorizationLink.description,
	...getUserInfo.description,
	...requestPaymentActivation.description,
	...requestPaymentRequestActivation.description,
];
