import { createHmac, createPublicKey, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	buildWebhookRequest,
	WEBHOOK_EVENT_TYPES,
	WEBHOOK_FORGERIES,
	webhookDigest,
	webhookEvent,
	type Jwk,
	type WebhookClaims,
	type WebhookRequest,
} from '../../emulator';
import { bootConnect, call, emu, pki, sample, sampleText } from './connect/context';

const decode = (segment: string): Record<string, unknown> =>
	JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

function parts(token: string) {
	const [h, p, s] = token.split('.');
	return {
		header: decode(h),
		claims: decode(p) as unknown as WebhookClaims,
		input: `${h}.${p}`,
		signature: Buffer.from(s ?? '', 'base64url'),
		segments: token.split('.').length,
	};
}

const rs512 = (token: string, publicKey: string): boolean => {
	const { input, signature } = parts(token);
	return verify('sha512', Buffer.from(input), publicKey, signature);
};

describe('webhook event builder', () => {
	it('reproduces the real body of webhook-integration-account-revoked.json byte for byte', () => {
		const real = sampleText('webhook-integration-account-revoked.json').trimEnd();
		const parsed = JSON.parse(real) as {
			data: {
				id: string;
				attributes: { createdAt: string };
				relationships: {
					account: { data: { id: string } };
					organization: { data: { id: string } };
				};
			};
		};
		const built = webhookEvent('pontoConnect.integration.accountRevoked', {
			id: parsed.data.id,
			createdAt: parsed.data.attributes.createdAt,
			accountId: parsed.data.relationships.account.data.id,
			organizationId: parsed.data.relationships.organization.data.id,
		});
		expect(JSON.stringify(built)).toBe(real);
	});

	it('matches the shape of the succeededWithoutChange fixture', () => {
		const fixture = sample<{
			data: {
				id: string;
				attributes: Record<string, string>;
				relationships: Record<string, { data: { id: string } }>;
			};
		}>('webhook-synchronization-succeeded-without-change.json');
		const built = webhookEvent('pontoConnect.synchronization.succeededWithoutChange', {
			id: fixture.data.id,
			createdAt: fixture.data.attributes.createdAt,
			synchronizationSubtype: 'accountDetails',
			accountId: fixture.data.relationships.account.data.id,
			organizationId: fixture.data.relationships.organization.data.id,
			synchronizationId: fixture.data.relationships.synchronization.data.id,
		});
		expect(built).toEqual(fixture);
	});

	// docs/ponto-api.md §6.1, copied as a table: type -> [relationships, extra attribute].
	const TABLE: Record<string, [string, string?]> = {
		'pontoConnect.synchronization.succeededWithoutChange': [
			'account synchronization organization',
			'synchronizationSubtype',
		],
		'pontoConnect.synchronization.failed': [
			'account synchronization organization',
			'synchronizationSubtype',
		],
		'pontoConnect.account.detailsUpdated': ['account synchronization organization'],
		'pontoConnect.account.transactionsCreated': ['account synchronization organization', 'count'],
		'pontoConnect.account.transactionsUpdated': ['account synchronization organization', 'count'],
		'pontoConnect.account.pendingTransactionsCreated': [
			'account synchronization organization',
			'count',
		],
		'pontoConnect.account.pendingTransactionsUpdated': [
			'account synchronization organization',
			'count',
		],
		'pontoConnect.account.reauthorized': ['account organization'],
		'pontoConnect.integration.created': ['organization'],
		'pontoConnect.integration.revoked': ['organization'],
		'pontoConnect.integration.accountAdded': ['account organization'],
		'pontoConnect.integration.accountRevoked': ['account organization'],
		'pontoConnect.organization.blocked': ['organization'],
		'pontoConnect.organization.unblocked': ['organization'],
		'pontoConnect.paymentRequest.closed': ['account organization paymentRequest'],
	};

	it('knows exactly the 15 event types', () => {
		expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual(Object.keys(TABLE).sort());
	});

	it.each(WEBHOOK_EVENT_TYPES.map((t) => [t]))(
		'%s has the relationships and attributes of docs/ponto-api.md §6.1',
		(type) => {
			const event = webhookEvent(type, {
				id: 'e',
				accountId: 'a',
				synchronizationId: 's',
				organizationId: 'o',
				paymentRequestId: 'p',
				count: 3,
				createdAt: '2024-01-01T00:00:00.000Z',
			});
			const [rels, extra] = TABLE[type];
			expect(Object.keys(event.data.relationships)).toEqual(rels.split(' ').sort());
			expect(Object.keys(event.data)).toEqual(['attributes', 'id', 'relationships', 'type']);
			expect(Object.keys(event.data.attributes).sort()).toEqual(
				['createdAt', ...(extra ? [extra] : [])].sort(),
			);
			if (extra === 'count') expect(event.data.attributes.count).toBe(3);
			if (extra === 'synchronizationSubtype')
				expect(event.data.attributes.synchronizationSubtype).toBe('accountTransactions');
			const ids: Record<string, string> = {
				account: 'a',
				synchronization: 's',
				organization: 'o',
				paymentRequest: 'p',
			};
			for (const [name, rel] of Object.entries(event.data.relationships))
				expect(rel.data).toEqual({ id: ids[name], type: name });
		},
	);
});

describe('webhook deliveries', () => {
	let receiver: http.Server;
	let receiverUrl: string;
	const received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, body: Buffer.concat(chunks) });
				const ok = typeof req.headers.signature === 'string';
				res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' });
				res.end(ok ? 'Webhook received.' : 'missing signature');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
	});
	afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
	beforeEach(async () => {
		received.length = 0;
		await bootConnect();
	});

	it('serves the JWKS like webhook-keys.json (mTLS) and its key verifies deliveries', async () => {
		const shape = sample<{ keys: Jwk[] }>('webhook-keys.json');
		const jwks = await call<{ keys: Jwk[] }>(`${emu.url}/webhooks/keys`);
		expect(jwks.status).toBe(200);
		expect(jwks.body.keys).toHaveLength(1);
		const [key] = jwks.body.keys;
		expect(Object.keys(key)).toEqual(Object.keys(shape.keys[0]));
		expect(key).toMatchObject({
			alg: 'RS512',
			e: 'AQAB',
			kid: pki.webhook.kid,
			kty: 'RSA',
			status: 'ACTIVE',
			use: 'sig',
		});
		expect(key.n).toMatch(/^[\w-]{340,}$/);
		const publicKey = createPublicKey({ key: { kty: 'RSA', n: key.n, e: key.e }, format: 'jwk' })
			.export({ type: 'spki', format: 'pem' })
			.toString();
		const res = await emu.postWebhook(receiverUrl, 'pontoConnect.account.transactionsCreated');
		expect(rs512(res.request.token!, publicKey)).toBe(true);
	});

	it('posts a compact body with a valid RS512 JWT and returns what the receiver answered', async () => {
		const res = await emu.postWebhook(receiverUrl, 'pontoConnect.account.transactionsCreated');
		expect([res.status, res.body]).toEqual([200, 'Webhook received.']);
		const got = received[0];
		expect(got.body.equals(res.request.body)).toBe(true);
		expect(got.body.toString()).toBe(JSON.stringify(JSON.parse(got.body.toString())));
		const event = JSON.parse(got.body.toString()) as {
			data: {
				relationships: {
					organization: { data: { id: string } };
					account: { data: { id: string } };
				};
			};
		};
		expect(event.data.relationships.organization.data.id).toBe(emu.dataset.organizationId);
		expect(event.data.relationships.account.data.id).toBe(emu.dataset.accounts[0].id);
		const token = got.headers.signature as string;
		const { header, claims } = parts(token);
		expect(header).toEqual({ alg: 'RS512', kid: pki.webhook.kid });
		expect(Object.keys(claims)).toEqual(['aud', 'digest', 'exp', 'iat', 'iss', 'jti']);
		expect(claims).toMatchObject({
			aud: emu.connect.applicationId,
			iss: 'https://api.ibanity.com',
			digest: webhookDigest(got.body),
		});
		expect(claims.exp - claims.iat).toBe(60);
		expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);
		expect(rs512(token, pki.webhook.publicKey)).toBe(true);
		expect(emu.connect.webhookDeliveries.map((d) => d.status)).toEqual([200]);
		expect(JSON.stringify(emu.log)).not.toContain(token);
	});

	it('replays an earlier delivery byte for byte (same jti)', async () => {
		const first = await emu.postWebhook(receiverUrl, 'pontoConnect.integration.created');
		const replay = await emu.postWebhook(receiverUrl, 'pontoConnect.integration.created', {
			replay: 'last',
		});
		expect(replay.request).toBe(first.request);
		expect(received[1].body.equals(received[0].body)).toBe(true);
		expect(received[1].headers.signature).toBe(received[0].headers.signature);
		const old = emu.connect.buildWebhook('pontoConnect.integration.created', {
			nowSeconds: Math.floor(Date.now() / 1000) - 3600,
		});
		await emu.postWebhook(receiverUrl, 'pontoConnect.integration.created', { replay: old });
		expect(parts(received[2].headers.signature as string).claims.exp).toBeLessThan(
			Date.now() / 1000,
		);
	});

	it('rotation: the new key signs, the JWKS lists it (first), the old one stays unless dropped', async () => {
		emu.connect.rotateWebhookKey({
			kid: pki.webhook2.kid,
			publicKey: pki.webhook2.publicKey,
			privateKey: pki.webhook2.privateKey,
		});
		const jwks = await call<{ keys: Jwk[] }>(`${emu.url}/webhooks/keys`);
		expect(jwks.body.keys.map((k) => k.kid)).toEqual([pki.webhook2.kid, pki.webhook.kid]);
		const res = await emu.postWebhook(receiverUrl, 'pontoConnect.account.reauthorized');
		expect(parts(res.request.token!).header.kid).toBe(pki.webhook2.kid);
		expect(rs512(res.request.token!, pki.webhook2.publicKey)).toBe(true);
		expect(rs512(res.request.token!, pki.webhook.publicKey)).toBe(false);
		emu.connect.rotateWebhookKey(
			{
				kid: pki.webhook.kid,
				publicKey: pki.webhook.publicKey,
				privateKey: pki.webhook.privateKey,
			},
			{ keepOld: false },
		);
		expect(
			(await call<{ keys: Jwk[] }>(`${emu.url}/webhooks/keys`)).body.keys.map((k) => k.kid),
		).toEqual([pki.webhook.kid]);
	});

	it('the receiver answer is passed through (400 for a missing signature)', async () => {
		const res = await emu.postWebhook(receiverUrl, 'pontoConnect.organization.blocked', {
			forge: 'missingSignature',
		});
		expect([res.status, res.body]).toEqual([400, 'missing signature']);
		expect(received[0].headers.signature).toBeUndefined();
	});
});

describe('webhook forgeries (pure builder) produce what they claim', () => {
	const config = () => ({
		key: {
			kid: pki.webhook.kid,
			publicKey: pki.webhook.publicKey,
			privateKey: pki.webhook.privateKey,
		},
		applicationId: 'app-id',
	});
	const ids = { id: 'e-1', accountId: 'a-1', synchronizationId: 's-1', organizationId: 'o-1' };
	const event = () =>
		webhookEvent('pontoConnect.account.transactionsCreated', {
			...ids,
			count: 2,
			createdAt: '2024-01-01T00:00:00.000Z',
		});
	const NOW = 1_700_000_000;
	const build = (forge?: (typeof WEBHOOK_FORGERIES)[number]) =>
		buildWebhookRequest(event(), config(), { forge, nowSeconds: NOW });
	const validRs512 = (r: WebhookRequest) => rs512(r.token!, pki.webhook.publicKey);

	it('an honest request passes every check', () => {
		const r = build();
		expect(validRs512(r)).toBe(true);
		expect(parts(r.token!).claims).toMatchObject({
			digest: webhookDigest(r.body),
			aud: 'app-id',
			iss: 'https://api.ibanity.com',
			iat: NOW,
			exp: NOW + 60,
		});
	});

	const checks: Record<(typeof WEBHOOK_FORGERIES)[number], (r: WebhookRequest) => void> = {
		wrongDigest: (r) => {
			expect(validRs512(r)).toBe(true);
			expect(parts(r.token!).claims.digest).not.toBe(webhookDigest(r.body));
		},
		mutatedBody: (r) => {
			expect(validRs512(r)).toBe(true);
			expect(parts(r.token!).claims.digest).toBe(webhookDigest(JSON.stringify(event())));
			expect(r.body.toString()).not.toBe(JSON.stringify(event()));
			expect(parts(r.token!).claims.digest).not.toBe(webhookDigest(r.body));
			expect(() => JSON.parse(r.body.toString())).not.toThrow();
		},
		expired: (r) => {
			expect(validRs512(r)).toBe(true);
			expect(parts(r.token!).claims.exp).toBeLessThan(NOW - 30);
		},
		iatInFuture: (r) => {
			expect(validRs512(r)).toBe(true);
			expect(parts(r.token!).claims.iat).toBeGreaterThan(NOW + 30);
		},
		wrongAudience: (r) => {
			expect(validRs512(r)).toBe(true);
			expect(parts(r.token!).claims.aud).not.toBe('app-id');
		},
		wrongIssuer: (r) => {
			expect(validRs512(r)).toBe(true);
			expect(parts(r.token!).claims.iss).not.toBe('https://api.ibanity.com');
		},
		unknownKid: (r) => {
			expect(validRs512(r)).toBe(true);
			expect(parts(r.token!).header.kid).not.toBe(pki.webhook.kid);
		},
		algNone: (r) => {
			expect(parts(r.token!).header.alg).toBe('none');
			expect(r.token!.endsWith('.')).toBe(true);
			expect(parts(r.token!).signature).toHaveLength(0);
		},
		hs512WithPublicKey: (r) => {
			const { header, input, signature } = parts(r.token!);
			expect(header.alg).toBe('HS512');
			expect(
				signature.equals(createHmac('sha512', pki.webhook.publicKey).update(input).digest()),
			).toBe(true);
			expect(validRs512(r)).toBe(false);
		},
		missingSignature: (r) => {
			expect(r.token).toBeUndefined();
			expect(r.headers.signature).toBeUndefined();
		},
		truncatedToken: (r) => {
			const full = buildWebhookRequest(event(), config(), {
				nowSeconds: NOW,
				claims: parts(r.token!).claims,
			});
			expect(full.token!.startsWith(r.token!)).toBe(true);
			expect(r.token!.length).toBeLessThan(full.token!.length);
			expect(validRs512(r)).toBe(false);
		},
		oversizedBody: (r) => {
			expect(r.body.length).toBe(1024 * 1024 + 1);
			expect(() => JSON.parse(r.body.toString())).not.toThrow();
			expect(parts(r.token!).claims.digest).toBe(webhookDigest(r.body));
			expect(validRs512(r)).toBe(true);
		},
	};

	it.each(WEBHOOK_FORGERIES.map((f) => [f]))('%s', (forge) => {
		const r = build(forge);
		expect(r.forge).toBe(forge);
		if (r.token) expect(r.headers.signature).toBe(r.token);
		checks[forge](r);
	});

	it('claims and header overrides allow any other forgery', () => {
		const r = buildWebhookRequest(event(), config(), {
			nowSeconds: NOW,
			claims: { jti: 'fixed' },
			header: { alg: 'RS512', kid: 'x', typ: 'JWT' },
		});
		expect(parts(r.token!).claims.jti).toBe('fixed');
		expect(parts(r.token!).header).toEqual({ alg: 'RS512', kid: 'x', typ: 'JWT' });
		expect(
			buildWebhookRequest(event(), config(), { forge: 'oversizedBody', oversizeBytes: 5000 }).body
				.length,
		).toBe(5000);
	});
});
