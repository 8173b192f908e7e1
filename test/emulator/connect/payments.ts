// Payments of Ponto Connect (docs/ponto-api.md §3, §4.9): payments, bulk payments and payment
// requests under /accounts/{id}, the two activation requests, and the signing pages on the
// authorization host. Validation follows §4.9 (required attributes, EUR only, IBAN reference
// type, the SEPA character set, 60/140 characters, requestedExecutionDate only where the
// institution allows future-dated payments).
//
// [infer] Status vocabularies are not documented (research open question 6). The emulator uses:
//   payment:        pending (fixture payment-create.json) -> accepted (signed; executed) | rejected
//   bulk payment:   unsigned (research §4.9) -> accepted | rejected
//   payment request: unsigned -> signed (signedAt) -> closed (closedAt, webhook paymentRequest.closed)
// A signed payment is executed at once: its debit (one per bulk item) reaches the account as a
// booked transaction at the next transactions synchronization, as sandbox transactions do.
// [infer] Refusals without a documented code: paymentsNotActivated (403) when the organization
// has not activated payments, paymentScopeMissing (403) without the pi scope, and
// validationError (400) on the attributes. DELETE is allowed only before signing (400 after).
import type { ApiResponse } from '../http';
import { apiError } from '../http';
import { notFound, parseDocument, validationError } from '../resources';
import type { RequestContext } from '../router';
import type { EmulatorState } from '../state';
import type { AccountRecord } from '../types';
import type { ConnectState } from './state';

export type PaymentKind = 'payment' | 'bulkPayment' | 'paymentRequest';

export interface PaymentRecord {
	kind: PaymentKind;
	id: string;
	accountId: string;
	attributes: Record<string, unknown>;
	/** Bulk payments: the payments, as sent. */
	payments?: Array<Record<string, unknown>>;
	redirectUri?: string;
}

export interface PaymentOptions {
	/** Payment and bulk-payment requests must carry a valid HTTP signature (live Ponto, research §2.2). */
	requireSignature?: boolean;
	/** [infer] Most payments one bulk payment may hold (XS2A's bulkPaymentInstructionsLimit). Default 500. */
	bulkInstructionsLimit?: number;
}

export class PaymentStore {
	readonly records = new Map<string, PaymentRecord>();
	/** Activation requests, by kind: the redirect URIs Ponto was given. */
	readonly activationRequests: Array<{
		kind: 'payment' | 'paymentRequest';
		id: string;
		redirectUri: string;
	}> = [];

	find(kind: PaymentKind, accountId: string, id: string): PaymentRecord | undefined {
		const found = this.records.get(id);
		return found && found.kind === kind && found.accountId === accountId ? found : undefined;
	}
}

const SEPA_TEXT = /^[A-Za-z0-9/\-?:().,'+ ]*$/;
const PATHS: Record<PaymentKind, string> = {
	payment: 'payments',
	bulkPayment: 'bulk-payments',
	paymentRequest: 'payment-requests',
};

function connectOf(ctx: RequestContext): ConnectState {
	if (!ctx.state.connect) throw new Error('payment routes need the Connect flavour');
	return ctx.state.connect;
}

type Attributes = Record<string, unknown>;
function validIban(text: string): boolean {
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(text)) return false;
	let remainder = 0;
	for (const char of text.slice(4) + text.slice(0, 4))
		remainder = Number(`${remainder}${parseInt(char, 36)}`) % 97;
	return remainder === 1;
}

/** The checks of one credit transfer (a payment, or an item of a bulk payment); prefix names the attribute. */
function transferProblem(ctx: RequestContext, a: Attributes, prefix = ''): ApiResponse | null {
	const fail = (name: string, detail: string) => validationError(ctx, `${prefix}${name}`, detail);
	for (const name of [
		'amount',
		'currency',
		'creditorName',
		'creditorAccountReference',
		'creditorAccountReferenceType',
	]) {
		if (a[name] === undefined || a[name] === null || a[name] === '')
			return fail(name, `${name} is required.`);
	}
	if (
		typeof a.amount !== 'number' ||
		!Number.isFinite(a.amount) ||
		a.amount <= 0 ||
		Math.round(a.amount * 100) / 100 !== a.amount
	) {
		return fail('amount', 'amount must be a positive number with at most 2 decimals.');
	}
	if (a.currency !== 'EUR') return fail('currency', 'currency must be EUR.');
	if (a.creditorAccountReferenceType !== 'IBAN')
		return fail('creditorAccountReferenceType', 'creditorAccountReferenceType must be IBAN.');
	if (typeof a.creditorAccountReference !== 'string' || !validIban(a.creditorAccountReference))
		return fail('creditorAccountReference', 'creditorAccountReference must be a valid IBAN.');
	if (
		typeof a.creditorName !== 'string' ||
		a.creditorName.length > 60 ||
		!SEPA_TEXT.test(a.creditorName)
	) {
		return fail(
			'creditorName',
			'creditorName must be at most 60 characters from the SEPA character set.',
		);
	}
	if (a.creditorAgent !== undefined && a.creditorAgent !== null) {
		if (
			typeof a.creditorAgent !== 'string' ||
			!/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(a.creditorAgent)
		)
			return fail('creditorAgent', 'creditorAgent must be a BIC.');
		if (a.creditorAgentType !== 'BIC')
			return fail('creditorAgentType', 'creditorAgentType must be BIC.');
	}
	return remittanceProblem(ctx, a, prefix) ?? endToEndProblem(ctx, a, prefix);
}

function remittanceProblem(ctx: RequestContext, a: Attributes, prefix = ''): ApiResponse | null {
	if (a.remittanceInformation === undefined || a.remittanceInformation === null) return null;
	const text = a.remittanceInformation;
	if (typeof text !== 'string' || text.length > 140 || !SEPA_TEXT.test(text)) {
		return validationError(
			ctx,
			`${prefix}remittanceInformation`,
			'remittanceInformation must be at most 140 characters from the SEPA character set.',
		);
	}
	if (
		a.remittanceInformationType !== 'structured' &&
		a.remittanceInformationType !== 'unstructured'
	) {
		return validationError(
			ctx,
			`${prefix}remittanceInformationType`,
			'remittanceInformationType must be structured or unstructured.',
		);
	}
	return null;
}

function endToEndProblem(ctx: RequestContext, a: Attributes, prefix = ''): ApiResponse | null {
	if (a.endToEndId === undefined || a.endToEndId === null) return null;
	if (
		typeof a.endToEndId !== 'string' ||
		a.endToEndId.length > 35 ||
		!SEPA_TEXT.test(a.endToEndId)
	) {
		return validationError(
			ctx,
			`${prefix}endToEndId`,
			'endToEndId must be at most 35 characters from the SEPA character set.',
		);
	}
	return null;
}

function redirectProblem(ctx: RequestContext, a: Attributes): ApiResponse | null {
	if (a.redirectUri === undefined || a.redirectUri === null) return null;
	return typeof a.redirectUri === 'string' && URL.canParse(a.redirectUri)
		? null
		: validationError(ctx, 'redirectUri', 'redirectUri must be an absolute URI.');
}

function executionDateProblem(
	ctx: RequestContext,
	account: AccountRecord,
	a: Attributes,
): ApiResponse | null {
	if (a.requestedExecutionDate === undefined || a.requestedExecutionDate === null) return null;
	const day = a.requestedExecutionDate;
	if (
		typeof day !== 'string' ||
		!/^\d{4}-\d{2}-\d{2}$/.test(day) ||
		Number.isNaN(Date.parse(day))
	) {
		return validationError(
			ctx,
			'requestedExecutionDate',
			'requestedExecutionDate must be a date (YYYY-MM-DD).',
		);
	}
	const institution = ctx.state.dataset.financialInstitutions.find(
		(f) => f.id === account.financialInstitutionId,
	);
	if (!institution?.attributes.futureDatedPaymentsAllowed) {
		return validationError(
			ctx,
			'requestedExecutionDate',
			'This financial institution does not allow future-dated payments.',
		);
	}
	if (day < new Date(ctx.nowMs).toISOString().slice(0, 10))
		return validationError(
			ctx,
			'requestedExecutionDate',
			'requestedExecutionDate must not be in the past.',
		);
	return null;
}

/** Organization, scope, institution and signature checks every creation goes through. */
function gate(ctx: RequestContext, kind: PaymentKind, account: AccountRecord): ApiResponse | null {
	const connect = connectOf(ctx);
	const grant = ctx.token ? connect.grants.grantOfToken(ctx.token) : null;
	if (!grant?.scopes.includes('pi')) {
		return apiError(
			ctx.requestId,
			403,
			'paymentScopeMissing',
			'The access token lacks the pi (payment initiation) scope: relink the organization with payments.',
		);
	}
	const info = connect.options.userinfo;
	const activated =
		kind === 'paymentRequest' ? info.paymentRequestsActivated : info.paymentsActivated;
	if (!activated) {
		const what = kind === 'paymentRequest' ? 'Payment requests are' : 'Payments are';
		return apiError(
			ctx.requestId,
			403,
			'paymentsNotActivated',
			`${what} not activated for this organization: create an activation request.`,
		);
	}
	const institution = ctx.state.dataset.financialInstitutions.find(
		(f) => f.id === account.financialInstitutionId,
	);
	const enabled =
		kind === 'bulkPayment'
			? institution?.attributes.bulkPaymentsEnabled
			: institution?.attributes.paymentsEnabled;
	if (kind !== 'paymentRequest' && !enabled) {
		return apiError(
			ctx.requestId,
			400,
			'paymentsNotSupported',
			`The financial institution of this account does not support ${kind === 'bulkPayment' ? 'bulk payments' : 'payments'}.`,
		);
	}
	if (
		kind !== 'paymentRequest' &&
		connect.options.payments?.requireSignature &&
		ctx.entry.signature !== 'valid'
	) {
		return apiError(
			ctx.requestId,
			401,
			'invalidSignature',
			'Payment requests must be signed: Digest and Signature headers are required.',
		);
	}
	return null;
}

function signingLink(ctx: RequestContext, record: PaymentRecord): string {
	const connect = connectOf(ctx);
	return `${connect.authorizationOrigin}/organizations/${ctx.state.dataset.organizationId}/sandbox/integrations/${connect.options.integrationId}/accounts/${record.accountId}/${PATHS[record.kind]}/${record.id}`;
}

function serialize(ctx: RequestContext, record: PaymentRecord): object {
	const links: Record<string, string> = { redirect: signingLink(ctx, record) };
	const attributes = { ...record.attributes };
	if (record.kind === 'payment') attributes.amount = String(attributes.amount); // the fixture's string amount
	return {
		type: record.kind,
		id: record.id,
		attributes,
		links,
		relationships: {
			account: {
				data: { type: 'account', id: record.accountId },
				links: { related: `${ctx.base}/accounts/${record.accountId}` },
			},
		},
	};
}

function copy(a: Attributes, names: readonly string[]): Attributes {
	const out: Attributes = {};
	for (const name of names) if (a[name] !== undefined && a[name] !== null) out[name] = a[name];
	return out;
}

const TRANSFER = [
	'amount',
	'currency',
	'creditorName',
	'creditorAccountReference',
	'creditorAccountReferenceType',
	'creditorAgent',
	'creditorAgentType',
	'remittanceInformation',
	'remittanceInformationType',
	'endToEndId',
];

function withAccount(handler: (ctx: RequestContext, account: AccountRecord) => ApiResponse) {
	return (ctx: RequestContext): ApiResponse => {
		const account = ctx.state.account(ctx.params.accountId);
		return account ? handler(ctx, account) : notFound(ctx, 'account');
	};
}

export const createPayment = withAccount((ctx, account) => {
	const parsed = parseDocument(ctx, 'payment');
	if (!parsed.ok) return parsed.response;
	const a = parsed.attributes;
	const refused =
		gate(ctx, 'payment', account) ??
		transferProblem(ctx, a) ??
		executionDateProblem(ctx, account, a) ??
		redirectProblem(ctx, a);
	if (refused) return refused;
	const record: PaymentRecord = {
		kind: 'payment',
		id: ctx.state.rng.uuid(),
		accountId: account.id,
		attributes: { status: 'pending', ...copy(a, [...TRANSFER, 'requestedExecutionDate']) },
		...(typeof a.redirectUri === 'string' ? { redirectUri: a.redirectUri } : {}),
	};
	connectOf(ctx).payments.records.set(record.id, record);
	return { status: 201, body: { data: serialize(ctx, record) } };
});

export const createBulkPayment = withAccount((ctx, account) => {
	const parsed = parseDocument(ctx, 'bulkPayment');
	if (!parsed.ok) return parsed.response;
	const a = parsed.attributes;
	const gated = gate(ctx, 'bulkPayment', account);
	if (gated) return gated;
	if (typeof a.reference !== 'string' || a.reference === '')
		return validationError(ctx, 'reference', 'reference is required.');
	if (a.reference.length > 35 || !SEPA_TEXT.test(a.reference))
		return validationError(
			ctx,
			'reference',
			'reference must be at most 35 characters from the SEPA character set.',
		);
	if (a.batchBookingPreferred !== undefined && typeof a.batchBookingPreferred !== 'boolean')
		return validationError(
			ctx,
			'batchBookingPreferred',
			'batchBookingPreferred must be a boolean.',
		);
	const payments = a.payments;
	if (!Array.isArray(payments) || payments.length === 0)
		return validationError(ctx, 'payments', 'payments must hold at least one payment.');
	const limit = connectOf(ctx).options.payments?.bulkInstructionsLimit ?? 500;
	if (payments.length > limit)
		return validationError(
			ctx,
			'payments',
			`A bulk payment holds at most ${limit} payments at this financial institution.`,
		);
	for (const [index, item] of payments.entries()) {
		if (!item || typeof item !== 'object')
			return validationError(ctx, `payments[${index}]`, 'Each payment must be an object.');
		const problem = transferProblem(ctx, item as Attributes, `payments[${index}].`);
		if (problem) return problem;
	}
	const refused = executionDateProblem(ctx, account, a) ?? redirectProblem(ctx, a);
	if (refused) return refused;
	const record: PaymentRecord = {
		kind: 'bulkPayment',
		id: ctx.state.rng.uuid(),
		accountId: account.id,
		attributes: {
			status: 'unsigned',
			...copy(a, ['reference', 'requestedExecutionDate']),
			batchBookingPreferred: a.batchBookingPreferred === true,
		},
		payments: payments.map((item) => copy(item as Attributes, TRANSFER)),
		...(typeof a.redirectUri === 'string' ? { redirectUri: a.redirectUri } : {}),
	};
	connectOf(ctx).payments.records.set(record.id, record);
	return { status: 201, body: { data: serialize(ctx, record) } };
});

export const createPaymentRequest = withAccount((ctx, account) => {
	const parsed = parseDocument(ctx, 'paymentRequest');
	if (!parsed.ok) return parsed.response;
	const a = parsed.attributes;
	const gated = gate(ctx, 'paymentRequest', account);
	if (gated) return gated;
	if (
		typeof a.amount !== 'number' ||
		!Number.isFinite(a.amount) ||
		a.amount <= 0 ||
		Math.round(a.amount * 100) / 100 !== a.amount
	) {
		return validationError(
			ctx,
			'amount',
			'amount must be a positive number with at most 2 decimals.',
		);
	}
	if (a.currency !== 'EUR') return validationError(ctx, 'currency', 'currency must be EUR.');
	const refused = remittanceProblem(ctx, a) ?? endToEndProblem(ctx, a) ?? redirectProblem(ctx, a);
	if (refused) return refused;
	const id = ctx.state.rng.uuid();
	const signingUri = `${connectOf(ctx).authorizationOrigin}/pay/${id}`;
	const record: PaymentRecord = {
		kind: 'paymentRequest',
		id,
		accountId: account.id,
		attributes: {
			status: 'unsigned',
			...copy(a, [
				'amount',
				'currency',
				'remittanceInformation',
				'remittanceInformationType',
				'endToEndId',
				'redirectUri',
				'debtorAccountReference',
				'debtorAccountReferenceType',
			]),
			creditorAccountReference: account.attributes.reference,
			creditorAccountReferenceType: account.attributes.referenceType,
			signingUri,
			signedAt: null,
			closedAt: null,
		},
		...(typeof a.redirectUri === 'string' ? { redirectUri: a.redirectUri } : {}),
	};
	connectOf(ctx).payments.records.set(record.id, record);
	return { status: 201, body: { data: serialize(ctx, record) } };
});

function getOf(kind: PaymentKind) {
	return withAccount((ctx, account) => {
		const record = connectOf(ctx).payments.find(kind, account.id, ctx.params.id);
		return record ? { status: 200, body: { data: serialize(ctx, record) } } : notFound(ctx, kind);
	});
}

function deleteOf(kind: PaymentKind) {
	return withAccount((ctx, account) => {
		const store = connectOf(ctx).payments;
		const record = store.find(kind, account.id, ctx.params.id);
		if (!record) return notFound(ctx, kind);
		const open = record.attributes.status === 'pending' || record.attributes.status === 'unsigned';
		if (!open)
			return validationError(
				ctx,
				'status',
				`A ${kind} that is ${String(record.attributes.status)} can no longer be deleted.`,
			);
		store.records.delete(record.id);
		return { status: 200, body: { data: { type: kind, id: record.id } } };
	});
}

function activationRequest(kind: 'payment' | 'paymentRequest') {
	const type = kind === 'payment' ? 'paymentActivationRequest' : 'paymentRequestActivationRequest';
	return (ctx: RequestContext): ApiResponse => {
		const parsed = parseDocument(ctx, type);
		if (!parsed.ok) return parsed.response;
		const redirectUri = parsed.attributes.redirectUri;
		if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri))
			return validationError(
				ctx,
				'redirectUri',
				'redirectUri is required and must be an absolute URI.',
			);
		const connect = connectOf(ctx);
		const id = ctx.state.rng.uuid();
		connect.payments.activationRequests.push({ kind, id, redirectUri });
		if (kind === 'payment') connect.options.userinfo.paymentsActivationRequested = true;
		else connect.options.userinfo.paymentRequestsActivationRequested = true;
		const redirect = `${connect.authorizationOrigin}/organizations/${ctx.state.dataset.organizationId}/sandbox/integrations/${connect.options.integrationId}/${kind === 'payment' ? 'payment' : 'payment-request'}-activation-requests/${id}`;
		return { status: 201, body: { data: { type, id, links: { redirect } } } };
	};
}

export const PAYMENT_ROUTES = {
	createPayment,
	getPayment: getOf('payment'),
	deletePayment: deleteOf('payment'),
	createBulkPayment,
	getBulkPayment: getOf('bulkPayment'),
	deleteBulkPayment: deleteOf('bulkPayment'),
	createPaymentRequest,
	getPaymentRequest: getOf('paymentRequest'),
	deletePaymentRequest: deleteOf('paymentRequest'),
	paymentActivationRequest: activationRequest('payment'),
	paymentRequestActivationRequest: activationRequest('paymentRequest'),
};

export type SigningDecision = 'sign' | 'reject' | 'close';

/**
 * The signer's decision, as in Ponto's signing page: a payment or bulk payment is accepted
 * (executed: its debits queued at the bank) or rejected; a payment request is signed (paid by
 * the payer: the credit queued at the bank) and then closed. Returns the record.
 */
export function decide(
	state: EmulatorState,
	connect: ConnectState,
	id: string,
	decision: SigningDecision,
): PaymentRecord {
	const record = connect.payments.records.get(id);
	if (!record) throw new Error(`unknown payment ${id}`);
	const account = state.requireAccount(record.accountId);
	const at = new Date(state.nowMs()).toISOString();
	const day = at.slice(0, 10);
	const a = record.attributes;
	if (record.kind === 'paymentRequest') {
		if (decision === 'reject')
			throw new Error('a payment request is paid or left open, not rejected');
		if (a.status === 'unsigned') {
			a.status = 'signed';
			a.signedAt = at;
			account.bankQueue.transactions.push({
				amount: a.amount as number,
				currency: 'EUR',
				valueDate: `${day}T00:00:00.000Z`,
				executionDate: `${day}T00:00:00.000Z`,
				description: 'Payment request',
				remittanceInformation: (a.remittanceInformation as string | undefined) ?? '',
				remittanceInformationType:
					(a.remittanceInformationType as 'structured' | 'unstructured' | undefined) ??
					'unstructured',
				counterpartName: 'Emulated Payer',
				counterpartReference: (a.debtorAccountReference as string | undefined) ?? null,
				endToEndId: (a.endToEndId as string | undefined) ?? null,
			});
		}
		if (decision === 'close') {
			a.status = 'closed';
			a.closedAt = at;
		}
		return record;
	}
	if (a.status !== 'pending' && a.status !== 'unsigned')
		throw new Error(`payment ${id} is already ${String(a.status)}`);
	if (decision === 'reject') {
		a.status = 'rejected';
		return record;
	}
	a.status = 'accepted';
	const transfers = record.kind === 'bulkPayment' ? (record.payments ?? []) : [a];
	for (const t of transfers) {
		const structured = t.remittanceInformationType === 'structured';
		account.bankQueue.transactions.push({
			amount: -(t.amount as number),
			currency: 'EUR',
			valueDate: `${day}T00:00:00.000Z`,
			executionDate: `${day}T00:00:00.000Z`,
			description: 'SEPA credit transfer',
			remittanceInformation: (t.remittanceInformation as string | undefined) ?? '',
			remittanceInformationType: structured ? 'structured' : 'unstructured',
			counterpartName: t.creditorName as string,
			counterpartReference: t.creditorAccountReference as string,
			endToEndId: (t.endToEndId as string | undefined) ?? null,
			bankTransactionCode: 'PMNT-ICDT-ESCT',
		});
	}
	return record;
}

const SIGNING_PAGE =
	/^\/organizations\/[^/]+\/sandbox\/integrations\/[^/]+\/(?:accounts\/[^/]+\/(payments|bulk-payments)\/([^/]+)|(payment|payment-request)-activation-requests\/([^/]+))\/?$/;
const PAY_PAGE = /^\/pay\/([^/]+)\/?$/;

/**
 * GET of a signing link on the authorization host: the emulated signer decides at once
 * (`?decision=reject` refuses, anything else signs) and is sent to the redirect URI. Activation
 * links activate payments (or payment requests) for the organization. Null: not such a page.
 */
export function paymentSigningPage(
	state: EmulatorState,
	url: URL,
): { status: number; location?: string; text: string } | null {
	const connect = state.connect;
	if (!connect) return null;
	const page = SIGNING_PAGE.exec(url.pathname);
	const pay = PAY_PAGE.exec(url.pathname);
	if (!page && !pay) return null;
	const done = (redirectUri: string | undefined, text: string) =>
		redirectUri ? { status: 302, location: redirectUri, text } : { status: 200, text };
	if (page?.[3]) {
		const request = connect.payments.activationRequests.find((r) => r.id === page[4]);
		if (!request) return { status: 404, text: 'Unknown activation request.' };
		if (request.kind === 'payment')
			Object.assign(connect.options.userinfo, {
				paymentsActivated: true,
				paymentsActivationRequested: true,
			});
		else
			Object.assign(connect.options.userinfo, {
				paymentRequestsActivated: true,
				paymentRequestsActivationRequested: true,
			});
		return done(request.redirectUri, 'Activated.');
	}
	const id = page ? page[2] : pay![1];
	const record = connect.payments.records.get(id);
	if (!record) return { status: 404, text: 'Unknown payment.' };
	const decision = url.searchParams.get('decision');
	try {
		decide(state, connect, id, decision === 'reject' ? 'reject' : 'sign');
	} catch (error) {
		return { status: 409, text: (error as Error).message };
	}
	return done(record.redirectUri, `Payment ${String(record.attributes.status)}.`);
}
