// The authorization host (authorization.myponto.com in production, docs/ponto-api.md §1.2):
// GET /oauth2/auth validates the request and, with no UI, lets the emulated user consent at
// once; GET .../reauthorization-requests/{id} completes a reauthorization. Plain HTTP on its
// own port, like the separate host it stands for.
import type { EmulatorState } from '../state';
import { SCOPES } from './options';
import { paymentSigningPage } from './payments';

export interface PageResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

const html = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** 400 page for errors that must not redirect (unknown client, unregistered redirect_uri). */
function errorPage(status: number, error: string, description: string): PageResponse {
	const body = `<!doctype html><title>Ponto authorization error</title><h1>${html(error)}</h1><p>${html(description)}</p>`;
	return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

function redirect(target: string, params: Record<string, string | undefined>): PageResponse {
	const url = new URL(target);
	for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
	return {
		status: 302,
		headers: { location: url.toString(), 'content-type': 'text/html; charset=utf-8' },
		body: '',
	};
}

const REAUTH =
	/^\/organizations\/([^/]+)\/sandbox\/integrations\/([^/]+)\/accounts\/([^/]+)\/reauthorization-requests\/([^/]+)\/?$/;
const REAUTHORIZATION_DAYS = 90;

export function authorizationPage(
	state: EmulatorState,
	method: string,
	url: URL,
	nowMs: number,
): PageResponse {
	const connect = state.connect;
	if (!connect) return errorPage(404, 'not_found', 'No Ponto Connect flavour.');
	if (method !== 'GET' && method !== 'HEAD')
		return errorPage(405, 'method_not_allowed', 'Use GET.');
	const reauth = REAUTH.exec(url.pathname);
	if (reauth) {
		const request = connect.reauthorizations.get(reauth[4]);
		const account =
			request && request.accountId === reauth[3] ? state.account(request.accountId) : undefined;
		if (!request || !account)
			return errorPage(404, 'not_found', 'Unknown reauthorization request.');
		const a = account.attributes;
		a.authorizedAt = new Date(nowMs).toISOString();
		a.authorizationExpirationExpectedAt = new Date(
			nowMs + REAUTHORIZATION_DAYS * 86_400_000,
		).toISOString();
		request.completedAt = a.authorizedAt;
		return redirect(request.redirectUri, {});
	}
	const signing = paymentSigningPage(state, url);
	if (signing) {
		const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
		if (signing.location) headers.location = signing.location;
		return { status: signing.status, headers, body: signing.text };
	}
	if (url.pathname !== '/oauth2/auth')
		return errorPage(404, 'not_found', `No page at ${url.pathname}.`);
	const q = (name: string): string | undefined => url.searchParams.get(name) ?? undefined;
	const client = connect.client(q('client_id'));
	if (!client) return errorPage(400, 'invalid_client', 'The client_id is missing or unknown.');
	const redirectUri = q('redirect_uri');
	if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
		return errorPage(
			400,
			'invalid_request',
			'The redirect_uri is missing or is not one of the URIs registered for this client.',
		);
	}
	const stateParam = q('state');
	const fail = (error: string, description: string): PageResponse =>
		redirect(redirectUri, { error, error_description: description, state: stateParam });
	if (q('response_type') !== 'code')
		return fail('unsupported_response_type', 'response_type must be code.');
	if (!stateParam) return fail('invalid_request', 'The state parameter is required.');
	const scopes = (q('scope') ?? '').split(' ').filter(Boolean);
	const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
	if (unknown.length) return fail('invalid_scope', `Unknown scope(s): ${unknown.join(', ')}.`);
	if (!scopes.includes('ai')) return fail('invalid_scope', 'The scope must include ai.');
	const challenge = q('code_challenge');
	if (!challenge) return fail('invalid_request', 'PKCE is required: code_challenge is missing.');
	if (!/^[A-Za-z0-9_-]{43,128}$/.test(challenge))
		return fail('invalid_request', 'code_challenge must be 43 to 128 base64url characters.');
	if (q('code_challenge_method') !== 'S256')
		return fail('invalid_request', 'code_challenge_method must be S256.');
	const denial =
		connect.consentDenials.shift() ?? (connect.options.denyConsent ? 'access_denied' : undefined);
	if (denial) return fail(denial, 'The resource owner denied the request.');
	const unique = [...new Set(scopes)];
	const code = connect.grants.issueCode({
		clientId: client.clientId,
		redirectUri,
		scopes: unique,
		challenge,
		expiresAtMs: nowMs + connect.options.codeLifetimeSeconds * 1000,
	});
	// ORY Hydra (which Ponto's tokens look like) also returns the granted scope.
	return redirect(redirectUri, { code, scope: unique.join(' '), state: stateParam });
}
