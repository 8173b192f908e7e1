import type { IDataObject } from 'n8n-workflow';

import type { PontoErrorObject } from './interfaces';

/** What the transport knows about a failed call, stripped of anything secret. */
export interface PontoFailure {
	status?: number;
	errors?: PontoErrorObject[];
	/** OAuth2-style token endpoint error (`{error, error_description}`), docs/ponto-api.md §1.3. */
	oauthError?: string;
	requestId?: string;
	/** Network-level failure code (ECONNRESET, ...); ETIMEDOUT = no answer in time. */
	networkCode?: string;
	/** The per-request timeout that ran out (with networkCode ETIMEDOUT). */
	timeoutSeconds?: number;
	retryAfterSeconds?: number;
	/** Neither HTTP nor network: the (redacted) message of an unexpected error. */
	unexpected?: string;
	/** The resource the request was about, for "not found" wording. */
	resource?: string;
	/** The call was a synchronization request: a 4xx refusal usually means "not now". */
	refusal?: 'synchronization' | 'payment';
	/** Ponto answered 3xx: the origin it pointed to (never followed). */
	redirectTo?: string;
	/** The credential's own problem (bad PEM, not linked, relink needed), already worded. */
	credential?: { message: string; description: string };
}

export interface DescribedError {
	message: string;
	description: string;
}

const CODE_ADVICE: Record<string, string> = {
	authorizationInvalid:
		'The bank authorization of this account is no longer valid. Ask the account holder to reauthorize the account in Ponto (Ponto dashboard > the account > Reauthorize), then run the workflow again.',
	authorizationExpired:
		'The bank consent of this account expired. Ask the account holder to renew it in Ponto (Ponto dashboard > the account > Reauthorize).',
	invalidAccessToken:
		'Ponto did not accept the access token. Check the Client ID and Client Secret of the Ponto credential; if they are right, the integration may have been revoked in the Ponto dashboard.',
	resourceNotFound:
		'Check the ID. An account only shows up when it is shared with this integration in the Ponto dashboard.',
};

const SYNCHRONIZATION_REFUSED =
	'Ponto refuses a synchronization that follows another one of the same account too closely, and PSD2 allows only four unattended bank accesses (without Customer IP Address) per account per day. The data Ponto refreshed on its own schedule is still readable; try the synchronization again later.';

/** Payments: what Ponto needs before it accepts one (docs/payments.md). */
const PAYMENT_REFUSED =
	'Payments need three things in Ponto: payments activated for the organization (run Organization > Request Payment Activation and follow the link), the payment scope in the link to the organization (turn on Include Payment Scope in the Ponto Connect credential, then relink it with Get Authorization Link), and a bank that supports payments for this account. Then check the values of the payment. Should Ponto repeat the same refusal after the cause is fixed, set Options > Idempotency Key to a new value.';
const PAYMENT_UNKNOWN =
	'The payment may or may not have been created. Run the node again with the same input: it sends the same idempotency key, so Ponto returns the payment it already has instead of creating a second one. Or check with Payment > Get.';

function joinDetails(errors: PontoErrorObject[]): string {
	return errors
		.map((error) => [error.code, error.detail].filter(Boolean).join(': '))
		.filter(Boolean)
		.join('; ');
}

/** Ponto error codes of a failure or a failed synchronization, advice first. */
export function adviceForCodes(errors: PontoErrorObject[]): string | undefined {
	for (const error of errors) {
		if (error.code && CODE_ADVICE[error.code]) return CODE_ADVICE[error.code];
	}
	return undefined;
}

function withRequestId(description: string, requestId?: string): string {
	return requestId
		? `${description} Ponto request id: ${requestId} (quote it if you contact Ponto support).`
		: description;
}

/**
 * A 3xx: never followed, because a redirect would carry the access token (or the client
 * secret) to whatever server it names.
 */
export function describeRedirect(target: string | undefined, requestId?: string): DescribedError {
	return {
		message: `Ponto answered with a redirect to ${target ?? 'another address'}; the node never follows redirects with credentials`,
		description: withRequestId(
			"Following it could hand the access token or the client secret to another server, so the request stopped there. Check the API Base URL of the credential: it must be Ponto's API address itself (https://api.myponto.com), not an address that forwards to it (an old host name, http:// instead of https://, a proxy or a maintenance page).",
			requestId,
		),
	};
}

/** Turns a failed Ponto call into a message that says what happened and what to do. */
export function describeFailure(failure: PontoFailure): DescribedError {
	const errors = failure.errors ?? [];
	const details = joinDetails(errors);
	const advice = adviceForCodes(errors);
	const { status, requestId } = failure;

	if (failure.credential) return failure.credential;
	if (status === undefined && failure.unexpected !== undefined) {
		return {
			message: `The request to Ponto failed: ${failure.unexpected}`,
			description: 'Check the credential and the node parameters, then retry.',
		};
	}
	if (status === undefined && failure.networkCode === 'ETIMEDOUT') {
		return {
			message: `Ponto did not answer within ${failure.timeoutSeconds ?? 30} s`,
			description:
				failure.refusal === 'payment'
					? `The connection was open but no answer came in time. ${PAYMENT_UNKNOWN}`
					: 'The connection was open but no answer came in time (a read is tried twice before giving up). Ponto may be overloaded, or the API Base URL of the credential points at a server that is not Ponto (a proxy, a firewall). Check the URL, then run the workflow again later.',
		};
	}
	if (status === undefined) {
		// The code stays out of the message: n8n swaps messages naming ECONNREFUSED & co. for
		// its own generic wording.
		const code = failure.networkCode ?? 'no response';
		return {
			message: 'Could not reach Ponto',
			description: `The connection failed or timed out before Ponto answered (${code}). ${failure.refusal === 'payment' ? PAYMENT_UNKNOWN : 'Check the API Base URL of the credential and the network of the n8n host, then retry.'}`,
		};
	}
	if (status >= 300 && status < 400) return describeRedirect(failure.redirectTo, requestId);
	if (failure.oauthError) {
		return {
			message: `Ponto refused the token request (${failure.oauthError})`,
			description:
				failure.oauthError === 'invalid_client' || status === 401
					? 'Check the Client ID and Client Secret of the Ponto credential. The secret is shown only once when the integration is created in the Ponto dashboard; create a new one there if it is lost.'
					: 'Check the credential: the API Base URL must point at Ponto (https://api.myponto.com) and the integration must still exist.',
		};
	}
	if (status === 401) {
		return {
			message: 'Ponto rejected the credentials',
			description: withRequestId(advice ?? CODE_ADVICE.invalidAccessToken, requestId),
		};
	}
	if (status === 403) {
		return {
			message: `Ponto refused access${details ? `: ${details}` : ''}`,
			description: withRequestId(
				advice ??
					(failure.refusal === 'payment' ? PAYMENT_REFUSED : undefined) ??
					'The integration is not allowed to do this. Check which accounts and scopes the integration was granted in the Ponto dashboard.',
				requestId,
			),
		};
	}
	if (status === 404) {
		const what =
			failure.resource ?? (errors[0]?.meta?.resource as string | undefined) ?? 'resource';
		return {
			message: `The ${what} was not found in Ponto`,
			description: withRequestId(CODE_ADVICE.resourceNotFound, requestId),
		};
	}
	if (status === 429) {
		const wait =
			failure.retryAfterSeconds !== undefined
				? ` Ponto asked to wait ${failure.retryAfterSeconds} s.`
				: '';
		return {
			message: 'Ponto rate limit reached',
			description: withRequestId(
				`Too many requests were sent in a short time and the retries ran out.${wait} Run the workflow again later or poll less often.`,
				requestId,
			),
		};
	}
	if (status >= 500) {
		return {
			message: `Ponto is unavailable (HTTP ${status})`,
			description: withRequestId(
				failure.refusal === 'payment'
					? `Ponto answered with a server error and the retries (with the same idempotency key) ran out. ${PAYMENT_UNKNOWN}`
					: 'Ponto answered with a server error and the retries ran out. Try again later; if it persists, contact Ponto support with the request id.',
				requestId,
			),
		};
	}
	if (failure.refusal === 'payment') {
		return {
			message: `Ponto refused the payment${details ? `: ${details}` : ` (HTTP ${status})`}`,
			description: withRequestId(advice ?? PAYMENT_REFUSED, requestId),
		};
	}
	if (failure.refusal === 'synchronization') {
		return {
			message: `Ponto refused the synchronization${details ? `: ${details}` : ` (HTTP ${status})`}`,
			description: withRequestId(advice ?? SYNCHRONIZATION_REFUSED, requestId),
		};
	}
	return {
		message: details
			? `Ponto refused the request: ${details}`
			: `Ponto refused the request (HTTP ${status})`,
		description: withRequestId(advice ?? 'Check the values of the node parameters.', requestId),
	};
}

/** A response that came back but is not usable Ponto data (see responseShape.ts). */
export function describeMalformed(problem: string): DescribedError {
	return {
		message: `Ponto sent a response the node cannot use: ${problem}`,
		description:
			'Nothing was output for this request. The API Base URL of the credential may not point at Ponto (a proxy or a captive portal can answer in its place), or Ponto had a fault. Check the URL and run the workflow again later; if it persists, contact Ponto support.',
	};
}

/** Defensive: an unexpected error message must not carry an Authorization value onwards. */
export function redactSecrets(text: string): string {
	return text
		.replace(/\b(Bearer|Basic)(\s+|%20|\+)[A-Za-z0-9._~+/=%-]+/gi, '$1 [redacted]')
		.replace(
			SECRET_VALUE,
			(_match, name: string, separator: string) => `${name}${separator}[redacted]`,
		);
}

/**
 * A secret-bearing name (access_token, refresh_token, client_secret, code_verifier, password,
 * authorization, ...) with its value, in any spelling a message may carry: `name=value`,
 * `name: value`, `"name":"value"`, `name%3Dvalue` (URL-encoded), `name\u003dvalue`.
 */
const SECRET_VALUE =
	/((?:access|refresh|id)[_-]?token|client[_-]?secret|code[_-]?verifier|passphrase|password|authorization|private[_-]?key)(\\?["']?[ \t]*(?:=|:|%3D|%3A|\\u003d)[ \t]*\\?["']?)(?!\[redacted\]|(?:Bearer|Basic) \[redacted\])[^&\s"',;}\\]+/gi;

/** A JSON Web Token (an access token of Ponto Connect) standing alone in a text. */
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

/** Text Ponto (or a server in its place) wrote about a failure: secrets and bare tokens cut out. */
export function redactErrorText(text: string): string {
	return redactSecrets(text).replace(JWT, '[…]');
}

/** A clean, secret-free object for NodeApiError's error response. */
export function failureToJson(failure: PontoFailure): IDataObject {
	const json: IDataObject = {};
	if (failure.status !== undefined) json.httpCode = String(failure.status);
	if (failure.errors?.length) json.errors = failure.errors as unknown as IDataObject[];
	if (failure.oauthError) json.error = failure.oauthError;
	if (failure.requestId) json.requestId = failure.requestId;
	// Not `code`: NodeApiError would swap our message for its generic one for network codes.
	if (failure.networkCode) json.networkCode = failure.networkCode;
	return json;
}
