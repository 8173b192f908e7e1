import { createHash } from 'node:crypto';
import type { IHttpRequestHelper } from 'n8n-workflow';

import { CredentialProblem } from '../helpers/pem';
import type { TlsMaterial } from '../helpers/pem';
import { failureFromError, isRedirect, NO_REDIRECTS } from './failure';

/**
 * The token endpoint of Ponto Connect, over mTLS (docs/ponto-api.md §1.3, §2.1): code
 * exchange and refresh. Refresh tokens rotate: the old one dies at once, so a refresh in
 * flight is shared by every caller in this process, and a refresh that just happened is
 * reused, while its access token is surely alive, by callers still holding the old token.
 * Other processes (n8n queue-mode workers) cannot share either: when Ponto refuses a refresh
 * token as used, the refusal is remembered here (as a hash) so that the transport can tell,
 * after re-reading the stored credential, whether another process rotated it meanwhile
 * (docs/token-rotation.md).
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
	/** expires_in of the access token, when Ponto sent one. */
	expiresInSeconds?: number;
}

const RECENT_MS = 120_000;
const REFUSED_MS = 600_000;
const REFUSED_MAX = 200;
const inFlight = new Map<string, Promise<TokenSet>>();
const recentlyRotated = new Map<string, { tokens: TokenSet; at: number }>();
/** Refresh tokens (as hashes) Ponto refused with invalid_grant, and when. */
const refusedRecently = new Map<string, number>();

/**
 * The message of the relink error when Ponto refuses the stored refresh token. The transport
 * recognises the refusal by it, because n8n wraps the error a credential hook throws.
 */
export const REFRESH_REFUSED_MESSAGE = 'The Ponto Connect link of this credential is no longer valid (invalid_grant)';

/** A refresh refused with invalid_grant: used, revoked or expired refresh token. */
export class RefreshRefused extends CredentialProblem {
	readonly refreshRefused = true;
}

/** The identity of a refresh token for the caches: never the token itself. */
export function refreshTokenKey(tokenUrl: string, clientId: string, refreshToken: string): string {
	return createHash('sha256').update(`${tokenUrl}\n${clientId}\n${refreshToken}`).digest('hex');
}

/**
 * How long a rotation is handed to callers still holding the old refresh token: at most two
 * minutes and at most half the new access token's life. n8n stores what the credential hook
 * returns, so a rotation handed out after another process already rotated again would write
 * a dead refresh token over the live one; while its access token lives, nobody rotates again.
 */
export function rotationReuseMs(expiresInSeconds: number | undefined): number {
	if (expiresInSeconds === undefined || !Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) return RECENT_MS;
	return Math.min(RECENT_MS, Math.floor((expiresInSeconds * 1000) / 2));
}

/**
 * After a refusal: 'retry' when the stored refresh token is not one Ponto refused (another
 * process rotated it and stored the new tokens), 'wait' when it still is and a look again may
 * help (that process may be storing them right now), 'relink' otherwise.
 */
export function afterRefusal(storedKey: string | undefined, refused: ReadonlySet<string>, looksLeft: number): 'retry' | 'wait' | 'relink' {
	if (storedKey === undefined) return 'relink';
	if (!refused.has(storedKey)) return 'retry';
	return looksLeft > 0 ? 'wait' : 'relink';
}

/** The refresh tokens (hashes) refused in the last ten minutes, in this n8n instance. */
export function refusedRefreshTokens(now = Date.now()): ReadonlySet<string> {
	for (const [key, at] of refusedRecently) if (now - at > REFUSED_MS) refusedRecently.delete(key);
	return new Set(refusedRecently.keys());
}

function rememberRefusal(key: string): void {
	refusedRecently.delete(key);
	refusedRecently.set(key, Date.now());
	if (refusedRecently.size > REFUSED_MAX) refusedRecently.delete(refusedRecently.keys().next().value as string);
}

/** Whether an error (possibly wrapped by n8n) is Ponto refusing the stored refresh token. */
export function isRefreshRefusal(error: unknown): boolean {
	let current = error as { refreshRefused?: unknown; message?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		if (current.refreshRefused === true || current.message === REFRESH_REFUSED_MESSAGE) return true;
		current = current.cause as typeof current;
	}
	return false;
}

/** Forgets every cached rotation and refusal (tests). */
export function resetTokenCaches(): void {
	inFlight.clear();
	recentlyRotated.clear();
	refusedRecently.clear();
}

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
	if (isRedirect(failure)) {
		return new CredentialProblem(
			`The Ponto token endpoint answered with a redirect to ${failure.redirectTo ?? 'another address'}; the credential never follows redirects`,
			'Following it could hand the client secret and the tokens to another server. Check the API Base URL of the credential: it must be the Ponto API itself.',
		);
	}
	if (failure.oauthError === 'invalid_grant') {
		return grant === 'refresh'
			? new RefreshRefused(REFRESH_REFUSED_MESSAGE, `The refresh token was revoked, expired or already used. ${RELINK_STEPS}`)
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
			...NO_REDIRECTS,
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
		expiresInSeconds: typeof body.expires_in === 'number' ? body.expires_in : undefined,
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
	const key = refreshTokenKey(settings.tokenUrl, settings.clientId, refreshToken);
	const now = Date.now();
	for (const [old, entry] of recentlyRotated) if (now - entry.at > rotationReuseMs(entry.tokens.expiresInSeconds)) recentlyRotated.delete(old);
	const recent = recentlyRotated.get(key);
	if (recent) return recent.tokens;
	let pending = inFlight.get(key);
	if (!pending) {
		pending = tokenRequest(helpers, settings, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'refresh')
			.then(
				(tokens) => {
					recentlyRotated.set(key, { tokens, at: Date.now() });
					return tokens;
				},
				(error: unknown) => {
					if (error instanceof RefreshRefused) rememberRefusal(key);
					throw error;
				},
			)
			.finally(() => inFlight.delete(key));
		inFlight.set(key, pending);
	}
	return await pending;
}

export const CONNECT_RELINK_STEPS = RELINK_STEPS;
