import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';

import { keysFromJwks, verifyWebhookSignature } from '../../../nodes/Ponto/helpers/webhookJwt';

/**
 * Issue 13 finding 3: the key set accepts only RSA keys with e = 65537 and at least 2048 bits.
 * With e = 1 the "signature" is the padded digest itself: anyone can forge it without a key.
 */
const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const SHA512_DIGEST_INFO = Buffer.from('3051300d060960864801650304020305000440', 'hex');

/** A token that verifies against (n = 2^2048 - 1, e = 1): the EMSA-PKCS1-v1_5 block as the signature. */
function forgeWithExponentOne(kid: string, body: Buffer, now: number): string {
	const header = b64url(JSON.stringify({ alg: 'RS512', kid }));
	const claims = b64url(
		JSON.stringify({
			digest: createHash('sha512').update(body).digest('base64'),
			iss: 'https://api.ibanity.com',
			aud: 'app-1',
			iat: now,
			exp: now + 60,
		}),
	);
	const hash = createHash('sha512').update(`${header}.${claims}`).digest();
	const t = Buffer.concat([SHA512_DIGEST_INFO, hash]);
	const block = Buffer.concat([
		Buffer.from([0, 1]),
		Buffer.alloc(256 - t.length - 3, 0xff),
		Buffer.from([0]),
		t,
	]);
	return `${header}.${claims}.${b64url(block)}`;
}

const FORGED_KEY = {
	kid: 'weak',
	kty: 'RSA',
	use: 'sig',
	alg: 'RS512',
	status: 'ACTIVE',
	n: b64url(Buffer.alloc(256, 0xff)),
	e: 'AQ',
};

test('a key with e = 1 is dropped from the key set, so a token forged for it verifies nowhere', () => {
	expect(keysFromJwks({ keys: [FORGED_KEY] }).size).toBe(0);
});

test('a token forged without a private key is refused even when an e = 1 key is handed to the verifier', () => {
	const body = Buffer.from('{"data":{"id":"1","type":"pontoConnect.integration.accountRevoked"}}');
	const now = 1_800_000_000;
	const weak = createPublicKey({
		key: { kty: 'RSA', n: FORGED_KEY.n, e: FORGED_KEY.e },
		format: 'jwk',
	});
	const result = verifyWebhookSignature({
		signature: forgeWithExponentOne('weak', body, now),
		rawBody: body,
		keys: (kid) => (kid === 'weak' ? weak : undefined),
		expectedIssuer: 'https://api.ibanity.com',
		expectedAudience: 'app-1',
		now,
	});
	expect(result).toEqual({
		ok: false,
		reason: 'the signing key is not an RSA key of at least 2048 bits with exponent 65537',
	});
});

test('only e = 65537 keys of 2048 bits or more are kept (e = 3 and 1024-bit keys are dropped)', () => {
	const jwk = (bits: number, exponent: number) =>
		generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: exponent }).publicKey.export({
			format: 'jwk',
		}) as { n: string; e: string };
	const entry = (kid: string, key: { n: string; e: string }) => ({
		kid,
		kty: 'RSA',
		use: 'sig',
		alg: 'RS512',
		status: 'ACTIVE',
		n: key.n,
		e: key.e,
	});
	const keys = keysFromJwks({
		keys: [
			entry('f4-2048', jwk(2048, 65537)),
			entry('e3-2048', jwk(2048, 3)),
			entry('f4-1024', jwk(1024, 65537)),
			FORGED_KEY,
		],
	});
	expect([...keys.keys()]).toEqual(['f4-2048']);
});
