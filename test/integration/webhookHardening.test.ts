import http from 'node:http';

import * as pem from '../../nodes/Ponto/helpers/pem';
import { clearWebhookKeyCache } from '../../nodes/Ponto/transport/webhookKeys';
import {
	buildWebhookRequest,
	generateDataset,
	postWebhookRequest,
	startEmulator,
	webhookEvent,
} from '../emulator';
import type { ConnectEmulator } from '../emulator';
import { WebhookHarness } from '../harness/webhook';
import { connectCredentialData } from '../support/connectCredential';
import { connectEmulatorOptions, generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';

/**
 * Issue 13 finding 5: a forged delivery with a well-formed RS512 header must not make the
 * Ponto Connect Trigger parse the credential's certificate and private key (the costly part of
 * a refusal). The parses are counted, not timed: once per credential content, when a key fetch
 * is due.
 */
let pki: TestPki;
let emulator: ConnectEmulator;
let seeded: { accessToken: string; refreshToken?: string };

beforeAll(async () => {
	pki = await generateTestPki();
	emulator = (await startEmulator({
		dataset: generateDataset({ seed: 43, accounts: [{ transactions: 2, pendingTransactions: 0 }] }),
		connect: connectEmulatorOptions(pki),
	})) as ConnectEmulator;
	seeded = emulator.connect.seedGrant();
});
afterAll(async () => emulator?.close());
beforeEach(() => clearWebhookKeyCache());
afterEach(() => jest.restoreAllMocks());

function credential(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return connectCredentialData(emulator, pki, {
		accessToken: seeded.accessToken,
		refreshToken: seeded.refreshToken,
		...extra,
	});
}

test('forged deliveries with well-formed RS512 headers never parse the TLS material; a key fetch does, once per content', async () => {
	const parses = jest.spyOn(pem, 'checkTlsMaterial');
	const n8n = new WebhookHarness(credential());
	await n8n.start();
	try {
		// Forgeries first: a kid nobody knows, and the real kid with a digest that does not match.
		expect(
			(
				await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created', {
					header: { alg: 'RS512', kid: 'forged-first' },
				})
			).status,
		).toBe(401);
		const keyFetchesAfterFirst = emulator.requestsTo('/webhooks/keys', 'GET').length;
		expect(keyFetchesAfterFirst).toBe(1);
		expect(parses).toHaveBeenCalledTimes(1);
		for (let i = 0; i < 25; i++) {
			const forged =
				i % 2 === 0
					? await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created', {
							header: { alg: 'RS512', kid: `forged-${i}` },
						})
					: await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created', {
							forge: 'wrongDigest',
						});
			expect(forged.status).toBe(401);
		}
		expect((await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created')).status).toBe(
			200,
		);
		expect(emulator.requestsTo('/webhooks/keys', 'GET')).toHaveLength(1);
		expect(parses).toHaveBeenCalledTimes(1);

		// Another credential content (the unencrypted key) is parsed again when its keys are fetched.
		clearWebhookKeyCache();
		const other = new WebhookHarness(credential({ privateKey: pki.client.key, passphrase: '' }));
		await other.start();
		try {
			expect(
				(await emulator.postWebhook(other.url, 'pontoConnect.integration.created')).status,
			).toBe(200);
			expect(
				(
					await emulator.postWebhook(other.url, 'pontoConnect.integration.created', {
						forge: 'wrongDigest',
					})
				).status,
			).toBe(401);
		} finally {
			await other.close();
		}
		expect(parses).toHaveBeenCalledTimes(2);
	} finally {
		await n8n.close();
	}
});

test('an unusable TLS key is still reported as a configuration problem (500), parsed once for many deliveries', async () => {
	const parses = jest.spyOn(pem, 'checkTlsMaterial');
	const n8n = new WebhookHarness(credential({ privateKey: pki.otherKey, passphrase: '' }));
	await n8n.start();
	try {
		const first = await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created');
		expect(first.status).toBe(500);
		const logged = n8n.logs.map((line) => line.message).join('\n');
		expect(logged).toContain(
			'the TLS material of the credential is not usable to fetch the signing keys (TLS Private Key does not belong to the TLS Certificate)',
		);
		for (let i = 0; i < 10; i++)
			expect(
				(
					await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created', {
						header: { alg: 'RS512', kid: `x-${i}` },
					})
				).status,
			).toBeGreaterThanOrEqual(500);
		expect(parses).toHaveBeenCalledTimes(1);
	} finally {
		await n8n.close();
	}
});

/** POSTs a body in chunks, without Content-Length (Transfer-Encoding: chunked). */
function postChunked(url: string, headers: Record<string, string>, body: Buffer): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{ method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' }, agent: false },
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
			},
		);
		request.on('error', reject);
		for (let offset = 0; offset < body.length; offset += 64 * 1024)
			request.write(body.subarray(offset, offset + 64 * 1024));
		request.end();
	});
}

test('the 1 MiB body limit holds with Content-Length and with a chunked body (issue 13, what held)', async () => {
	const n8n = new WebhookHarness(credential());
	await n8n.start();
	try {
		const oversized = buildWebhookRequest(
			webhookEvent('pontoConnect.integration.created'),
			{
				applicationId: emulator.connect.applicationId,
				key: {
					kid: pki.webhook.kid,
					publicKey: pki.webhook.publicKey,
					privateKey: pki.webhook.privateKey,
				},
			},
			{ forge: 'oversizedBody' },
		);
		expect(oversized.body.length).toBe(1024 * 1024 + 1);
		expect((await postWebhookRequest(n8n.url, oversized)).status).toBe(401);
		expect(
			await postChunked(
				n8n.url,
				{ 'content-type': 'application/json', signature: oversized.headers.signature },
				oversized.body,
			),
		).toBe(401);
		const reasons = n8n.logs.filter((line) => line.level === 'warn').map((line) => line.message);
		expect(reasons).toEqual([
			expect.stringContaining('body larger than the 1048576-byte limit (Content-Length)'),
			expect.stringContaining('body of 1048577 bytes exceeds the 1048576-byte limit'),
		]);
		expect(n8n.startedRuns).toHaveLength(0);
	} finally {
		await n8n.close();
	}
});
