import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { checkTlsMaterial, CredentialProblem, normalizePem, readPrivateKey } from '../helpers/pem';
import type { TlsMaterial } from '../helpers/pem';
import { AUTHORIZATION_PAGES, codeVerifier, parseAuthorizationResponse } from '../helpers/pkce';
import {
	afterRefusal,
	CONNECT_RELINK_STEPS,
	exchangeAuthorizationCode,
	isRefreshRefusal,
	refreshTokenKey,
	refreshTokensShared,
	refusedRefreshTokens,
} from './connectTokens';
import type { ConnectTokenSettings } from './connectTokens';
import { pause } from './pause';
import { signatureHeaders } from './signing';
import type { SignatureKey } from './signing';

/** What the Ponto Connect credential's hooks do; kept here so the transport owns every call. */
export const CONNECT_DEFAULT_BASE_URL = 'https://api.ibanity.com';

export function connectBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const base = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() ? credentials.baseUrl.trim() : CONNECT_DEFAULT_BASE_URL;
	return base.replace(/\/+$/, '');
}

export function authorizationPage(credentials: ICredentialDataDecryptedObject): string {
	const override = typeof credentials.authorizationUrl === 'string' ? credentials.authorizationUrl.trim() : '';
	if (override) return override;
	return credentials.environment === 'live' ? AUTHORIZATION_PAGES.live : AUTHORIZATION_PAGES.sandbox;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

export function tokenSettings(credentials: ICredentialDataDecryptedObject): ConnectTokenSettings {
	const clientId = text(credentials.clientId);
	const clientSecret = text(credentials.clientSecret);
	if (!clientId) throw new CredentialProblem('Client ID is empty', 'Copy the client ID of your Ponto Connect app from the Ponto developer portal.');
	if (!clientSecret) throw new CredentialProblem('Client Secret is empty', 'Copy the client secret of your Ponto Connect app from the Ponto developer portal.');
	return {
		tokenUrl: `${connectBaseUrl(credentials)}/ponto-connect/oauth2/token`,
		clientId,
		clientSecret,
		tls: tlsMaterial(credentials),
	};
}

export function tlsMaterial(credentials: ICredentialDataDecryptedObject): TlsMaterial {
	return checkTlsMaterial({
		certificate: credentials.certificate,
		privateKey: credentials.privateKey,
		passphrase: credentials.passphrase,
		ca: credentials.ca,
	});
}

/** The signature key when both its ID and key are set; one without the other is an error. */
export function signatureKey(credentials: ICredentialDataDecryptedObject): SignatureKey | undefined {
	const keyId = text(credentials.signatureCertificateId);
	const pem = normalizePem(credentials.signingPrivateKey);
	if (!keyId && !pem) return undefined;
	if (!keyId) throw new CredentialProblem('Signature Certificate ID is empty', 'Signing needs both the ID of the signature certificate and its key.');
	if (!pem) throw new CredentialProblem('Signing Private Key is empty', 'Signing needs both the ID of the signature certificate and its key.');
	const passphrase = text(credentials.signingPassphrase) || undefined;
	const privateKey = readPrivateKey(pem, passphrase, 'Signing Private Key', 'Signing Passphrase');
	if (privateKey.asymmetricKeyType !== 'rsa') {
		throw new CredentialProblem('Signing Private Key is not an RSA key', 'Ponto signs with RSA-PSS: use the RSA key of the signature certificate.');
	}
	return { keyId, privateKey };
}

/**
 * Runs when the access token is missing or refused (401): exchanges a freshly pasted
 * authorization code, or renews with the refresh token. Every key returned is persisted by
 * n8n before the retried request, the rotated refresh token first of all.
 */
export async function connectPreAuthentication(helpers: IHttpRequestHelper['helpers'], credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
	const settings = tokenSettings(credentials);
	signatureKey(credentials);
	const pasted = parseAuthorizationResponse(credentials.authorizationResponse);
	if (pasted && 'error' in pasted) {
		throw new CredentialProblem(
			`Ponto did not grant access (${pasted.error})`,
			`The pasted Authorization Response URL reports an error${pasted.description ? `: ${pasted.description}` : ''}. ${CONNECT_RELINK_STEPS}`,
		);
	}
	if (pasted && 'problem' in pasted) {
		throw new CredentialProblem(`Authorization Response URL: ${pasted.problem}`, CONNECT_RELINK_STEPS);
	}
	if (pasted && pasted.code !== credentials.linkedCode) {
		const redirectUri = text(credentials.redirectUri);
		if (!redirectUri) throw new CredentialProblem('Redirect URI is empty', 'Enter the redirect URI you used for the authorization link.');
		const tokens = await exchangeAuthorizationCode(helpers, settings, {
			code: pasted.code,
			redirectUri,
			codeVerifier: codeVerifier(settings.clientSecret, pasted.state),
		});
		return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, linkedCode: pasted.code };
	}
	const refreshToken = text(credentials.refreshToken);
	if (!refreshToken) {
		throw new CredentialProblem('This Ponto Connect credential is not linked to an organization yet', CONNECT_RELINK_STEPS.replace('Relink', 'Link'));
	}
	const tokens = await refreshTokensShared(helpers, settings, refreshToken);
	return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? refreshToken };
}

function absoluteUrl(options: IHttpRequestOptions): string {
	const url = options.baseURL ? `${options.baseURL.replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}` : options.url;
	const query = options.qs && Object.keys(options.qs).length
		? new URLSearchParams(Object.entries(options.qs).map(([key, value]): [string, string] => [key, String(value)])).toString()
		: '';
	return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

/**
 * Bearer token, client certificate, and (with a signing key) Digest + Signature over the
 * request exactly as it will be sent: the query is moved into the URL and a JSON body is
 * serialized here, so the signed bytes are the sent bytes.
 */
export function connectAuthenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	const tls = tlsMaterial(credentials);
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(requestOptions.headers ?? {})) headers[name] = String(value);
	headers.Authorization = `Bearer ${String(credentials.accessToken ?? '')}`;
	const options: IHttpRequestOptions = {
		...requestOptions,
		headers,
		agentOptions: { ...requestOptions.agentOptions, cert: tls.cert, key: tls.key, passphrase: tls.passphrase, ca: tls.ca },
	};
	const key = signatureKey(credentials);
	if (!key) return options;
	const url = absoluteUrl(requestOptions);
	const body = requestOptions.body === undefined || requestOptions.body === null ? '' : typeof requestOptions.body === 'string' ? requestOptions.body : JSON.stringify(requestOptions.body);
	Object.assign(headers, signatureHeaders({ method: requestOptions.method ?? 'GET', url, body, headers }, key));
	return { ...options, url, baseURL: undefined, qs: undefined, body: body === '' ? undefined : body };
}

/** Reads the credential as stored now (n8n reads it from its database on every call). */
export interface StoredCredentialReader {
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

const LOOK_AGAIN_MIN_MS = 250;
const LOOK_AGAIN_SPREAD_MS = 500;

/**
 * Ponto refused the refresh token this request held (invalid_grant). In n8n queue mode another
 * worker may have rotated it a moment earlier: re-read the stored credential and, if its
 * refresh token is not one Ponto refused, the caller should send the request once more (n8n
 * then uses the new tokens that worker stored). If it is unchanged, look once more after a
 * short jittered pause, since that worker may still be storing them. False: relink needed,
 * or the error is not such a refusal.
 */
export async function storedTokensRotated(
	context: StoredCredentialReader,
	error: unknown,
	wait: (ms: number) => Promise<void> = pause,
	random: () => number = Math.random,
): Promise<boolean> {
	if (!isRefreshRefusal(error)) return false;
	for (let looksLeft = 1; ; looksLeft--) {
		let stored: ICredentialDataDecryptedObject;
		try {
			stored = await context.getCredentials('pontoConnectOAuth2Api');
		} catch {
			return false;
		}
		const refreshToken = text(stored.refreshToken);
		const clientId = text(stored.clientId);
		const key = refreshToken ? refreshTokenKey(`${connectBaseUrl(stored)}/ponto-connect/oauth2/token`, clientId, refreshToken) : undefined;
		const decision = afterRefusal(key, refusedRefreshTokens(), looksLeft);
		if (decision !== 'wait') return decision === 'retry';
		await wait(LOOK_AGAIN_MIN_MS + Math.floor(random() * LOOK_AGAIN_SPREAD_MS));
	}
}
