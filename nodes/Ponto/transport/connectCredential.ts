import { createHash } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import {
	checkTlsMaterial,
	CredentialProblem,
	normalizePem,
	readPrivateKey,
	recordProblem,
} from '../helpers/pem';
import type { TlsMaterial } from '../helpers/pem';
import {
	AUTHORIZATION_PAGES,
	codeVerifier,
	parseAuthorizationResponse,
	redirectProblem,
	stateProblem,
} from '../helpers/pkce';
import { CodeRefused, CONNECT_RELINK_STEPS, verifyClient } from './connectTokens';
import type { ConnectTokenSettings, TokenSet } from './connectTokens';
import { pause } from './pause';
import { signatureHeaders } from './signing';
import type { SignatureKey } from './signing';
import {
	afterRefusal,
	exchangeCodeShared,
	isRefreshRefusal,
	refreshTokenKey,
	refreshTokensShared,
	refusedRefreshTokens,
} from './tokenRotation';

/**
 * The one entry point of the Ponto Connect credential into the transport: its two hooks
 * (connectPreAuthentication, connectAuthenticate) and the fields they read. Everything a hook
 * throws is recorded for the node's error (see recordProblem) on the way out.
 */
export const CONNECT_DEFAULT_BASE_URL = 'https://api.ibanity.com';

/**
 * The credential's expirable field. It stays empty, so n8n asks preAuthentication before every
 * request (n8n 1.x and 2.x run it when that field is empty or the request got a 401): a newly
 * pasted Authorization Response URL is then exchanged at the next credential test or first use,
 * not only once the old access token fails. When there is nothing to do the hook answers
 * without this field and n8n writes nothing.
 */
export const LINK_CHECK_FIELD = 'linkCheck';

/** Header the credential test request carries; connectAuthenticate removes it. */
export const CREDENTIAL_TEST_HEADER = 'X-Ponto-Credential-Test';

export function connectBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const base =
		typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim()
			? credentials.baseUrl.trim()
			: CONNECT_DEFAULT_BASE_URL;
	return base.replace(/\/+$/, '');
}

export function authorizationPage(credentials: ICredentialDataDecryptedObject): string {
	const override =
		typeof credentials.authorizationUrl === 'string' ? credentials.authorizationUrl.trim() : '';
	if (override) return override;
	return credentials.environment === 'live'
		? AUTHORIZATION_PAGES.live
		: AUTHORIZATION_PAGES.sandbox;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

export function tokenSettings(credentials: ICredentialDataDecryptedObject): ConnectTokenSettings {
	const clientId = text(credentials.clientId);
	const clientSecret = text(credentials.clientSecret);
	if (!clientId)
		throw new CredentialProblem(
			'Client ID is empty',
			'Copy the client ID of your Ponto Connect app from the Ponto developer portal.',
		);
	if (!clientSecret)
		throw new CredentialProblem(
			'Client Secret is empty',
			'Copy the client secret of your Ponto Connect app from the Ponto developer portal.',
		);
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
export function signatureKey(
	credentials: ICredentialDataDecryptedObject,
): SignatureKey | undefined {
	const keyId = text(credentials.signatureCertificateId);
	const pem = normalizePem(credentials.signingPrivateKey);
	if (!keyId && !pem) return undefined;
	if (!keyId)
		throw new CredentialProblem(
			'Signature Certificate ID is empty',
			'Signing needs both the ID of the signature certificate and its key.',
		);
	if (!pem)
		throw new CredentialProblem(
			'Signing Private Key is empty',
			'Signing needs both the ID of the signature certificate and its key.',
		);
	const passphrase = text(credentials.signingPassphrase) || undefined;
	const privateKey = readPrivateKey(pem, passphrase, 'Signing Private Key', 'Signing Passphrase');
	if (privateKey.asymmetricKeyType !== 'rsa') {
		throw new CredentialProblem(
			'Signing Private Key is not an RSA key',
			'Ponto signs with RSA-PSS: use the RSA key of the signature certificate.',
		);
	}
	return { keyId, privateKey };
}

/** Redirect URI is a required field: the authorization link and the code exchange both carry it. */
function requiredRedirectUri(credentials: ICredentialDataDecryptedObject): string {
	const redirectUri = text(credentials.redirectUri);
	if (!redirectUri) {
		throw new CredentialProblem(
			'Redirect URI is empty',
			'Enter a redirect URI registered for the app in the Ponto developer portal, the one the authorization link uses.',
		);
	}
	return redirectUri;
}

/** What the credential records about a pasted address: a hash, never the code. */
export function pastedKey(authorizationResponse: unknown): string {
	const pasted = text(authorizationResponse);
	return pasted ? createHash('sha256').update(`ponto-connect-link\n${pasted}`).digest('hex') : '';
}

/**
 * The credential objects n8n already asked about. n8n calls preAuthentication a second time with
 * the same object only when the request it prepared got a 401: the access token is then
 * renewed, while a first call with a live access token changes nothing.
 */
const asked = new WeakSet<object>();

function withProblemsRecorded<T>(run: () => Promise<T>): Promise<T>;
function withProblemsRecorded<T>(run: () => T): T;
function withProblemsRecorded<T>(run: () => T | Promise<T>): T | Promise<T> {
	const record = (error: unknown): never => {
		if (error instanceof CredentialProblem) recordProblem(error);
		throw error;
	};
	try {
		const result = run();
		return result instanceof Promise ? result.catch(record) : result;
	} catch (error) {
		return record(error);
	}
}

function tokenFields(tokens: TokenSet, refreshToken: string): IDataObject {
	return {
		[LINK_CHECK_FIELD]: '',
		accessToken: tokens.accessToken,
		refreshToken: tokens.refreshToken ?? refreshToken,
	};
}

/** The pasted address, checked against the credential, then its code exchanged (once). */
async function linkPasted(
	helpers: IHttpRequestHelper['helpers'],
	settings: ConnectTokenSettings,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenSet> {
	const raw = text(credentials.authorizationResponse);
	const pasted = parseAuthorizationResponse(raw);
	if (!pasted) throw new CodeRefused('Authorization Response URL is empty', CONNECT_RELINK_STEPS);
	if ('error' in pasted) {
		throw new CodeRefused(
			`Ponto did not grant access (${pasted.error})`,
			`The pasted Authorization Response URL reports an error${pasted.description ? `: ${pasted.description.slice(0, 200)}` : ''}. ${CONNECT_RELINK_STEPS}`,
		);
	}
	// A paste that is not an answer of Ponto at all is a typing error: refused, every time, before any request.
	if ('problem' in pasted)
		throw new CredentialProblem(
			`Authorization Response URL: ${pasted.problem}`,
			CONNECT_RELINK_STEPS,
		);
	const redirectUri = requiredRedirectUri(credentials);
	const wrongAddress = redirectProblem(raw, redirectUri);
	if (wrongAddress)
		throw new CodeRefused(`Authorization Response URL: ${wrongAddress}`, CONNECT_RELINK_STEPS);
	const badState = stateProblem(pasted.state, {
		clientId: settings.clientId,
		clientSecret: settings.clientSecret,
		redirectUri,
	});
	if (badState)
		throw new CodeRefused(`Authorization Response URL: ${badState}`, CONNECT_RELINK_STEPS);
	return await exchangeCodeShared(helpers, settings, {
		code: pasted.code,
		redirectUri,
		codeVerifier: codeVerifier(settings.clientSecret, pasted.state),
	});
}

/** Links made before the pasted address was recorded as a hash kept the code itself. */
function linkedBefore(credentials: ICredentialDataDecryptedObject): boolean {
	const legacy = text(credentials.linkedCode);
	const pasted = parseAuthorizationResponse(credentials.authorizationResponse);
	return legacy !== '' && pasted !== undefined && 'code' in pasted && pasted.code === legacy;
}

/**
 * n8n's preAuthentication (before every request, see LINK_CHECK_FIELD): exchanges a newly
 * pasted authorization code, once however many requests ask at the same time; renews the
 * access token after a 401; otherwise returns nothing to store. A new code Ponto refuses does
 * not cost the existing link: its refusal is stored (shown by the credential test) and the
 * previous tokens go on working. Every key returned is persisted by n8n before the request.
 */
export async function connectPreAuthentication(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	return await withProblemsRecorded(async () => {
		const settings = tokenSettings(credentials);
		signatureKey(credentials);
		requiredRedirectUri(credentials);
		const retry = asked.has(credentials);
		asked.add(credentials);
		const refreshToken = text(credentials.refreshToken);
		const pasted = pastedKey(credentials.authorizationResponse);
		const isNew =
			pasted !== '' &&
			pasted !== text(credentials.linkedTokenSource) &&
			pasted !== text(credentials.refusedTokenSource) &&
			!linkedBefore(credentials);
		if (isNew) {
			const outcome = await linkPasted(helpers, settings, credentials).then(
				(tokens) => ({ tokens }),
				(failure: unknown) => ({ failure }),
			);
			if ('tokens' in outcome) {
				return {
					...tokenFields(outcome.tokens, ''),
					linkedTokenSource: pasted,
					refusedTokenSource: '',
					refusedTokenReason: '',
					linkedCode: '',
				};
			}
			const refused = outcome.failure;
			if (!(refused instanceof CodeRefused) || !refreshToken) throw refused;
			// The earlier link still works: keep it, and keep why the new address was refused.
			const refusal = {
				[LINK_CHECK_FIELD]: '',
				refusedTokenSource: pasted,
				refusedTokenReason: `${refused.message}. ${refused.description}`.slice(0, 1000),
			};
			if (!retry && text(credentials.accessToken)) return refusal;
			return {
				...tokenFields(await refreshTokensShared(helpers, settings, refreshToken), refreshToken),
				...refusal,
			};
		}
		if (!refreshToken) {
			// Not linked yet: check the app fields with a client token, so the test on save says
			// whether Ponto accepts them, then say how to link.
			await verifyClient(helpers, settings);
			throw new CredentialProblem(
				'This Ponto Connect credential is not linked to an organization yet',
				`Ponto accepted the Client ID, Client Secret and TLS certificate. ${CONNECT_RELINK_STEPS.replace('Relink', 'Link')}`,
			);
		}
		if (!retry && text(credentials.accessToken)) return {};
		const tokens = await refreshTokensShared(helpers, settings, refreshToken);
		return {
			...tokenFields(tokens, refreshToken),
			...(linkedBefore(credentials) ? { linkedTokenSource: pasted, linkedCode: '' } : {}),
		};
	});
}

function absoluteUrl(options: IHttpRequestOptions): string {
	const url = options.baseURL
		? `${options.baseURL.replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}`
		: options.url;
	const query =
		options.qs && Object.keys(options.qs).length
			? new URLSearchParams(
					Object.entries(options.qs).map(([key, value]): [string, string] => [key, String(value)]),
				).toString()
			: '';
	return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

/**
 * n8n's authenticate: bearer token, client certificate, and (with a signing key) Digest +
 * Signature over the request exactly as it will be sent: the query is moved into the URL and a
 * JSON body is serialized here, so the signed bytes are the sent bytes. On the credential test
 * request, a pasted address Ponto refused is reported (runs go on with the earlier link).
 */
export function connectAuthenticate(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	return withProblemsRecorded(() => {
		tokenSettings(credentials);
		requiredRedirectUri(credentials);
		const headers: Record<string, string> = {};
		let isTest = false;
		for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
			if (name.toLowerCase() === CREDENTIAL_TEST_HEADER.toLowerCase()) isTest = true;
			else headers[name] = String(value);
		}
		const pasted = pastedKey(credentials.authorizationResponse);
		if (isTest && pasted !== '' && pasted === text(credentials.refusedTokenSource)) {
			throw new CredentialProblem(
				`The newly pasted Authorization Response URL was not used; the earlier link still works. ${text(credentials.refusedTokenReason)}`.slice(
					0,
					1200,
				),
				CONNECT_RELINK_STEPS,
			);
		}
		const tls = tlsMaterial(credentials);
		headers.Authorization = `Bearer ${String(credentials.accessToken ?? '')}`;
		const options: IHttpRequestOptions = {
			...requestOptions,
			headers,
			agentOptions: {
				...requestOptions.agentOptions,
				cert: tls.cert,
				key: tls.key,
				passphrase: tls.passphrase,
				ca: tls.ca,
			},
		};
		const key = signatureKey(credentials);
		if (!key) return options;
		const url = absoluteUrl(requestOptions);
		const body =
			requestOptions.body === undefined || requestOptions.body === null
				? ''
				: typeof requestOptions.body === 'string'
					? requestOptions.body
					: JSON.stringify(requestOptions.body);
		Object.assign(
			headers,
			signatureHeaders({ method: requestOptions.method ?? 'GET', url, body, headers }, key),
		);
		return {
			...options,
			url,
			baseURL: undefined,
			qs: undefined,
			body: body === '' ? undefined : body,
		};
	});
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
		const key = refreshToken
			? refreshTokenKey(
					`${connectBaseUrl(stored)}/ponto-connect/oauth2/token`,
					clientId,
					refreshToken,
				)
			: undefined;
		const decision = afterRefusal(key, refusedRefreshTokens(), looksLeft);
		if (decision !== 'wait') return decision === 'retry';
		await wait(LOOK_AGAIN_MIN_MS + Math.floor(random() * LOOK_AGAIN_SPREAD_MS));
	}
}
