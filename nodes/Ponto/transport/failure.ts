import type { PontoErrorObject } from '../helpers/interfaces';
import { redactErrorText, redactSecrets } from '../helpers/errors';
import type { PontoFailure } from '../helpers/errors';
import { describedProblem } from '../helpers/pem';

export { redactSecrets };

/**
 * No request of the node follows a redirect (API calls, the Connect token endpoint, the webhook
 * key set): n8n would re-send the Authorization header, the client secret or the TLS client
 * certificate to whatever origin a 3xx names. A 3xx is reported as an error instead
 * (describeRedirect). n8n 1.x and 2.x request helpers both honour `disableFollowRedirect`
 * (axios maxRedirects 0); the second option only matters should a redirect ever be followed.
 */
export const NO_REDIRECTS = {
	disableFollowRedirect: true,
	sendCredentialsOnCrossOriginRedirect: false,
} as const;

/**
 * Reads what matters out of whatever n8n's request helpers threw: an AxiosError (API calls),
 * an AuthError or OperationalError from n8n's OAuth2 client (token endpoint), or a network
 * error. Only whitelisted fields are copied, so the request (with its Authorization header
 * and the client secret) never travels further.
 */
interface ErrorLike {
	code?: unknown;
	message?: unknown;
	status?: unknown;
	httpCode?: unknown;
	body?: unknown;
	cause?: unknown;
	response?: { status?: unknown; headers?: Record<string, unknown>; data?: unknown };
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

/** No answer in time: worded and retried apart from other network failures. */
export const TIMEOUT_CODES = new Set([
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

function parseBody(data: unknown): unknown {
	if (typeof data !== 'string') return data;
	try {
		return JSON.parse(data);
	} catch {
		return undefined;
	}
}

export function header(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

function retryAfterSeconds(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds;
	const at = Date.parse(value);
	return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A short plain value of Ponto's error `meta` (a resource name, a request id), else undefined. */
function plainMeta(value: unknown): string | undefined {
	return typeof value === 'string' && /^[\w .:-]{1,100}$/.test(value) ? value : undefined;
}

/**
 * Ponto's JSON:API errors, reduced to what helps the user: the code, the detail (redacted, cut
 * to 500 characters) and, of `meta`, only `resource` and `requestId`. Anything else Ponto (or a
 * proxy in its place) echoes, such as the request's headers, is dropped.
 */
function errorsOf(body: unknown): PontoErrorObject[] | undefined {
	const errors = (body as { errors?: unknown } | undefined)?.errors;
	if (!Array.isArray(errors)) return undefined;
	return errors
		.filter(
			(error): error is Record<string, unknown> => typeof error === 'object' && error !== null,
		)
		.slice(0, 10)
		.map((error) => {
			const meta =
				typeof error.meta === 'object' && error.meta !== null
					? (error.meta as Record<string, unknown>)
					: {};
			const kept: NonNullable<PontoErrorObject['meta']> = {};
			const resource = plainMeta(meta.resource);
			const requestId = plainMeta(meta.requestId);
			if (resource !== undefined) kept.resource = resource;
			if (requestId !== undefined) kept.requestId = requestId;
			return {
				code: plainMeta(error.code),
				detail:
					typeof error.detail === 'string'
						? redactErrorText(error.detail).slice(0, 500)
						: undefined,
				meta: Object.keys(kept).length ? kept : undefined,
			};
		});
}

/** Ponto answered with a redirect (3xx), which is never followed. */
export function isRedirect(failure: PontoFailure): boolean {
	return failure.status !== undefined && failure.status >= 300 && failure.status < 400;
}

/** The origin a 3xx points to (never its path or query), or how it is unusable. */
export function redirectTarget(location: string | undefined): string {
	if (!location) return 'an address it did not name';
	try {
		const url = new URL(location);
		return ['http:', 'https:'].includes(url.protocol)
			? url.origin
			: 'an address that is not a web address';
	} catch {
		return 'another path on the same server';
	}
}

function oauthErrorOf(body: unknown): string | undefined {
	const error = (body as { error?: unknown } | undefined)?.error;
	return typeof error === 'string' ? error : undefined;
}

/** A problem of the credential itself (bad PEM, not linked, relink needed), raised by its hooks. */
function credentialProblemIn(
	thrown: unknown,
): { message: string; description: string } | undefined {
	let current = thrown as (ErrorLike & { name?: unknown; description?: unknown }) | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.message === 'string') {
			if (current.name === 'PontoConnectCredentialError') {
				return {
					message: current.message,
					description: typeof current.description === 'string' ? current.description : '',
				};
			}
			const description = describedProblem(current.message);
			if (description !== undefined) return { message: current.message, description };
		}
		current = current.cause as typeof current;
	}
	return undefined;
}

export function failureFromError(thrown: unknown, now = Date.now()): PontoFailure {
	const credential = credentialProblemIn(thrown);
	if (credential) return { credential };
	const error = (thrown ?? {}) as ErrorLike;
	const response = error.response;
	if (response && typeof response.status === 'number') {
		if (response.status >= 300 && response.status < 400) {
			return {
				status: response.status,
				redirectTo: redirectTarget(header(response.headers, 'location')),
				requestId: header(response.headers, 'ibanity-request-id'),
			};
		}
		const body = parseBody(response.data);
		return {
			status: response.status,
			errors: errorsOf(body),
			oauthError: oauthErrorOf(body),
			requestId: header(response.headers, 'ibanity-request-id'),
			retryAfterSeconds: retryAfterSeconds(header(response.headers, 'retry-after'), now),
		};
	}
	// n8n's OAuth2 client: AuthError {body: {error}} on 4xx from the token endpoint, sometimes
	// wrapped in an OperationalError ("Failed to acquire OAuth2 access token") as `cause`.
	const authBody = (error.body ?? (error.cause as ErrorLike | undefined)?.body) as unknown;
	const oauthError = oauthErrorOf(authBody);
	if (oauthError) return { status: 401, oauthError };
	if (error.cause && error.cause !== thrown && typeof error.cause === 'object') {
		const inner = failureFromError(error.cause, now);
		if (inner.status !== undefined || inner.networkCode !== undefined) return inner;
	}
	const code = typeof error.code === 'string' ? error.code : undefined;
	const message = typeof error.message === 'string' ? error.message : '';
	// axios reports its own timeout as ECONNABORTED "timeout of 30000ms exceeded".
	if (TIMEOUT_CODES.has(code ?? '') || /timeout|timed out/i.test(message))
		return { networkCode: 'ETIMEDOUT' };
	if ((code && NETWORK_CODES.has(code)) || /socket hang up|network/i.test(message)) {
		return { networkCode: code ?? 'ECONNRESET' };
	}
	const httpCode = Number(error.httpCode ?? error.status);
	// n8n 1.x wraps the HTTP error into a NodeApiError that keeps only its status code: a
	// redirect is still recognised, without the address it named.
	if (Number.isInteger(httpCode) && httpCode >= 300) return { status: httpCode };
	return { unexpected: redactSecrets(message).slice(0, 300) || 'unknown error' };
}

/**
 * Reads (and writes carrying an idempotency key) are retried on 429, 5xx and dropped
 * connections; other writes only on 429, which means "not processed".
 */
export function isRetryable(
	failure: PontoFailure,
	method: string,
	idempotent = method === 'GET',
): boolean {
	if (failure.credential) return false;
	if (failure.status === 429) return true;
	if (!idempotent) return false;
	if (failure.oauthError) return false;
	if (failure.status === undefined)
		return failure.networkCode !== undefined && failure.networkCode !== 'ENOTFOUND';
	return failure.status >= 500;
}
