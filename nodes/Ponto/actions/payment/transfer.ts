import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	checkAmount,
	checkBic,
	checkExecutionDate,
	checkIban,
	checkMaximum,
	checkSepaText,
	checkStructuredReference,
	MAX_CREDITOR_NAME,
	MAX_END_TO_END_ID,
	MAX_REMITTANCE,
	paymentIdempotencyKey,
	todayInBrussels,
} from '../../helpers/payments';
import type { Amount, Checked } from '../../helpers/payments';
import { flattenResource } from '../../helpers/flatten';
import { describeValue } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { getOption, invalidParameter } from '../parameters';

/**
 * The fields of one SEPA credit transfer (docs/ponto-api.md §4.9), shared by Payment Create and
 * Bulk Payment Create (where they are read once per input item, usually as expressions), and
 * their validation: nothing reaches Ponto unless every field passed.
 */
export const remittanceTypeProperty: INodeProperties = {
	displayName: 'Remittance Type',
	name: 'remittanceType',
	type: 'options',
	options: [
		{
			name: 'Unstructured (Free Text)',
			value: 'unstructured',
			description: 'Up to 140 characters of the SEPA character set',
		},
		{
			name: 'Structured (Belgian +++…+++ or RF Reference)',
			value: 'structured',
			description:
				'A Belgian structured communication or an ISO 11649 creditor reference, checked digit by digit',
		},
		{ name: 'None', value: 'none' },
	],
	default: 'unstructured',
	description: 'How the creditor recognizes the payment',
};

/** How the payer or creditor recognizes the payment, and your own reference: payments and payment requests. */
export const remittanceProperties: INodeProperties[] = [
	remittanceTypeProperty,
	{
		displayName: 'Remittance Information',
		name: 'remittanceInformation',
		type: 'string',
		default: '',
		displayOptions: { show: { remittanceType: ['unstructured'] } },
		description: `Free text for the creditor, at most ${MAX_REMITTANCE} characters of the SEPA character set`,
	},
	{
		displayName: 'Structured Reference',
		name: 'structuredReference',
		type: 'string',
		default: '',
		placeholder: 'e.g. +++090/9337/55493+++ or RF18 5390 0754 7034',
		displayOptions: { show: { remittanceType: ['structured'] } },
		description:
			'A Belgian structured communication (12 digits) or an ISO 11649 reference (RF…), as printed on the bill',
	},
	{
		displayName: 'End-to-End ID',
		name: 'endToEndId',
		type: 'string',
		default: '',
		description: `Your reference for this payment (e.g. the bill number), carried to the creditor and back on the booked transaction: at most ${MAX_END_TO_END_ID} characters, no spaces. Part of the idempotency key: the same payment with the same End-to-End ID is sent once.`,
	},
];

export function transferProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Amount',
			name: 'amount',
			type: 'number',
			typeOptions: { minValue: 0.01, maxValue: 999999999.99, numberPrecision: 2 },
			required: true,
			default: 0,
			description: 'In euros, greater than 0, at most two decimals (e.g. 12.50)',
		},
		{
			displayName: 'Creditor Name',
			name: 'creditorName',
			type: 'string',
			required: true,
			default: '',
			description: `Who is paid, at most ${MAX_CREDITOR_NAME} characters of the SEPA character set (letters without accents, digits, spaces and a few signs such as / - ? : ( ) , ' +)`,
		},
		{
			displayName: 'Creditor IBAN',
			name: 'creditorIban',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. BE68 5390 0754 7034',
			description: 'The account paid; spaces are fine, the check digits are verified',
		},
		{
			displayName: 'Creditor BIC',
			name: 'creditorBic',
			type: 'string',
			default: '',
			placeholder: 'e.g. GEBABEBB',
			description: "The creditor bank's BIC (8 or 11 characters). Optional for SEPA transfers.",
		},
		...remittanceProperties,
	];
}

export const maxAmountProperty: INodeProperties = {
	displayName: 'Maximum Amount per Payment',
	name: 'maxAmount',
	type: 'number',
	typeOptions: { minValue: 0.01, maxValue: 999999999.99, numberPrecision: 2 },
	required: true,
	default: 1000,
	description:
		'A safety limit in euros: a payment above it is refused before anything is sent to Ponto',
};

export const executionDateProperty: INodeProperties = {
	displayName: 'Requested Execution Date',
	name: 'requestedExecutionDate',
	type: 'dateTime',
	default: '',
	description:
		'Leave empty to pay as soon as signed. Only if the bank allows future-dated payments (Financial Institution > futureDatedPaymentsAllowed); not simulated in the Ponto sandbox.',
};

export const redirectUriProperty = (what: string): INodeProperties => ({
	displayName: 'Redirect URI',
	name: 'redirectUri',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://example.com/payment-signed',
	description: `Where Ponto sends the signer once the ${what} is signed (optional)`,
});

export const idempotencyKeyProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			description:
				'Your own identity for this payment (e.g. the bill ID), mixed into the key Ponto deduplicates on. Without it the key comes from the payment content alone.',
		},
	],
};

function fail(
	context: IExecuteFunctions,
	itemIndex: number,
	label: string,
	value: unknown,
	problem: string,
	hint: string,
): never {
	throw invalidParameter(context, itemIndex, `${label}: ${describeValue(value)} ${problem}`, hint);
}

function must<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	label: string,
	value: unknown,
	checked: Checked<T>,
	hint: string,
): T {
	if (!checked.ok) fail(context, itemIndex, label, value, checked.problem, hint);
	return checked.value;
}

/** The Maximum Amount per Payment, checked. */
export function readMaximum(this: IExecuteFunctions, itemIndex: number): number {
	const value = this.getNodeParameter('maxAmount', itemIndex, 1000) as unknown;
	return must(
		this,
		itemIndex,
		'Maximum Amount per Payment',
		value,
		checkMaximum(value),
		'Set the largest amount one payment may have, in euros.',
	);
}

const SEPA_HINT = "Use letters without accents, digits, spaces and / - ? : ( ) . , ' + only.";

/** The Amount, checked against `maxAmount`. */
export function readAmount(this: IExecuteFunctions, itemIndex: number, maxAmount: number): Amount {
	const value = this.getNodeParameter('amount', itemIndex, 0) as unknown;
	return must(
		this,
		itemIndex,
		'Amount',
		value,
		checkAmount(value, maxAmount),
		'Use an amount in euros such as 12.50.',
	);
}

/** One credit transfer's attributes as Ponto expects them, every field validated. */
export function readTransfer(
	this: IExecuteFunctions,
	itemIndex: number,
	maxAmount: number,
): IDataObject {
	const amount = readAmount.call(this, itemIndex, maxAmount);
	const nameValue = this.getNodeParameter('creditorName', itemIndex, '') as unknown;
	if (typeof nameValue !== 'string')
		fail(
			this,
			itemIndex,
			'Creditor Name',
			nameValue,
			'is not text',
			'Map the name of the creditor, e.g. {{ $json.supplier }}.',
		);
	const creditorName = must(
		this,
		itemIndex,
		'Creditor Name',
		nameValue,
		checkSepaText(nameValue, { maxLength: MAX_CREDITOR_NAME, required: true }),
		SEPA_HINT,
	);
	const ibanValue = this.getNodeParameter('creditorIban', itemIndex, '') as unknown;
	const iban = must(
		this,
		itemIndex,
		'Creditor IBAN',
		ibanValue,
		checkIban(ibanValue),
		'Copy the IBAN from the bill again; spaces are fine.',
	);
	const attributes: IDataObject = {
		amount: amount.value,
		currency: 'EUR',
		creditorName,
		creditorAccountReference: iban,
		creditorAccountReferenceType: 'IBAN',
	};
	const bicValue = this.getNodeParameter('creditorBic', itemIndex, '') as unknown;
	if (!(typeof bicValue === 'string' && bicValue.trim() === '')) {
		attributes.creditorAgent = must(
			this,
			itemIndex,
			'Creditor BIC',
			bicValue,
			checkBic(bicValue),
			'Use the 8 or 11 character BIC of the creditor bank, or leave it empty.',
		);
		attributes.creditorAgentType = 'BIC';
	}
	Object.assign(attributes, readRemittance.call(this, itemIndex));
	return attributes;
}

/** Remittance information (free text or a structured reference) and the end-to-end ID, validated. */
export function readRemittance(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const attributes: IDataObject = {};
	const remittanceType = getOption.call(this, remittanceTypeProperty, itemIndex);
	if (remittanceType === 'unstructured') {
		const value = this.getNodeParameter('remittanceInformation', itemIndex, '') as unknown;
		const text = must(
			this,
			itemIndex,
			'Remittance Information',
			value,
			checkSepaText(value, { maxLength: MAX_REMITTANCE, required: false }),
			SEPA_HINT,
		);
		if (text)
			Object.assign(attributes, {
				remittanceInformation: text,
				remittanceInformationType: 'unstructured',
			});
	} else if (remittanceType === 'structured') {
		const value = this.getNodeParameter('structuredReference', itemIndex, '') as unknown;
		const reference = must(
			this,
			itemIndex,
			'Structured Reference',
			value,
			checkStructuredReference(value),
			'Copy the reference from the bill again: +++123/4567/89002+++ (Belgian) or RF18 5390 0754 7034 (ISO 11649).',
		);
		// [infer] Ponto's structured remittance takes the reference without its +++ / spaces.
		Object.assign(attributes, {
			remittanceInformation: reference.value,
			remittanceInformationType: 'structured',
		});
	}
	const endToEndValue = this.getNodeParameter('endToEndId', itemIndex, '') as unknown;
	const endToEndId = must(
		this,
		itemIndex,
		'End-to-End ID',
		endToEndValue,
		checkSepaText(endToEndValue, {
			maxLength: MAX_END_TO_END_ID,
			required: false,
			identifier: true,
		}),
		`At most ${MAX_END_TO_END_ID} characters, no spaces, no leading or trailing "/". ${SEPA_HINT}`,
	);
	if (endToEndId) attributes.endToEndId = endToEndId;
	return attributes;
}

/** The Requested Execution Date as YYYY-MM-DD, or undefined when empty. */
export function readExecutionDate(
	this: IExecuteFunctions,
	itemIndex: number,
	nowMs: number,
): string | undefined {
	const value = this.getNodeParameter('requestedExecutionDate', itemIndex, '') as unknown;
	if (value === '' || value === null || value === undefined) return undefined;
	return must(
		this,
		itemIndex,
		'Requested Execution Date',
		value,
		checkExecutionDate(value, todayInBrussels(nowMs)),
		'Use a date from today on, such as 2026-01-31, or leave it empty to pay once signed.',
	);
}

/** The Redirect URI, or undefined when empty. */
export function readRedirectUri(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const value = this.getNodeParameter('redirectUri', itemIndex, '') as unknown;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	if (typeof value !== 'string' || !/^https?:\/\/\S+$/i.test(value.trim())) {
		fail(
			this,
			itemIndex,
			'Redirect URI',
			value,
			'is not a web address',
			'Enter an address starting with https://, or leave it empty.',
		);
	}
	return value.trim();
}

/** The user's idempotency key option ('' when not set). */
export function readIdempotencyKey(this: IExecuteFunctions, itemIndex: number): string {
	const options = this.getNodeParameter('options', itemIndex, {}) as unknown;
	if (options === null || typeof options !== 'object' || Array.isArray(options))
		fail(this, itemIndex, 'Options', options, 'is not a set of fields', 'Set Options in the node.');
	const key = (options as IDataObject).idempotencyKey;
	if (key === undefined || key === '') return '';
	if (typeof key !== 'string' && typeof key !== 'number')
		fail(this, itemIndex, 'Idempotency Key', key, 'is not text', 'Use text such as the bill ID.');
	return String(key).trim();
}

/** What the user does with the signing link. */
export const SIGNING_STEP =
	'Open signingUrl (or send it to the person who signs payments in Ponto). Nothing leaves the account until it is signed there. Check the status with Get.';

/**
 * POSTs a payment, bulk payment or payment request with the idempotency key derived from its
 * content (and the user's key): a retry or rerun of the same content is a replay at Ponto, never
 * a second payment. Returns the created record, flattened, and the key.
 */
export async function createIdempotently(
	client: PontoClient,
	request: {
		kind: 'payment' | 'bulkPayment' | 'paymentRequest';
		accountId: string;
		path: string;
		body: IDataObject;
		userKey: string;
		itemIndex: number;
	},
): Promise<{ record: IDataObject; idempotencyKey: string }> {
	const idempotencyKey = paymentIdempotencyKey(
		request.kind,
		request.accountId,
		request.body,
		request.userKey,
	);
	const document = await client.post(
		`/accounts/${request.accountId}/${request.path}`,
		request.body,
		{
			itemIndex: request.itemIndex,
			resource: 'account',
			refusal: 'payment',
			idempotencyKey,
		},
	);
	return {
		record: flattenResource(client.resourceOf(document, request.itemIndex)),
		idempotencyKey,
	};
}
