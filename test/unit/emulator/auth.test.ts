import { basicAuth, type ErrorDocument } from '../../emulator/client';
import { emu, boot, get, postToken, sample, renewToken } from './context';

describe('token endpoint', () => {
	beforeEach(() => boot());

	it('issues client_credentials tokens with Basic, body or query-string grant', async () => {
		const basic = await postToken('grant_type=client_credentials', { authorization: basicAuth() });
		expect(basic.status).toBe(200);
		expect(basic.headers.get('content-type')).toMatch(/^application\/json/);
		expect(basic.headers.get('ibanity-request-id')).toMatch(/^[0-9A-F]{20,}$/);
		expect(basic.body).toEqual({
			access_token: expect.any(String),
			expires_in: 1799,
			scope: 'ai',
			token_type: 'bearer',
		});
		const inBody = await postToken(
			'grant_type=client_credentials&client_id=test-client-id&client_secret=test-client-secret',
		);
		expect(inBody.status).toBe(200);
		const inQuery = await postToken(
			'',
			{ authorization: basicAuth() },
			'?grant_type=client_credentials',
		);
		expect(inQuery.status).toBe(200);
		expect(
			new Set([basic.body.access_token, inBody.body.access_token, inQuery.body.access_token]).size,
		).toBe(3);
		expect(emu.requestsTo('/oauth2/token').map((e) => e.tokenSeq)).toEqual([1, 2, 3, 4]);
	});

	it('refuses bad clients (401 invalid_client) and unsupported grants (400)', async () => {
		const wrong = await postToken('grant_type=client_credentials', {
			authorization: basicAuth({ clientId: 'test-client-id', clientSecret: 'nope' }),
		});
		expect(wrong.status).toBe(401);
		expect(wrong.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
		expect(
			(
				await postToken('grant_type=client_credentials', {
					authorization: basicAuth({ clientId: 'x', clientSecret: 'y' }),
				})
			).status,
		).toBe(401);
		expect((await postToken('grant_type=client_credentials')).status).toBe(401);
		const grant = await postToken('grant_type=password', { authorization: basicAuth() });
		expect(grant.status).toBe(400);
		expect(grant.body.error).toBe('unsupported_grant_type');
	});
});
describe('bearer tokens', () => {
	it('answers 401 invalidAccessToken like error-invalid-access-token.json', async () => {
		let now = Date.now();
		await boot({ now: () => new Date(now), tokenLifetimeSeconds: 60 });
		const shape = sample<ErrorDocument>('error-invalid-access-token.json');
		for (const tok of ['', 'not-a-token']) {
			const res = await get<ErrorDocument>('/accounts', tok);
			expect(res.status).toBe(401);
			expect(res.headers.get('content-type')).toBe('application/vnd.api+json');
			expect(res.body.errors[0]).toEqual({
				...shape.errors[0],
				meta: { requestId: res.headers.get('ibanity-request-id') },
			});
		}
		expect((await get('/accounts')).status).toBe(200);
		now += 61_000;
		expect((await get('/accounts')).status).toBe(401);
		await renewToken();
		expect((await get('/accounts')).status).toBe(200);
		emu.expireAllTokens();
		expect((await get('/accounts')).status).toBe(401);
	});

	it('expireTokensEveryRequests kills a token after N authenticated requests', async () => {
		await boot({ expireTokensEveryRequests: 3 });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await get('/accounts')).status);
		expect(statuses).toEqual([200, 200, 200, 401]);
		await renewToken();
		expect((await get('/accounts')).status).toBe(200);
		expect(emu.requestsTo('/accounts').map((e) => [e.status, e.authenticated, e.tokenSeq])).toEqual(
			[
				[200, true, 1],
				[200, true, 1],
				[200, true, 1],
				[401, false, 1],
				[200, true, 2],
			],
		);
	});
});
