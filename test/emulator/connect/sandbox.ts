// Sandbox financial-institution accounts and transactions (docs/ponto-api.md §3, §4.10, §7).
// Every organization account has a sandbox FI account (own id, reference = the account IBAN) at
// its institution. A created sandbox transaction reaches the organization account as a booked
// transaction at its next successful accountTransactions(WithUnsettled) synchronization
// (bankQueue); until then it is only listed here. The list holds only transactions created
// through this API (the generated history is not mirrored), newest first.
import { createHash } from 'node:crypto';
import type { ApiResponse } from '../http';
import type { Random } from '../prng';
import { notFound, pagedList, parseDocument, validationError } from '../resources';
import type { RequestContext } from '../router';
import type { AccountRecord, Dataset, TransactionAttributes } from '../types';

export interface FiTransaction {
	id: string;
	fiAccountId: string;
	attributes: Record<string, unknown>;
}

const REQUIRED_TEXT = [
	'valueDate',
	'executionDate',
	'currency',
	'description',
	'remittanceInformationType',
] as const;
const OPTIONAL_TEXT = [
	'counterpartName',
	'counterpartReference',
	'remittanceInformation',
	'endToEndId',
	'purposeCode',
	'mandateId',
	'creditorId',
	'additionalInformation',
	'proprietaryBankTransactionCode',
	'bankTransactionCode',
	'cardReference',
	'cardReferenceType',
] as const;
/** Attributes PATCH may change (docs/ponto-api.md §3). */
const PATCHABLE = [
	'counterpartName',
	'description',
	'remittanceInformation',
	'endToEndId',
	'purposeCode',
	'mandateId',
	'creditorId',
	'additionalInformation',
	'proprietaryBankTransactionCode',
	'bankTransactionCode',
];

/** A stable UUID-shaped id derived from the account id. */
function derivedId(accountId: string): string {
	const h = createHash('sha256').update(`sandbox-fi-account:${accountId}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class SandboxStore {
	private readonly transactions = new Map<string, FiTransaction[]>();

	constructor(
		private readonly dataset: () => Dataset,
		private readonly rng: Random,
	) {}

	fiAccountId(accountId: string): string {
		return derivedId(accountId);
	}

	accountsOf(fiId: string): AccountRecord[] {
		return this.dataset().accounts.filter((a) => a.financialInstitutionId === fiId);
	}

	account(fiId: string, fiAccountId: string): AccountRecord | undefined {
		return this.accountsOf(fiId).find((a) => derivedId(a.id) === fiAccountId);
	}

	list(fiAccountId: string): FiTransaction[] {
		let list = this.transactions.get(fiAccountId);
		if (!list) this.transactions.set(fiAccountId, (list = []));
		return list;
	}

	newId(): string {
		return this.rng.uuid();
	}
}

function serializeFiAccount(ctx: RequestContext, fiId: string, account: AccountRecord): object {
	const a = account.attributes;
	const id = derivedId(account.id);
	const self = `${ctx.base}/sandbox/financial-institutions/${fiId}/financial-institution-accounts/${id}`;
	return {
		type: 'financialInstitutionAccount',
		id,
		attributes: {
			availableBalance: a.availableBalance,
			availableBalanceChangedAt: a.availableBalanceChangedAt,
			availableBalanceReferenceDate: a.availableBalanceReferenceDate,
			currency: a.currency,
			currentBalance: a.currentBalance,
			currentBalanceChangedAt: a.currentBalanceChangedAt,
			currentBalanceReferenceDate: a.currentBalanceReferenceDate,
			description: a.description,
			holderName: a.holderName,
			product: a.product,
			reference: a.reference,
			referenceType: a.referenceType,
			subtype: a.subtype,
		},
		relationships: {
			financialInstitution: {
				data: { type: 'financialInstitution', id: fiId },
				links: { related: `${ctx.base}/financial-institutions/${fiId}` },
			},
			financialInstitutionTransactions: {
				links: {
					related: `${self}/financial-institution-transactions`,
					meta: { type: 'financialInstitutionTransaction' },
				},
			},
		},
	};
}

function serializeFiTransaction(fiId: string, tx: FiTransaction): object {
	return {
		type: 'financialInstitutionTransaction',
		id: tx.id,
		attributes: { ...tx.attributes },
		relationships: {
			financialInstitutionAccount: {
				data: { type: 'financialInstitutionAccount', id: tx.fiAccountId },
			},
		},
		meta: { financialInstitutionId: fiId },
	};
}

function sandboxOf(ctx: RequestContext): SandboxStore {
	const connect = ctx.state.connect;
	if (!connect) throw new Error('sandbox routes need the Connect flavour');
	return connect.sandbox;
}

function institutionKnown(ctx: RequestContext): boolean {
	return ctx.state.dataset.financialInstitutions.some((f) => f.id === ctx.params.fiId);
}

export function listFiAccounts(ctx: RequestContext): ApiResponse {
	if (!institutionKnown(ctx)) return notFound(ctx, 'financialInstitution');
	return pagedList(ctx, sandboxOf(ctx).accountsOf(ctx.params.fiId), (a) =>
		serializeFiAccount(ctx, ctx.params.fiId, a),
	);
}

function withAccount(
	handler: (ctx: RequestContext, account: AccountRecord, store: SandboxStore) => ApiResponse,
) {
	return (ctx: RequestContext): ApiResponse => {
		if (!institutionKnown(ctx)) return notFound(ctx, 'financialInstitution');
		const store = sandboxOf(ctx);
		const account = store.account(ctx.params.fiId, ctx.params.fiAccountId);
		return account ? handler(ctx, account, store) : notFound(ctx, 'financialInstitutionAccount');
	};
}

export const getFiAccount = withAccount((ctx, account) => ({
	status: 200,
	body: { data: serializeFiAccount(ctx, ctx.params.fiId, account) },
}));

export const listFiTransactions = withAccount((ctx, _account, store) =>
	pagedList(ctx, store.list(ctx.params.fiAccountId), (t) =>
		serializeFiTransaction(ctx.params.fiId, t),
	),
);

export const getFiTransaction = withAccount((ctx, _account, store) => {
	const tx = store.list(ctx.params.fiAccountId).find((t) => t.id === ctx.params.id);
	return tx
		? { status: 200, body: { data: serializeFiTransaction(ctx.params.fiId, tx) } }
		: notFound(ctx, 'financialInstitutionTransaction');
});

function validate(
	ctx: RequestContext,
	attrs: Record<string, unknown>,
	names: readonly string[],
): ApiResponse | null {
	for (const name of names) {
		const value = attrs[name];
		if (value !== undefined && value !== null && typeof value !== 'string')
			return validationError(ctx, name, `${name} must be a string.`);
	}
	return null;
}

export const createFiTransaction = withAccount((ctx, account, store) => {
	const parsed = parseDocument(ctx, 'financialInstitutionTransaction');
	if (!parsed.ok) return parsed.response;
	const a = parsed.attributes;
	for (const name of [...REQUIRED_TEXT, 'amount']) {
		if (a[name] === undefined || a[name] === null || a[name] === '')
			return validationError(ctx, name, `${name} is required.`);
	}
	const invalid = validate(ctx, a, [...REQUIRED_TEXT, ...OPTIONAL_TEXT]);
	if (invalid) return invalid;
	const amount = typeof a.amount === 'string' ? Number(a.amount) : a.amount;
	if (
		typeof amount !== 'number' ||
		!Number.isFinite(amount) ||
		Math.round(amount * 100) / 100 !== amount
	)
		return validationError(ctx, 'amount', 'amount must be a number with at most 2 decimals.');
	for (const name of ['valueDate', 'executionDate']) {
		if (Number.isNaN(Date.parse(a[name] as string)))
			return validationError(ctx, name, `${name} must be an ISO 8601 date or date-time.`);
	}
	if (!/^[A-Z]{3}$/.test(a.currency as string))
		return validationError(ctx, 'currency', 'currency must be an ISO 4217 code.');
	if (
		a.remittanceInformationType !== 'structured' &&
		a.remittanceInformationType !== 'unstructured'
	)
		return validationError(
			ctx,
			'remittanceInformationType',
			'remittanceInformationType must be structured or unstructured.',
		);
	if (
		a.cardReferenceType !== undefined &&
		a.cardReferenceType !== null &&
		a.cardReferenceType !== 'PAN' &&
		a.cardReferenceType !== 'MASKEDPAN'
	)
		return validationError(ctx, 'cardReferenceType', 'cardReferenceType must be PAN or MASKEDPAN.');
	if (
		a.fee !== undefined &&
		a.fee !== null &&
		(typeof a.fee !== 'number' || !Number.isFinite(a.fee))
	)
		return validationError(ctx, 'fee', 'fee must be a number.');
	const iso = new Date(ctx.nowMs).toISOString();
	const attributes: Record<string, unknown> = {};
	for (const name of [...REQUIRED_TEXT, ...OPTIONAL_TEXT])
		if (a[name] !== undefined) attributes[name] = a[name];
	Object.assign(attributes, {
		amount,
		...(a.fee !== undefined && a.fee !== null ? { fee: a.fee } : {}),
		createdAt: iso,
		updatedAt: iso,
	});
	const tx: FiTransaction = { id: store.newId(), fiAccountId: ctx.params.fiAccountId, attributes };
	store.list(ctx.params.fiAccountId).unshift(tx);
	const text = (name: string): string | null =>
		typeof a[name] === 'string' ? (a[name] as string) : null;
	const booked: Partial<TransactionAttributes> = {
		amount,
		currency: a.currency as string,
		valueDate: a.valueDate as string,
		executionDate: a.executionDate as string,
		description: a.description as string,
		remittanceInformation: text('remittanceInformation') ?? '',
		remittanceInformationType: a.remittanceInformationType as 'structured' | 'unstructured',
		counterpartName: text('counterpartName'),
		counterpartReference: text('counterpartReference'),
		endToEndId: text('endToEndId'),
		purposeCode: text('purposeCode'),
		mandateId: text('mandateId'),
		creditorId: text('creditorId'),
		additionalInformation: text('additionalInformation'),
		bankTransactionCode: text('bankTransactionCode'),
		proprietaryBankTransactionCode: text('proprietaryBankTransactionCode'),
		cardReference: text('cardReference'),
		cardReferenceType: text('cardReferenceType') as TransactionAttributes['cardReferenceType'],
		...(typeof a.fee === 'number' ? { fee: a.fee } : {}),
	};
	account.bankQueue.transactions.push(booked);
	return { status: 201, body: { data: serializeFiTransaction(ctx.params.fiId, tx) } };
});

/** PATCH: only the attributes of docs/ponto-api.md §3 (counterpartName only while it is blank). */
export const updateFiTransaction = withAccount((ctx, _account, store) => {
	const tx = store.list(ctx.params.fiAccountId).find((t) => t.id === ctx.params.id);
	if (!tx) return notFound(ctx, 'financialInstitutionTransaction');
	const parsed = parseDocument(ctx, 'financialInstitutionTransaction');
	if (!parsed.ok) return parsed.response;
	const invalid = validate(ctx, parsed.attributes, PATCHABLE);
	if (invalid) return invalid;
	for (const [name, value] of Object.entries(parsed.attributes)) {
		if (!PATCHABLE.includes(name)) return validationError(ctx, name, `${name} cannot be updated.`);
		if (name === 'counterpartName' && tx.attributes.counterpartName)
			return validationError(ctx, name, 'counterpartName can only be set while it is blank.');
		tx.attributes[name] = value;
	}
	tx.attributes.updatedAt = new Date(ctx.nowMs).toISOString();
	return { status: 200, body: { data: serializeFiTransaction(ctx.params.fiId, tx) } };
});
