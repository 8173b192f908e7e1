import type { INodeProperties } from 'n8n-workflow';

import { paymentOperationProperty } from '../payment/operationProperty';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';

export { create, del as delete, get };

/** Bulk payments are Ponto Connect only. Create takes every input item at once (one request). */
export const description: INodeProperties[] = [
	paymentOperationProperty(
		'bulkPayment',
		'bulk payment',
		'Pay every input item in one bulk payment and get the link where it is signed',
	),
	...create.description,
	...get.description,
	...del.description,
];
