import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PontoClient } from '../../transport';
import { deletePaymentResource, idProperties } from '../payment/get.operation';
import { BULK_PAYMENT } from './get.operation';

export const description = idProperties(BULK_PAYMENT, 'delete');

/** Deletes a bulk payment that is not signed yet. */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await deletePaymentResource.call(this, client, BULK_PAYMENT, itemIndex);
}
