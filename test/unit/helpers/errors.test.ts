import { describeFailure, failureToJson } from '../../../nodes/Ponto/helpers/errors';
import type { PontoFailure } from '../../../nodes/Ponto/helpers/errors';
import {
	failureFromError,
	isRetryable,
	redactSecrets,
} from '../../../nodes/Ponto/transport/failure';
import { retryDelayMs } from '../../../nodes/Ponto/transport';
import { sampleText } from '../../support/fixtures';

const sample = sampleText;

const axiosLike = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
	name: 'AxiosError',
	message: `Request failed with status code ${status}`,
	config: { headers: { Authorization: 'Bearer secret-access-token' } },
	response: { status, data, headers },
});

describe('failureFromError', () => {
	test('reads status, Ponto errors, request id and Retry-After; never the request', () => {
		const failure = failureFromError(
			axiosLike(404, sample('error-resource-not-found.json'), { 'ibanity-request-id': 'req-1' }),
		);
		expect(failure).toEqual({
			status: 404,
			errors: [
				{
					code: 'resourceNotFound',
					detail: 'The requested resource was not found.',
					meta: { requestId: '00077F00000184847F0000011F4066E44223327005A', resource: 'account' },
				},
			],
			oauthError: undefined,
			requestId: 'req-1',
			retryAfterSeconds: undefined,
		});
		expect(JSON.stringify(failure)).not.toContain('secret-access-token');
	});

	test('Retry-After in seconds or as an HTTP date', () => {
		expect(failureFromError(axiosLike(429, '', { 'retry-after': '7' })).retryAfterSeconds).toBe(7);
		const now = Date.parse('2024-01-01T00:00:00Z');
		expect(
			failureFromError(axiosLike(429, '', { 'retry-after': 'Mon, 01 Jan 2024 00:00:30 GMT' }), now)
				.retryAfterSeconds,
		).toBe(30);
	});

	test('n8n OAuth2 client errors (direct or wrapped) become token refusals', () => {
		const authError = Object.assign(new Error('Client authentication failed'), {
			body: { error: 'invalid_client' },
			code: 'EAUTH',
		});
		expect(failureFromError(authError)).toEqual({ status: 401, oauthError: 'invalid_client' });
		const wrapped = Object.assign(
			new Error('Failed to acquire OAuth2 access token: Client authentication failed'),
			{ cause: authError },
		);
		expect(failureFromError(wrapped)).toEqual({ status: 401, oauthError: 'invalid_client' });
	});

	test('a NodeApiError from n8n helpers is read through its cause', () => {
		const nodeApiError = Object.assign(new Error('Bad gateway'), {
			httpCode: '502',
			cause: axiosLike(502, '<html>oops</html>'),
		});
		expect(failureFromError(nodeApiError).status).toBe(502);
	});

	test('network errors and unexpected ones', () => {
		expect(
			failureFromError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
		).toEqual({ networkCode: 'ECONNRESET' });
		expect(failureFromError(new Error('timeout of 30000ms exceeded'))).toEqual({
			networkCode: 'ETIMEDOUT',
		});
		expect(failureFromError(new Error('Bearer abc.def failed'))).toEqual({
			unexpected: 'Bearer [redacted] failed',
		});
	});
});

describe('retry policy', () => {
	test('reads retry 429, 5xx and dropped connections; writes only 429', () => {
		expect(isRetryable({ status: 500 }, 'GET')).toBe(true);
		expect(isRetryable({ networkCode: 'ECONNRESET' }, 'GET')).toBe(true);
		expect(isRetryable({ status: 404 }, 'GET')).toBe(false);
		expect(isRetryable({ status: 500 }, 'POST')).toBe(false);
		expect(isRetryable({ networkCode: 'ECONNRESET' }, 'POST')).toBe(false);
		expect(isRetryable({ status: 429 }, 'POST')).toBe(true);
		expect(isRetryable({ status: 401, oauthError: 'invalid_client' }, 'GET')).toBe(false);
	});

	test('backoff grows, honours Retry-After, and stops after four retries or a wait over a minute', () => {
		const delays = [0, 1, 2, 3].map((attempt) => retryDelayMs({ status: 503 }, 'GET', attempt)!);
		delays.forEach((delay, attempt) => {
			expect(delay).toBeGreaterThanOrEqual(250 * 2 ** attempt);
			expect(delay).toBeLessThanOrEqual(500 * 2 ** attempt);
		});
		expect(retryDelayMs({ status: 503 }, 'GET', 4)).toBeUndefined();
		expect(retryDelayMs({ status: 429, retryAfterSeconds: 2 }, 'GET', 0)).toBe(2000);
		expect(retryDelayMs({ status: 429, retryAfterSeconds: 61 }, 'GET', 0)).toBeUndefined();
	});
});

describe('describeFailure', () => {
	test('every message says what to do, and quotes the request id', () => {
		const cases = [
			[
				{ status: 401, errors: [{ code: 'invalidAccessToken' }] },
				'Ponto rejected the credentials',
				/Client ID and Client Secret/,
			],
			[
				{ status: 404, resource: 'account', requestId: 'r-9' },
				'The account was not found in Ponto',
				/shared with this integration.*r-9/,
			],
			[{ status: 429, retryAfterSeconds: 120 }, 'Ponto rate limit reached', /wait 120 s/],
			[{ status: 503 }, 'Ponto is unavailable (HTTP 503)', /Try again later/],
			[
				{ status: 400, errors: [{ code: 'validationError', detail: 'subtype is invalid' }] },
				'Ponto refused the request: validationError: subtype is invalid',
				/node parameters/,
			],
			[
				{ status: 400, errors: [{ code: 'x' }], refusal: 'synchronization' },
				'Ponto refused the synchronization: x',
				/unattended/,
			],
			[
				{ status: 403, errors: [{ code: 'authorizationInvalid' }] },
				'Ponto refused access: authorizationInvalid',
				/reauthorize/,
			],
			[{ networkCode: 'ECONNREFUSED' }, 'Could not reach Ponto', /\(ECONNREFUSED\).*API Base URL/],
			[
				{ status: 401, oauthError: 'invalid_client' },
				'Ponto refused the token request (invalid_client)',
				/shown only once/,
			],
		] as Array<[PontoFailure, string, RegExp]>;
		for (const [failure, message, description] of cases) {
			const described = describeFailure(failure);
			expect(described.message).toBe(message);
			expect(described.description).toMatch(description);
		}
	});

	test('the JSON handed to NodeApiError holds only whitelisted fields', () => {
		expect(
			failureToJson({ status: 404, requestId: 'r', errors: [{ code: 'resourceNotFound' }] }),
		).toEqual({
			httpCode: '404',
			requestId: 'r',
			errors: [{ code: 'resourceNotFound' }],
		});
	});

	test('redactSecrets strips bearer, basic and token parameters', () => {
		expect(
			redactSecrets('Authorization: Basic dGVzdDpzZWNyZXQ= refresh_token=abc&x=1 client_secret=s3'),
		).toBe('Authorization: Basic [redacted] refresh_token=[redacted]&x=1 client_secret=[redacted]');
	});
});
