// Route table of the Ponto Connect flavour: the custom-integration resources plus the Connect
// token/revoke endpoints, userinfo, account revocation, reauthorization requests, sandbox data,
// and (at the host root) the webhook JWKS. docs/ponto-api.md §1.3, §3, §4.7, §6.2.
import { authenticateClient, handleTokenRequest, oauthError } from '../auth';
import type { ApiResponse } from '../http';
import { notFound, parseDocument, validationError } from '../resources';
import { route, type RequestContext, type Route } from '../router';
import { oauthResponse, ROUTES } from '../routes';
import { webhookJwks } from '../webhooks';
import { PAYMENT_ROUTES as P } from './payments';
import {
	createFiTransaction,
	getFiAccount,
	getFiTransaction,
	listFiAccounts,
	listFiTransactions,
	updateFiTransaction,
} from './sandbox';
import type { ConnectState } from './state';

function connectOf(ctx: RequestContext): ConnectState {
	if (!ctx.state.connect) throw new Error('Connect route without the Connect flavour');
	return ctx.state.connect;
}

/** POST /oauth2/token: authorization_code (PKCE), refresh_token (rotating), client_credentials. */
function token(ctx: RequestContext): ApiResponse {
	const connect = connectOf(ctx);
	const { tokens, options } = ctx.state;
	const grantType =
		new URLSearchParams(ctx.body.toString('utf8')).get('grant_type') ??
		ctx.searchParams.get('grant_type');
	if (grantType) ctx.entry.grantType = grantType.slice(0, 40);
	const result = handleTokenRequest({
		headers: ctx.headers,
		body: ctx.body,
		query: ctx.searchParams,
		clients: connect.options.clients,
		tokens,
		lifetimeSeconds: options.tokenLifetimeSeconds,
		nowMs: ctx.nowMs,
		grants: connect.grants.handlers(),
		strictClientId: true,
	});
	return oauthResponse(ctx, result);
}

/** POST /oauth2/revoke (token=<refresh token>, Basic auth): 200 with an empty body. */
function revoke(ctx: RequestContext): ApiResponse {
	const connect = connectOf(ctx);
	const auth = authenticateClient({
		headers: ctx.headers,
		body: ctx.body,
		query: ctx.searchParams,
		clients: connect.options.clients,
		strictClientId: true,
	});
	if ('status' in auth) return oauthResponse(ctx, auth);
	const value = auth.param('token');
	if (!value)
		return oauthResponse(
			ctx,
			oauthError(400, 'invalid_request', 'The request is missing the required parameter token.'),
		);
	connect.grants.revokeToken(auth.client, value, ctx.state.tokens);
	return {
		status: 200,
		contentType: 'application/json; charset=utf-8',
		headers: { 'cache-control': 'no-store' },
	};
}

function grantOf(ctx: RequestContext) {
	return ctx.token ? connectOf(ctx).grants.grantOfToken(ctx.token) : null;
}

/** GET /userinfo: flat JSON like userinfo.json; name fields only with the name scope. */
function userinfo(ctx: RequestContext): ApiResponse {
	const grant = grantOf(ctx);
	const info = connectOf(ctx).options.userinfo;
	const withName = Boolean(grant?.scopes.includes('name'));
	const body: Record<string, unknown> = {
		sub: grant?.organizationId ?? ctx.state.dataset.organizationId,
	};
	if (withName) body.name = info.name;
	if (info.representativeOrganizationId) {
		if (withName && info.representativeOrganizationName)
			body.representativeOrganizationName = info.representativeOrganizationName;
		body.representativeOrganizationId = info.representativeOrganizationId;
	}
	Object.assign(body, {
		paymentsActivated: info.paymentsActivated,
		paymentsActivationRequested: info.paymentsActivationRequested,
		paymentRequestsActivated: info.paymentRequestsActivated,
		paymentRequestsActivationRequested: info.paymentRequestsActivationRequested,
		onboardingComplete: info.onboardingComplete,
	});
	return { status: 200, body, contentType: 'application/json; charset=utf-8' };
}

/** DELETE /accounts/{id}: the account leaves the integration (not Ponto); later GETs 404. */
function deleteAccount(ctx: RequestContext): ApiResponse {
	const accounts = ctx.state.dataset.accounts;
	const index = accounts.findIndex((a) => a.id === ctx.params.accountId);
	if (index < 0) return notFound(ctx, 'account');
	const [account] = accounts.splice(index, 1);
	connectOf(ctx).revokedAccountIds.push(account.id);
	return { status: 200, body: { data: { type: 'account', id: account.id } } };
}

/** POST /accounts/{id}/reauthorization-requests: a link to the authorization host. */
function reauthorizationRequest(ctx: RequestContext): ApiResponse {
	const connect = connectOf(ctx);
	const account = ctx.state.account(ctx.params.accountId);
	if (!account) return notFound(ctx, 'account');
	const parsed = parseDocument(ctx, 'reauthorizationRequest');
	if (!parsed.ok) return parsed.response;
	const redirectUri = parsed.attributes.redirectUri;
	if (typeof redirectUri !== 'string' || !redirectUri)
		return validationError(ctx, 'redirectUri', 'redirectUri is required.');
	if (!URL.canParse(redirectUri))
		return validationError(ctx, 'redirectUri', 'redirectUri must be an absolute URI.');
	const id = ctx.state.rng.uuid();
	connect.reauthorizations.set(id, {
		accountId: account.id,
		redirectUri,
		createdAt: new Date(ctx.nowMs).toISOString(),
	});
	const org = ctx.state.dataset.organizationId;
	const redirect = `${connect.authorizationOrigin}/organizations/${org}/sandbox/integrations/${connect.options.integrationId}/accounts/${account.id}/reauthorization-requests/${id}`;
	return {
		status: 201,
		body: { data: { type: 'reauthorizationRequest', id, links: { redirect } } },
	};
}

/** GET /ponto-connect: URL discovery (docs/ponto-api.md §1.1), no authentication. A subset of the keys. */
function apiRoot(ctx: RequestContext): ApiResponse {
	const b = ctx.base;
	return {
		status: 200,
		body: {
			links: {
				accounts: `${b}/accounts/{accountId}`,
				financialInstitutions: `${b}/financial-institutions/{financialInstitutionId}`,
				synchronizations: `${b}/synchronizations/{synchronizationId}`,
				userinfo: `${b}/userinfo`,
				oauth2: { token: `${b}/oauth2/token`, revoke: `${b}/oauth2/revoke` },
			},
		},
	};
}

/** GET /webhooks/keys at the host root (mTLS like the API): JWKS like webhook-keys.json. */
function webhookKeys(ctx: RequestContext): ApiResponse {
	return {
		status: 200,
		body: webhookJwks(connectOf(ctx).webhookKeys),
		contentType: 'application/json; charset=utf-8',
	};
}

const SANDBOX = '/sandbox/financial-institutions/:fiId/financial-institution-accounts';

export const CONNECT_ROUTES: readonly Route[] = [
	route('GET', '/', false, apiRoot),
	route('POST', '/oauth2/token', false, token),
	route('POST', '/oauth2/revoke', false, revoke),
	route('GET', '/userinfo', true, userinfo),
	route('DELETE', '/accounts/:accountId', true, deleteAccount),
	route('POST', '/accounts/:accountId/reauthorization-requests', true, reauthorizationRequest),
	route('POST', '/accounts/:accountId/payments', true, P.createPayment),
	route('GET', '/accounts/:accountId/payments/:id', true, P.getPayment),
	route('DELETE', '/accounts/:accountId/payments/:id', true, P.deletePayment),
	route('POST', '/accounts/:accountId/bulk-payments', true, P.createBulkPayment),
	route('GET', '/accounts/:accountId/bulk-payments/:id', true, P.getBulkPayment),
	route('DELETE', '/accounts/:accountId/bulk-payments/:id', true, P.deleteBulkPayment),
	route('POST', '/accounts/:accountId/payment-requests', true, P.createPaymentRequest),
	route('GET', '/accounts/:accountId/payment-requests/:id', true, P.getPaymentRequest),
	route('DELETE', '/accounts/:accountId/payment-requests/:id', true, P.deletePaymentRequest),
	route('POST', '/payment-activation-requests', true, P.paymentActivationRequest),
	route('POST', '/payment-request-activation-requests', true, P.paymentRequestActivationRequest),
	route('GET', SANDBOX, true, listFiAccounts),
	route('GET', `${SANDBOX}/:fiAccountId`, true, getFiAccount),
	route(
		'GET',
		`${SANDBOX}/:fiAccountId/financial-institution-transactions`,
		true,
		listFiTransactions,
	),
	route(
		'POST',
		`${SANDBOX}/:fiAccountId/financial-institution-transactions`,
		true,
		createFiTransaction,
	),
	route(
		'GET',
		`${SANDBOX}/:fiAccountId/financial-institution-transactions/:id`,
		true,
		getFiTransaction,
	),
	route(
		'PATCH',
		`${SANDBOX}/:fiAccountId/financial-institution-transactions/:id`,
		true,
		updateFiTransaction,
	),
	...ROUTES.filter((r) => r.pattern !== '/oauth2/token'),
];

/** Matched against the full path (not under basePath), as on api.ibanity.com. */
export const CONNECT_ROOT_ROUTES: readonly Route[] = [
	route('GET', '/webhooks/keys', false, webhookKeys),
];
