import type { IHttpRequestHelper } from 'n8n-workflow';

import { redactSecrets } from '../helpers/errors';
import { CredentialProblem } from '../helpers/pem';
import type { TlsMaterial } from '../helpers/pem';
import { failureFromError, isRedirect, NO_REDIRECTS } from './failure';

/**
 * The token endpoint of Ponto Connect, over mTLS (docs/ponto-api.md §1.3, §2.1): one code
 * exchange or one refresh per call, and the refusals worded from Ponto's own `error` and
 * `error_description`. Sharing calls between concurrent requests lives in tokenRotation.ts.
 */
export interface ConnectTokenSettings {
	tokenUrl: string;
	clientId: string;
	clientSecret: string;
	tls: TlsMaterial;
}

/** What a token call is for: a pasted code, a refresh, or checking the app with a client token. */
type Grant = 'code' | 'refresh' | 'client';

export interface TokenSet {
	accessToken: string;
	refreshToken?: string;
	scope?: string;
	/** expires_in of the access token, when Ponto sent one. */
	expiresInSeconds?: number;
}

/**
 * The message of the relink error when Ponto refuses the stored refresh token. The transport
 * recognises the refusal by it, because n8n wraps the error a credential hook throws.
 */
export const REFRESH_REFUSED_MESSAGE =
	'The Ponto Connect link of this credential is no longer valid (invalid_grant)';

/** A refresh refused with invalid_grant: used, revoked or expired refresh token. */
export class RefreshRefused extends CredentialProblem {
	readonly refreshRefused = true;
}

/**
 * Ponto refused the pasted authorization code for good (a 4xx answer of the token endpoint):
 * sending the same code again cannot work, and a used code sent again makes Ponto revoke what
 * it produced (RFC 6749 §4.1.2).
 */
export class CodeRefused extends CredentialProblem {
	readonly codeRefused = true;
}

const RELINK_STEPS =
	'Relink the credential: in a Ponto node with this credential run Organization > Get Authorization Link, open the link, approve in Ponto, then paste the address Ponto sends you to into the credential field Authorization Response URL and save.';

export const CONNECT_RELINK_STEPS = RELINK_STEPS;

const CERTIFICATE_FIX =
	'Check the credential fields TLS Certificate and TLS Private Key (and Passphrase): they must be the TLS certificate pair of this Ponto Connect app, for the same environment (sandbox or live), not the signature certificate. Download them again from the Ponto developer portal if in doubt.';

/** TLS-level failures: the certificate was not presented or not accepted, or not trusted. */
function tlsProblem(code: string | undefined, message: string): CredentialProblem | undefined {
	const text = `${code ?? ''} ${message}`;
	if (
		/self[- ]signed|unable to verify|UNABLE_TO_VERIFY|CERT_HAS_EXPIRED|DEPTH_ZERO|certificate in certificate chain/i.test(
			text,
		)
	) {
		return new CredentialProblem(
			"Ponto's server certificate is not trusted",
			'For the real Ponto service leave CA Certificate empty. For a test server, paste the CA certificate that signed its certificate into CA Certificate. If it is set and this persists, the n8n in use is older than 2.20 and ignores certificate settings: Ponto Connect needs n8n 2.20 or newer.',
		);
	}
	if (
		/EPROTO|ECONNRESET|socket hang up|handshake|alert|certificate required|bad certificate|unknown ca/i.test(
			text,
		)
	) {
		return new CredentialProblem(
			'Ponto refused the TLS connection: the client certificate was not sent or not accepted',
			'Ponto Connect needs n8n 2.20 or newer, the first versions that send a client certificate. On a newer n8n, check that TLS Certificate and TLS Private Key are the TLS pair (not the signature pair) of this app and environment (sandbox or live).',
		);
	}
	return undefined;
}

/** Ponto's OAuth answer (`error`, `error_description`) read from what n8n's helper threw. */
export function oauthAnswer(error: unknown): { error?: string; description?: string } {
	let current = error as { response?: { data?: unknown }; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
		let data = current.response?.data;
		if (typeof data === 'string') {
			try {
				data = JSON.parse(data) as unknown;
			} catch {
				data = undefined;
			}
		}
		if (data && typeof data === 'object') {
			const body = data as { error?: unknown; error_description?: unknown; error_hint?: unknown };
			const text = [body.error_description, body.error_hint]
				.filter((part): part is string => typeof part === 'string' && part.trim() !== '')
				.join(' ');
			return {
				error: typeof body.error === 'string' ? body.error.slice(0, 60) : undefined,
				// Ponto's words, never a secret: tokens and Basic credentials are cut out.
				description: text
					? redactSecrets(text).replace(/\s+/g, ' ').trim().slice(0, 300)
					: undefined,
			};
		}
		current = current.cause as typeof current;
	}
	return {};
}

function quoted(answer: { error?: string; description?: string }, fallback: string): string {
	const code = answer.error ?? fallback;
	return answer.description ? `${code}: ${answer.description.replace(/[.\s]+$/, '')}` : code;
}

/** The refusal of a code exchange, worded after Ponto's error_description. */
function codeRefusal(answer: { error?: string; description?: string }): CodeRefused {
	const description = answer.description ?? '';
	const says = `Ponto answered: ${quoted(answer, 'invalid_grant')}.`;
	if (/pkce|code[_ ]verifier|code challenge/i.test(description)) {
		return new CodeRefused(
			'The pasted Authorization Response URL belongs to another authorization link (PKCE verification failed)',
			`${says} The code was issued for a link this credential did not make (another credential, or the Client Secret changed since). ${RELINK_STEPS}`,
		);
	}
	if (/already (been )?used/i.test(description)) {
		return new CodeRefused(
			'The authorization code in Authorization Response URL was already used (invalid_grant)',
			`${says} A code works once. ${RELINK_STEPS}`,
		);
	}
	if (/has expired|code expired/i.test(description)) {
		return new CodeRefused(
			'The authorization code in Authorization Response URL has expired (invalid_grant)',
			`${says} Codes work only for minutes after approval. ${RELINK_STEPS}`,
		);
	}
	if (/redirect_uri/i.test(description)) {
		return new CodeRefused(
			'The Redirect URI of the credential is not the one of the authorization link (invalid_grant)',
			`${says} Set Redirect URI to exactly the address used in the link (as registered in the Ponto developer portal), then ${RELINK_STEPS.charAt(0).toLowerCase()}${RELINK_STEPS.slice(1)}`,
		);
	}
	return new CodeRefused(
		'The authorization code in Authorization Response URL was already used or has expired (invalid_grant)',
		`${says} Codes work once and only for minutes. ${RELINK_STEPS}`,
	);
}

/** The refusal of a token call, worded for the user; built from whitelisted fields only. */
function tokenFailure(
	error: unknown,
	grant: Grant,
	settings: ConnectTokenSettings,
): CredentialProblem {
	const failure = failureFromError(error);
	const { code, message } = (error ?? {}) as { code?: string; message?: string };
	if (failure.status === undefined) {
		return (
			tlsProblem(failure.networkCode ?? code, String(message ?? '')) ??
			new CredentialProblem(
				'Could not reach the Ponto token endpoint',
				`Check the API Base URL of the credential (${settings.tokenUrl.replace(/\/ponto-connect\/oauth2\/token$/, '')}) and the network of the n8n host.`,
			)
		);
	}
	if (isRedirect(failure)) {
		return new CredentialProblem(
			`The Ponto token endpoint answered with a redirect to ${failure.redirectTo ?? 'another address'}; the credential never follows redirects`,
			'Following it could hand the client secret and the tokens to another server. Check the API Base URL of the credential: it must be the Ponto API itself.',
		);
	}
	const answer = oauthAnswer(error);
	const oauthError = answer.error ?? failure.oauthError;
	if (oauthError === 'invalid_client' || (failure.status === 401 && !oauthError)) {
		if (/certificate|tls|mtls/i.test(answer.description ?? '')) {
			const refusal = `Ponto refused the TLS client certificate (${quoted(answer, 'invalid_client')})`;
			return new CredentialProblem(refusal, CERTIFICATE_FIX);
		}
		const refusal = `Ponto did not accept the Client ID and Client Secret (${quoted(answer, 'invalid_client')})`;
		const fix =
			'Copy both again from the Ponto developer portal (your app, same environment as the certificate: sandbox or live) into Client ID and Client Secret.';
		return new CredentialProblem(refusal, fix);
	}
	if (oauthError === 'invalid_grant') {
		if (grant === 'client')
			return new CredentialProblem(
				`The Ponto token endpoint refused the request (${quoted(answer, 'invalid_grant')})`,
				'Check Client ID and Client Secret.',
			);
		return grant === 'refresh'
			? new RefreshRefused(
					REFRESH_REFUSED_MESSAGE,
					`Ponto answered: ${quoted(answer, 'invalid_grant')}. The refresh token was revoked, expired or already used. ${RELINK_STEPS}`,
				)
			: codeRefusal(answer);
	}
	const refusal = `The Ponto token endpoint refused the request (${answer.error || answer.description ? quoted(answer, `HTTP ${failure.status}`) : `HTTP ${failure.status}`})`;
	if (grant === 'code' && failure.status >= 400 && failure.status < 500 && failure.status !== 429) {
		return new CodeRefused(
			refusal,
			`Check Redirect URI: it must be exactly the one registered for the app. ${RELINK_STEPS}`,
		);
	}
	if (grant === 'client')
		return new CredentialProblem(
			refusal,
			'Check Client ID, Client Secret and the TLS certificate fields against the Ponto developer portal, and API Base URL.',
		);
	return new CredentialProblem(
		refusal,
		grant === 'code'
			? `Try again in a moment; if it persists, ${RELINK_STEPS.charAt(0).toLowerCase()}${RELINK_STEPS.slice(1)}`
			: `Try again in a moment. If it persists: ${RELINK_STEPS}`,
	);
}

async function tokenRequest(
	helpers: IHttpRequestHelper['helpers'],
	settings: ConnectTokenSettings,
	form: Record<string, string>,
	grant: Grant,
): Promise<TokenSet> {
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
			agentOptions: {
				cert: settings.tls.cert,
				key: settings.tls.key,
				passphrase: settings.tls.passphrase,
				ca: settings.tls.ca,
			},
		});
	} catch (error) {
		failed = error ?? new Error('token request failed');
	}
	if (failed !== undefined) throw tokenFailure(failed, grant, settings);
	const body = (typeof response === 'string' ? JSON.parse(response) : response) as Record<
		string,
		unknown
	>;
	if (typeof body?.access_token !== 'string') {
		throw new CredentialProblem(
			'The Ponto token endpoint answered without an access token',
			'Check the API Base URL of the credential.',
		);
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
		{
			grant_type: 'authorization_code',
			code: input.code,
			redirect_uri: input.redirectUri,
			code_verifier: input.codeVerifier,
		},
		'code',
	);
	if (!tokens.refreshToken) {
		throw new CodeRefused(
			'Ponto granted no refresh token',
			`The offline_access scope was not granted, so n8n could not keep the link. ${RELINK_STEPS}`,
		);
	}
	return tokens;
}

/** One refresh call (tokenRotation.ts shares it between concurrent callers). */
export async function refreshTokens(
	helpers: IHttpRequestHelper['helpers'],
	settings: ConnectTokenSettings,
	refreshToken: string,
): Promise<TokenSet> {
	return await tokenRequest(
		helpers,
		settings,
		{ grant_type: 'refresh_token', refresh_token: refreshToken },
		'refresh',
	);
}

/**
 * A client-credentials token call (docs/ponto-api.md §1.3): proves that Ponto accepts the Client
 * ID, Client Secret and TLS certificate of the app, before any organization is linked. The
 * client token is not kept.
 */
export async function verifyClient(
	helpers: IHttpRequestHelper['helpers'],
	settings: ConnectTokenSettings,
): Promise<void> {
	await tokenRequest(helpers, settings, { grant_type: 'client_credentials' }, 'client');
}
