import { constants, generateKeyPairSync, verify } from 'node:crypto';

import { digestOf, signatureHeaders, signingString } from '../../../nodes/Ponto/transport/signing';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('HTTP request signing (docs/ponto-api.md §2.2)', () => {
	test('digest test vectors: {"msg":"hello"} and the empty body', () => {
		expect(digestOf('{"msg":"hello"}')).toBe(
			'SHA-512=pX9+OFjSGF4KFWUh8fv1Ihh4PuSb2KnyobO/hr228nkET5vRUhi0Qj2Ai5OcBXtzmzgII18sZiaEH4PoxkYqew==',
		);
		expect(digestOf('')).toBe(
			'SHA-512=z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
		);
	});

	test('the signing string of the documented example, line for line', () => {
		const { text, headers } = signingString(
			{
				method: 'POST',
				url: 'https://api.ibanity.com/xs2a/customer-access-tokens?test=1&test=2',
				body: '{"msg":"hello"}',
				headers: {
					'Ibanity-Idempotency-Key': '61f02718-eeee-46e1-b5eb-e8fd6e799c2d',
					Accept: 'application/json',
				},
			},
			1548841917,
			digestOf('{"msg":"hello"}'),
		);
		expect(text).toBe(
			[
				'(request-target): post /xs2a/customer-access-tokens?test=1&test=2',
				'host: api.ibanity.com',
				'digest: SHA-512=pX9+OFjSGF4KFWUh8fv1Ihh4PuSb2KnyobO/hr228nkET5vRUhi0Qj2Ai5OcBXtzmzgII18sZiaEH4PoxkYqew==',
				'(created): 1548841917',
				'ibanity-idempotency-key: 61f02718-eeee-46e1-b5eb-e8fd6e799c2d',
			].join('\n'),
		);
		expect(headers).toEqual([
			'(request-target)',
			'host',
			'digest',
			'(created)',
			'ibanity-idempotency-key',
		]);
	});

	test('authorization is signed right after (created); the signature verifies with RSA-PSS SHA-256, salt 32', () => {
		const request = {
			method: 'GET',
			url: 'https://api.ibanity.com/ponto-connect/accounts?page%5Blimit%5D=100',
			body: '',
			headers: { Authorization: 'Bearer token', 'Ibanity-Idempotency-Key': 'k' },
		};
		const signed = signatureHeaders(request, { keyId: 'cert-42', privateKey }, 1700000000);
		expect(signed.Digest).toBe(digestOf(''));
		const match =
			/^keyId="cert-42",created=1700000000,algorithm="hs2019",headers="\(request-target\) host digest \(created\) authorization ibanity-idempotency-key",signature="([A-Za-z0-9+/=]+)"$/.exec(
				signed.Signature,
			);
		expect(match).not.toBeNull();
		const { text } = signingString(request, 1700000000, signed.Digest);
		expect(text.split('\n')[4]).toBe('authorization: Bearer token');
		const valid = verify(
			'sha256',
			Buffer.from(text),
			{ key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
			Buffer.from(match![1], 'base64'),
		);
		expect(valid).toBe(true);
	});
});
