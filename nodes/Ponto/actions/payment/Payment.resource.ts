import type { INodeProperties } from 'n8n-workflow';

import { paymentOperationProperty } from './operationProperty';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';

export { create, del as delete, get };

/** Payments are Ponto Connect only (the custom integration has no payment scope). */
export const description: INodeProperties[] = [
	paymentOperationProperty(
		'payment',
		'payment',
		'Create a SEPA credit transfer and get the link where it is signed',
	),
	...create.description,
	...get.description,
	...del.description,
];
