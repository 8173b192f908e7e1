import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PontoClient } from '../../transport';
import { activationProperties, requestActivation } from './requestPaymentActivation.operation';

export const description = activationProperties('requestPaymentRequestActivation');

/** The link the organization follows to activate payment requests (path unconfirmed, docs/ponto-api.md §3). */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await requestActivation.call(
		this,
		client,
		itemIndex,
		'/payment-request-activation-requests',
		'paymentRequestActivationRequest',
		'payment request',
	);
}
