import type { IHttpRequestHelper } from 'n8n-workflow';

import {
	CodeRefused,
	exchangeAuthorizationCode,
	oauthAnswer,
	refreshTokens,
	verifyClient,
} from '../../../nodes/Ponto/transport/connectTokens';
import type { ConnectTokenSettings } from '../../../nodes/Ponto/transport/connectTokens';

/** How a refusal of Ponto's token endpoint is worded: after its error and error_description. */
const SETTINGS: ConnectTokenSettings = {
	tokenUrl: 'https://127.0.0.1:9443/ponto-connect/oauth2/token',
	clientId: 'client-1',
	clientSecret: 'secret-1',
	tls: { cert: 'CERT', key: 'KEY' },
};
const HYDRA =
	'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

/** n8n's httpRequest throwing what axios throws for an HTTP error answer. */
function answering(status: number, data: unknown): IHttpRequestHelper['helpers'] {
	const error = Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, data, headers: {} },
	});
	return {
		httpRequest: jest.fn(async () => await Promise.reject(error)),
	} as unknown as IHttpRequestHelper['helpers'];
}

async function exchange(helpers: IHttpRequestHelper['helpers']): Promise<CodeRefused> {
	const outcome = await exchangeAuthorizationCode(helpers, SETTINGS, {
		code: 'the-code',
		redirectUri: 'https://n8n.example.com/linked',
		codeVerifier: 'v'.repeat(43),
	}).then(
		() => undefined,
		(error: unknown) => error as CodeRefused,
	);
	if (!outcome) throw new Error('the exchange was expected to fail');
	return outcome;
}

describe('code exchange refusals name the real cause', () => {
	test.each([
		[
			'PKCE mismatch',
			`${HYDRA} The PKCE code challenge did not match the code verifier.`,
			'The pasted Authorization Response URL belongs to another authorization link (PKCE verification failed)',
		],
		[
			'PKCE, as another server words it',
			'PKCE verification failed',
			'The pasted Authorization Response URL belongs to another authorization link (PKCE verification failed)',
		],
		[
			'code used',
			`${HYDRA} The authorization code has already been used.`,
			'The authorization code in Authorization Response URL was already used (invalid_grant)',
		],
		[
			'code expired',
			`${HYDRA} The authorization code has expired.`,
			'The authorization code in Authorization Response URL has expired (invalid_grant)',
		],
		[
			'redirect_uri',
			`${HYDRA} The redirect_uri does not match the one of the authorization request.`,
			'The Redirect URI of the credential is not the one of the authorization link (invalid_grant)',
		],
		[
			'only the generic text',
			HYDRA,
			'The authorization code in Authorization Response URL was already used or has expired (invalid_grant)',
		],
	])('%s', async (_name, description, message) => {
		const refusal = await exchange(
			answering(400, { error: 'invalid_grant', error_description: description }),
		);
		expect(refusal).toBeInstanceOf(CodeRefused);
		expect(refusal.message).toBe(message);
		expect(refusal.description).toMatch(/^Ponto answered: invalid_grant: /);
	});

	test('a refused TLS client certificate names the certificate fields, not the client secret', async () => {
		const refusal = await exchange(
			answering(401, {
				error: 'invalid_client',
				error_description: 'A valid TLS client certificate is required',
			}),
		);
		expect(refusal.message).toBe(
			'Ponto refused the TLS client certificate (invalid_client: A valid TLS client certificate is required)',
		);
		expect(refusal.description).toMatch(/TLS Certificate and TLS Private Key/);
		// A configuration problem, not a refusal of the code: the same code may be exchanged once it is fixed.
		expect(refusal).not.toBeInstanceOf(CodeRefused);
	});

	test('wrong client credentials', async () => {
		const refusal = await exchange(
			answering(401, {
				error: 'invalid_client',
				error_description: 'Client authentication failed.',
			}),
		);
		expect(refusal.message).toBe(
			'Ponto did not accept the Client ID and Client Secret (invalid_client: Client authentication failed)',
		);
		expect(refusal.description).toMatch(/Client ID and Client Secret/);
	});

	test('a 5xx is not a refusal of the code (it may be sent again)', async () => {
		const refusal = await exchange(answering(503, 'Service Unavailable'));
		expect(refusal.message).toBe('The Ponto token endpoint refused the request (HTTP 503)');
		expect(refusal).not.toBeInstanceOf(CodeRefused);
	});

	test('the refresh and client-token calls are worded too', async () => {
		const refresh = await refreshTokens(
			answering(400, {
				error: 'invalid_grant',
				error_description: `${HYDRA} The refresh token has been revoked.`,
			}),
			SETTINGS,
			'rt',
		).catch((error: Error) => error);
		expect(refresh).toMatchObject({
			refreshRefused: true,
			message: 'The Ponto Connect link of this credential is no longer valid (invalid_grant)',
		});
		const client = await verifyClient(
			answering(401, {
				error: 'invalid_client',
				error_description: 'Client authentication failed.',
			}),
			SETTINGS,
		).catch((error: Error) => error);
		expect((client as Error).message).toMatch(
			/^Ponto did not accept the Client ID and Client Secret/,
		);
	});
});

describe("Ponto's words never carry a secret", () => {
	test('tokens, Basic credentials and form secrets in error_description are cut out', () => {
		const answer = oauthAnswer({
			response: {
				data: JSON.stringify({
					error: 'invalid_request',
					error_description:
						'Got Authorization: Basic Y2xpZW50LTE6c2VjcmV0LTE= and refresh_token=rt-secret&client_secret=secret-1 and Bearer at-secret',
				}),
			},
		});
		expect(answer.error).toBe('invalid_request');
		for (const secret of ['Y2xpZW50LTE6c2VjcmV0LTE=', 'rt-secret', 'secret-1', 'at-secret'])
			expect(answer.description).not.toContain(secret);
	});

	test('long answers are cut to 300 characters; nothing to read gives nothing', () => {
		expect(
			oauthAnswer({ response: { data: { error: 'x', error_description: 'y'.repeat(1000) } } })
				.description,
		).toHaveLength(300);
		expect(oauthAnswer(new Error('socket hang up'))).toEqual({});
		expect(oauthAnswer({ cause: { response: { data: { error: 'invalid_grant' } } } })).toEqual({
			error: 'invalid_grant',
			description: undefined,
		});
	});
});
