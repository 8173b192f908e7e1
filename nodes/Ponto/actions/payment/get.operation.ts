import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import { getPontoId } from '../parameters';

/** Get and Delete of a payment, a bulk payment or a payment request: same shape, other path. */
export interface PaymentKind {
	resource: 'payment' | 'bulkPayment' | 'paymentRequest';
	path: 'payments' | 'bulk-payments' | 'payment-requests';
	label: string;
	idParameter: string;
}

export const PAYMENT: PaymentKind = {
	resource: 'payment',
	path: 'payments',
	label: 'Payment',
	idParameter: 'paymentId',
};

export function idProperties(kind: PaymentKind, operation: string): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [kind.resource], operation: [operation] } }, [
		accountLocator,
		{
			displayName: `${kind.label} ID`,
			name: kind.idParameter,
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 6c0350b5-a724-42e5-b4ce-ca3a6994df3d',
			description: 'The ID that Create returned',
		},
	]);
}

export const description = idProperties(PAYMENT, 'get');

export async function getPaymentResource(
	this: IExecuteFunctions,
	client: PontoClient,
	kind: PaymentKind,
	itemIndex: number,
): Promise<IDataObject[]> {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const id = getPontoId.call(this, kind.idParameter, `${kind.label} ID`, itemIndex);
	const resource = await client.getResource(`/accounts/${accountId}/${kind.path}/${id}`, {
		itemIndex,
		resource: kind.resource,
	});
	const flat = flattenResource(resource);
	return [{ ...flat, accountId, signingUrl: flat.redirectUrl ?? null }];
}

export async function deletePaymentResource(
	this: IExecuteFunctions,
	client: PontoClient,
	kind: PaymentKind,
	itemIndex: number,
): Promise<IDataObject[]> {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const id = getPontoId.call(this, kind.idParameter, `${kind.label} ID`, itemIndex);
	await client.delete(`/accounts/${accountId}/${kind.path}/${id}`, {
		itemIndex,
		resource: kind.resource,
		refusal: 'payment',
	});
	return [{ id, accountId, deleted: true }];
}

/** The payment: its status (pending until signed; see docs/payments.md for what is known), amount, creditor. */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await getPaymentResource.call(this, client, PAYMENT, itemIndex);
}
