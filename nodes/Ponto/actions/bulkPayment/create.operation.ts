import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkSepaText, MAX_BULK_REFERENCE } from '../../helpers/payments';
import { describeValue } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import { checkWholeNumber, getOption, getPontoId, invalidParameter } from '../parameters';
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
} from '../payment/transfer';

const instructionsLimitProperty: INodeProperties = {
	displayName: 'Most Payments per Bulk Payment',
	name: 'instructionsLimit',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10000 },
	default: 500,
	description:
		"The bank's limit on payments in one bulk payment (Ponto Connect does not publish it; ask the bank)",
};

const whenOverLimitProperty: INodeProperties = {
	displayName: 'When Over the Limit',
	name: 'whenOverLimit',
	type: 'options',
	options: [
		{
			name: 'Refuse',
			value: 'refuse',
			description: 'Send nothing and say how many payments there are',
		},
		{
			name: 'Split',
			value: 'split',
			description: 'Several bulk payments, each signed on its own; references end with 1/N, 2/N, …',
		},
	],
	default: 'refuse',
};

const properties: INodeProperties[] = [
	{
		...accountLocator,
		description:
			'The account the money leaves from (shared with this integration, payments activated)',
	},
	{
		displayName:
			'Every input item becomes one payment of a single bulk payment: map the fields below with expressions such as {{ $json.iban }}',
		name: 'bulkNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Supplier bills 2026-03',
		description: `Your name for the bulk payment, shown to the signer: at most ${MAX_BULK_REFERENCE} characters of the SEPA character set`,
	},
	...transferProperties(),
	executionDateProperty,
	{
		displayName: 'Batch Booking Preferred',
		name: 'batchBookingPreferred',
		type: 'boolean',
		default: false,
		description:
			'Whether the bank should book the payments as one debit on the statement (a preference; the bank decides)',
	},
	redirectUriProperty('bulk payment'),
	maxAmountProperty,
	instructionsLimitProperty,
	whenOverLimitProperty,
	idempotencyKeyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['bulkPayment'], operation: ['create'] } },
	properties,
);

/** Splits n payments into groups of at most `limit`, as evenly as the limit allows. */
export function chunk<T>(list: T[], limit: number): T[][] {
	const groups: T[][] = [];
	for (let start = 0; start < list.length; start += limit)
		groups.push(list.slice(start, start + limit));
	return groups;
}

/** "Supplier bills 2/3": the reference, shortened at a word boundary if need be, so the suffix fits the length limit. */
export function partReference(reference: string, part: number, parts: number): string {
	if (parts === 1) return reference;
	const suffix = ` ${part}/${parts}`;
	const room = MAX_BULK_REFERENCE - suffix.length;
	let base = reference.slice(0, room);
	// Cut at a word boundary rather than leave a fragment ("quarter of 2" of "quarter of 2026").
	if (reference.length > room && reference[room] !== ' ' && base.includes(' '))
		base = base.slice(0, base.lastIndexOf(' '));
	return `${base.trimEnd()}${suffix}`;
}

/**
 * One bulk payment from ALL input items (POST /accounts/{id}/bulk-payments, docs/ponto-api.md
 * §3, §4.9): each item is one payment, every one validated before anything is sent. Node-level
 * fields (account, reference, date, limits) come from the first item. Over the bank's limit the
 * node refuses or splits, as chosen. Each bulk payment has its own content-derived idempotency
 * key. Output: one item per bulk payment, paired with the input items it pays.
 */
export async function executeAll(
	this: IExecuteFunctions,
	client: PontoClient,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const accountId = getPontoId.call(this, 'accountId', 'Account', 0);
	const referenceValue = this.getNodeParameter('reference', 0, '') as unknown;
	const referenceCheck = checkSepaText(referenceValue, {
		maxLength: MAX_BULK_REFERENCE,
		required: true,
	});
	if (!referenceCheck.ok) {
		throw invalidParameter(
			this,
			0,
			`Reference: ${describeValue(referenceValue)} ${referenceCheck.problem}`,
			"Use letters without accents, digits, spaces and / - ? : ( ) . , ' + only.",
		);
	}
	const batchBookingPreferred = this.getNodeParameter('batchBookingPreferred', 0, false) as unknown;
	if (typeof batchBookingPreferred !== 'boolean') {
		throw invalidParameter(
			this,
			0,
			`Batch Booking Preferred: ${describeValue(batchBookingPreferred)} is not true or false`,
			'Use true or false.',
		);
	}
	const limit = checkWholeNumber.call(
		this,
		instructionsLimitProperty,
		this.getNodeParameter('instructionsLimit', 0, 500),
		0,
	);
	const whenOverLimit = getOption.call(this, whenOverLimitProperty, 0);
	const requestedExecutionDate = readExecutionDate.call(this, 0, Date.now());
	const redirectUri = readRedirectUri.call(this, 0);
	const userKey = readIdempotencyKey.call(this, 0);
	const maxAmount = readMaximum.call(this, 0);

	const payments = items.map((_item, itemIndex) => readTransfer.call(this, itemIndex, maxAmount));
	if (payments.length > limit && whenOverLimit === 'refuse') {
		throw invalidParameter(
			this,
			0,
			`${payments.length} payments are more than the ${limit} one bulk payment may hold (Most Payments per Bulk Payment)`,
			'Set When Over the Limit to Split to send several bulk payments (each signed on its own), raise the limit if the bank allows more, or send fewer items.',
		);
	}
	const groups = chunk(
		payments.map((payment, itemIndex) => ({ payment, itemIndex })),
		limit,
	);
	const results: INodeExecutionData[] = [];
	for (const [index, group] of groups.entries()) {
		const attributes: IDataObject = {
			reference: partReference(referenceCheck.value, index + 1, groups.length),
			batchBookingPreferred,
			payments: group.map(({ payment }) => payment),
		};
		if (requestedExecutionDate) attributes.requestedExecutionDate = requestedExecutionDate;
		if (redirectUri) attributes.redirectUri = redirectUri;
		const body = { data: { type: 'bulkPayment', attributes } };
		const { record: bulk, idempotencyKey } = await createIdempotently(client, {
			kind: 'bulkPayment',
			accountId,
			path: 'bulk-payments',
			body,
			userKey,
			itemIndex: group[0].itemIndex,
		});
		const total = group.reduce(
			(sum, { payment }) => sum + Math.round((payment.amount as number) * 100),
			0,
		);
		results.push({
			json: {
				...bulk,
				accountId,
				signingUrl: bulk.redirectUrl ?? null,
				paymentCount: group.length,
				totalAmount: total / 100,
				part: index + 1,
				parts: groups.length,
				idempotencyKey,
				nextStep: SIGNING_STEP,
			},
			pairedItem: group.map(({ itemIndex }) => ({ item: itemIndex })),
		});
	}
	return results;
}
