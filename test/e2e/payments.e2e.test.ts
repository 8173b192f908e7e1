import { generateDataset, startEmulator } from '../emulator';
import type { ConnectEmulator } from '../emulator';
import { generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';
import { N8nInstance, nodeItems } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { connectCredentialsFixture, fixture, packPackage } from './support/package';
import { demoSigningPage, startDemoConnect } from './support/demoConnect';
import { provisionN8n } from './support/provision';

/**
 * The payment examples (examples/pay-approved-bills.json, examples/mark-bills-paid.json) in a
 * real n8n 2.x against the emulator's Ponto Connect flavour: bills -> one signed, idempotent
 * bulk payment -> the approver signs -> after a synchronization the booked debits mark the
 * bills paid. n8n 1.x cannot use Ponto Connect (connect.e2e.test.ts), so 2.x only. The second
 * test runs the same example files unchanged with what `npm run demo` starts for them: its
 * Connect emulator and its linked credential (test/e2e/support/demoConnect.ts).
 */
const CREDENTIAL_ID = 'pontoConnectE2e1';
const EXAMPLES = ['pay-approved-bills', 'mark-bills-paid'];

describe('Payments in n8n 2.x', () => {
	let pki: TestPki;
	let emulator: ConnectEmulator;
	let n8n: N8nInstance;

	const credentials = (authorizationResponse = ''): ImportedCredential[] =>
		connectCredentialsFixture(emulator, pki, {
			encryptedKey: true,
			signing: true,
			authorizationResponse,
		}).map((credential) => ({
			...credential,
			data: { ...credential.data, includePaymentScope: true },
		}));

	beforeAll(async () => {
		pki = await generateTestPki();
		const install = await provisionN8n(2);
		emulator = (await startEmulator({
			dataset: generateDataset({ seed: 88, accounts: [{ transactions: 12 }] }),
			synchronization: { pendingMs: 0, runningMs: 0, minIntervalMs: 0 },
			connect: {
				tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
				signature: { required: true, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
				payments: { requireSignature: true },
				requireIdempotencyKey: true,
				userinfo: { paymentsActivated: true },
			},
		})) as ConnectEmulator;
		n8n = await N8nInstance.create(install, await packPackage());
		await n8n.importCredentials(credentials());
		// The examples name the demo's Connect credential; here it is the test's.
		const examples = EXAMPLES.map(
			(name) =>
				JSON.parse(
					JSON.stringify(fixture<Record<string, unknown>>(`examples/${name}.json`)).replace(
						/pontoConnectDemoCred01/g,
						CREDENTIAL_ID,
					),
				) as Record<string, unknown>,
		);
		await n8n.importWorkflows([
			fixture<Record<string, unknown>>('test/e2e/workflows/connect-link.json'),
			...examples,
		]);
		const linkRun = await n8n.execute('e2eConnectLink1');
		const approved = await fetch(
			String(nodeItems(linkRun, 'Authorization link')[0].authorizationUrl),
			{ redirect: 'manual' },
		);
		await n8n.importCredentials(credentials(approved.headers.get('location') ?? ''));
	}, 45 * 60_000);

	afterAll(async () => {
		n8n?.dispose();
		await emulator?.close();
	});

	test('bills -> one bulk payment (signed request, rerun-safe) -> signing link -> booked debits mark the bills paid', async () => {
		const first = await n8n.execute('pontoDemoPay01');
		expect(first.run.data.resultData.error).toBeUndefined();
		const [bulk] = nodeItems(first, 'Pay the bills (bulk payment)');
		expect(bulk).toMatchObject({
			status: 'unsigned',
			paymentCount: 3,
			totalAmount: 210.49,
			reference: 'Supplier bills',
			signingUrl: expect.stringMatching(/\/bulk-payments\//),
		});
		expect(nodeItems(first, 'Send the signing link to the approver')[0].signingUrl).toBe(
			bulk.signingUrl,
		);
		const posts = () => emulator.requestsTo(/\/bulk-payments$/, 'POST');
		expect(posts()).toEqual([
			expect.objectContaining({
				status: 201,
				signature: 'valid',
				clientCertificate: true,
				idempotencyKey: bulk.idempotencyKey,
			}),
		]);

		// Running the workflow again (a new execution) does not pay twice.
		const rerun = await n8n.execute('pontoDemoPay01');
		expect(nodeItems(rerun, 'Pay the bills (bulk payment)')[0].id).toBe(bulk.id);
		expect(posts()[1]).toMatchObject({ status: 201, idempotentReplay: true });
		expect(emulator.connect.payments).toHaveLength(1);

		// Before signing nothing is booked; the approver signs; the next synchronization books the debits.
		const before = await n8n.execute('pontoDemoPaid01');
		expect(before.run.data.resultData.runData['Mark these bills paid']).toBeUndefined();
		const signed = await fetch(String(bulk.signingUrl), { redirect: 'manual' });
		expect(signed.status).toBe(200);
		expect(emulator.connect.payments[0].attributes.status).toBe('accepted');
		const after = await n8n.execute('pontoDemoPaid01');
		expect(after.run.data.resultData.error).toBeUndefined();
		expect(nodeItems(after, 'Mark these bills paid').map((bill) => bill.bill)).toEqual([
			'BILL-2026-031',
			'BILL-2026-032',
			'BILL-2026-033',
		]);
	});

	test("npm run demo: the example files as they are, with the demo's Connect emulator and credential, pay and mark the bills paid", async () => {
		const demo = await startDemoConnect();
		try {
			await n8n.importCredentials([demo.credential]);
			await n8n.importWorkflows(
				EXAMPLES.map((name) => fixture<Record<string, unknown>>(`examples/${name}.json`)),
			);
			const pay = await n8n.execute('pontoDemoPay01');
			expect(pay.run.data.resultData.error).toBeUndefined();
			const [bulk] = nodeItems(pay, 'Pay the bills (bulk payment)');
			expect(bulk).toMatchObject({
				status: 'unsigned',
				paymentCount: 3,
				totalAmount: 210.49,
				signingUrl: expect.stringMatching(/\/bulk-payments\//),
			});
			expect(demo.emulator.requestsTo(/\/bulk-payments$/, 'POST')).toEqual([
				expect.objectContaining({ status: 201, signature: 'valid', clientCertificate: true }),
			]);
			// The link the demo prints signs as the signingUrl does.
			const signed = await fetch(demoSigningPage(demo.emulator, String(bulk.id)), {
				redirect: 'manual',
			});
			expect(signed.status).toBe(200);
			expect(demo.emulator.connect.payments.map((payment) => payment.attributes.status)).toEqual([
				'accepted',
			]);
			const paid = await n8n.execute('pontoDemoPaid01');
			expect(paid.run.data.resultData.error).toBeUndefined();
			expect(nodeItems(paid, 'Mark these bills paid').map((bill) => bill.bill)).toEqual([
				'BILL-2026-031',
				'BILL-2026-032',
				'BILL-2026-033',
			]);
		} finally {
			await demo.emulator.close();
		}
	});
});
