import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { storedTokensRotated } from '../../../nodes/Ponto/transport/connectCredential';
import { REFRESH_REFUSED_MESSAGE } from '../../../nodes/Ponto/transport/connectTokens';
import type { ConnectTokenSettings } from '../../../nodes/Ponto/transport/connectTokens';
import {
	afterRefusal,
	isRefreshRefusal,
	refreshTokenKey,
	refreshTokensShared,
	refusedRefreshTokens,
	resetTokenCaches,
	rotationReuseMs,
} from '../../../nodes/Ponto/transport/tokenRotation';

/** Refresh-token rotation across processes: the decisions behind docs/token-rotation.md. */
const BASE = 'https://127.0.0.1:9443';
const SETTINGS: ConnectTokenSettings = {
	tokenUrl: `${BASE}/ponto-connect/oauth2/token`,
	clientId: 'client-1',
	clientSecret: 'secret-1',
	tls: { cert: 'CERT', key: 'KEY' },
};
const keyOf = (refreshToken: string) =>
	refreshTokenKey(SETTINGS.tokenUrl, SETTINGS.clientId, refreshToken);
const invalidGrant = () =>
	Object.assign(new Error('Request failed with status code 400'), {
		response: { status: 400, data: { error: 'invalid_grant' } },
	});

/** A token endpoint that rotates: refresh token rt-N becomes rt-(N+1); a used one is refused. */
function tokenEndpoint(expiresIn = 1799) {
	let current = 1;
	const calls: string[] = [];
	const httpRequest = jest.fn(async (options: IHttpRequestOptions) => {
		const presented = new URLSearchParams(String(options.body)).get('refresh_token') ?? '';
		calls.push(presented);
		await new Promise((resolve) => setTimeout(resolve, 5));
		if (presented !== `rt-${current}`) throw invalidGrant();
		current++;
		return {
			access_token: `at-${current}`,
			refresh_token: `rt-${current}`,
			expires_in: expiresIn,
			token_type: 'bearer',
		};
	});
	return { helpers: { httpRequest } as unknown as IHttpRequestHelper['helpers'], calls };
}

/** What n8n's getCredentials hands the node: the stored credential, one value per read. */
function storedReads(...refreshTokens: string[]) {
	const reads: string[] = [];
	const context = {
		getCredentials: jest.fn(async (): Promise<ICredentialDataDecryptedObject> => {
			const refreshToken = refreshTokens[Math.min(reads.length, refreshTokens.length - 1)];
			reads.push(refreshToken);
			return { baseUrl: `${BASE}/`, clientId: ' client-1 ', refreshToken };
		}),
	};
	return { context, reads };
}

beforeEach(() => resetTokenCaches());
afterEach(() => jest.restoreAllMocks());

describe('afterRefusal: what to do once Ponto refused the refresh token a request held', () => {
	const refused = new Set(['k-old']);
	test.each([
		[
			'stored token differs from every refused one: another process rotated, retry',
			'k-new',
			1,
			'retry',
		],
		['same on the last look too: retry', 'k-new', 0, 'retry'],
		['stored token is the refused one: look again shortly', 'k-old', 1, 'wait'],
		['still the refused one on the last look: relink', 'k-old', 0, 'relink'],
		['no stored refresh token: relink', undefined, 1, 'relink'],
	])('%s', (_name, stored, looksLeft, expected) => {
		expect(afterRefusal(stored, refused, looksLeft)).toBe(expected);
	});
});

describe('rotationReuseMs: how long a rotation is handed to holders of the old refresh token', () => {
	test('two minutes for Ponto tokens (30 min), half the life of short ones, two minutes when unknown', () => {
		expect(rotationReuseMs(1799)).toBe(120_000);
		expect(rotationReuseMs(3)).toBe(1_500);
		expect(rotationReuseMs(undefined)).toBe(120_000);
		expect(rotationReuseMs(0)).toBe(120_000);
	});
});

describe('isRefreshRefusal', () => {
	test('finds the refusal through the errors n8n wraps it in, by flag or by message', async () => {
		const { helpers } = tokenEndpoint();
		const refusal = await refreshTokensShared(helpers, SETTINGS, 'rt-9').catch(
			(error: unknown) => error,
		);
		expect(refusal).toMatchObject({ message: REFRESH_REFUSED_MESSAGE, refreshRefused: true });
		expect(isRefreshRefusal(refusal)).toBe(true);
		expect(
			isRefreshRefusal({ message: 'NodeApiError', cause: { message: 'wrapped', cause: refusal } }),
		).toBe(true);
		expect(isRefreshRefusal({ message: REFRESH_REFUSED_MESSAGE })).toBe(true);
		expect(
			isRefreshRefusal(
				new Error('Ponto did not accept the Client ID and Client Secret (invalid_client)'),
			),
		).toBe(false);
		expect(isRefreshRefusal(undefined)).toBe(false);
	});
});

describe('refreshTokensShared in one process', () => {
	test('callers holding the same refresh token share one refresh; later holders get the rotation', async () => {
		const { helpers, calls } = tokenEndpoint();
		const results = await Promise.all(
			Array.from({ length: 5 }, async () => await refreshTokensShared(helpers, SETTINGS, 'rt-1')),
		);
		expect(calls).toEqual(['rt-1']);
		expect(new Set(results.map((tokens) => tokens.refreshToken))).toEqual(new Set(['rt-2']));
		expect((await refreshTokensShared(helpers, SETTINGS, 'rt-1')).refreshToken).toBe('rt-2');
		expect(calls).toEqual(['rt-1']);
	});

	test('the rotation is handed out only while its access token surely lives, then the old token goes to Ponto', async () => {
		const { helpers, calls } = tokenEndpoint(4);
		const start = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
		await refreshTokensShared(helpers, SETTINGS, 'rt-1');
		clock.mockReturnValue(start + 1_900);
		expect((await refreshTokensShared(helpers, SETTINGS, 'rt-1')).refreshToken).toBe('rt-2');
		clock.mockReturnValue(start + 2_100);
		await expect(refreshTokensShared(helpers, SETTINGS, 'rt-1')).rejects.toMatchObject({
			refreshRefused: true,
		});
		expect(calls).toEqual(['rt-1', 'rt-1']);
	});

	test('a refusal is remembered by hash, never by value', async () => {
		const { helpers } = tokenEndpoint();
		await expect(refreshTokensShared(helpers, SETTINGS, 'rt-7')).rejects.toThrow(
			REFRESH_REFUSED_MESSAGE,
		);
		const refused = refusedRefreshTokens();
		expect([...refused]).toEqual([keyOf('rt-7')]);
		expect([...refused][0]).toMatch(/^[0-9a-f]{64}$/);
	});

	test('other token errors are not refusals and are not remembered', async () => {
		const helpers = {
			httpRequest: jest.fn(async () => {
				throw Object.assign(new Error('Request failed with status code 401'), {
					response: { status: 401, data: { error: 'invalid_client' } },
				});
			}),
		} as unknown as IHttpRequestHelper['helpers'];
		const error = await refreshTokensShared(helpers, SETTINGS, 'rt-1').catch(
			(thrown: unknown) => thrown,
		);
		expect(isRefreshRefusal(error)).toBe(false);
		expect(refusedRefreshTokens().size).toBe(0);
	});
});

describe('storedTokensRotated: re-read the stored credential after a refusal (another worker rotated)', () => {
	const refuse = async (refreshToken: string) => {
		const { helpers } = tokenEndpoint();
		return await refreshTokensShared(helpers, SETTINGS, refreshToken).catch(
			(error: unknown) => error,
		);
	};

	test('the stored refresh token changed: retry at once, one read, no wait', async () => {
		const refusal = await refuse('rt-0');
		const { context, reads } = storedReads('rt-5');
		const wait = jest.fn(async () => undefined);
		await expect(
			storedTokensRotated(context, { message: 'wrapped by n8n', cause: refusal }, wait),
		).resolves.toBe(true);
		expect(reads).toEqual(['rt-5']);
		expect(wait).not.toHaveBeenCalled();
		expect(context.getCredentials).toHaveBeenCalledWith('pontoConnectOAuth2Api');
	});

	test('unchanged at first (the other worker is still storing): one jittered wait, then retry', async () => {
		const refusal = await refuse('rt-0');
		const { context, reads } = storedReads('rt-0', 'rt-5');
		const wait = jest.fn(async () => undefined);
		await expect(storedTokensRotated(context, refusal, wait, () => 0.5)).resolves.toBe(true);
		expect(reads).toEqual(['rt-0', 'rt-5']);
		expect(wait).toHaveBeenCalledWith(500);
	});

	test('unchanged twice: relink (false), the wait is between 250 and 750 ms', async () => {
		const refusal = await refuse('rt-0');
		const { context, reads } = storedReads('rt-0');
		const waits: number[] = [];
		const wait = async (ms: number) => {
			waits.push(ms);
		};
		await expect(storedTokensRotated(context, refusal, wait, () => 0)).resolves.toBe(false);
		await expect(storedTokensRotated(context, refusal, wait, () => 0.999)).resolves.toBe(false);
		expect(reads).toHaveLength(4);
		expect(waits).toEqual([250, 749]);
	});

	test('not a refusal, or the credential cannot be read: no retry', async () => {
		const { context } = storedReads('rt-5');
		await expect(
			storedTokensRotated(
				context,
				new Error('Ponto did not accept the Client ID and Client Secret (invalid_client)'),
			),
		).resolves.toBe(false);
		expect(context.getCredentials).not.toHaveBeenCalled();
		const refusal = await refuse('rt-0');
		const broken = {
			getCredentials: jest.fn(async (): Promise<ICredentialDataDecryptedObject> =>
				Promise.reject(new Error('gone')),
			),
		};
		await expect(storedTokensRotated(broken, refusal)).resolves.toBe(false);
	});

	test('a stored token refused by this process earlier (not the current refusal) is not retried', async () => {
		await refuse('rt-3');
		const refusal = await refuse('rt-0');
		const { context } = storedReads('rt-3');
		await expect(storedTokensRotated(context, refusal, async () => undefined)).resolves.toBe(false);
	});
});
