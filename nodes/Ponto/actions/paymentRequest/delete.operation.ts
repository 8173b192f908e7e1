import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PontoClient } from '../../transport';
import { deletePaymentResource, idProperties } from '../payment/get.operation';
import { PAYMENT_REQUEST } from './get.operation';

export const description = idProperties(PAYMENT_REQUEST, 'delete');

/** Deletes a payment request nobody paid yet. */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await deletePaymentResource.call(this, client, PAYMENT_REQUEST, itemIndex);
}
