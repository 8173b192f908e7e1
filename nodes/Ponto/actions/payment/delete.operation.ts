import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PontoClient } from '../../transport';
import { deletePaymentResource, idProperties, PAYMENT } from './get.operation';

export const description = idProperties(PAYMENT, 'delete');

/** Deletes a payment that is not signed yet (Ponto refuses once it is). */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await deletePaymentResource.call(this, client, PAYMENT, itemIndex);
}
