import { createHash } from 'node:crypto';

import { buildAuthorizationLink, codeChallenge, codeVerifier, parseAuthorizationResponse } from '../../nodes/Ponto/helpers/pkce';

describe('PKCE linking helpers', () => {
	test('the verifier is derivable from the client secret and the state, and differs per link', () => {
		const verifier = codeVerifier('secret', 'state-1');
		expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(codeVerifier('secret', 'state-1')).toBe(verifier);
		expect(codeVerifier('secret', 'state-2')).not.toBe(verifier);
		expect(codeVerifier('other', 'state-1')).not.toBe(verifier);
		expect(codeChallenge(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
	});

	test('the authorization link carries client, redirect, scopes, state and an S256 challenge', () => {
		const link = buildAuthorizationLink({
			authorizationPage: 'https://sandbox-authorization.myponto.com/oauth2/auth',
			clientId: 'app',
			clientSecret: 'secret',
			redirectUri: 'https://n8n.example.com/linked',
			includePaymentScope: false,
		});
		const url = new URL(link.url);
		expect(url.origin + url.pathname).toBe('https://sandbox-authorization.myponto.com/oauth2/auth');
		expect(Object.fromEntries(url.searchParams)).toEqual({
			client_id: 'app',
			redirect_uri: 'https://n8n.example.com/linked',
			response_type: 'code',
			scope: 'ai name offline_access',
			state: link.state,
			code_challenge: codeChallenge(codeVerifier('secret', link.state)),
			code_challenge_method: 'S256',
		});
		expect(buildAuthorizationLink({ authorizationPage: 'https://x.test/auth', clientId: 'a', clientSecret: 's', redirectUri: 'https://r.test', includePaymentScope: true }).scope).toBe(
			'ai name offline_access pi',
		);
	});

	test('the pasted redirect: whole address, query only, an error, or garbage', () => {
		expect(parseAuthorizationResponse('https://n8n.example.com/linked?code=abc&state=xyz')).toEqual({ code: 'abc', state: 'xyz' });
		expect(parseAuthorizationResponse('  code=abc&state=xyz  ')).toEqual({ code: 'abc', state: 'xyz' });
		expect(parseAuthorizationResponse('https://n8n.example.com/linked?error=access_denied&error_description=User+said+no&state=s')).toEqual({
			error: 'access_denied',
			description: 'User said no',
		});
		expect(parseAuthorizationResponse('https://n8n.example.com/linked')).toEqual({ problem: expect.stringContaining('no code and state') });
		expect(parseAuthorizationResponse('')).toBeUndefined();
		expect(parseAuthorizationResponse(undefined)).toBeUndefined();
	});
});
