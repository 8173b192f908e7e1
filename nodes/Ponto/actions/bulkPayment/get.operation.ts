import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PontoClient } from '../../transport';
import { getPaymentResource, idProperties } from '../payment/get.operation';
import type { PaymentKind } from '../payment/get.operation';

export const BULK_PAYMENT: PaymentKind = {
	resource: 'bulkPayment',
	path: 'bulk-payments',
	label: 'Bulk Payment',
	idParameter: 'bulkPaymentId',
};

export const description = idProperties(BULK_PAYMENT, 'get');

/** The bulk payment: reference, status (unsigned until signed), execution date, batch booking. */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await getPaymentResource.call(this, client, BULK_PAYMENT, itemIndex);
}
