import { describeFailure, failureToJson } from '../../../nodes/Ponto/helpers/errors';
import { failureFromError, redactSecrets } from '../../../nodes/Ponto/transport/failure';

/** Issue 13 finding 2: Ponto's error text is reduced to what helps and redacted. */
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcmcifQ.c2lnbmF0dXJlLXZhbHVl';
const OPAQUE = 'opaque-token-4c1d9a7b';

describe('redactSecrets', () => {
	test.each([
		[
			'a JSON access token',
			'{"access_token":"opaque-token-4c1d9a7b","token_type":"bearer"}',
			'{"access_token":"[redacted]","token_type":"bearer"}',
		],
		[
			'a JSON refresh token with spaces',
			'{"refresh_token" : "opaque-token-4c1d9a7b"}',
			'{"refresh_token" : "[redacted]"}',
		],
		[
			'an escaped JSON token',
			'{\\"access_token\\":\\"opaque-token-4c1d9a7b\\"}',
			'{\\"access_token\\":\\"[redacted]\\"}',
		],
		[
			'a URL-encoded refresh token',
			'body=grant_type%3Drefresh_token%26refresh_token%3Dopaque-token-4c1d9a7b%26x',
			'body=grant_type%3Drefresh_token%26refresh_token%3D[redacted]',
		],
		[
			'a client secret after a colon',
			'client_secret: opaque-token-4c1d9a7b',
			'client_secret: [redacted]',
		],
		[
			'a header echoed as JSON',
			'{"authorization":"Bearer opaque-token-4c1d9a7b"}',
			'{"authorization":"Bearer [redacted]"}',
		],
		[
			'a raw authorization value',
			'{"Authorization":"opaque-token-4c1d9a7b"}',
			'{"Authorization":"[redacted]"}',
		],
		[
			'a URL-encoded Basic value',
			'authorization=Basic%20Y2xpZW50OnNlY3JldA%3D%3D',
			'authorization=Basic [redacted]',
		],
		[
			'a code verifier',
			'code_verifier=opaque-token-4c1d9a7b&code=1',
			'code_verifier=[redacted]&code=1',
		],
	])('%s', (_name, input, output) => {
		expect(redactSecrets(input)).toBe(output);
		expect(redactSecrets(input)).not.toContain(OPAQUE);
	});

	test('ordinary wording is left alone', () => {
		for (const text of [
			'The requested resource was not found.',
			'Account 3fa85f64-5717-4562-b3fc-2c963f66afa6 is blocked',
			'authorizationInvalid: renew the consent',
		]) {
			expect(redactSecrets(text)).toBe(text);
		}
	});
});

describe('A 403 whose body echoes the Authorization header leaks nothing', () => {
	const echoing = {
		name: 'AxiosError',
		message: 'Request failed with status code 403',
		response: {
			status: 403,
			headers: { 'ibanity-request-id': 'req-403' },
			data: {
				errors: [
					{
						code: 'forbidden',
						detail: `Authorization: Bearer ${TOKEN} does not grant this scope ({"access_token":"${OPAQUE}"}); token ${TOKEN}`,
						meta: {
							resource: 'account',
							requestId: 'meta-req-1',
							headers: { authorization: `Bearer ${TOKEN}` },
							echoed: OPAQUE,
						},
					},
				],
			},
		},
	};

	test('code, redacted detail, requestId and resource are kept; everything else in meta is dropped', () => {
		const failure = failureFromError(echoing);
		expect(failure.errors).toEqual([
			{
				code: 'forbidden',
				detail:
					'Authorization: Bearer [redacted] does not grant this scope ({"access_token":"[redacted]"}); token […]',
				meta: { resource: 'account', requestId: 'meta-req-1' },
			},
		]);
		const described = describeFailure(failure);
		const visible = JSON.stringify([failure, failureToJson(failure), described]);
		expect(visible).not.toContain(TOKEN);
		expect(visible).not.toContain(OPAQUE);
		expect(described.message).toBe(
			'Ponto refused access: forbidden: Authorization: Bearer [redacted] does not grant this scope ({"access_token":"[redacted]"}); token […]',
		);
	});
});
