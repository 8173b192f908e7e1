import type { INodeProperties } from 'n8n-workflow';

import { paymentOperationProperty } from '../payment/operationProperty';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';

export { create, del as delete, get };

/** Payment requests (someone pays the organization) are Ponto Connect only. */
export const description: INodeProperties[] = [
	paymentOperationProperty(
		'paymentRequest',
		'payment request',
		'Ask someone to pay you and get the link they pay with',
	),
	...create.description,
	...get.description,
	...del.description,
];
