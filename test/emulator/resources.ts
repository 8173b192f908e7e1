// Read endpoints: financial institutions, accounts, transactions, pending transactions.
import { filterParameters, matchesFilters, parseFilters } from './filters';
import { apiError, type ApiResponse } from './http';
import { ensureCreationOrder, paginate, pagingDocument, parsePaging } from './paging';
import type { RequestContext } from './router';
import {
	serializeAccount,
	serializeInstitution,
	serializeTransaction,
	syncMetaObject,
} from './serialize';
import type {
	AccountRecord,
	FinancialInstitutionAttributes,
	SyncMeta,
	TransactionResource,
} from './types';

export function notFound(ctx: RequestContext, resource: string): ApiResponse {
	return apiError(ctx.requestId, 404, 'resourceNotFound', 'The requested resource was not found.', {
		resource,
	});
}

export function validationError(
	ctx: RequestContext,
	attribute: string,
	detail: string,
): ApiResponse {
	return apiError(ctx.requestId, 400, 'validationError', detail, { attribute });
}

export type ParsedDocument =
	{ ok: true; attributes: Record<string, unknown> } | { ok: false; response: ApiResponse };

/** A JSON:API request body of the given type: its attributes, or the 400 Ponto answers. */
export function parseDocument(ctx: RequestContext, type: string): ParsedDocument {
	let body: unknown;
	try {
		body = JSON.parse(ctx.body.toString('utf8') || 'null');
	} catch {
		return {
			ok: false,
			response: validationError(ctx, 'data', 'The request body is not valid JSON.'),
		};
	}
	const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
	if (!data || typeof data !== 'object')
		return {
			ok: false,
			response: validationError(
				ctx,
				'data',
				'The request body must be a JSON:API document with a data object.',
			),
		};
	const { type: given, attributes } = data as { type?: unknown; attributes?: unknown };
	if (given !== type)
		return { ok: false, response: validationError(ctx, 'type', `Type must be ${type}.`) };
	return {
		ok: true,
		attributes: (attributes && typeof attributes === 'object' ? attributes : {}) as Record<
			string,
			unknown
		>,
	};
}

/**
 * A paged collection response: {data, links, meta: {...extraMeta, paging}}. The list is served
 * in its array order (transactions: newest created first, see paging.ts).
 */
export function pagedList<T extends { id: string }>(
	ctx: RequestContext,
	list: readonly T[],
	serialize: (item: T) => object,
	extraMeta: object = {},
	carried: Array<[string, string]> = [],
): ApiResponse {
	const parsed = parsePaging(ctx.query);
	if (!parsed.ok) return validationError(ctx, parsed.attribute, parsed.detail);
	const slice = paginate(list, parsed.page);
	if (!slice) {
		const attribute = parsed.page.after ? 'page[after]' : 'page[before]';
		return validationError(ctx, attribute, 'The cursor does not refer to an item of this list.');
	}
	const doc = pagingDocument(
		`${ctx.base}${ctx.path.replace(/\/$/, '')}`,
		parsed.page,
		slice,
		ctx.state.options.nextLinkStyle,
		carried,
	);
	return {
		status: 200,
		body: {
			meta: { ...extraMeta, ...doc.meta },
			links: doc.links,
			data: slice.items.map(serialize),
		},
	};
}

type InstitutionField = keyof FinancialInstitutionAttributes | 'id';

const FILTERABLE_FIELDS: readonly InstitutionField[] = [
	'id',
	'name',
	'bic',
	'country',
	'status',
	'deprecated',
	'maintenanceType',
	'sharedBrandName',
	'sharedBrandReference',
	'paymentsEnabled',
	'bulkPaymentsEnabled',
	'periodicPaymentsEnabled',
	'futureDatedPaymentsAllowed',
	'timeZone',
	'logoUrl',
	'primaryColor',
	'secondaryColor',
	'maintenanceFrom',
	'maintenanceTo',
];

/**
 * With an organization token (the only kind a custom integration has) the list holds the
 * institutions of the organization's accounts (docs/ponto-api.md §3). GET by id answers any known one.
 */
export function listInstitutions(ctx: RequestContext): ApiResponse {
	const { dataset, options } = ctx.state;
	const parsed = parseFilters(ctx.query, FILTERABLE_FIELDS, options.ignoredFilters);
	if (!parsed.ok) return validationError(ctx, parsed.attribute, parsed.detail);
	const used = new Set(dataset.accounts.map((a) => a.financialInstitutionId));
	const list = dataset.financialInstitutions.filter(
		(fi) =>
			used.has(fi.id) &&
			matchesFilters(
				(field) =>
					field === 'id' ? fi.id : fi.attributes[field as keyof FinancialInstitutionAttributes],
				parsed.filters,
			),
	);
	return pagedList(ctx, list, serializeInstitution, {}, filterParameters(ctx.query));
}

export function getInstitution(ctx: RequestContext): ApiResponse {
	const fi = ctx.state.dataset.financialInstitutions.find((f) => f.id === ctx.params.id);
	return fi
		? { status: 200, body: { data: serializeInstitution(fi) } }
		: notFound(ctx, 'financialInstitution');
}

export function listAccounts(ctx: RequestContext): ApiResponse {
	return pagedList(ctx, ctx.state.dataset.accounts, (a) => serializeAccount(ctx.base, a));
}

export function getAccount(ctx: RequestContext): ApiResponse {
	const account = ctx.state.account(ctx.params.accountId);
	return account
		? { status: 200, body: { data: serializeAccount(ctx.base, account) } }
		: notFound(ctx, 'account');
}

type Kind = 'booked' | 'pending';

function listOf(account: AccountRecord, kind: Kind): TransactionResource[] {
	return kind === 'booked' ? account.transactions : account.pendingTransactions;
}

function metaOf(account: AccountRecord, kind: Kind): SyncMeta {
	return kind === 'booked' ? account.syncMeta.transactions : account.syncMeta.pendingTransactions;
}

export function listTransactions(kind: Kind) {
	return (ctx: RequestContext): ApiResponse => {
		const account = ctx.state.account(ctx.params.accountId);
		if (!account) return notFound(ctx, 'account');
		const list = listOf(account, kind);
		ensureCreationOrder(list);
		return pagedList(
			ctx,
			list,
			(t) => serializeTransaction(ctx.base, account.id, t),
			syncMetaObject(metaOf(account, kind)),
		);
	};
}

export function getTransaction(kind: Kind) {
	return (ctx: RequestContext): ApiResponse => {
		const account = ctx.state.account(ctx.params.accountId);
		if (!account) return notFound(ctx, 'account');
		const tx = listOf(account, kind).find((t) => t.id === ctx.params.transactionId);
		if (!tx) return notFound(ctx, kind === 'booked' ? 'transaction' : 'pendingTransaction');
		return { status: 200, body: { data: serializeTransaction(ctx.base, account.id, tx) } };
	};
}
