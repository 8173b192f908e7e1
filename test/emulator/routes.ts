// The route table of the custom-integration flavour, plus the token and synchronization handlers.
import { handleTokenRequest, type OAuthResult } from './auth';
import { apiError, type ApiResponse } from './http';
import {
	getAccount,
	getInstitution,
	getTransaction,
	listAccounts,
	listInstitutions,
	listTransactions,
	notFound,
	pagedList,
	validationError,
} from './resources';
import { route, type RequestContext, type Route } from './router';
import { serializeSynchronization, serializeTransaction, syncMetaObject } from './serialize';

function token(ctx: RequestContext): ApiResponse {
	const { options, tokens } = ctx.state;
	const result = handleTokenRequest({
		headers: ctx.headers,
		body: ctx.body,
		query: ctx.searchParams,
		clients: options.clients,
		tokens,
		lifetimeSeconds: options.tokenLifetimeSeconds,
		nowMs: ctx.nowMs,
	});
	return oauthResponse(ctx, result);
}

/** A token endpoint answer (RFC 6749 §5.1: JSON, not cached); the log notes which token it issued. */
export function oauthResponse(ctx: RequestContext, result: OAuthResult): ApiResponse {
	if (result.tokenSeq !== undefined) ctx.entry.tokenSeq = result.tokenSeq;
	return {
		status: result.status,
		body: result.body,
		contentType: 'application/json; charset=utf-8',
		headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...result.headers },
	};
}

function createSynchronization(ctx: RequestContext): ApiResponse {
	let body: unknown;
	try {
		body = JSON.parse(ctx.body.toString('utf8') || 'null');
	} catch {
		return validationError(ctx, 'data', 'The request body is not valid JSON.');
	}
	const result = ctx.state.syncs.create(body, ctx.nowMs);
	if (!result.ok)
		return apiError(ctx.requestId, result.status, result.code, result.detail, result.meta);
	return { status: 201, body: { data: serializeSynchronization(ctx.base, result.sync) } };
}

function findSynchronization(ctx: RequestContext) {
	return ctx.state.dataset.synchronizations.find((s) => s.id === ctx.params.id);
}

function getSynchronization(ctx: RequestContext): ApiResponse {
	const sync = findSynchronization(ctx);
	return sync
		? { status: 200, body: { data: serializeSynchronization(ctx.base, sync) } }
		: notFound(ctx, 'synchronization');
}

function updatedTransactions(kind: 'booked' | 'pending') {
	return (ctx: RequestContext): ApiResponse => {
		const sync = findSynchronization(ctx);
		if (!sync) return notFound(ctx, 'synchronization');
		const account = ctx.state.account(sync.attributes.resourceId);
		const ids = new Set(
			kind === 'booked' ? sync.updatedTransactionIds : sync.updatedPendingTransactionIds,
		);
		const source = account
			? kind === 'booked'
				? account.transactions
				: account.pendingTransactions
			: [];
		const list = ids.size ? source.filter((t) => ids.has(t.id)) : [];
		const meta = account
			? syncMetaObject(
					kind === 'booked' ? account.syncMeta.transactions : account.syncMeta.pendingTransactions,
				)
			: {};
		return pagedList(
			ctx,
			list,
			(t) => serializeTransaction(ctx.base, sync.attributes.resourceId, t),
			meta,
		);
	};
}

export const ROUTES: readonly Route[] = [
	route('POST', '/oauth2/token', false, token),
	route('GET', '/financial-institutions', true, listInstitutions),
	route('GET', '/financial-institutions/:id', true, getInstitution),
	route('GET', '/accounts', true, listAccounts),
	route('GET', '/accounts/:accountId', true, getAccount),
	route('GET', '/accounts/:accountId/transactions', true, listTransactions('booked')),
	route('GET', '/accounts/:accountId/transactions/:transactionId', true, getTransaction('booked')),
	route('GET', '/accounts/:accountId/pending-transactions', true, listTransactions('pending')),
	route(
		'GET',
		'/accounts/:accountId/pending-transactions/:transactionId',
		true,
		getTransaction('pending'),
	),
	route('POST', '/synchronizations', true, createSynchronization),
	route('GET', '/synchronizations/:id', true, getSynchronization),
	route('GET', '/synchronizations/:id/updated-transactions', true, updatedTransactions('booked')),
	route(
		'GET',
		'/synchronizations/:id/updated-pending-transactions',
		true,
		updatedTransactions('pending'),
	),
];
