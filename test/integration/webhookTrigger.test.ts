import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { clearWebhookKeyCache } from '../../nodes/Ponto/transport/webhookKeys';
import {
	DEFAULT_CONNECT_CLIENT,
	generateDataset,
	startEmulator,
	WEBHOOK_FORGERIES,
} from '../emulator';
import type { ConnectEmulator, WebhookEventType } from '../emulator';
import { mtlsRequest } from '../emulator/connect/client';
import {
	clearDeliveryMemory,
	isFirstDelivery,
	KEEP_EVENTS,
	KEEP_EVENTS_MS,
} from '../../nodes/PontoConnectTrigger/replay';
import { WebhookHarness } from '../harness/webhook';
import { connectEmulatorOptions, generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';

/**
 * The Ponto Connect Trigger's webhook() run by n8n-core's WebhookContext behind a local HTTP
 * server, receiving deliveries the Connect emulator signs (and forges), with the signing keys
 * fetched from the emulator's /webhooks/keys over mTLS.
 */
let pki: TestPki;
let emulator: ConnectEmulator;
let seeded: { accessToken: string; refreshToken?: string };
const harnesses: WebhookHarness[] = [];

beforeAll(async () => {
	pki = await generateTestPki();
	emulator = (await startEmulator({
		dataset: generateDataset({
			seed: 41,
			accounts: [{ transactions: 20, pendingTransactions: 0 }],
		}),
		synchronization: { pendingMs: 0, runningMs: 0, minIntervalMs: 0, unattendedPerDay: 100 },
		connect: connectEmulatorOptions(pki),
	})) as ConnectEmulator;
	seeded = emulator.connect.seedGrant();
});
afterAll(async () => emulator?.close());
beforeEach(() => {
	clearWebhookKeyCache();
	emulator.clearLog();
	emulator.connect.setWebhookKeys([
		{ kid: pki.webhook.kid, publicKey: pki.webhook.publicKey, privateKey: pki.webhook.privateKey },
	]);
});
afterEach(async () => {
	jest.useRealTimers();
	await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

function credential(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		environment: 'sandbox',
		baseUrl: emulator.url,
		clientId: DEFAULT_CONNECT_CLIENT.clientId,
		clientSecret: DEFAULT_CONNECT_CLIENT.clientSecret,
		redirectUri: 'http://127.0.0.1/callback',
		certificate: pki.client.cert,
		privateKey: pki.client.encryptedKey,
		passphrase: pki.client.passphrase,
		ca: pki.ca.cert,
		applicationId: emulator.connect.applicationId,
		accessToken: seeded.accessToken,
		refreshToken: seeded.refreshToken,
		...extra,
	};
}

async function serve(
	parameters: INodeParameters = {},
	credentialExtra: Record<string, unknown> = {},
): Promise<WebhookHarness> {
	const harness = new WebhookHarness(credential(credentialExtra), parameters);
	harnesses.push(harness);
	await harness.start();
	return harness;
}

const keyFetches = () => emulator.requestsTo('/webhooks/keys', 'GET');
const account = () => emulator.dataset.accounts[0];

describe('Ponto Connect Trigger: verified deliveries', () => {
	test('a valid signed event starts the workflow with the flattened event; keys fetched once over mTLS, then cached', async () => {
		const n8n = await serve();
		const first = await emulator.postWebhook(n8n.url, 'pontoConnect.integration.accountRevoked');
		expect([first.status, first.body]).toEqual([200, '{"message":"Workflow was started"}']);
		const event = JSON.parse(first.request.body.toString()) as {
			data: { id: string; attributes: { createdAt: string } };
		};
		expect(n8n.startedRuns).toEqual([
			[
				{
					id: event.data.id,
					type: 'pontoConnect.integration.accountRevoked',
					createdAt: event.data.attributes.createdAt,
					accountId: account().id,
					organizationId: emulator.dataset.organizationId,
					idempotencyKey: `ponto:event:${event.data.id}`,
				},
			],
		]);
		for (const type of [
			'pontoConnect.account.transactionsCreated',
			'pontoConnect.paymentRequest.closed',
		] as WebhookEventType[]) {
			expect((await emulator.postWebhook(n8n.url, type)).status).toBe(200);
		}
		expect(n8n.startedRuns[1][0]).toMatchObject({
			type: 'pontoConnect.account.transactionsCreated',
			count: 1,
			synchronizationId: expect.any(String),
			accountId: account().id,
		});
		expect(Object.keys(n8n.startedRuns[2][0])).toEqual([
			'id',
			'type',
			'createdAt',
			'accountId',
			'organizationId',
			'paymentRequestId',
			'idempotencyKey',
		]);
		expect(keyFetches()).toHaveLength(1);
		expect(keyFetches()[0]).toMatchObject({
			status: 200,
			clientCertificate: true,
			clientCertificateCn: pki.client.cn,
		});
	});

	test('every forgery gets 401 and starts nothing, echoes nothing; none makes n8n refetch the keys', async () => {
		const n8n = await serve();
		expect(
			(await emulator.postWebhook(n8n.url, 'pontoConnect.account.detailsUpdated')).status,
		).toBe(200);
		const old = emulator.connect.buildWebhook('pontoConnect.account.detailsUpdated', {
			nowSeconds: Math.floor(Date.now() / 1000) - 3600,
		});
		const attempts = [
			...WEBHOOK_FORGERIES.map((forge) =>
				emulator.postWebhook(n8n.url, 'pontoConnect.account.transactionsCreated', { forge }),
			),
			emulator.postWebhook(n8n.url, 'pontoConnect.account.detailsUpdated', { replay: old }),
			emulator.postWebhook(n8n.url, 'pontoConnect.account.detailsUpdated', {
				header: { alg: 'RS512', kid: pki.webhook.kid, jku: 'https://evil.example/keys' },
				claims: { aud: 'another-app' },
			}),
		];
		for (const response of await Promise.all(attempts)) {
			expect([response.request.forge, response.status, response.body]).toEqual([
				response.request.forge,
				401,
				'Unauthorized',
			]);
			if (response.request.token) expect(response.body).not.toContain(response.request.token);
		}
		expect(n8n.startedRuns).toHaveLength(1);
		const refusals = n8n.logs.filter(
			(line) => line.level === 'warn' && line.message.includes('refused'),
		);
		expect(refusals).toHaveLength(attempts.length);
		expect(refusals.map((line) => line.message).join('\n')).toMatch(
			/digest claim does not match[\s\S]*expired[\s\S]*alg "none" refused/,
		);
		expect(keyFetches()).toHaveLength(1);
	});

	test('an unknown kid refreshes the keys at most once per minute; a key rotated in is then accepted', async () => {
		jest.useFakeTimers({
			doNotFake: [
				'nextTick',
				'setImmediate',
				'clearImmediate',
				'setTimeout',
				'clearTimeout',
				'setInterval',
				'clearInterval',
				'queueMicrotask',
				'hrtime',
				'performance',
			],
		});
		jest.setSystemTime(Date.now());
		const n8n = await serve();
		expect((await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created')).status).toBe(
			200,
		);
		for (let i = 0; i < 20; i++) {
			expect(
				(
					await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created', {
						header: { alg: 'RS512', kid: `forged-${i}` },
					})
				).status,
			).toBe(401);
		}
		expect(keyFetches()).toHaveLength(1);
		emulator.connect.rotateWebhookKey({
			kid: pki.webhook2.kid,
			publicKey: pki.webhook2.publicKey,
			privateKey: pki.webhook2.privateKey,
		});
		// Within the minute after the last fetch, even a real new kid waits (the price of the limit).
		expect((await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created')).status).toBe(
			401,
		);
		jest.setSystemTime(Date.now() + 61_000);
		expect((await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created')).status).toBe(
			200,
		);
		expect(keyFetches()).toHaveLength(2);
		for (let i = 0; i < 20; i++)
			await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created', {
				header: { alg: 'RS512', kid: `again-${i}` },
			});
		expect(keyFetches()).toHaveLength(2);
		expect(n8n.startedRuns).toHaveLength(2);
	});

	test('an event type not selected is acknowledged with 200 and starts nothing', async () => {
		const n8n = await serve({ events: ['pontoConnect.account.transactionsCreated'] });
		const res = await emulator.postWebhook(n8n.url, 'pontoConnect.organization.blocked');
		expect([res.status, res.body]).toEqual([200, 'Webhook received.']);
		expect(
			(await emulator.postWebhook(n8n.url, 'pontoConnect.account.transactionsCreated')).status,
		).toBe(200);
		expect(n8n.startedRuns.map((items) => items[0].type)).toEqual([
			'pontoConnect.account.transactionsCreated',
		]);
	});

	test('the same signed delivery twice (replayed within its minute) starts one run', async () => {
		const n8n = await serve();
		await emulator.postWebhook(n8n.url, 'pontoConnect.account.reauthorized');
		const again = await emulator.postWebhook(n8n.url, 'pontoConnect.account.reauthorized', {
			replay: 'last',
		});
		expect([again.status, again.body]).toEqual([200, 'Webhook received.']);
		expect(n8n.startedRuns).toHaveLength(1);
	});

	test('a delivery n8n could not start a run for (its 500) may come again with the same token and then starts one', async () => {
		const n8n = await serve();
		n8n.failRunStarts = 1;
		expect((await emulator.postWebhook(n8n.url, 'pontoConnect.account.reauthorized')).status).toBe(
			500,
		);
		expect(n8n.startedRuns).toHaveLength(0);
		expect(
			(await emulator.postWebhook(n8n.url, 'pontoConnect.account.reauthorized', { replay: 'last' }))
				.status,
		).toBe(200);
		expect(n8n.startedRuns).toHaveLength(1);
		const third = await emulator.postWebhook(n8n.url, 'pontoConnect.account.reauthorized', {
			replay: 'last',
		});
		expect([third.status, third.body]).toEqual([200, 'Webhook received.']);
		expect(n8n.startedRuns).toHaveLength(1);
	});

	test('the same event signed anew (a redelivery with a new token) starts one run', async () => {
		const n8n = await serve();
		const event = emulator.connect.webhookEvent('pontoConnect.account.reauthorized');
		const first = await emulator.postWebhook(n8n.url, event);
		const again = await emulator.postWebhook(n8n.url, event);
		expect(again.request.headers.signature).not.toBe(first.request.headers.signature);
		expect([first.status, again.status, again.body]).toEqual([200, 200, 'Webhook received.']);
		expect(n8n.startedRuns).toHaveLength(1);
	});

	test('a delivery seen once is not run again after a restart or by another instance sharing the database', async () => {
		const first = await serve();
		const event = emulator.connect.webhookEvent('pontoConnect.account.detailsUpdated');
		expect((await emulator.postWebhook(first.url, event)).status).toBe(200);
		expect(first.startedRuns).toHaveLength(1);
		// n8n restarted: this instance's memory is gone, the workflow's static data is not.
		clearDeliveryMemory();
		const restarted = await serve();
		restarted.store = first.store;
		const replay = await emulator.postWebhook(restarted.url, event, { replay: 'last' });
		const resigned = await emulator.postWebhook(restarted.url, event);
		expect([replay.status, replay.body, resigned.status, resigned.body]).toEqual([
			200,
			'Webhook received.',
			200,
			'Webhook received.',
		]);
		expect(restarted.startedRuns).toHaveLength(0);
		// Another webhook instance (its own memory) on the same database.
		clearDeliveryMemory();
		const other = await serve();
		other.store = first.store;
		expect((await emulator.postWebhook(other.url, event)).body).toBe('Webhook received.');
		expect(other.startedRuns).toHaveLength(0);
		// A new event on that instance runs, and the static data stays bounded.
		expect(
			(await emulator.postWebhook(other.url, 'pontoConnect.account.detailsUpdated')).status,
		).toBe(200);
		expect(other.startedRuns).toHaveLength(1);
		const stored = first.store.staticData['node:Ponto Connect Trigger'] as {
			events: Record<string, number>;
		};
		expect(Object.keys(stored.events)).toHaveLength(2);
	});

	test('the static data keeps a bounded number of event ids, newest first', () => {
		const store: IDataObject = {};
		const start = Date.parse('2026-06-01T00:00:00Z');
		for (let i = 0; i < KEEP_EVENTS + 50; i++)
			expect(isFirstDelivery(`k${i}`, `event-${i}`, store, start + i)).toBe(true);
		const events = (store as { events: Record<string, number> }).events;
		expect(Object.keys(events)).toHaveLength(KEEP_EVENTS);
		expect(events[`event-${KEEP_EVENTS + 49}`]).toBeDefined();
		expect(events['event-0']).toBeUndefined();
		clearDeliveryMemory();
		expect(
			isFirstDelivery('k-late', `event-${KEEP_EVENTS + 49}`, store, start + KEEP_EVENTS + 100),
		).toBe(false);
		// Older than the keeping time: forgotten (Ponto does not redeliver that late; the signature's expiry refuses a replay).
		expect(
			isFirstDelivery(
				'k-later',
				`event-${KEEP_EVENTS + 49}`,
				store,
				start + KEEP_EVENTS_MS + KEEP_EVENTS + 100,
			),
		).toBe(true);
		clearDeliveryMemory();
	});

	test('Emit Transactions: the updated (pending) transactions of the synchronization, one item each', async () => {
		const n8n = await serve({ emitTransactions: true });
		emulator.queueBankTransactions(account().id, [
			{
				amount: 12.34,
				counterpartName: 'Müller & Söhne GmbH',
				remittanceInformation: 'Invoice 42',
			},
			{ amount: -5.5, counterpartName: 'Ørsted A/S', remittanceInformation: 'Fee' },
		]);
		emulator.queueBankPendingTransactions(account().id, [
			{ amount: -9.99, remittanceInformation: 'Card payment' },
		]);
		const created = await mtlsRequest<{ data: { id: string } }>(
			`${emulator.connect.apiBaseUrl}/synchronizations`,
			{
				method: 'POST',
				token: seeded.accessToken,
				tls: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key },
				headers: { 'content-type': 'application/vnd.api+json' },
				body: JSON.stringify({
					data: {
						type: 'synchronization',
						attributes: {
							resourceType: 'account',
							resourceId: account().id,
							subtype: 'accountTransactionsWithUnsettled',
						},
					},
				}),
			},
		);
		expect(created.status).toBe(201);
		emulator.settleSynchronizations();
		const synchronizationId = created.body.data.id;
		const booked = emulator.connect.webhookEvent('pontoConnect.account.transactionsCreated', {
			synchronizationId,
			count: 2,
		});
		expect((await emulator.postWebhook(n8n.url, booked)).status).toBe(200);
		expect(
			n8n.startedRuns[0].map((t) => [
				t.amount,
				t.counterpartName,
				t.accountId,
				t.eventId,
				t.eventType,
			]),
		).toEqual(
			expect.arrayContaining([
				[
					12.34,
					'Müller & Söhne GmbH',
					account().id,
					booked.data.id,
					'pontoConnect.account.transactionsCreated',
				],
				[
					-5.5,
					'Ørsted A/S',
					account().id,
					booked.data.id,
					'pontoConnect.account.transactionsCreated',
				],
			]),
		);
		expect(n8n.startedRuns[0]).toHaveLength(2);
		// The key of a booking is the polling trigger's key for it.
		expect(n8n.startedRuns[0].map((t) => t.idempotencyKey)).toEqual(
			n8n.startedRuns[0].map((t) => `ponto:${account().id}:${t.id as string}`),
		);
		const pending = emulator.connect.webhookEvent(
			'pontoConnect.account.pendingTransactionsCreated',
			{ synchronizationId },
		);
		await emulator.postWebhook(n8n.url, pending);
		expect(n8n.startedRuns[1].map((t) => [t.amount, t.remittanceInformation, t.eventType])).toEqual(
			[[-9.99, 'Card payment', 'pontoConnect.account.pendingTransactionsCreated']],
		);
		expect(n8n.startedRuns[1][0].idempotencyKey).toBe(
			`ponto:${account().id}:pending:${n8n.startedRuns[1][0].id as string}`,
		);
		expect(
			emulator.requestsTo(
				`/ponto-connect/synchronizations/${synchronizationId}/updated-transactions`,
			),
		).toHaveLength(1);
		expect(
			emulator.requestsTo(
				`/ponto-connect/synchronizations/${synchronizationId}/updated-pending-transactions`,
			),
		).toHaveLength(1);
		// Other events stay events.
		await emulator.postWebhook(n8n.url, 'pontoConnect.account.detailsUpdated');
		expect(n8n.startedRuns[2][0]).toMatchObject({ type: 'pontoConnect.account.detailsUpdated' });
	});

	test('an issuer other than api.ibanity.com is refused unless set as Expected Issuer', async () => {
		emulator.connect.setOptions({
			webhooks: {
				keys: [
					{
						kid: pki.webhook.kid,
						publicKey: pki.webhook.publicKey,
						privateKey: pki.webhook.privateKey,
					},
				],
				issuer: 'https://emulator.test',
			},
		});
		try {
			const strict = await serve();
			expect(
				(await emulator.postWebhook(strict.url, 'pontoConnect.integration.created')).status,
			).toBe(401);
			expect(strict.logs.map((l) => l.message).join()).toMatch(
				/iss claim is not the expected issuer/,
			);
			const relaxed = await serve({ options: { expectedIssuer: 'https://emulator.test' } });
			expect(
				(await emulator.postWebhook(relaxed.url, 'pontoConnect.integration.created')).status,
			).toBe(200);
		} finally {
			emulator.connect.setOptions({
				webhooks: {
					keys: [
						{
							kid: pki.webhook.kid,
							publicKey: pki.webhook.publicKey,
							privateKey: pki.webhook.privateKey,
						},
					],
					issuer: 'https://api.ibanity.com',
				},
			});
		}
	});
});

describe('Ponto Connect Trigger: what cannot be verified', () => {
	test('a credential without Application ID: 500, a clear log line, no key fetch, no run', async () => {
		const n8n = await serve({}, { applicationId: '' });
		const res = await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created');
		expect([res.status, res.body]).toEqual([500, 'Internal Server Error']);
		expect(n8n.logs).toEqual([
			expect.objectContaining({
				level: 'error',
				message: expect.stringMatching(/credential has no Application ID/),
			}),
		]);
		expect(keyFetches()).toHaveLength(0);
		expect(n8n.startedRuns).toHaveLength(0);
	});

	test('keys endpoint unreachable: 503, no run; without the raw body: 401', async () => {
		const unreachable = await serve({}, { baseUrl: 'https://127.0.0.1:9' });
		expect(
			(await emulator.postWebhook(unreachable.url, 'pontoConnect.integration.created')).status,
		).toBe(503);
		expect(unreachable.logs[0].message).toMatch(
			/signing keys could not be fetched from https:\/\/127\.0\.0\.1:9\/webhooks\/keys/,
		);
		const noRaw = await serve();
		noRaw.omitRawBody = true;
		expect((await emulator.postWebhook(noRaw.url, 'pontoConnect.integration.created')).status).toBe(
			401,
		);
		expect(noRaw.logs[0].message).toMatch(/raw request body is not available/);
		expect([...unreachable.startedRuns, ...noRaw.startedRuns]).toHaveLength(0);
	});

	test('registration lives in the Ponto portal: checkExists, create and delete all report true', async () => {
		const n8n = await serve();
		expect([
			await n8n.lifecycle('checkExists'),
			await n8n.lifecycle('create'),
			await n8n.lifecycle('delete'),
		]).toEqual([true, true, true]);
		expect(keyFetches()).toHaveLength(0);
	});

	test('transactions that cannot be fetched: 500 and a log line; a redelivery may try again', async () => {
		const n8n = await serve({ emitTransactions: true });
		const unknownSync = emulator.connect.webhookEvent('pontoConnect.account.transactionsCreated', {
			synchronizationId: '00000000-0000-4000-8000-000000000000',
		});
		const res = await emulator.postWebhook(n8n.url, unknownSync);
		expect([res.status, res.body]).toEqual([500, 'Internal Server Error']);
		expect(n8n.logs).toEqual([
			expect.objectContaining({
				level: 'error',
				message: expect.stringMatching(
					new RegExp(
						`transactions of verified event ${unknownSync.data.id} .* could not be fetched`,
					),
				),
			}),
		]);
		expect((await emulator.postWebhook(n8n.url, unknownSync, { replay: 'last' })).status).toBe(500);
		expect(n8n.startedRuns).toHaveLength(0);
	});

	test('no secret in items, logs or response bodies', async () => {
		const n8n = await serve({ emitTransactions: true });
		const missingSync = emulator.connect.webhookEvent('pontoConnect.account.transactionsCreated', {
			synchronizationId: '00000000-0000-4000-8000-000000000001',
		});
		const responses = [
			await emulator.postWebhook(n8n.url, 'pontoConnect.integration.created'),
			await emulator.postWebhook(n8n.url, missingSync),
			await emulator.postWebhook(n8n.url, 'pontoConnect.account.transactionsCreated', {
				forge: 'wrongAudience',
			}),
			await emulator.postWebhook(n8n.url, 'pontoConnect.account.transactionsCreated', {
				forge: 'unknownKid',
			}),
		];
		expect(responses.map((r) => r.status)).toEqual([200, 500, 401, 401]);
		expect(n8n.logs.map((l) => l.level)).toEqual(['error', 'warn', 'warn']);
		const everything = JSON.stringify({
			items: n8n.deliveries.map((d) => d.items),
			logs: n8n.logs,
			bodies: responses.map((r) => r.body),
			errors: n8n.deliveries.map((d) => d.error?.message),
		});
		const stored = n8n.storedCredential;
		const secrets = [
			seeded.accessToken,
			seeded.refreshToken,
			stored.accessToken,
			DEFAULT_CONNECT_CLIENT.clientSecret,
			pki.client.passphrase,
			'PRIVATE KEY',
			...responses.map((r) => r.request.token!),
		];
		for (const secret of secrets) expect(everything).not.toContain(String(secret));
	});
});
