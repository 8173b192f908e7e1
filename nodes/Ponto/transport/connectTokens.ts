import { createHash } from 'node:crypto';
import type { IHttpRequestHelper } from 'n8n-workflow';

import { CredentialProblem } from '../helpers/pem';
import type { TlsMaterial } from '../helpers/pem';
import { failureFromError } from './failure';

/**
 * The token endpoint of Ponto Connect, over mTLS (research/ponto-api.md §1.3, §2.1): code
 * exchange and refresh. Refresh tokens rotate: the old one dies at once, so a refresh in
 * flight is shared by every caller in this process, and a refresh that just happened is
 * reused for two minutes by callers still holding the old token.
 */
export interface ConnectTokenSettings {
	tokenUrl: string;
	clientId: string;
	clientSecret: string;
	tls: TlsMaterial;
}

export interface TokenSet {
	accessToken: string;
	refreshToken?: string;
	scope?: string;
}

const RECENT_MS = 120_000;
const inFlight = new Map<string, Promise<TokenSet>>();
const recentlyRotated = new Map<string, { tokens: TokenSet; at: number }>();

const RELINK_STEPS =
	'Relink the credential: in a Ponto node with this credential run Organization > Get Authorization Link, open the link, approve in Ponto, then paste the address Ponto sends you to into the credential field Authorization Response URL and save.';

/** TLS-level failures: the certificate was not presented or not accepted, or not trusted. */
function tlsProblem(code: string | undefined, message: string): CredentialProblem | undefined {
	const text = `${code ?? ''} ${message}`;
	if (/self[- ]signed|unable to verify|UNABLE_TO_VERIFY|CERT_HAS_EXPIRED|DEPTH_ZERO|certificate in certificate chain/i.test(text)) {
		return new CredentialProblem(
			"Ponto's server certificate is not trusted",
			'For the real Ponto service leave CA Certificate empty. For a test server, paste the CA certificate that signed its certificate into CA Certificate. If it is set and this persists, the n8n in use is older than 2.20 and ignores certificate settings: Ponto Connect needs n8n 2.20 or newer.',
		);
	}
	if (/EPROTO|ECONNRESET|socket hang up|handshake|alert|certificate required|bad certificate|unknown ca/i.test(text)) {
		return new CredentialProblem(
			'Ponto refused the TLS connection: the client certificate was not sent or not accepted',
			'Ponto Connect needs n8n 2.20 or newer, the first versions that send a client certificate. On a newer n8n, check that TLS Certificate and TLS Private Key are the TLS pair (not the signature pair) of this app and environment (sandbox or live).',
		);
	}
	return undefined;
}

/** The refusal of a token call, worded for the user; built from whitelisted fields only. */
function tokenFailure(error: unknown, grant: 'code' | 'refresh', settings: ConnectTokenSettings): CredentialProblem {
	const failure = failureFromError(error);
	const { code, message } = (error ?? {}) as { code?: string; message?: string };
	if (failure.status === undefined) {
		return (
			tlsProblem(failure.networkCode ?? code, String(message ?? '')) ??
			new CredentialProblem('Could not reach the Ponto token endpoint', `Check the API Base URL of the credential (${settings.tokenUrl.replace(/\/ponto-connect\/oauth2\/token$/, '')}) and the network of the n8n host.`)
		);
	}
	if (failure.oauthError === 'invalid_grant') {
		return grant === 'refresh'
			? new CredentialProblem('The Ponto Connect link of this credential is no longer valid (invalid_grant)', `The refresh token was revoked, expired or already used. ${RELINK_STEPS}`)
			: new CredentialProblem('The authorization code in Authorization Response URL was already used or has expired (invalid_grant)', `Codes work once and only for minutes. ${RELINK_STEPS}`);
	}
	if (failure.oauthError === 'invalid_client' || failure.status === 401) {
		return new CredentialProblem('Ponto did not accept the Client ID and Client Secret (invalid_client)', 'Copy both again from the Ponto developer portal, for the same environment (sandbox or live) as the certificate.');
	}
	return new CredentialProblem(
		`The Ponto token endpoint refused the request (${failure.oauthError ?? `HTTP ${failure.status}`})`,
		grant === 'code' ? `Check Redirect URI: it must be exactly the one registered for the app. ${RELINK_STEPS}` : RELINK_STEPS,
	);
}

async function tokenRequest(helpers: IHttpRequestHelper['helpers'], settings: ConnectTokenSettings, form: Record<string, string>, grant: 'code' | 'refresh'): Promise<TokenSet> {
	let response: unknown;
	let failed: unknown;
	try {
		response = await helpers.httpRequest({
			method: 'POST',
			url: settings.tokenUrl,
			headers: {
				Authorization: `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64')}`,
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: new URLSearchParams({ ...form, client_id: settings.clientId }).toString(),
			json: true,
			timeout: 30_000,
			agentOptions: { cert: settings.tls.cert, key: settings.tls.key, passphrase: settings.tls.passphrase, ca: settings.tls.ca },
		});
	} catch (error) {
		failed = error ?? new Error('token request failed');
	}
	if (failed !== undefined) throw tokenFailure(failed, grant, settings);
	const body = (typeof response === 'string' ? JSON.parse(response) : response) as Record<string, unknown>;
	if (typeof body?.access_token !== 'string') {
		throw new CredentialProblem('The Ponto token endpoint answered without an access token', 'Check the API Base URL of the credential.');
	}
	return {
		accessToken: body.access_token,
		refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
		scope: typeof body.scope === 'string' ? body.scope : undefined,
	};
}

export async function exchangeAuthorizationCode(
	helpers: IHttpRequestHelper['helpers'],
	settings: ConnectTokenSettings,
	input: { code: string; redirectUri: string; codeVerifier: string },
): Promise<TokenSet> {
	const tokens = await tokenRequest(
		helpers,
		settings,
		{ grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri, code_verifier: input.codeVerifier },
		'code',
	);
	if (!tokens.refreshToken) {
		throw new CredentialProblem('Ponto granted no refresh token', `The offline_access scope was not granted, so n8n could not keep the link. ${RELINK_STEPS}`);
	}
	return tokens;
}

/** One refresh per refresh token in this process, however many callers ask at once. */
export async function refreshTokensShared(helpers: IHttpRequestHelper['helpers'], settings: ConnectTokenSettings, refreshToken: string): Promise<TokenSet> {
	const key = createHash('sha256').update(`${settings.tokenUrl}\n${settings.clientId}\n${refreshToken}`).digest('hex');
	const now = Date.now();
	for (const [old, entry] of recentlyRotated) if (now - entry.at > RECENT_MS) recentlyRotated.delete(old);
	const recent = recentlyRotated.get(key);
	if (recent) return recent.tokens;
	let pending = inFlight.get(key);
	if (!pending) {
		pending = tokenRequest(helpers, settings, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'refresh')
			.then((tokens) => {
				recentlyRotated.set(key, { tokens, at: Date.now() });
				return tokens;
			})
			.finally(() => inFlight.delete(key));
		inFlight.set(key, pending);
	}
	return await pending;
}

export const CONNECT_RELINK_STEPS = RELINK_STEPS;
