import {
	basic,
	consent,
	openAuthorization,
	pkcePair,
	postForm,
} from '../../../emulator/connect/client';
import { DEFAULT_CONNECT_CLIENT } from '../../../emulator';
import { api, appTls, bootConnect, call, emu, login, pki, token } from './context';

const CLIENT_ID = DEFAULT_CONNECT_CLIENT.clientId;
const REDIRECT = DEFAULT_CONNECT_CLIENT.redirectUris[0];

function authParams(
	overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
	return {
		client_id: CLIENT_ID,
		redirect_uri: REDIRECT,
		response_type: 'code',
		scope: 'offline_access ai',
		state: 'state-123456',
		code_challenge: pkcePair().challenge,
		code_challenge_method: 'S256',
		...overrides,
	};
}

describe('authorization host', () => {
	beforeEach(() => bootConnect());

	it('consents at once and redirects with a code, the scope and the state', async () => {
		const res = await openAuthorization(
			emu.authorizationUrl,
			authParams({ scope: 'ai pi name offline_access' }),
		);
		expect(res.status).toBe(302);
		expect(`${res.location!.origin}${res.location!.pathname}`).toBe(REDIRECT);
		expect(res.location!.searchParams.get('code')).toMatch(/^[\w-]{43}\.[\w-]{43}$/);
		expect(res.location!.searchParams.get('state')).toBe('state-123456');
		expect(res.location!.searchParams.get('scope')).toBe('ai pi name offline_access');
		expect(emu.log[0]).toMatchObject({
			server: 'authorization',
			path: '/oauth2/auth',
			status: 302,
		});
	});

	it('shows a 400 page (no redirect) for an unknown client or an unregistered redirect_uri', async () => {
		for (const bad of [
			{ client_id: 'nope' },
			{ client_id: undefined },
			{ redirect_uri: 'https://evil.example/cb' },
			{ redirect_uri: undefined },
		]) {
			const res = await openAuthorization(emu.authorizationUrl, authParams(bad));
			expect(res.status).toBe(400);
			expect(res.location).toBeUndefined();
			expect(res.text).toMatch(/invalid_(client|request)/);
		}
	});

	it.each([
		['response_type token', { response_type: 'token' }, 'unsupported_response_type'],
		['scope without ai', { scope: 'offline_access pi' }, 'invalid_scope'],
		['unknown scope', { scope: 'ai banana' }, 'invalid_scope'],
		['no code_challenge', { code_challenge: undefined }, 'invalid_request'],
		['short code_challenge', { code_challenge: 'short' }, 'invalid_request'],
		['non-base64url code_challenge', { code_challenge: `${'a'.repeat(42)}+` }, 'invalid_request'],
		['method plain', { code_challenge_method: 'plain' }, 'invalid_request'],
		['no code_challenge_method', { code_challenge_method: undefined }, 'invalid_request'],
		['no state', { state: undefined }, 'invalid_request'],
	])(
		'%s: redirects with the error',
		async (_label, overrides: Record<string, string | undefined>, error) => {
			const res = await openAuthorization(emu.authorizationUrl, authParams(overrides));
			expect(res.status).toBe(302);
			expect(res.location!.searchParams.get('error')).toBe(error);
			expect(res.location!.searchParams.get('code')).toBeNull();
			expect(res.location!.searchParams.get('state')).toBe(
				'state' in overrides ? null : 'state-123456',
			);
		},
	);

	it('denies the next consent on demand (access_denied), then consents again', async () => {
		emu.connect.denyNextConsent();
		const denied = await openAuthorization(emu.authorizationUrl, authParams());
		expect(denied.location!.searchParams.get('error')).toBe('access_denied');
		expect(denied.location!.searchParams.get('state')).toBe('state-123456');
		expect(
			(await openAuthorization(emu.authorizationUrl, authParams())).location!.searchParams.get(
				'code',
			),
		).toBeTruthy();
		emu.connect.setOptions({ denyConsent: true });
		expect(
			(await openAuthorization(emu.authorizationUrl, authParams())).location!.searchParams.get(
				'error',
			),
		).toBe('access_denied');
	});
});

describe('authorization code + PKCE, refresh rotation, revoke', () => {
	it('runs the whole chain', async () => {
		await bootConnect();
		const c = await consent(emu.authorizationUrl, { scope: 'offline_access ai pi name' });
		const exchanged = await token({
			grant_type: 'authorization_code',
			code: c.code,
			redirect_uri: c.redirectUri,
			code_verifier: c.verifier,
			client_id: CLIENT_ID,
		});
		expect(exchanged.status).toBe(200);
		expect(exchanged.headers['content-type']).toMatch(/^application\/json/);
		expect(Object.keys(exchanged.body)).toEqual([
			'access_token',
			'expires_in',
			'refresh_token',
			'scope',
			'token_type',
		]);
		expect(exchanged.body).toMatchObject({
			expires_in: 1799,
			scope: 'offline_access ai pi name',
			token_type: 'bearer',
		});
		const grant = emu.connect.grants[0];
		expect(grant).toMatchObject({
			clientId: CLIENT_ID,
			organizationId: emu.dataset.organizationId,
			scopes: ['offline_access', 'ai', 'pi', 'name'],
			status: 'active',
		});
		expect(emu.connect.currentRefreshToken()).toBe(exchanged.body.refresh_token);
		expect((await call('/accounts', { token: exchanged.body.access_token })).status).toBe(200);

		const first = exchanged.body.refresh_token!;
		const refreshed = await token({
			grant_type: 'refresh_token',
			refresh_token: first,
			client_id: CLIENT_ID,
		});
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).toBeDefined();
		expect(refreshed.body.refresh_token).not.toBe(first);
		expect(refreshed.body.access_token).not.toBe(exchanged.body.access_token);
		expect(emu.connect.refreshCount).toBe(1);
		expect(emu.connect.currentRefreshToken(grant.id)).toBe(refreshed.body.refresh_token);

		const old = await token({
			grant_type: 'refresh_token',
			refresh_token: first,
			client_id: CLIENT_ID,
		});
		expect(old.status).toBe(400);
		expect(old.body).toEqual({
			error: 'invalid_grant',
			error_description: expect.stringContaining('already been used'),
		});
		// Default: the reuse does not kill the current one.
		const again = await token({
			grant_type: 'refresh_token',
			refresh_token: refreshed.body.refresh_token!,
			client_id: CLIENT_ID,
		});
		expect(again.status).toBe(200);
		expect(emu.connect.grants[0]).toMatchObject({
			refreshCount: 2,
			refreshReuseCount: 1,
			status: 'active',
		});

		const revoked = await postForm(
			api('/oauth2/revoke'),
			{ token: again.body.refresh_token! },
			appTls(),
		);
		expect(revoked.status).toBe(200);
		expect(revoked.text).toBe('');
		expect(emu.connect.grants[0]).toMatchObject({ status: 'revoked', revokedBy: 'revoke' });
		expect(
			(
				await token({
					grant_type: 'refresh_token',
					refresh_token: again.body.refresh_token!,
					client_id: CLIENT_ID,
				})
			).body.error,
		).toBe('invalid_grant');
		expect((await call('/accounts', { token: again.body.access_token })).status).toBe(401);

		const secrets = [
			DEFAULT_CONNECT_CLIENT.clientSecret,
			c.code,
			c.verifier,
			first,
			exchanged.body.access_token,
			again.body.access_token,
			again.body.refresh_token!,
			pki.client.key,
			pki.webhook.privateKey,
		];
		const log = JSON.stringify(emu.log);
		for (const secret of secrets) expect(log).not.toContain(secret);
		expect(emu.requestsTo('/ponto-connect/oauth2/token').map((e) => e.status)).toEqual([
			200, 200, 400, 200, 400,
		]);
	});

	it('a code presented again revokes every token it produced (RFC 6749 §4.1.2), other grants untouched', async () => {
		await bootConnect();
		const other = await consent(emu.authorizationUrl, { scope: 'offline_access ai' });
		const otherTokens = await token({
			grant_type: 'authorization_code',
			code: other.code,
			redirect_uri: other.redirectUri,
			code_verifier: other.verifier,
			client_id: CLIENT_ID,
		});
		const c = await consent(emu.authorizationUrl, { scope: 'offline_access ai' });
		const exchanged = await token({
			grant_type: 'authorization_code',
			code: c.code,
			redirect_uri: c.redirectUri,
			code_verifier: c.verifier,
			client_id: CLIENT_ID,
		});
		const refreshed = await token({
			grant_type: 'refresh_token',
			refresh_token: exchanged.body.refresh_token!,
			client_id: CLIENT_ID,
		});
		expect(refreshed.status).toBe(200);
		const reused = await token({
			grant_type: 'authorization_code',
			code: c.code,
			redirect_uri: c.redirectUri,
			code_verifier: c.verifier,
			client_id: CLIENT_ID,
		});
		expect(reused.status).toBe(400);
		expect(reused.body).toEqual({
			error: 'invalid_grant',
			error_description: expect.stringContaining('already been used'),
		});
		expect(emu.connect.grants.map((grant) => [grant.status, grant.revokedBy])).toEqual([
			['active', undefined],
			['revoked', 'codeReuse'],
		]);
		expect((await call('/accounts', { token: refreshed.body.access_token })).status).toBe(401);
		expect(
			(
				await token({
					grant_type: 'refresh_token',
					refresh_token: refreshed.body.refresh_token!,
					client_id: CLIENT_ID,
				})
			).status,
		).toBe(400);
		expect((await call('/accounts', { token: otherTokens.body.access_token })).status).toBe(200);
		expect(
			emu.log
				.filter((entry) => entry.path.endsWith('/oauth2/token'))
				.map((entry) => entry.grantType),
		).toEqual([
			'authorization_code',
			'authorization_code',
			'refresh_token',
			'authorization_code',
			'refresh_token',
		]);
	});

	it('refuses a wrong verifier, redirect_uri, client or expired code; the code survives failed attempts', async () => {
		let now = Date.now();
		await bootConnect({ now: () => new Date(now) });
		const c = await consent(emu.authorizationUrl);
		const base = {
			grant_type: 'authorization_code',
			code: c.code,
			redirect_uri: c.redirectUri,
			code_verifier: c.verifier,
			client_id: CLIENT_ID,
		};
		const wrongVerifier = await token({ ...base, code_verifier: pkcePair().verifier });
		expect([wrongVerifier.status, wrongVerifier.body.error]).toEqual([400, 'invalid_grant']);
		expect(wrongVerifier.body.error_description).toMatch(/PKCE/);
		expect((await token({ ...base, code_verifier: '' })).body.error).toBe('invalid_request');
		expect(
			(await token({ ...base, redirect_uri: DEFAULT_CONNECT_CLIENT.redirectUris[1] })).body.error,
		).toBe('invalid_grant');
		const otherClient = await token({ ...base, client_id: 'someone-else' });
		expect([otherClient.status, otherClient.body.error]).toEqual([401, 'invalid_client']);
		const badSecret = await postForm(api('/oauth2/token'), base, appTls(), {
			...DEFAULT_CONNECT_CLIENT,
			clientSecret: 'wrong',
		});
		expect(badSecret.status).toBe(401);
		expect((await token({ ...base, grant_type: 'password' })).body.error).toBe(
			'unsupported_grant_type',
		);
		expect((await token(base)).status).toBe(200);

		const late = await consent(emu.authorizationUrl);
		now += 601_000;
		const expired = await token({ ...base, code: late.code, code_verifier: late.verifier });
		expect(expired.body).toEqual({
			error: 'invalid_grant',
			error_description: expect.stringContaining('expired'),
		});
	});

	it('without offline_access there is no refresh token', async () => {
		await bootConnect();
		const { body } = await login('ai');
		expect(body.refresh_token).toBeUndefined();
		expect(body.scope).toBe('ai');
		expect(emu.connect.currentRefreshToken()).toBeUndefined();
	});

	it('revokeGrantOnRefreshReuse: replaying an old refresh token kills the current one too', async () => {
		await bootConnect({ connectOptions: { revokeGrantOnRefreshReuse: true } });
		const { refresh } = await login();
		const next = await token({
			grant_type: 'refresh_token',
			refresh_token: refresh!,
			client_id: CLIENT_ID,
		});
		expect(next.status).toBe(200);
		expect(
			(await token({ grant_type: 'refresh_token', refresh_token: refresh!, client_id: CLIENT_ID }))
				.body.error,
		).toBe('invalid_grant');
		expect(
			(
				await token({
					grant_type: 'refresh_token',
					refresh_token: next.body.refresh_token!,
					client_id: CLIENT_ID,
				})
			).body.error,
		).toBe('invalid_grant');
		expect((await call('/accounts', { token: next.body.access_token })).status).toBe(401);
		expect(emu.connect.grants[0]).toMatchObject({ status: 'revoked', revokedBy: 'refreshReuse' });
	});

	it('access tokens honour tokenLifetimeSeconds, expireTokensEveryRequests, expireAllTokens, refreshRevokesAccessTokens', async () => {
		let now = Date.now();
		await bootConnect({
			now: () => new Date(now),
			tokenLifetimeSeconds: 60,
			expireTokensEveryRequests: 2,
		});
		const { access, refresh, body } = await login();
		expect(body.expires_in).toBe(60);
		expect((await call('/accounts', { token: access })).status).toBe(200);
		expect((await call('/accounts', { token: access })).status).toBe(200);
		expect((await call('/accounts', { token: access })).status).toBe(401);
		emu.setOptions({ expireTokensEveryRequests: undefined });
		const second = await token({
			grant_type: 'refresh_token',
			refresh_token: refresh!,
			client_id: CLIENT_ID,
		});
		now += 61_000;
		expect((await call('/accounts', { token: second.body.access_token })).status).toBe(401);
		const third = await token({
			grant_type: 'refresh_token',
			refresh_token: second.body.refresh_token!,
			client_id: CLIENT_ID,
		});
		emu.expireAllTokens();
		expect((await call('/accounts', { token: third.body.access_token })).status).toBe(401);
		emu.connect.setOptions({ refreshRevokesAccessTokens: true });
		const fourth = await token({
			grant_type: 'refresh_token',
			refresh_token: third.body.refresh_token!,
			client_id: CLIENT_ID,
		});
		expect((await call('/accounts', { token: fourth.body.access_token })).status).toBe(200);
		await token({
			grant_type: 'refresh_token',
			refresh_token: fourth.body.refresh_token!,
			client_id: CLIENT_ID,
		});
		expect((await call('/accounts', { token: fourth.body.access_token })).status).toBe(401);
	});

	it('client_credentials gives a client token (scope "") that user endpoints refuse', async () => {
		await bootConnect();
		const res = await postForm(
			api('/oauth2/token'),
			{ grant_type: 'client_credentials' },
			appTls(),
		);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			access_token: expect.any(String),
			expires_in: 1799,
			scope: '',
			token_type: 'bearer',
		});
		const refused = await call<{ errors: Array<{ code: string }> }>('/accounts', {
			token: res.body.access_token as string,
		});
		expect(refused.status).toBe(401);
		expect(refused.body.errors[0].code).toBe('invalidAccessToken');
	});

	it('revoke needs client authentication and a token; unknown tokens are fine (RFC 7009)', async () => {
		await bootConnect();
		const { access } = await login();
		expect((await postForm(api('/oauth2/revoke'), {}, appTls())).body).toMatchObject({
			error: 'invalid_request',
		});
		const anonymous = await call('/oauth2/revoke', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'token=x',
		});
		expect(anonymous.status).toBe(401);
		expect((await postForm(api('/oauth2/revoke'), { token: 'unknown' }, appTls())).status).toBe(
			200,
		);
		expect(emu.connect.grants[0].status).toBe('active');
		// Revoking an access token kills only that token.
		expect((await postForm(api('/oauth2/revoke'), { token: access }, appTls())).status).toBe(200);
		expect((await call('/accounts', { token: access })).status).toBe(401);
		expect(emu.connect.grants[0].status).toBe('active');
	});

	it('seedGrant and revokeGrant skip the browser and model a user disconnecting', async () => {
		await bootConnect();
		const seeded = emu.connect.seedGrant({ scopes: ['ai', 'offline_access'] });
		expect(seeded.refreshToken).toBe(emu.connect.currentRefreshToken(seeded.grantId));
		expect((await call('/accounts', { token: seeded.accessToken })).status).toBe(200);
		emu.connect.revokeGrant(seeded.grantId);
		expect((await call('/accounts', { token: seeded.accessToken })).status).toBe(401);
		expect(
			(
				await token({
					grant_type: 'refresh_token',
					refresh_token: seeded.refreshToken!,
					client_id: CLIENT_ID,
				})
			).body.error,
		).toBe('invalid_grant');
		expect(basic()).toMatch(/^Basic /);
	});

	it('refreshTokenLifetimeSeconds ends refresh tokens', async () => {
		let now = Date.now();
		await bootConnect({
			now: () => new Date(now),
			connectOptions: { refreshTokenLifetimeSeconds: 3600 },
		});
		const { refresh } = await login();
		now += 3_601_000;
		const res = await token({
			grant_type: 'refresh_token',
			refresh_token: refresh!,
			client_id: CLIENT_ID,
		});
		expect(res.body).toEqual({
			error: 'invalid_grant',
			error_description: expect.stringContaining('expired'),
		});
	});

	it('never logs secrets, even when a client puts them in the query string', async () => {
		await bootConnect();
		const { access, refresh } = await login();
		const q = new URLSearchParams({
			grant_type: 'refresh_token',
			refresh_token: refresh!,
			client_id: CLIENT_ID,
			client_secret: DEFAULT_CONNECT_CLIENT.clientSecret,
			x: access,
		});
		const res = await call(`/oauth2/token?${q.toString()}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: '',
		});
		expect(res.status).toBe(200);
		const entry = emu.requestsTo('/ponto-connect/oauth2/token').pop()!;
		expect(entry.query).toEqual({
			grant_type: 'refresh_token',
			refresh_token: '[redacted]',
			client_id: CLIENT_ID,
			client_secret: '[redacted]',
			x: '[redacted]',
		});
		const log = JSON.stringify(emu.log);
		for (const secret of [
			access,
			refresh!,
			DEFAULT_CONNECT_CLIENT.clientSecret,
			pki.client.key,
			pki.signing.privateKey,
		])
			expect(log).not.toContain(secret);
	});
});
