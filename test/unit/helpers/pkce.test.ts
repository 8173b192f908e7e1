import { createHash } from 'node:crypto';

import {
	buildAuthorizationLink,
	codeChallenge,
	codeVerifier,
	newState,
	parseAuthorizationResponse,
	redirectProblem,
	STATE_MAX_AGE_MS,
	stateProblem,
} from '../../../nodes/Ponto/helpers/pkce';

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
		expect(
			buildAuthorizationLink({
				authorizationPage: 'https://x.test/auth',
				clientId: 'a',
				clientSecret: 's',
				redirectUri: 'https://r.test',
				includePaymentScope: true,
			}).scope,
		).toBe('ai name offline_access pi');
	});

	test('the pasted redirect: whole address, query only, an error, or garbage', () => {
		expect(parseAuthorizationResponse('https://n8n.example.com/linked?code=abc&state=xyz')).toEqual(
			{ code: 'abc', state: 'xyz' },
		);
		expect(parseAuthorizationResponse('  code=abc&state=xyz  ')).toEqual({
			code: 'abc',
			state: 'xyz',
		});
		expect(
			parseAuthorizationResponse(
				'https://n8n.example.com/linked?error=access_denied&error_description=User+said+no&state=s',
			),
		).toEqual({
			error: 'access_denied',
			description: 'User said no',
		});
		expect(parseAuthorizationResponse('https://n8n.example.com/linked')).toEqual({
			problem: expect.stringContaining('no code and state'),
		});
		expect(parseAuthorizationResponse('')).toBeUndefined();
		expect(parseAuthorizationResponse(undefined)).toBeUndefined();
	});
});

describe('the state binds an authorization link to the credential and to 30 minutes', () => {
	const binding = {
		clientId: 'app',
		clientSecret: 'secret',
		redirectUri: 'https://n8n.example.com/linked',
	};
	const now = Date.UTC(2026, 11, 4, 12);

	test('a fresh state of this credential passes; every state is new', () => {
		const state = newState(binding, now);
		expect(state).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{24}$/);
		expect(stateProblem(state, binding, now + STATE_MAX_AGE_MS)).toBeUndefined();
		expect(newState(binding, now)).not.toBe(state);
	});

	test.each([
		['another client secret', { clientSecret: 'other' }],
		['another client ID', { clientId: 'other-app' }],
		['another Redirect URI', { redirectUri: 'https://n8n.example.com/other' }],
	])('a state made with %s fails its MAC', (_name, change) => {
		expect(stateProblem(newState({ ...binding, ...change }, now), binding, now)).toMatch(
			/another credential, client secret or Redirect URI/,
		);
	});

	test('older than 30 minutes, dated in the future, tampered, or of another tool: refused', () => {
		const state = newState(binding, now);
		expect(stateProblem(state, binding, now + STATE_MAX_AGE_MS + 1)).toMatch(
			/more than 30 minutes old/,
		);
		expect(stateProblem(state, binding, now - 10 * 60_000)).toMatch(/dated in the future/);
		const [issuedAt, nonce] = state.split('.');
		expect(
			stateProblem(
				`${(parseInt(issuedAt, 36) + 1).toString(36)}.${nonce}.${state.split('.')[2]}`,
				binding,
				now,
			),
		).toMatch(/another credential/);
		expect(stateProblem('abcdefghijklmnopqrstuvwxyz012345', binding, now)).toMatch(
			/not made by this credential/,
		);
		expect(stateProblem('', binding, now)).toMatch(/not made by this credential/);
	});

	test('the link carries a state the credential accepts', () => {
		const link = buildAuthorizationLink({
			authorizationPage: 'https://x.test/auth',
			...binding,
			includePaymentScope: false,
			nowMs: now,
		});
		expect(
			stateProblem(new URL(link.url).searchParams.get('state')!, binding, now),
		).toBeUndefined();
	});
});

describe('the pasted address must be the Redirect URI', () => {
	const redirect = 'https://n8n.example.com/linked';
	test.each([
		['the Redirect URI with the answer', `${redirect}?code=c&state=s`, undefined],
		['with a trailing slash', `${redirect}/?code=c&state=s`, undefined],
		['only the query', 'code=c&state=s', undefined],
		[
			'another host',
			'https://evil.example/linked?code=c&state=s',
			/not an address of the Redirect URI/,
		],
		[
			'another scheme',
			'http://n8n.example.com/linked?code=c&state=s',
			/not an address of the Redirect URI/,
		],
		[
			'another port',
			'https://n8n.example.com:8443/linked?code=c&state=s',
			/not an address of the Redirect URI/,
		],
		[
			'another path',
			'https://n8n.example.com/linked/more?code=c&state=s',
			/not an address of the Redirect URI/,
		],
	])('%s', (_name, pasted, expected) => {
		const problem = redirectProblem(pasted, redirect);
		if (expected === undefined) expect(problem).toBeUndefined();
		else expect(problem).toMatch(expected);
	});
});
