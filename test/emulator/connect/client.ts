// Test helpers for the Ponto Connect flavour: HTTPS requests with a client certificate (global
// fetch cannot send one without undici), PKCE, the authorization round trip, token calls.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { signHttpRequest } from '../signature-verify';
import type { ConnectClient } from './options';
import { DEFAULT_CONNECT_CLIENT } from './options';

export interface TlsClientOptions {
	/** CA that signed the server certificate. */
	ca: string;
	cert?: string;
	key?: string;
	passphrase?: string;
}

export interface SigningOptions {
	keyId: string;
	privateKey: string;
	created?: number;
	quoteCreated?: boolean;
	urlSafe?: boolean;
	/** Signs this host instead of the URL's host. */
	host?: string;
}

export interface MtlsRequestInit {
	method?: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
	token?: string;
	tls: TlsClientOptions;
	/** Adds Digest + Signature (docs/ponto-api.md §2.2). */
	sign?: SigningOptions;
}

export interface MtlsResponse<T> {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	/** Parsed JSON when the body is JSON, otherwise undefined. */
	body: T;
}

/** One HTTPS request on a fresh connection (no keep-alive, so each call does its own handshake). */
export function mtlsRequest<T = unknown>(
	url: string,
	init: MtlsRequestInit,
): Promise<MtlsResponse<T>> {
	const target = new URL(url);
	const method = (init.method ?? 'GET').toUpperCase();
	const body = init.body === undefined ? Buffer.alloc(0) : Buffer.from(init.body);
	const headers: Record<string, string> = { accept: 'application/vnd.api+json', ...init.headers };
	if (init.token) headers.authorization = `Bearer ${init.token}`;
	if (init.sign) {
		const { host, ...key } = init.sign;
		const signed = signHttpRequest({
			...key,
			method,
			target: `${target.pathname}${target.search}`,
			host: host ?? target.host,
			body,
			headers,
		});
		headers.digest = signed.digest;
		headers.signature = signed.signature;
	}
	if (body.length || method === 'POST' || method === 'PATCH')
		headers['content-length'] = String(body.length);
	const { ca, cert, key, passphrase } = init.tls;
	return new Promise((resolve, reject) => {
		const req = https.request(
			target,
			{ method, headers, agent: false, ca, cert, key, passphrase },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: unknown;
					try {
						parsed = text ? JSON.parse(text) : undefined;
					} catch {
						parsed = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed as T });
				});
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

export function pkcePair(): { verifier: string; challenge: string } {
	const verifier = randomBytes(48).toString('base64url');
	return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function basic(client: ConnectClient = DEFAULT_CONNECT_CLIENT): string {
	return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
}

/** GET the authorization URL without following the redirect: status, Location, page text. */
export async function openAuthorization(
	authorizationUrl: string,
	params: Record<string, string | undefined>,
): Promise<{ status: number; location?: URL; text: string }> {
	const url = new URL(authorizationUrl);
	for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
	const res = await fetch(url, { redirect: 'manual' });
	const location = res.headers.get('location');
	return {
		status: res.status,
		location: location ? new URL(location) : undefined,
		text: await res.text(),
	};
}

export interface ConsentResult {
	code: string;
	verifier: string;
	redirectUri: string;
	state: string;
}

/** The whole browser leg: a valid authorization request, consent, the code from the redirect. */
export async function consent(
	authorizationUrl: string,
	opts: { scope?: string; client?: ConnectClient; redirectUri?: string } = {},
): Promise<ConsentResult> {
	const client = opts.client ?? DEFAULT_CONNECT_CLIENT;
	const redirectUri = opts.redirectUri ?? client.redirectUris[0];
	const { verifier, challenge } = pkcePair();
	const state = randomBytes(12).toString('base64url');
	const res = await openAuthorization(authorizationUrl, {
		client_id: client.clientId,
		redirect_uri: redirectUri,
		response_type: 'code',
		scope: opts.scope ?? 'offline_access ai pi name',
		state,
		code_challenge: challenge,
		code_challenge_method: 'S256',
	});
	const code = res.location?.searchParams.get('code');
	if (res.status !== 302 || !code)
		throw new Error(`no code: HTTP ${res.status} ${res.location?.toString() ?? res.text}`);
	return { code, verifier, redirectUri, state };
}

/** POST a form to /oauth2/token or /oauth2/revoke with Basic client auth. */
export function postForm<T = Record<string, unknown>>(
	url: string,
	form: Record<string, string>,
	tls: TlsClientOptions,
	client: ConnectClient = DEFAULT_CONNECT_CLIENT,
): Promise<MtlsResponse<T>> {
	return mtlsRequest<T>(url, {
		method: 'POST',
		headers: {
			authorization: basic(client),
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
		},
		body: new URLSearchParams(form).toString(),
		tls,
	});
}
