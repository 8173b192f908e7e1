import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { SEPA_MAX_AMOUNT_CENTS } from '../../helpers/payments';
import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import { getPontoId } from '../parameters';
import {
	createIdempotently,
	idempotencyKeyProperty,
	readAmount,
	readIdempotencyKey,
	readRedirectUri,
	readRemittance,
	redirectUriProperty,
	remittanceProperties,
} from '../payment/transfer';

const properties: INodeProperties[] = [
	{ ...accountLocator, description: 'The account the payer pays into' },
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		typeOptions: { minValue: 0.01, maxValue: 999999999.99, numberPrecision: 2 },
		required: true,
		default: 0,
		description: 'In euros, greater than 0, at most two decimals',
	},
	...remittanceProperties,
	redirectUriProperty('payment request'),
	idempotencyKeyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['paymentRequest'], operation: ['create'] } },
	properties,
);

/**
 * Asks someone to pay the organization (POST /accounts/{id}/payment-requests, docs/ponto-api.md
 * §3, §4.9): Ponto answers with a signing URI the payer opens. Closed requests raise the
 * Ponto Connect Trigger's paymentRequest.closed event.
 */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	// Money comes in: no Maximum Amount per Payment, only the SEPA ceiling.
	const amount = readAmount.call(this, itemIndex, SEPA_MAX_AMOUNT_CENTS / 100);
	const attributes: IDataObject = {
		amount: amount.value,
		currency: 'EUR',
		...readRemittance.call(this, itemIndex),
	};
	const redirectUri = readRedirectUri.call(this, itemIndex);
	if (redirectUri) attributes.redirectUri = redirectUri;
	const body = { data: { type: 'paymentRequest', attributes } };
	const { record: request, idempotencyKey } = await createIdempotently(client, {
		kind: 'paymentRequest',
		accountId,
		path: 'payment-requests',
		body,
		userKey: readIdempotencyKey.call(this, itemIndex),
		itemIndex,
	});
	return [
		{
			...request,
			accountId,
			signingUrl: request.signingUri ?? request.redirectUrl ?? null,
			idempotencyKey,
			nextStep:
				'Send signingUrl to the payer. When the request is closed, the Ponto Connect Trigger fires paymentRequest.closed; Get reports the status.',
		},
	];
}
