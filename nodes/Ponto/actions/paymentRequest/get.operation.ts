import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PontoClient } from '../../transport';
import { getPaymentResource, idProperties } from '../payment/get.operation';
import type { PaymentKind } from '../payment/get.operation';

export const PAYMENT_REQUEST: PaymentKind = {
	resource: 'paymentRequest',
	path: 'payment-requests',
	label: 'Payment Request',
	idParameter: 'paymentRequestId',
};

export const description = idProperties(PAYMENT_REQUEST, 'get');

/** The payment request: status, signedAt, closedAt (the final status once closed). */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const [request] = await getPaymentResource.call(this, client, PAYMENT_REQUEST, itemIndex);
	return [{ ...request, signingUrl: request.signingUri ?? request.signingUrl }];
}
