import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import { describeMalformed } from '../../helpers/errors';
import { describeValue, isPontoId } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import {
	checkDate,
	getCollection,
	getOption,
	getPontoId,
	getText,
	invalidParameter,
} from '../parameters';

/** Ponto amounts: two decimals, below a billion either way. */
const MAX_AMOUNT = 999_999_999.99;

const text = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
});

const remittanceInformationType: INodeProperties = {
	displayName: 'Remittance Information Type',
	name: 'remittanceInformationType',
	type: 'options',
	options: [
		{ name: 'Structured', value: 'structured' },
		{ name: 'Unstructured', value: 'unstructured' },
	],
	default: 'unstructured',
};

const additionalFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		text('Additional Information', 'additionalInformation', 'Extra text from the bank'),
		text('Bank Transaction Code', 'bankTransactionCode', 'ISO 20022 code, e.g. PMNT-IRCT-ESCT'),
		text('Counterpart Name', 'counterpartName', 'Name of the other party'),
		text('Counterpart Reference', 'counterpartReference', 'IBAN of the other party'),
		text('Creditor ID', 'creditorId', 'SEPA creditor identifier'),
		text('End To End ID', 'endToEndId', 'End-to-end reference of the payment'),
		text('Mandate ID', 'mandateId', 'SEPA direct debit mandate'),
		text(
			'Proprietary Bank Transaction Code',
			'proprietaryBankTransactionCode',
			"The bank's own transaction code",
		),
		text('Purpose Code', 'purposeCode', 'ISO 20022 purpose, e.g. CASH'),
		text(
			'Remittance Information',
			'remittanceInformation',
			'Free text, or the 12 digits of a Belgian structured communication',
		),
	],
};

const properties: INodeProperties[] = [
	{ ...accountLocator, description: 'The sandbox account that receives the transaction' },
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		typeOptions: { numberPrecision: 2, minValue: -MAX_AMOUNT, maxValue: MAX_AMOUNT },
		required: true,
		default: 0,
		description: 'Signed amount: negative for a debit',
	},
	{ displayName: 'Currency', name: 'currency', type: 'string', required: true, default: 'EUR' },
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		required: true,
		default: 'Wire transfer',
		description: "The bank's label of the transaction",
	},
	{
		displayName: 'Execution Date',
		name: 'executionDate',
		type: 'dateTime',
		required: true,
		default: '',
	},
	{ displayName: 'Value Date', name: 'valueDate', type: 'dateTime', required: true, default: '' },
	remittanceInformationType,
	additionalFields,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['sandbox'], operation: ['createTransaction'] } },
	properties,
);

function isoDate(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	return new Date(
		checkDate.call(this, this.getNodeParameter(name, itemIndex), label, 'start', itemIndex),
	).toISOString();
}

/** The additional fields that are set, each checked to be text. */
function readAdditionalFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const extra = getCollection.call(this, 'additionalFields', 'Additional Fields', itemIndex);
	const fields: IDataObject = {};
	for (const field of additionalFields.options as INodeProperties[]) {
		const value = extra[field.name];
		if (value === undefined || value === '') continue;
		if (typeof value !== 'string')
			throw invalidParameter(
				this,
				itemIndex,
				`${field.displayName}: ${describeValue(value)} is not text`,
				`Enter ${field.displayName} as text.`,
			);
		fields[field.name] = value;
	}
	return fields;
}

/**
 * Adds a transaction to a sandbox bank account (docs/ponto-api.md §3, §7): the account is
 * picked as a Ponto account and its sandbox counterpart found by IBAN. The transaction shows
 * up in Ponto after the account's next transactions synchronization.
 */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const amount = this.getNodeParameter('amount', itemIndex) as unknown;
	if (
		typeof amount !== 'number' ||
		!Number.isFinite(amount) ||
		amount === 0 ||
		Math.abs(amount) > MAX_AMOUNT
	) {
		throw invalidParameter(
			this,
			itemIndex,
			`Amount: ${describeValue(amount)} is not a non-zero amount below ${MAX_AMOUNT} either way`,
			'Use a negative amount for a debit and a positive one for a credit.',
		);
	}
	const currency = getText.call(this, 'currency', 'Currency', itemIndex, true).trim().toUpperCase();
	if (!/^[A-Z]{3}$/.test(currency))
		throw invalidParameter(
			this,
			itemIndex,
			`Currency: "${currency}" is not an ISO 4217 code`,
			'Use a code such as EUR.',
		);
	const attributes: IDataObject = {
		amount,
		currency,
		description: getText.call(this, 'description', 'Description', itemIndex, true),
		executionDate: isoDate.call(this, 'executionDate', 'Execution Date', itemIndex),
		valueDate: isoDate.call(this, 'valueDate', 'Value Date', itemIndex),
		remittanceInformationType: getOption.call(this, remittanceInformationType, itemIndex),
		...readAdditionalFields.call(this, itemIndex),
	};

	const account = await client.getResource(`/accounts/${accountId}`, {
		itemIndex,
		resource: 'account',
	});
	// Ids from responses go into URLs: each must be a Ponto id (a UUID), never a path.
	const malformed = (problem: string) =>
		new NodeApiError(
			this.getNode(),
			{ code: 'MALFORMED_RESPONSE' },
			{ ...describeMalformed(problem), itemIndex },
		);
	const institutionId = account.relationships?.financialInstitution?.data?.id;
	if (!isPontoId(institutionId))
		throw malformed('the account names no financial institution by a Ponto id');
	const sandboxAccounts = `/sandbox/financial-institutions/${institutionId}/financial-institution-accounts`;
	let sandboxAccountId: string | undefined;
	await client.paginate(
		sandboxAccounts,
		100,
		(page) => {
			sandboxAccountId = page.find(
				(candidate) => candidate.attributes?.reference === account.attributes?.reference,
			)?.id;
			return sandboxAccountId ? 0 : 100;
		},
		{ itemIndex, resource: 'sandbox financial institution' },
	);
	if (sandboxAccountId !== undefined && !isPontoId(sandboxAccountId))
		throw malformed('the sandbox account has no Ponto id');
	if (!sandboxAccountId) {
		throw new NodeOperationError(this.getNode(), 'This account has no sandbox counterpart', {
			itemIndex,
			description:
				'Sandbox transactions exist only for accounts of a sandbox bank, in a sandbox app. Pick an account linked through the Ponto sandbox.',
		});
	}
	const document = await client.post(
		`${sandboxAccounts}/${sandboxAccountId}/financial-institution-transactions`,
		{ data: { type: 'financialInstitutionTransaction', attributes } },
		{ itemIndex, resource: 'sandbox account' },
	);
	const created =
		document.data && !Array.isArray(document.data) ? flattenResource(document.data) : {};
	return [{ ...created, accountId, financialInstitutionAccountId: sandboxAccountId }];
}
