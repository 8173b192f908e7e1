import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import { getPontoId } from '../parameters';
import {
	createIdempotently,
	executionDateProperty,
	idempotencyKeyProperty,
	maxAmountProperty,
	readExecutionDate,
	readIdempotencyKey,
	readMaximum,
	readRedirectUri,
	readTransfer,
	redirectUriProperty,
	SIGNING_STEP,
	transferProperties,
} from './transfer';

const properties: INodeProperties[] = [
	{
		...accountLocator,
		description:
			'The account the money leaves from (shared with this integration, payments activated)',
	},
	...transferProperties(),
	executionDateProperty,
	redirectUriProperty('payment'),
	maxAmountProperty,
	idempotencyKeyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payment'], operation: ['create'] } },
	properties,
);

/**
 * One SEPA credit transfer in EUR (POST /accounts/{id}/payments, docs/ponto-api.md §3, §4.9).
 * Every field is validated first; the idempotency key comes from the payment itself, so a
 * retry, a rerun or n8n retrying the node gets the payment Ponto already has. Ponto answers
 * with the link where the payment is signed: nothing is paid until someone signs it there.
 */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const maxAmount = readMaximum.call(this, itemIndex);
	const attributes = readTransfer.call(this, itemIndex, maxAmount);
	const requestedExecutionDate = readExecutionDate.call(this, itemIndex, Date.now());
	if (requestedExecutionDate) attributes.requestedExecutionDate = requestedExecutionDate;
	const redirectUri = readRedirectUri.call(this, itemIndex);
	if (redirectUri) attributes.redirectUri = redirectUri;
	const body = { data: { type: 'payment', attributes } };
	const { record: payment, idempotencyKey } = await createIdempotently(client, {
		kind: 'payment',
		accountId,
		path: 'payments',
		body,
		userKey: readIdempotencyKey.call(this, itemIndex),
		itemIndex,
	});
	return [
		{
			...payment,
			accountId,
			signingUrl: payment.redirectUrl ?? null,
			idempotencyKey,
			nextStep: SIGNING_STEP,
		},
	];
}
