import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import { checkAmount, checkSepaText, checkStructuredReference, MAX_END_TO_END_ID, MAX_REMITTANCE, paymentIdempotencyKey, SEPA_MAX_AMOUNT_CENTS } from '../../helpers/payments';
import { describeValue } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import { getOption, getPontoId, invalidParameter } from '../parameters';
import { requireConnect } from '../payment/connectOnly';
import { idempotencyKeyProperty, readIdempotencyKey, readRedirectUri, redirectUriProperty, remittanceTypeProperty } from '../payment/transfer';

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
	remittanceTypeProperty,
	{
		displayName: 'Remittance Information',
		name: 'remittanceInformation',
		type: 'string',
		default: '',
		displayOptions: { show: { remittanceType: ['unstructured'] } },
		description: `What the payer sees, at most ${MAX_REMITTANCE} characters of the SEPA character set`,
	},
	{
		displayName: 'Structured Reference',
		name: 'structuredReference',
		type: 'string',
		default: '',
		placeholder: 'e.g. +++090/9337/55493+++',
		displayOptions: { show: { remittanceType: ['structured'] } },
		description: 'A Belgian structured communication or an ISO 11649 reference (RF…)',
	},
	{
		displayName: 'End-to-End ID',
		name: 'endToEndId',
		type: 'string',
		default: '',
		description: `Your reference (e.g. the invoice number), at most ${MAX_END_TO_END_ID} characters, no spaces`,
	},
	redirectUriProperty('payment request'),
	idempotencyKeyProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['paymentRequest'], operation: ['create'] } }, properties);

const SEPA_HINT = "Use letters without accents, digits, spaces and / - ? : ( ) . , ' + only.";

/**
 * Asks someone to pay the organization (POST /accounts/{id}/payment-requests, docs/ponto-api.md
 * §3, §4.9): Ponto answers with a signing URI the payer opens. Closed requests raise the
 * Ponto Connect Trigger's paymentRequest.closed event.
 */
export async function execute(this: IExecuteFunctions, client: PontoClient, itemIndex: number): Promise<IDataObject[]> {
	requireConnect(this, client, 'Payment Request > Create', itemIndex);
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const amountValue = this.getNodeParameter('amount', itemIndex, 0) as unknown;
	const amount = checkAmount(amountValue, SEPA_MAX_AMOUNT_CENTS / 100);
	if (!amount.ok) throw invalidParameter(this, itemIndex, `Amount: ${describeValue(amountValue)} ${amount.problem}`, 'Use an amount in euros such as 12.50.');
	const attributes: IDataObject = { amount: amount.value.value, currency: 'EUR' };
	const remittanceType = getOption.call(this, remittanceTypeProperty, itemIndex);
	if (remittanceType === 'unstructured') {
		const value = this.getNodeParameter('remittanceInformation', itemIndex, '') as unknown;
		const text = checkSepaText(value, { maxLength: MAX_REMITTANCE, required: false });
		if (!text.ok) throw invalidParameter(this, itemIndex, `Remittance Information: ${describeValue(value)} ${text.problem}`, SEPA_HINT);
		if (text.value) Object.assign(attributes, { remittanceInformation: text.value, remittanceInformationType: 'unstructured' });
	} else if (remittanceType === 'structured') {
		const value = this.getNodeParameter('structuredReference', itemIndex, '') as unknown;
		const reference = checkStructuredReference(value);
		if (!reference.ok) throw invalidParameter(this, itemIndex, `Structured Reference: ${describeValue(value)} ${reference.problem}`, 'Copy the reference again: +++123/4567/89002+++ or RF18 5390 0754 7034.');
		Object.assign(attributes, { remittanceInformation: reference.value.value, remittanceInformationType: 'structured' });
	}
	const endToEndValue = this.getNodeParameter('endToEndId', itemIndex, '') as unknown;
	const endToEnd = checkSepaText(endToEndValue, { maxLength: MAX_END_TO_END_ID, required: false, identifier: true });
	if (!endToEnd.ok) throw invalidParameter(this, itemIndex, `End-to-End ID: ${describeValue(endToEndValue)} ${endToEnd.problem}`, SEPA_HINT);
	if (endToEnd.value) attributes.endToEndId = endToEnd.value;
	const redirectUri = readRedirectUri.call(this, itemIndex);
	if (redirectUri) attributes.redirectUri = redirectUri;
	const body = { data: { type: 'paymentRequest', attributes } };
	const idempotencyKey = paymentIdempotencyKey('paymentRequest', accountId, body, readIdempotencyKey.call(this, itemIndex));
	const document = await client.post(`/accounts/${accountId}/payment-requests`, body, { itemIndex, resource: 'account', refusal: 'payment', idempotencyKey });
	const request = flattenResource(client.resourceOf(document, itemIndex));
	return [
		{
			...request,
			accountId,
			signingUrl: request.signingUri ?? request.redirectUrl ?? null,
			idempotencyKey,
			nextStep: 'Send signingUrl to the payer. When the request is closed, the Ponto Connect Trigger fires paymentRequest.closed; Get reports the status.',
		},
	];
}
