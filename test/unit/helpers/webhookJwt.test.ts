import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
	keysFromJwks,
	readWebhookHeader,
	verifyWebhookSignature,
	type VerifyWebhookInput,
} from '../../../nodes/Ponto/helpers/webhookJwt';
import {
	clearWebhookKeyCache,
	lookupWebhookKey,
	WebhookKeysUnavailable,
} from '../../../nodes/Ponto/transport/webhookKeys';
import {
	buildWebhookRequest,
	signJwt,
	WEBHOOK_EVENT_TYPES,
	WEBHOOK_FORGERIES,
	webhookEvent,
	webhookJwks,
} from '../../emulator';
import type { WebhookBuildOptions, WebhookRequest, WebhookSigningKey } from '../../emulator';
import { generateTestPki, type TestPki } from '../../support/pki';
import { PONTO_SAMPLES } from '../../support/fixtures';

/**
 * The pure verifier (docs/ponto-api.md §6.2) against a corpus of forged and malformed
 * deliveries built with the emulator's builders, the two real signed vectors of the Ibanity
 * SDKs, key rotation, and the key cache's refetch limits.
 */
const NOW = 1_700_000_000;
const APP = '5b0d62c1-4f2e-4c8a-9d3e-6a1f2b7c8d90';
const SAMPLES = PONTO_SAMPLES;
const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

let pki: TestPki;
let keys: Map<string, KeyObject>;
const signingKey = (): WebhookSigningKey => ({
	kid: pki.webhook.kid,
	publicKey: pki.webhook.publicKey,
	privateKey: pki.webhook.privateKey,
});
const event = () =>
	webhookEvent('pontoConnect.account.transactionsCreated', {
		id: 'e-1',
		accountId: 'a-1',
		synchronizationId: 's-1',
		organizationId: 'o-1',
		count: 2,
		createdAt: '2023-11-14T22:13:20.000Z',
	});
const build = (opts: WebhookBuildOptions = {}): WebhookRequest =>
	buildWebhookRequest(
		event(),
		{ key: signingKey(), applicationId: APP },
		{ nowSeconds: NOW, ...opts },
	);
const check = (
	request: { token?: string; body?: Buffer },
	extra: Partial<VerifyWebhookInput> = {},
) =>
	verifyWebhookSignature({
		signature: request.token,
		rawBody: request.body,
		keys: (kid) => keys.get(kid),
		expectedIssuer: 'https://api.ibanity.com',
		expectedAudience: APP,
		now: NOW,
		...extra,
	});
/** A token over arbitrary header and claims, signed with the test key. */
const token = (header: Record<string, unknown>, claims: object, key = pki.webhook.privateKey) =>
	signJwt(header, claims, key);

beforeAll(async () => {
	pki = await generateTestPki();
	keys = keysFromJwks(webhookJwks([signingKey()]));
});

describe('a corpus of forged and malformed webhook deliveries is refused', () => {
	type Case = [
		name: string,
		make: () => { token?: string; body?: Buffer; extra?: Partial<VerifyWebhookInput> },
		reason: RegExp,
	];
	const forgeryReasons: Record<(typeof WEBHOOK_FORGERIES)[number], RegExp> = {
		wrongDigest: /digest claim does not match/,
		mutatedBody: /digest claim does not match/,
		expired: /expired \d+ s ago/,
		iatInFuture: /issued \d+ s in the future/,
		wrongAudience: /aud claim/,
		wrongIssuer: /iss claim/,
		unknownKid: /no active signing key with kid "unknown_emulator_events_signature_1"/,
		algNone: /alg "none" refused/,
		hs512WithPublicKey: /alg "HS512" refused/,
		missingSignature: /no Signature header/,
		truncatedToken: /signature/i,
		oversizedBody: /exceeds the 1048576-byte limit/,
	};
	const fromBuilder: Case[] = WEBHOOK_FORGERIES.map((forge) => [
		`emulator forgery ${forge}`,
		() => build({ forge }),
		forgeryReasons[forge],
	]);
	const honest = () => build();
	const handmade: Case[] = [
		[
			'two-part token',
			() => ({ ...honest(), token: honest().token!.split('.').slice(0, 2).join('.') }),
			/2 segments instead of 3/,
		],
		[
			'four-part token',
			() => ({ ...honest(), token: `${honest().token!}.AAAA` }),
			/4 segments instead of 3/,
		],
		['one opaque string', () => ({ ...honest(), token: 'not-a-jwt' }), /1 segments instead of 3/],
		[
			'header segment is not base64url',
			() => ({ ...honest(), token: `!!!.${honest().token!.split('.').slice(1).join('.')}` }),
			/header segment is not base64url/,
		],
		[
			'padded signature segment',
			() => ({ ...honest(), token: `${honest().token!}==` }),
			/signature segment is not base64url/,
		],
		[
			'header is not JSON',
			() => ({
				...honest(),
				token: `${b64('not json')}.${honest().token!.split('.').slice(1).join('.')}`,
			}),
			/header is not a JSON object/,
		],
		[
			'header is a JSON array',
			() => ({
				...honest(),
				token: `${b64('["RS512"]')}.${honest().token!.split('.').slice(1).join('.')}`,
			}),
			/header is not a JSON object/,
		],
		['header without kid', () => build({ header: { alg: 'RS512' } }), /no usable kid/],
		[
			'alg RS256 over an RS512 signature',
			() => build({ header: { alg: 'RS256', kid: pki.webhook.kid } }),
			/alg "RS256" refused/,
		],
		[
			'alg PS512',
			() => build({ header: { alg: 'PS512', kid: pki.webhook.kid } }),
			/alg "PS512" refused/,
		],
		[
			'alg in lower case',
			() => build({ header: { alg: 'rs512', kid: pki.webhook.kid } }),
			/alg "rs512" refused/,
		],
		[
			'critical header extension',
			() => build({ header: { alg: 'RS512', kid: pki.webhook.kid, crit: ['exp'] } }),
			/crit/,
		],
		[
			'RS512 header with an empty signature',
			() => ({ ...honest(), token: honest().token!.replace(/\.[^.]+$/, '.') }),
			/empty signature/,
		],
		[
			'signed by another key under the real kid',
			() => {
				const r = honest();
				return {
					...r,
					token: token({ alg: 'RS512', kid: pki.webhook.kid }, r.claims, pki.webhook2.privateKey),
				};
			},
			/RS512 signature does not verify/,
		],
		[
			'embedded attacker jwk is ignored',
			() => {
				const r = honest();
				const jwk = createPrivateKey(pki.webhook2.privateKey).export({ format: 'jwk' });
				return {
					...r,
					token: token(
						{ alg: 'RS512', kid: pki.webhook.kid, jwk: { kty: 'RSA', n: jwk.n, e: jwk.e } },
						r.claims,
						pki.webhook2.privateKey,
					),
				};
			},
			/does not verify/,
		],
		[
			'claims swapped from another token',
			() => {
				const [head, , sig] = honest().token!.split('.');
				const other = build({ claims: { aud: 'someone-else' } }).token!.split('.')[1];
				return { ...honest(), token: `${head}.${other}.${sig}` };
			},
			/does not verify/,
		],
		['missing exp', () => build({ claims: { exp: undefined } }), /no numeric exp/],
		['missing iat', () => build({ claims: { iat: undefined } }), /no numeric iat/],
		[
			'exp as a string',
			() => build({ claims: { exp: String(NOW + 60) as unknown as number } }),
			/no numeric exp/,
		],
		['missing digest', () => build({ claims: { digest: undefined } }), /no digest claim/],
		[
			'digest in base64url instead of base64',
			() => {
				const r = honest();
				return {
					...r,
					token: token(
						{ alg: 'RS512', kid: pki.webhook.kid },
						{ ...r.claims, digest: Buffer.from(r.claims.digest, 'base64').toString('base64url') },
					),
				};
			},
			/digest claim does not match/,
		],
		[
			'body re-serialized (pretty-printed JSON)',
			() => ({ ...honest(), body: Buffer.from(JSON.stringify(event(), null, 2)) }),
			/digest claim does not match/,
		],
		[
			'body with a trailing newline',
			() => {
				const r = honest();
				return { ...r, body: Buffer.concat([r.body, Buffer.from('\n')]) };
			},
			/digest claim does not match/,
		],
		[
			'issuer with a trailing slash',
			() => build({ claims: { iss: 'https://api.ibanity.com/' } }),
			/iss claim/,
		],
		[
			'audience list without the app',
			() => build({ claims: { aud: ['x', 'y'] as unknown as string } }),
			/aud claim/,
		],
		[
			'expired by 31 s (beyond the 30 s tolerance)',
			() => build({ claims: { iat: NOW - 91, exp: NOW - 31 } }),
			/expired 31 s ago/,
		],
		[
			'issued 31 s ahead',
			() => build({ claims: { iat: NOW + 31, exp: NOW + 91 } }),
			/issued 31 s in the future/,
		],
		[
			'replay of an old delivery after expiry',
			() => build({ nowSeconds: NOW - 3600 }),
			/expired 3540 s ago/,
		],
		[
			'kid of a revoked key',
			() => ({
				...honest(),
				extra: {
					keys: (kid: string) =>
						keysFromJwks(webhookJwks([{ ...signingKey(), status: 'REVOKED' }])).get(kid),
				},
			}),
			/no active signing key/,
		],
		[
			'two Signature headers',
			() => ({ ...honest(), extra: { signature: [honest().token!, honest().token!] } }),
			/more than one Signature header/,
		],
		['empty Signature header', () => ({ ...honest(), token: '' }), /no Signature header/],
		[
			'Signature header of 9 kB',
			() => ({ ...honest(), token: `${honest().token!}${'A'.repeat(9000)}` }),
			/longer than 8192/,
		],
		[
			'raw body unavailable',
			() => ({ token: honest().token }),
			/raw request body is not available/,
		],
		[
			'no Application ID configured',
			() => ({ ...honest(), extra: { expectedAudience: '' } }),
			/no expected audience/,
		],
		[
			'kid chosen to inject log lines',
			() => build({ forge: 'unknownKid', header: { alg: 'RS512', kid: 'x\nERROR fake log line' } }),
			/no active signing key with kid an unreadable value/,
		],
	];
	const corpus = [...fromBuilder, ...handmade];

	afterAll(() => {
		// The corpus size, for the record.
		console.log(`webhook JWT corpus: ${corpus.length} forged or malformed deliveries refused`);
	});

	it('holds at least 20 cases', () => expect(corpus.length).toBeGreaterThanOrEqual(20));

	it.each(corpus)('%s', (_name, make, reason) => {
		const { extra, ...request } = make();
		const result = check(request, extra);
		expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
		const text = JSON.stringify(result);
		if (request.token) expect(text).not.toContain(request.token.split('.')[2] || request.token);
		expect(text).not.toContain('BEGIN');
		expect(text).not.toContain('"data"');
	});
});

describe('valid deliveries are accepted', () => {
	it.each(WEBHOOK_EVENT_TYPES.map((type) => [type]))('%s', (type) => {
		const r = buildWebhookRequest(
			webhookEvent(type),
			{ key: signingKey(), applicationId: APP },
			{ nowSeconds: NOW },
		);
		const result = check(r);
		expect(result).toMatchObject({
			ok: true,
			header: { alg: 'RS512', kid: pki.webhook.kid },
			claims: { aud: APP, iat: NOW, exp: NOW + 60 },
		});
	});

	it('at the edges of the 30 s tolerance, with an audience list, and a Buffer/array header', () => {
		expect(check(build({ claims: { iat: NOW + 30, exp: NOW + 90 } })).ok).toBe(true);
		expect(check(build({ claims: { iat: NOW - 90, exp: NOW - 30 } })).ok).toBe(true);
		expect(check(build({ claims: { aud: ['other', APP] as unknown as string } })).ok).toBe(true);
		expect(check({ body: build().body }, { signature: [build().token!] }).ok).toBe(true);
		expect(
			check(build({ claims: { iss: 'http://emulator' } }), { expectedIssuer: 'http://emulator' })
				.ok,
		).toBe(true);
	});

	it('key rotation: the new kid verifies once the JWKS lists it; with the old key dropped, old-kid tokens fail', () => {
		const rotated = keysFromJwks(
			webhookJwks([{ kid: pki.webhook2.kid, publicKey: pki.webhook2.publicKey }, signingKey()]),
		);
		const byNew = buildWebhookRequest(
			event(),
			{
				key: {
					kid: pki.webhook2.kid,
					publicKey: pki.webhook2.publicKey,
					privateKey: pki.webhook2.privateKey,
				},
				applicationId: APP,
			},
			{ nowSeconds: NOW },
		);
		expect(check(byNew)).toEqual({
			ok: false,
			reason: `no active signing key with kid "${pki.webhook2.kid}"`,
		});
		expect(check(byNew, { keys: (kid) => rotated.get(kid) }).ok).toBe(true);
		expect(check(build(), { keys: (kid) => rotated.get(kid) }).ok).toBe(true);
		const onlyNew = keysFromJwks(
			webhookJwks([{ kid: pki.webhook2.kid, publicKey: pki.webhook2.publicKey }]),
		);
		expect(check(build(), { keys: (kid) => onlyNew.get(kid) }).ok).toBe(false);
	});
});

describe('the real signed deliveries of the Ibanity SDKs', () => {
	// Public key of kid sandbox_events_signature_1, from ibanity/ibanity-dotnet
	// test/Client.Tests/Webhooks/WebhooksServiceTest.cs (also in ibanity-ruby's
	// spec/lib/ibanity/webhook_signature_spec.rb), as the JWKS would serve it: n with '=' padding.
	const SANDBOX_JWKS = {
		keys: [
			{
				alg: 'RS512',
				e: 'AQAB',
				kid: 'sandbox_events_signature_1',
				kty: 'RSA',
				status: 'ACTIVE',
				use: 'sig',
				n: 'v9qVZmotpil47Pw2NOmP11bpE5B_GtG6ICfqtm13Uusa4asf4FWedclr-kQTV2Ly5rSItq2f3RGRNyove_4TiTIbx21rwM5HP0iFhlVaqHjkr1iSmKzCFojOnTM4UwKQNROhDVDC6TWIzSafZkBacUrCX5l0PLSh2aEK8aiopu5ajYpOr8Ipjw_mbKXxBfcxtjgskbXPyEcf6xlB_Dygl9-btAvRTKiuie4qAWANTdVAgSnddjZMJxFnndZMCH1h-z4ISwphBYbwG2aZrZ7RfHnoIROxsdmKeostYtHy3gMR4_poufzFRR8lpvODd3m7lzdXKBTCvzlQYBNpmf6gmG9p08laE-h67F1GoqvuqspcvRlVpGZEzEwRIbPMAaS4_omCSj4HFZyo58PLUsAp--AD8GGFfVMyBdFhTEkr2235O5AP4UMdHuvyP-NPFCsqibqKK1GIl_Hy0UXnqg7-MCGqs4jX1k4IZZ3wDwza30f1O6tUtaOT8YXzZ2ZWnVWyMLcNx6gep8t3A7gTzEXcselrJgO6SLFRhYA0QmtIRtTwnl-8OmjEi5AJVzO0e-yiRj7g_JLEmgG3pDwmvbiXzEqkY5mPqJMB9G5qcd0SWgvvZs02_1tRRhvw0D5BTKfcEcLW9PKm8Nts1_BGSXKOhTSeQgxuw4iC63ST3dtpl-0=',
			},
		],
	};
	const SANDBOX_AUD = '979fd4d2-cc1e-4265-8351-26a0c3ec1885';
	const sandbox = () => keysFromJwks(SANDBOX_JWKS);
	const real = (
		body: Buffer,
		signature: string,
		now: number,
		extra: Partial<VerifyWebhookInput> = {},
	) =>
		verifyWebhookSignature({
			signature,
			rawBody: body,
			keys: (kid) => sandbox().get(kid),
			expectedIssuer: 'https://api.ibanity.com',
			expectedAudience: SANDBOX_AUD,
			now,
			...extra,
		});

	it('ponto-samples/webhook-integration-account-revoked (ibanity-dotnet @ ff1dacdc) verifies inside its window', () => {
		expect(sandbox().get('sandbox_events_signature_1')?.asymmetricKeyDetails?.modulusLength).toBe(
			4096,
		);
		const body = readFileSync(path.join(SAMPLES, 'webhook-integration-account-revoked.json'));
		const signature = readFileSync(
			path.join(SAMPLES, 'webhook-integration-account-revoked.signature.jwt.txt'),
			'utf8',
		).trim();
		const ok = real(body, signature, 1669245018);
		expect(ok).toMatchObject({
			ok: true,
			header: { kid: 'sandbox_events_signature_1' },
			claims: {
				aud: SANDBOX_AUD,
				iat: 1669245017,
				exp: 1669245077,
				jti: '10a5e123-8b91-4a95-a4e6-eef56391981a',
			},
		});
		expect(real(body, signature, 1669245077 + 31)).toMatchObject({
			ok: false,
			reason: 'JWT expired 31 s ago (exp)',
		});
		expect(real(body, signature, 1669245018, { expectedAudience: APP })).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/aud/),
		});
		expect(real(Buffer.concat([body, Buffer.from('\n')]), signature, 1669245018)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/digest/),
		});
	});

	it('the synchronization.succeededWithoutChange vector (ibanity-dotnet @ 07ba35d) verifies too', () => {
		const body = Buffer.from(
			'{"data":{"attributes":{"createdAt":"2022-04-23T14:05:14.192Z","synchronizationSubtype":"accountDetails"},"id":"542893ac-cace-4b6f-9293-8879b3809878","relationships":{"account":{"data":{"id":"81763cf4-60af-4900-b1e0-8c95661b99e6","type":"account"}},"synchronization":{"data":{"id":"cec2f2d0-a40f-46ff-a02c-ee99b1c97bc7","type":"synchronization"}}},"type":"pontoConnect.synchronization.succeededWithoutChange"}}',
		);
		const signature =
			'eyJhbGciOiJSUzUxMiIsImtpZCI6InNhbmRib3hfZXZlbnRzX3NpZ25hdHVyZV8xIn0.eyJhdWQiOiI5NzlmZDRkMi1jYzFlLTQyNjUtODM1MS0yNmEwYzNlYzE4ODUiLCJkaWdlc3QiOiJKNExyUnRySm92aG1BYVBkNUhOWTQ0d3RGczRYMnVxa2NJeUd5OUx5cERuREMzdUlBMlVxdkgvdFd4QXZNYjROOTJhaDh0OWN6YXYxaHpQRzJzOFl2UT09IiwiZXhwIjoxNjUwNzIyOTcyLCJpYXQiOjE2NTA3MjI5MTIsImlzcyI6Imh0dHBzOi8vYXBpLmliYW5pdHkuY29tIiwianRpIjoiMmI2MDk3OGYtMjEzYS00ZDViLThjYWYtYjEwZDdjMmU0ZTAyIn0.DtnPW16E3GNFzFxZJmZoBw27VUyLpVdndoBnk4Pgp4ehayisSelt-mfCyjZdmZj86zvPE1xBkPiU76AvMtsyuuYv73rdxtuBlIcC2Z2TyC7IQGS8DeOCOhLGgehJ23kUjNgS0ru5P9vwcIuhyCOqG7v-sjBCWa2KZOQIpPjEuews9alAzUMdDQewkN4DEqDCSiBGfC2YCtCRJq4tJa8qjd0wFfNXPPMdL6xF3y1BX7KzmE1cAxTJ76mOC4HgngYHiLOEWQx02N6GYj9mUpPdPUjX228lGXQFwLCL_93g6AOVDVbkAy8XyBjbUbO1tIzGGpdV5gv7LqpTwMtVASvHUipqmspSrnfPhWyOSnGp-IYhmFQj9djDChrrLVK7mg1sGJyfAacA7Qfn33eAKBeW4l1Hah1KES_dtICi3YM986jCT5s4jfO-vwqmYhY4TtHKej_jbFH_uaof9leIhBodepHCG4bfph3g7b-die4EX53Wpw-QCQIURk2uzG3EGmEC1DRSMYG2v7fjXK_B3SQYdvNIzgvZuumTprcGjLbYUoLcC6j4lZ0xXr0Ik5upYa3d9Pgj_qEtco2BTwqLjHA8Dot_RVK-cDOGmSlLP0LCRkDHMpdh_BVQTP4T3NoeErD-HI9wHAV9Oni59H4d42fjQqyLCIBTcZj5Od9Xo9ucDO0';
		expect(real(body, signature, 1650722913)).toMatchObject({
			ok: true,
			claims: { iat: 1650722912 },
		});
		// The SDK's own negative cases: an hour early ("future") and an hour late ("expired").
		expect(real(body, signature, 1650722913 - 3600)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/future/),
		});
		expect(real(body, signature, 1650722913 + 3600)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/expired/),
		});
		expect(real(body, signature.replace(/m/g, 'n'), 1650722913).ok).toBe(false);
	});
});

describe('JWKS parsing', () => {
	it('keeps active RS512 signing keys of 2048+ bits only, tolerating = padding', () => {
		const [good] = webhookJwks([signingKey()]).keys;
		const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
		const weakJwk = weak.export({ format: 'jwk' });
		const parsed = keysFromJwks({
			keys: [
				{ ...good, n: `${good.n}=`, kid: 'padded' },
				{ ...good, kid: 'revoked', status: 'REVOKED' },
				{ ...good, kid: 'encryption', use: 'enc' },
				{ ...good, kid: 'rs256', alg: 'RS256' },
				{ ...good, kid: 'weak', n: weakJwk.n },
				{ ...good, kid: 'broken', n: '***' },
				{ ...good, kid: 'no-status', status: undefined },
				null,
				'junk',
			],
		});
		expect([...parsed.keys()]).toEqual(['padded', 'no-status']);
		expect(keysFromJwks(undefined).size).toBe(0);
		expect(keysFromJwks({ keys: 'x' }).size).toBe(0);
		expect(readWebhookHeader(build().token).ok).toBe(true);
	});
});

describe('the key cache (transport/webhookKeys.ts)', () => {
	const URL = 'https://keys.test/webhooks/keys';
	const T0 = 1_000_000;
	let served: WebhookSigningKey[];
	let fetches: number;
	const fetcher = async () => {
		fetches++;
		return webhookJwks(served);
	};
	beforeEach(() => {
		clearWebhookKeyCache();
		served = [signingKey()];
		fetches = 0;
	});

	it('fetches once, serves from cache for 10 minutes, then refreshes', async () => {
		expect((await lookupWebhookKey(URL, pki.webhook.kid, fetcher, T0)).key).toBeDefined();
		for (let i = 0; i < 20; i++)
			await lookupWebhookKey(URL, pki.webhook.kid, fetcher, T0 + i * 1000);
		expect(fetches).toBe(1);
		await lookupWebhookKey(URL, pki.webhook.kid, fetcher, T0 + 10 * 60_000);
		expect(fetches).toBe(2);
	});

	it('an unknown kid refetches at most once per 60 s; a rotated-in key is found on that refetch', async () => {
		await lookupWebhookKey(URL, pki.webhook.kid, fetcher, T0);
		for (let i = 0; i < 50; i++)
			expect(
				(await lookupWebhookKey(URL, `forged-${i}`, fetcher, T0 + 1000 + i)).key,
			).toBeUndefined();
		expect(fetches).toBe(1);
		served = [{ kid: pki.webhook2.kid, publicKey: pki.webhook2.publicKey }, signingKey()];
		expect(
			(await lookupWebhookKey(URL, pki.webhook2.kid, fetcher, T0 + 30_000)).key,
		).toBeUndefined();
		expect(fetches).toBe(1);
		const rotated = await lookupWebhookKey(URL, pki.webhook2.kid, fetcher, T0 + 60_000);
		expect(rotated).toMatchObject({ fetched: true, key: expect.anything() });
		expect(fetches).toBe(2);
		expect((await lookupWebhookKey(URL, 'forged-again', fetcher, T0 + 61_000)).key).toBeUndefined();
		expect(fetches).toBe(2);
	});

	it('concurrent lookups share one fetch', async () => {
		await Promise.all(
			Array.from({ length: 10 }, () => lookupWebhookKey(URL, pki.webhook.kid, fetcher, T0)),
		);
		expect(fetches).toBe(1);
	});

	it('failures: nothing cached -> WebhookKeysUnavailable, retried after 10 s; a stale set keeps serving', async () => {
		const failing = async () => {
			fetches++;
			throw Object.assign(new Error('boom'), { response: { status: 502, headers: {}, data: '' } });
		};
		await expect(lookupWebhookKey(URL, pki.webhook.kid, failing, T0)).rejects.toThrow(
			new WebhookKeysUnavailable('HTTP 502'),
		);
		await expect(lookupWebhookKey(URL, pki.webhook.kid, failing, T0 + 5000)).rejects.toBeInstanceOf(
			WebhookKeysUnavailable,
		);
		expect(fetches).toBe(1);
		await expect(
			lookupWebhookKey(URL, pki.webhook.kid, fetcher, T0 + 10_000),
		).resolves.toMatchObject({ key: expect.anything() });
		expect(fetches).toBe(2);
		const stale = await lookupWebhookKey(URL, pki.webhook.kid, failing, T0 + 10_000 + 11 * 60_000);
		expect(stale).toMatchObject({ key: expect.anything(), refreshProblem: 'HTTP 502' });
		await expect(
			lookupWebhookKey(URL, pki.webhook.kid, failing, T0 + 10_000 + 72 * 60_000),
		).rejects.toBeInstanceOf(WebhookKeysUnavailable);
		const empty = async () => ({ keys: [] });
		clearWebhookKeyCache();
		await expect(lookupWebhookKey(URL, 'x', empty, T0)).rejects.toThrow(
			/no active RS512 signing key/,
		);
	});
});
