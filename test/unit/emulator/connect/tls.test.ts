import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mtlsRequest, postForm } from '../../../emulator/connect/client';
import { startEmulator } from '../../../emulator';
import { api, appTls, bootConnect, call, emu, pki } from './context';

describe('test PKI', () => {
	it('has a CA-signed server cert for 127.0.0.1, a client cert, keys that match or do not', () => {
		const ca = new X509Certificate(pki.ca.cert);
		const server = new X509Certificate(pki.server.cert);
		const client = new X509Certificate(pki.client.cert);
		const untrusted = new X509Certificate(pki.untrustedClient.cert);
		expect(ca.ca).toBe(true);
		expect(server.verify(ca.publicKey)).toBe(true);
		expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
		expect(server.checkHost('localhost')).toBe('localhost');
		expect(server.subject).toContain('CN=127.0.0.1');
		expect(client.verify(ca.publicKey)).toBe(true);
		expect(client.checkPrivateKey(createPrivateKey(pki.client.key))).toBe(true);
		expect(client.checkPrivateKey(createPrivateKey(pki.otherKey))).toBe(false);
		expect(untrusted.verify(ca.publicKey)).toBe(false);
		expect(pki.client.encryptedKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
		expect(new X509Certificate(pki.signing.cert).subject).toContain(pki.signing.keyId);
		expect(pki.webhook.kid).not.toBe(pki.webhook2.kid);
	});
});

describe('mutual TLS (default: refused at the handshake)', () => {
	beforeEach(() => bootConnect());

	it('serves HTTPS on 127.0.0.1 under /ponto-connect and a separate http authorization host', () => {
		expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		expect(emu.connect.apiBaseUrl).toBe(`${emu.url}/ponto-connect`);
		expect(emu.authorizationUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/auth$/);
		expect(new URL(emu.authorizationUrl).port).not.toBe(String(emu.port));
	});

	it('refuses no certificate and an untrusted one; accepts the CA-signed one (plain or encrypted key)', async () => {
		await expect(call('/accounts', { tls: { ca: pki.ca.cert } })).rejects.toThrow();
		await expect(
			call('/accounts', {
				tls: { ca: pki.ca.cert, cert: pki.untrustedClient.cert, key: pki.untrustedClient.key },
			}),
		).rejects.toThrow();
		await expect(
			call('/oauth2/token', { method: 'POST', tls: { ca: pki.ca.cert } }),
		).rejects.toThrow();
		await expect(call(`${emu.url}/webhooks/keys`, { tls: { ca: pki.ca.cert } })).rejects.toThrow();
		expect(emu.log).toHaveLength(0);
		// The server-side 'tlsClientError' may trail the client's failure by a tick.
		for (let i = 0; i < 50 && emu.connect.tlsRejections.length < 4; i++)
			await new Promise((r) => setTimeout(r, 10));
		expect(emu.connect.tlsRejections.length).toBe(4);
		expect(emu.connect.tlsRejections[0]).toEqual({
			at: expect.any(String),
			reason: expect.any(String),
		});
		const ok = await call('/accounts');
		expect(ok.status).toBe(401); // through TLS, no bearer token
		const encrypted = await call(`${emu.url}/webhooks/keys`, {
			tls: {
				ca: pki.ca.cert,
				cert: pki.client.cert,
				key: pki.client.encryptedKey,
				passphrase: pki.client.passphrase,
			},
		});
		expect(encrypted.status).toBe(200);
		expect(
			emu.log.map((e) => [e.path, e.clientCertificate, e.clientCertificateCn, e.server]),
		).toEqual([
			['/ponto-connect/accounts', true, pki.client.cn, 'api'],
			['/webhooks/keys', true, pki.client.cn, 'api'],
		]);
	});

	it('a key that does not match the certificate fails on the client side', async () => {
		await expect(
			call('/accounts', { tls: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.otherKey } }),
		).rejects.toThrow(/key values mismatch|key/i);
	});
});

describe('mutual TLS failure modes reaching the handler', () => {
	it("'reset' logs the request with clientCertificate false, then drops the connection", async () => {
		await bootConnect({ connectOptions: { clientCertificateFailure: 'reset' } });
		await expect(call('/accounts', { tls: { ca: pki.ca.cert } })).rejects.toThrow();
		await expect(
			call('/accounts', {
				tls: { ca: pki.ca.cert, cert: pki.untrustedClient.cert, key: pki.untrustedClient.key },
			}),
		).rejects.toThrow();
		expect((await call('/accounts')).status).toBe(401);
		expect(emu.log.map((e) => [e.clientCertificate, e.clientCertificateCn, e.status])).toEqual([
			[false, undefined, 0],
			[false, 'untrusted-client', 0],
			[true, pki.client.cn, 401],
		]);
	});

	it("'http' answers 401 clientCertificateRequired", async () => {
		await bootConnect({ connectOptions: { clientCertificateFailure: 'http' } });
		const res = await call<{ errors: Array<{ code: string }> }>('/accounts', {
			tls: { ca: pki.ca.cert },
		});
		expect(res.status).toBe(401);
		expect(res.body.errors[0].code).toBe('clientCertificateRequired');
		expect(emu.log[0]).toMatchObject({ clientCertificate: false, status: 401 });
	});

	it("'http' at the token endpoint: OAuth's 401 invalid_client, naming the TLS client certificate", async () => {
		await bootConnect({ connectOptions: { clientCertificateFailure: 'http' } });
		const untrusted = {
			ca: pki.ca.cert,
			cert: pki.untrustedClient.cert,
			key: pki.untrustedClient.key,
		};
		const res = await postForm(
			api('/oauth2/token'),
			{ grant_type: 'client_credentials' },
			untrusted,
		);
		expect(res.status).toBe(401);
		expect(res.body).toEqual({
			error: 'invalid_client',
			error_description: 'A valid TLS client certificate is required',
		});
		expect(
			(await postForm(api('/oauth2/token'), { grant_type: 'client_credentials' }, appTls())).status,
		).toBe(200);
	});
});

describe('custom-integration flavour', () => {
	it('is unchanged without the connect option', async () => {
		const plain = await startEmulator();
		try {
			expect(plain.url).toMatch(/^http:\/\//);
			expect(plain.connect).toBeUndefined();
			expect(plain.authorizationUrl).toBeUndefined();
			const res = await fetch(`${plain.url}/accounts`);
			expect(res.status).toBe(401);
			expect(Object.keys(plain.log[0]).sort()).toEqual([
				'at',
				'authenticated',
				'method',
				'path',
				'query',
				'seq',
				'status',
			]);
			await expect(
				mtlsRequest(`${plain.url.replace('http:', 'https:')}/accounts`, { tls: appTls() }),
			).rejects.toThrow();
		} finally {
			await plain.close();
		}
	});
});
