import { constants, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import {
	bodyDigest,
	EMPTY_BODY_DIGEST,
	signHttpRequest,
	verifyHttpSignature,
	type SignatureVerifyInput,
} from '../../../emulator';
import { bootConnect, call, emu, login, pki } from './context';

// docs/ponto-api.md §2.2, the .NET unit-test example.
const HELLO = '{"msg":"hello"}';
const HELLO_DIGEST =
	'SHA-512=pX9+OFjSGF4KFWUh8fv1Ihh4PuSb2KnyobO/hr228nkET5vRUhi0Qj2Ai5OcBXtzmzgII18sZiaEH4PoxkYqew==';
const CREATED = 1548841917;
const IDEMPOTENCY_KEY = '61f02718-eeee-46e1-b5eb-e8fd6e799c2d';
const EXAMPLE = [
	'(request-target): post /xs2a/customer-access-tokens?test=1&test=2',
	'host: api.ibanity.com',
	`digest: ${HELLO_DIGEST}`,
	`(created): ${CREATED}`,
	`ibanity-idempotency-key: ${IDEMPOTENCY_KEY}`,
].join('\n');

function pss(text: string, key = pki.signing.privateKey): Buffer {
	return sign('sha256', Buffer.from(text), {
		key: createPrivateKey(key),
		padding: constants.RSA_PKCS1_PSS_PADDING,
		saltLength: 32,
	});
}

function example(
	overrides: {
		signature?: string;
		created?: string;
		headers?: Record<string, string>;
		body?: string;
		now?: number;
		keyId?: string;
		list?: string;
	} = {},
): SignatureVerifyInput {
	const signature = overrides.signature ?? pss(EXAMPLE).toString('base64');
	const list = overrides.list ?? '(request-target) host digest (created) ibanity-idempotency-key';
	return {
		method: 'POST',
		target: '/xs2a/customer-access-tokens?test=1&test=2',
		headers: {
			host: 'api.ibanity.com',
			digest: HELLO_DIGEST,
			'ibanity-idempotency-key': IDEMPOTENCY_KEY,
			signature: `keyId="${overrides.keyId ?? pki.signing.keyId}",created=${overrides.created ?? CREATED},algorithm="hs2019",headers="${list}",signature="${signature}"`,
			...overrides.headers,
		},
		body: Buffer.from(overrides.body ?? HELLO),
		keys: { [pki.signing.keyId]: pki.signing.publicKey },
		nowSeconds: overrides.now ?? CREATED + 10,
	};
}

describe('HTTP signature verifier (pure)', () => {
	it('computes the digest test vectors', () => {
		expect(bodyDigest(HELLO)).toBe(HELLO_DIGEST);
		expect(bodyDigest('')).toBe(EMPTY_BODY_DIGEST);
	});

	it('verifies the worked example, rebuilding its exact signing string', () => {
		const result = verifyHttpSignature(example());
		expect(result).toEqual({ ok: true, keyId: pki.signing.keyId, signingString: EXAMPLE });
		expect(verifyHttpSignature(example({ created: `"${CREATED}"` })).ok).toBe(true);
		expect(verifyHttpSignature(example({ signature: pss(EXAMPLE).toString('base64url') })).ok).toBe(
			true,
		);
		expect(
			verifyHttpSignature({ ...example(), keys: { [pki.signing.keyId]: pki.signing.cert } }).ok,
		).toBe(true);
	});

	it('signHttpRequest produces the same signing string and a verifiable signature', () => {
		const signed = signHttpRequest({
			method: 'POST',
			target: '/xs2a/customer-access-tokens?test=1&test=2',
			host: 'api.ibanity.com',
			body: HELLO,
			keyId: pki.signing.keyId,
			privateKey: pki.signing.privateKey,
			created: CREATED,
			headers: { 'Ibanity-Idempotency-Key': IDEMPOTENCY_KEY, Accept: 'application/json' },
		});
		expect(signed.signingString).toBe(EXAMPLE);
		expect(signed.digest).toBe(HELLO_DIGEST);
		const input = example();
		expect(
			verifyHttpSignature({ ...input, headers: { ...input.headers, signature: signed.signature } })
				.ok,
		).toBe(true);
	});

	const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString();
	it.each([
		['body changed', 'digestMismatch', { body: '{"msg":"hellO"}' }],
		['digest header of another body', 'digestMismatch', { headers: { digest: bodyDigest('x') } }],
		['SHA-256 digest', 'digestMismatch', { headers: { digest: 'SHA-256=abc' } }],
		['no digest', 'missingDigest', { headers: { digest: undefined as unknown as string } }],
		['created 301 s old', 'createdOutOfRange', { now: CREATED + 301 }],
		['created 301 s ahead', 'createdOutOfRange', { now: CREATED - 301 }],
		['unknown keyId', 'unknownKeyId', { keyId: 'nope' }],
		['other key', 'badSignature', { signature: pss(EXAMPLE, other).toString('base64') }],
		['host changed', 'badSignature', { headers: { host: '127.0.0.1:4010' } }],
		['idempotency key changed', 'badSignature', { headers: { 'ibanity-idempotency-key': 'x' } }],
		[
			'idempotency key not in the list',
			'headerNotSigned',
			{ list: '(request-target) host digest (created)' },
		],
		[
			'authorization sent, not signed',
			'headerNotSigned',
			{ headers: { authorization: 'Bearer abc' } },
		],
		[
			'list without (created)',
			'missingSignedHeader',
			{ list: '(request-target) host digest ibanity-idempotency-key' },
		],
		[
			'listed header absent',
			'missingSignedHeader',
			{ list: '(request-target) host digest (created) ibanity-idempotency-key x-missing' },
		],
		['garbage header', 'malformedSignature', { headers: { signature: 'garbage' } }],
		[
			'no signature',
			'missingSignature',
			{ headers: { signature: undefined as unknown as string } },
		],
	])('%s -> %s', (_label, reason, overrides) => {
		const result = verifyHttpSignature(example(overrides));
		expect(result).toEqual({ ok: false, reason, detail: expect.any(String) });
	});

	it('accepts created within ±5 minutes and refuses other algorithms', () => {
		expect(verifyHttpSignature(example({ now: CREATED + 300 })).ok).toBe(true);
		expect(verifyHttpSignature(example({ now: CREATED - 300 })).ok).toBe(true);
		const input = example();
		const rsa = String(input.headers.signature).replace('hs2019', 'rsa-sha256');
		expect(
			verifyHttpSignature({ ...input, headers: { ...input.headers, signature: rsa } }),
		).toMatchObject({ ok: false, reason: 'unsupportedAlgorithm' });
	});
});

const signing = () => ({ keyId: pki.signing.keyId, privateKey: pki.signing.privateKey });
const syncBody = (accountId: string, subtype = 'accountDetails') =>
	JSON.stringify({
		data: {
			type: 'synchronization',
			attributes: {
				resourceType: 'account',
				resourceId: accountId,
				subtype,
				customerIpAddress: '203.0.113.7',
			},
		},
	});

describe('signature checks of the emulator', () => {
	it('verifies signed requests when present, logs signed/signature, accepts unsigned when not required', async () => {
		await bootConnect({
			connectOptions: {
				signature: { required: false, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
			},
		});
		const { access } = await login();
		expect((await call('/accounts', { token: access })).status).toBe(200);
		expect((await call('/accounts?page[limit]=2', { token: access, sign: signing() })).status).toBe(
			200,
		);
		const post = await call('/synchronizations', {
			method: 'POST',
			token: access,
			body: syncBody(emu.dataset.accounts[0].id),
			sign: signing(),
			headers: { 'content-type': 'application/vnd.api+json', 'ibanity-idempotency-key': 'k-1' },
		});
		expect(post.status).toBe(201);
		const wrongHost = await call<{
			errors: Array<{ code: string; detail: string; meta: { reason: string } }>;
		}>('/accounts', { token: access, sign: { ...signing(), host: 'api.ibanity.com' } });
		expect(wrongHost.status).toBe(401);
		expect(wrongHost.body.errors[0]).toMatchObject({
			code: 'invalidSignature',
			meta: { reason: 'badSignature' },
		});
		const stale = await call('/accounts', {
			token: access,
			sign: { ...signing(), created: Math.floor(Date.now() / 1000) - 600 },
		});
		expect(stale.status).toBe(401);
		expect(
			emu.requestsTo(/accounts|synchronizations/).map((e) => [e.signed, e.signature, e.status]),
		).toEqual([
			[false, undefined, 200],
			[true, 'valid', 200],
			[true, 'valid', 201],
			[true, 'badSignature', 401],
			[true, 'createdOutOfRange', 401],
		]);
	});

	it("signature.host 'api.ibanity.com' demands the Ibanity host in the signing string", async () => {
		await bootConnect({
			connectOptions: {
				signature: {
					required: true,
					host: 'api.ibanity.com',
					keys: { [pki.signing.keyId]: pki.signing.publicKey },
				},
			},
		});
		const { access } = await login();
		expect(
			(await call('/accounts', { token: access, sign: { ...signing(), host: 'api.ibanity.com' } }))
				.status,
		).toBe(200);
		expect((await call('/accounts', { token: access, sign: signing(), headers: {} })).status).toBe(
			401,
		);
	});

	it('required: unsigned API calls are refused; OAuth (unless requiredOnOAuth) and JWKS are not', async () => {
		await bootConnect({
			connectOptions: {
				signature: { required: true, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
			},
		});
		const { access } = await login();
		const unsigned = await call<{ errors: Array<{ code: string }> }>('/accounts', {
			token: access,
		});
		expect(unsigned.status).toBe(401);
		expect(unsigned.body.errors[0].code).toBe('invalidSignature');
		expect((await call(`${emu.url}/webhooks/keys`)).status).toBe(200);
		expect((await call('/userinfo', { token: access, sign: signing() })).status).toBe(200);
		emu.connect.setOptions({
			signature: {
				required: true,
				requiredOnOAuth: true,
				keys: { [pki.signing.keyId]: pki.signing.publicKey },
			},
		});
		await expect(login()).rejects.toThrow(/invalidSignature/);
	});
});

describe('idempotency keys', () => {
	it('requires a key on POST, replays the first answer, refuses the key on another request', async () => {
		let now = Date.now();
		await bootConnect({
			now: () => new Date(now),
			tokenLifetimeSeconds: 7 * 86_400,
			connectOptions: { requireIdempotencyKey: true },
		});
		const { access } = await login();
		const accountId = emu.dataset.accounts[0].id;
		const post = (key: string | undefined, body = syncBody(accountId)) =>
			call<{ data: { id: string }; errors?: Array<{ code: string }> }>('/synchronizations', {
				method: 'POST',
				token: access,
				body,
				headers: {
					'content-type': 'application/json',
					...(key ? { 'ibanity-idempotency-key': key } : {}),
				},
			});
		const missing = await post(undefined);
		expect(missing.status).toBe(400);
		expect(missing.body.errors![0].code).toBe('validationError');
		const first = await post('key-1');
		expect(first.status).toBe(201);
		const replay = await post('key-1');
		expect(replay.status).toBe(201);
		expect(replay.body.data.id).toBe(first.body.data.id);
		expect(
			emu.dataset.synchronizations.filter(
				(s) =>
					s.attributes.resourceId === accountId && s.attributes.customerIpAddress === '203.0.113.7',
			),
		).toHaveLength(1);
		const conflict = await post('key-1', syncBody(accountId, 'accountTransactions'));
		expect(conflict.status).toBe(409);
		expect(conflict.body.errors![0].code).toBe('idempotencyKeyReused');
		expect((await post('key-2', syncBody(accountId, 'accountTransactions'))).status).toBe(201);
		now += 24 * 3_600_000 + 1000;
		const later = await post('key-1');
		expect(later.status).toBe(201);
		expect(later.body.data.id).not.toBe(first.body.data.id);
		expect(
			emu
				.requestsTo('/ponto-connect/synchronizations', 'POST')
				.map((e) => Boolean(e.idempotentReplay)),
		).toEqual([false, false, true, false, false, false]);
		// GET and the token endpoint need no key.
		expect((await call('/accounts', { token: access })).status).toBe(200);
	});
});
