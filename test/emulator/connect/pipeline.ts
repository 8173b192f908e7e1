// Steps the request pipeline (server.ts) runs for the Ponto Connect flavour: client
// certificate, HTTP signature, user-token check, idempotency keys.
import type { IncomingMessage } from 'node:http';
import { oauthError, type IssuedToken } from '../auth';
import { apiError, type ApiResponse } from '../http';
import type { RequestLogEntry } from '../options';
import type { RequestContext } from '../router';
import { verifyHttpSignature } from '../signature-verify';
import { peerCertificate } from '../tls';
import { IDEMPOTENCY_HEADER, requestFingerprint } from './idempotency';
import type { ConnectState } from './state';

/**
 * Records the client certificate in the log entry. 'ok' to go on; 'reset' to drop the
 * connection; or the HTTP answer (clientCertificateFailure 'http').
 */
export function checkClientCertificate(
	connect: ConnectState,
	req: IncomingMessage,
	entry: RequestLogEntry,
	requestId: string,
): 'ok' | 'reset' | ApiResponse {
	const peer = peerCertificate(req);
	entry.clientCertificate = peer.authorized;
	if (peer.cn !== undefined) entry.clientCertificateCn = peer.cn;
	if (peer.authorized) return 'ok';
	const mode = connect.options.clientCertificateFailure ?? 'handshake';
	if (mode === 'http') {
		// The OAuth endpoints answer in OAuth's shape (docs/ponto-api.md §1.3): invalid_client.
		if (/\/oauth2\/(token|revoke)$/.test(entry.path)) {
			const { status, body, headers } = oauthError(
				401,
				'invalid_client',
				'A valid TLS client certificate is required',
			);
			return {
				status,
				body,
				headers: { 'cache-control': 'no-store', ...headers },
				contentType: 'application/json; charset=utf-8',
			};
		}
		return apiError(
			requestId,
			401,
			'clientCertificateRequired',
			`A client certificate signed by the Ibanity CA is required (${peer.error ?? 'not authorized'}).`,
		);
	}
	// 'handshake' never gets here with an unauthorized peer; 'reset' drops the connection.
	return 'reset';
}

/** Paths `required` does not cover: OAuth endpoints (unless requiredOnOAuth), JWKS, API root. */
function exempt(connect: ConnectState, path: string, basePath: string): boolean {
	if (path === '/webhooks/keys' || path === basePath || path === `${basePath}/`) return true;
	const oauth = path === `${basePath}/oauth2/token` || path === `${basePath}/oauth2/revoke`;
	return oauth && !connect.options.signature?.requiredOnOAuth;
}

/** Verifies Digest + Signature when present (or required); null to go on. */
export function checkSignature(
	connect: ConnectState,
	req: IncomingMessage,
	body: Buffer,
	entry: RequestLogEntry,
	requestId: string,
	nowMs: number,
	basePath: string,
): ApiResponse | null {
	const settings = connect.options.signature;
	const signed = req.headers.signature !== undefined;
	entry.signed = signed;
	if (!signed) {
		if (!settings?.required || exempt(connect, entry.path, basePath)) return null;
		entry.signature = 'missingSignature';
		return apiError(
			requestId,
			401,
			'invalidSignature',
			'The request must be signed: Digest and Signature headers are required.',
		);
	}
	const result = verifyHttpSignature({
		method: req.method ?? 'GET',
		target: req.url ?? '/',
		headers: req.headers,
		body,
		keys: settings?.keys ?? {},
		nowSeconds: Math.floor(nowMs / 1000),
		maxSkewSeconds: settings?.maxSkewSeconds,
		host: settings?.host,
	});
	entry.signature = result.ok ? 'valid' : result.reason;
	return result.ok
		? null
		: apiError(requestId, 401, 'invalidSignature', result.detail, { reason: result.reason });
}

/** Connect user endpoints need a token bound to an active grant (client tokens are refused). */
export function acceptsUserToken(connect: ConnectState, token: IssuedToken): boolean {
	return connect.grants.grantOfToken(token) !== null;
}

/**
 * [infer] Ibanity-Idempotency-Key on POST/PATCH of the API (not OAuth): replays the first
 * response for the same key and request within 24 h, 409 for the same key on another request.
 */
export function withIdempotency(
	connect: ConnectState,
	ctx: RequestContext,
	run: () => ApiResponse,
): ApiResponse {
	if (ctx.method !== 'POST' && ctx.method !== 'PATCH') return run();
	const raw = ctx.headers[IDEMPOTENCY_HEADER];
	const key = Array.isArray(raw) ? raw.join(',') : raw;
	if (!key) {
		if (ctx.method === 'POST' && connect.options.requireIdempotencyKey) {
			return apiError(
				ctx.requestId,
				400,
				'validationError',
				'The Ibanity-Idempotency-Key header is required on POST requests.',
				{ attribute: 'Ibanity-Idempotency-Key' },
			);
		}
		return run();
	}
	ctx.entry.idempotencyKey = key;
	const fingerprint = requestFingerprint(ctx.method, ctx.entry.path, ctx.body);
	const found = connect.idempotency.lookup(key, fingerprint, ctx.nowMs);
	if (found.kind === 'replay') {
		ctx.entry.idempotentReplay = true;
		return found.response;
	}
	if (found.kind === 'conflict') {
		return apiError(
			ctx.requestId,
			409,
			'idempotencyKeyReused',
			'This Ibanity-Idempotency-Key was already used for a different request.',
		);
	}
	const response = run();
	connect.idempotency.remember(key, fingerprint, response, ctx.nowMs);
	return response;
}
