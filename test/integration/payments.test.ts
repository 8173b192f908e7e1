import type { IDataObject } from 'n8n-workflow';

import { generateDataset, startEmulator } from '../emulator';
import type { ConnectEmulator } from '../emulator';
import { N8nHarness } from '../harness/n8n';
import { WebhookHarness } from '../harness/webhook';
import { connectCredentialData } from '../support/connectCredential';
import { connectEmulatorOptions, generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';
import { jsonOf, RL } from './context';

/**
 * Payments, bulk payments, payment requests and activation through n8n-core's real engine and
 * the Ponto Connect credential (mTLS, signed requests), against the emulator's payment routes.
 */
let pki: TestPki;
let emulator: ConnectEmulator;
let n8n: N8nHarness;
let accountId: string;

beforeAll(async () => {
	pki = await generateTestPki();
	emulator = (await startEmulator({
		dataset: generateDataset({ seed: 41, accounts: [{ transactions: 5 }] }),
		synchronization: { pendingMs: 0, runningMs: 0, minIntervalMs: 0 },
		connect: connectEmulatorOptions(pki, {
			signature: { required: false, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
			payments: { requireSignature: true },
			requireIdempotencyKey: true,
		}),
	})) as ConnectEmulator;
	accountId = emulator.dataset.accounts[0].id;
	n8n = N8nHarness.connect(connectCredentialData(emulator, pki, { includePaymentScope: true }));
	const linkRun = await n8n.run({ resource: 'organization', operation: 'getAuthorizationLink' });
	const approved = await fetch(String(jsonOf(linkRun)[0].authorizationUrl), { redirect: 'manual' });
	n8n.storedCredential.authorizationResponse = approved.headers.get('location') ?? '';
	expect(
		(await n8n.run({ resource: 'organization', operation: 'getUserInfo' })).error,
	).toBeUndefined();
});
afterAll(async () => emulator?.close());

const PAYMENT: IDataObject = {
	resource: 'payment',
	operation: 'create',
	amount: 12.5,
	creditorName: 'Alex Creditor',
	creditorIban: 'BE68 5390 0754 7034',
	creditorBic: 'GEBABEBB',
	remittanceType: 'structured',
	structuredReference: '+++090/9337/55493+++',
	endToEndId: 'BILL-2026-001',
	redirectUri: 'https://example.com/signed',
	maxAmount: 1000,
};
const paymentPosts = () =>
	emulator.log.filter((e) => e.method === 'POST' && /\/payments$/.test(e.path));

async function run(parameters: IDataObject, items?: IDataObject[], continueOnFail = false) {
	emulator.clearLog();
	return await n8n.run({ accountId: RL(accountId), ...parameters }, { items, continueOnFail });
}

describe('activation', () => {
	test('before activation, Create says what to do; Request Payment Activation returns the link that activates', async () => {
		const refused = await run(PAYMENT);
		expect(refused.error?.message).toMatch(/^Ponto refused access: paymentsNotActivated/);
		expect(refused.error?.description).toMatch(/Request Payment Activation/);
		expect(refused.error?.description).toMatch(/Include Payment Scope/);

		const info = await run({ resource: 'organization', operation: 'getUserInfo' });
		expect(jsonOf(info)[0]).toMatchObject({
			paymentsActivated: false,
			paymentsActivationRequested: false,
		});
		const activation = await run({
			resource: 'organization',
			operation: 'requestPaymentActivation',
			redirectUri: 'https://example.com/activated',
		});
		const [{ activationUrl }] = jsonOf(activation);
		expect(String(activationUrl)).toMatch(/payment-activation-requests\//);
		expect(emulator.log.map((e) => [e.method, e.path])).toEqual([
			['POST', '/ponto-connect/payment-activation-requests'],
		]);
		const followed = await fetch(String(activationUrl), { redirect: 'manual' });
		expect(followed.headers.get('location')).toBe('https://example.com/activated');
		expect(
			jsonOf(await run({ resource: 'organization', operation: 'getUserInfo' }))[0],
		).toMatchObject({ paymentsActivated: true, paymentsActivationRequested: true });

		const requests = await run({
			resource: 'organization',
			operation: 'requestPaymentRequestActivation',
			redirectUri: 'https://example.com/activated',
		});
		await fetch(String(jsonOf(requests)[0].activationUrl), { redirect: 'manual' });
		expect(
			jsonOf(await run({ resource: 'organization', operation: 'getUserInfo' }))[0],
		).toMatchObject({ paymentRequestsActivated: true });
	});
});

describe('payment', () => {
	test('Create: validated, signed, one content-derived idempotency key; returns the signing link; Get and signing move the status', async () => {
		const created = await run(PAYMENT);
		expect(created.error).toBeUndefined();
		const [payment] = jsonOf(created);
		expect(payment).toMatchObject({
			status: 'pending',
			amount: '12.5',
			creditorName: 'Alex Creditor',
			creditorAccountReference: 'BE68539007547034',
			creditorAgent: 'GEBABEBB',
			remittanceInformation: '090933755493',
			remittanceInformationType: 'structured',
			endToEndId: 'BILL-2026-001',
			accountId,
			signingUrl: expect.stringMatching(
				new RegExp(`/accounts/${accountId}/payments/${String(payment.id)}$`),
			),
			idempotencyKey: expect.stringMatching(
				/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
			),
		});
		const [post] = paymentPosts();
		expect(post).toMatchObject({
			status: 201,
			signed: true,
			signature: 'valid',
			clientCertificate: true,
			idempotencyKey: payment.idempotencyKey,
		});

		const got = await run({ resource: 'payment', operation: 'get', paymentId: payment.id });
		expect(jsonOf(got)[0]).toMatchObject({
			id: payment.id,
			status: 'pending',
			signingUrl: payment.signingUrl,
		});
		const signed = await fetch(String(payment.signingUrl), { redirect: 'manual' });
		expect(signed.headers.get('location')).toBe('https://example.com/signed');
		expect(
			jsonOf(await run({ resource: 'payment', operation: 'get', paymentId: payment.id }))[0].status,
		).toBe('accepted');
		const late = await run({ resource: 'payment', operation: 'delete', paymentId: payment.id });
		expect(late.error?.message).toMatch(/^Ponto refused the payment: validationError/);

		// The debit books at the next synchronization, like every booking Ponto learns of.
		const sync = await run({
			resource: 'synchronization',
			operation: 'create',
			subtype: 'accountTransactions',
			waitForCompletion: true,
		});
		expect(sync.error).toBeUndefined();
		const transactions = jsonOf(
			await run({ resource: 'transaction', operation: 'getAll', returnAll: true }),
		);
		expect(transactions.filter((t) => t.endToEndId === 'BILL-2026-001')).toEqual([
			expect.objectContaining({ amount: -12.5, counterpartReference: 'BE68539007547034' }),
		]);
	});

	test('idempotency proof: a 500 AFTER Ponto accepted, the retry and a whole rerun return the same payment', async () => {
		const parameters = { ...PAYMENT, endToEndId: 'BILL-2026-002' };
		const before = emulator.connect.payments.length;
		emulator.queueFaults({ match: /\/payments$/, method: 'POST', acceptThenFail: 500 });
		const first = await run(parameters);
		expect(first.error).toBeUndefined();
		const firstLog = paymentPosts().map(
			({ status, fault, idempotentReplay, idempotencyKey, signature }) => ({
				status,
				fault,
				idempotentReplay,
				idempotencyKey,
				signature,
			}),
		);
		const rerun = await run(parameters);
		const rerunLog = paymentPosts().map(
			({ status, fault, idempotentReplay, idempotencyKey, signature }) => ({
				status,
				fault,
				idempotentReplay,
				idempotencyKey,
				signature,
			}),
		);
		const key = jsonOf(first)[0].idempotencyKey;
		expect(firstLog).toEqual([
			{
				status: 500,
				fault: 'queued:accepted-then-500',
				idempotentReplay: undefined,
				idempotencyKey: key,
				signature: 'valid',
			},
			{
				status: 201,
				fault: undefined,
				idempotentReplay: true,
				idempotencyKey: key,
				signature: 'valid',
			},
		]);
		expect(rerunLog).toEqual([
			{
				status: 201,
				fault: undefined,
				idempotentReplay: true,
				idempotencyKey: key,
				signature: 'valid',
			},
		]);
		expect(jsonOf(rerun)[0].id).toBe(jsonOf(first)[0].id);
		expect(emulator.connect.payments.length - before).toBe(1);
		process.stdout.write(
			`idempotency proof (request log): ${JSON.stringify({ firstRun: firstLog, rerun: rerunLog, paymentsCreated: emulator.connect.payments.length - before })}\n`,
		);

		// Another payment (another end-to-end id) gets another key; an own key must match its content.
		const other = await run({ ...parameters, endToEndId: 'BILL-2026-003' });
		expect(jsonOf(other)[0].idempotencyKey).not.toBe(key);
		expect(emulator.connect.payments.length - before).toBe(2);
	});

	test('Delete before signing; Get of a deleted payment says not found', async () => {
		const [payment] = jsonOf(await run({ ...PAYMENT, endToEndId: 'BILL-2026-004' }));
		const deleted = await run({ resource: 'payment', operation: 'delete', paymentId: payment.id });
		expect(jsonOf(deleted)).toEqual([{ id: payment.id, accountId, deleted: true }]);
		const gone = await run({ resource: 'payment', operation: 'get', paymentId: payment.id });
		expect(gone.error?.message).toBe('The payment was not found in Ponto');
	});

	test.each([
		[
			{ creditorIban: 'BE68 5390 0754 7035' },
			/^Creditor IBAN: "BE68 5390 0754 7035" is not a valid IBAN: its check digits do not match/,
		],
		[
			{ creditorName: 'Café & Co' },
			/^Creditor Name: "Café & Co" holds characters SEPA transfers do not allow: "é" \(position 4\), "&" \(position 6\)/,
		],
		[
			{ amount: 1000.01 },
			/^Amount: number 1000.01 is more than the Maximum Amount per Payment \(1000\)/,
		],
		[{ amount: 12.345 }, /^Amount: number 12.345 has more than two decimals/],
		[{ structuredReference: '+++090/9337/55494+++' }, /should be 93, not 94/],
		[{ creditorBic: 'GEBA' }, /^Creditor BIC: "GEBA" is not a BIC/],
		[
			{ requestedExecutionDate: '2020-01-01' },
			/^Requested Execution Date: "2020-01-01" is in the past/,
		],
		[{ endToEndId: 'BILL 1' }, /^End-to-End ID: "BILL 1" must not contain spaces/],
	])('%j is refused before any request', async (change, message) => {
		const refused = await run({ ...PAYMENT, ...change });
		expect(refused.error?.message).toMatch(message);
		expect(
			emulator.log.filter((e) => e.server === 'api' && !e.path.includes('oauth2')),
		).toHaveLength(0);
	});

	test('the custom-integration credential is refused before any request', async () => {
		const custom = new N8nHarness({ baseUrl: emulator.url });
		emulator.clearLog();
		const run = await custom.run({ ...PAYMENT, accountId: RL(accountId) });
		expect(run.error?.message).toBe('Payment > Create needs the Ponto Connect credential');
		expect(emulator.log).toHaveLength(0);
	});
});

describe('bulk payment', () => {
	const BILLS = [
		{
			supplier: 'Acme Supplies',
			iban: 'NL91ABNA0417164300',
			total: '120.00',
			ogm: '+++090/9337/55493+++',
			bill: 'B-1',
		},
		{
			supplier: 'Bolt Metals',
			iban: 'DE89 3704 0044 0532 0130 00',
			total: 80.5,
			ogm: 'RF18 5390 0754 7034',
			bill: 'B-2',
		},
		{
			supplier: 'Cobalt Paper',
			iban: 'FR1420041010050500013M02606',
			total: 9.99,
			ogm: '+++123/4567/89002+++',
			bill: 'B-3',
		},
	];
	const BULK: IDataObject = {
		resource: 'bulkPayment',
		operation: 'create',
		reference: 'Supplier bills March',
		amount: '={{ $json.total }}',
		creditorName: '={{ $json.supplier }}',
		creditorIban: '={{ $json.iban }}',
		remittanceType: 'structured',
		structuredReference: '={{ $json.ogm }}',
		endToEndId: '={{ $json.bill }}',
		batchBookingPreferred: true,
		maxAmount: 500,
	};
	const bulkPosts = () =>
		emulator.log.filter((e) => e.method === 'POST' && /\/bulk-payments$/.test(e.path));

	test('Create: every input item in ONE request, signed and keyed; Get; signing books every debit', async () => {
		const created = await run(BULK, BILLS);
		expect(created.error).toBeUndefined();
		expect(bulkPosts()).toEqual([expect.objectContaining({ status: 201, signature: 'valid' })]);
		const [bulk] = created.items;
		expect(bulk.json).toMatchObject({
			status: 'unsigned',
			reference: 'Supplier bills March',
			batchBookingPreferred: true,
			paymentCount: 3,
			totalAmount: 210.49,
			parts: 1,
			signingUrl: expect.stringMatching(/bulk-payments\//),
		});
		expect(bulk.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const record = emulator.connect.payments.find((p) => p.id === bulk.json.id)!;
		expect(
			record.payments?.map((p) => [p.creditorAccountReference, p.amount, p.remittanceInformation]),
		).toEqual([
			['NL91ABNA0417164300', 120, '090933755493'],
			['DE89370400440532013000', 80.5, 'RF18539007547034'],
			['FR1420041010050500013M02606', 9.99, '123456789002'],
		]);
		const again = await run(BULK, BILLS);
		expect(jsonOf(again)[0].id).toBe(bulk.json.id);
		expect(bulkPosts()[0].idempotentReplay).toBe(true);

		expect(
			jsonOf(
				await run({ resource: 'bulkPayment', operation: 'get', bulkPaymentId: bulk.json.id }),
			)[0],
		).toMatchObject({ status: 'unsigned', reference: 'Supplier bills March' });
		emulator.connect.decidePayment(String(bulk.json.id), 'sign');
		expect(
			jsonOf(
				await run({ resource: 'bulkPayment', operation: 'get', bulkPaymentId: bulk.json.id }),
			)[0].status,
		).toBe('accepted');
	});

	test('over the bank limit: refused before any request, or split into signed parts', async () => {
		const refused = await run({ ...BULK, instructionsLimit: 2 }, BILLS);
		expect(refused.error?.message).toBe(
			'3 payments are more than the 2 one bulk payment may hold (Most Payments per Bulk Payment)',
		);
		expect(bulkPosts()).toHaveLength(0);
		const split = await run({ ...BULK, instructionsLimit: 2, whenOverLimit: 'split' }, BILLS);
		expect(split.items.map((i) => [i.json.reference, i.json.paymentCount, i.pairedItem])).toEqual([
			['Supplier bills March 1/2', 2, [{ item: 0 }, { item: 1 }]],
			['Supplier bills March 2/2', 1, [{ item: 2 }]],
		]);
		expect(bulkPosts()).toHaveLength(2);
	});

	test('one bad item refuses the whole bulk payment before any request, naming the item', async () => {
		const bad = [...BILLS.slice(0, 2), { ...BILLS[2], iban: 'FR1420041010050500013M02607' }];
		const refused = await run(BULK, bad);
		expect(refused.error?.message).toMatch(
			/^Creditor IBAN: "FR1420041010050500013M02607" is not a valid IBAN/,
		);
		expect(
			(refused.error as { context?: { itemIndex?: number } } | undefined)?.context?.itemIndex,
		).toBe(2);
		expect(bulkPosts()).toHaveLength(0);
	});

	test('Delete an unsigned bulk payment', async () => {
		const [bulk] = jsonOf(await run({ ...BULK, reference: 'To delete' }, BILLS.slice(0, 1)));
		expect(
			jsonOf(await run({ resource: 'bulkPayment', operation: 'delete', bulkPaymentId: bulk.id })),
		).toEqual([{ id: bulk.id, accountId, deleted: true }]);
	});
});

describe('payment request', () => {
	test('Create returns the link the payer opens; Get reports signed and closed; Delete an open one', async () => {
		const created = await run({
			resource: 'paymentRequest',
			operation: 'create',
			amount: 49.95,
			remittanceType: 'unstructured',
			remittanceInformation: 'Order 7781',
			endToEndId: 'ORDER-7781',
		});
		expect(created.error).toBeUndefined();
		const [request] = jsonOf(created);
		expect(request).toMatchObject({
			status: 'unsigned',
			amount: 49.95,
			currency: 'EUR',
			signingUrl: expect.stringMatching(/\/pay\//),
			accountId,
		});
		emulator.connect.decidePayment(String(request.id), 'sign');
		emulator.connect.decidePayment(String(request.id), 'close');
		expect(
			jsonOf(
				await run({ resource: 'paymentRequest', operation: 'get', paymentRequestId: request.id }),
			)[0],
		).toMatchObject({
			status: 'closed',
			signedAt: expect.any(String),
			closedAt: expect.any(String),
		});

		const open = jsonOf(
			await run({
				resource: 'paymentRequest',
				operation: 'create',
				amount: 5,
				remittanceType: 'none',
			}),
		)[0];
		expect(
			jsonOf(
				await run({ resource: 'paymentRequest', operation: 'delete', paymentRequestId: open.id }),
			)[0],
		).toMatchObject({ deleted: true });
	});
});

describe('closing the loop', () => {
	test('Payment Request Closed reaches the Ponto Connect Trigger; Get with its paymentRequestId reports the final status', async () => {
		const [request] = jsonOf(
			await run({
				resource: 'paymentRequest',
				operation: 'create',
				amount: 120,
				remittanceType: 'structured',
				structuredReference: '+++090/9337/55493+++',
			}),
		);
		emulator.connect.decidePayment(String(request.id), 'sign');
		emulator.connect.decidePayment(String(request.id), 'close');
		const trigger = new WebhookHarness(n8n.storedCredential, {
			events: ['pontoConnect.paymentRequest.closed'],
		});
		await trigger.start();
		try {
			const event = emulator.connect.webhookEvent('pontoConnect.paymentRequest.closed', {
				accountId,
				paymentRequestId: String(request.id),
			});
			expect((await emulator.postWebhook(trigger.url, event)).status).toBe(200);
			const [[closed]] = trigger.startedRuns;
			expect(closed).toMatchObject({
				type: 'pontoConnect.paymentRequest.closed',
				paymentRequestId: request.id,
				accountId,
			});
			const got = await run({
				resource: 'paymentRequest',
				operation: 'get',
				paymentRequestId: closed.paymentRequestId,
			});
			expect(jsonOf(got)[0]).toMatchObject({
				id: request.id,
				status: 'closed',
				closedAt: expect.any(String),
				remittanceInformation: '090933755493',
				remittanceInformationType: 'structured',
			});
		} finally {
			await trigger.close();
		}
	});
});
