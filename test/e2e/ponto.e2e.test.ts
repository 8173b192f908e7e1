import { DateTime } from 'luxon';

import { generateDataset, startEmulator } from '../emulator';
import type { Dataset, Emulator } from '../emulator';
import { idsInWindow, windowPages } from '../support/expectations';
import { N8nInstance, nodeItems } from './support/n8n';
import type { ImportedCredential, N8nRun } from './support/n8n';
import { fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import type { N8nMajor } from './support/provision';

/**
 * The built package installed into a real n8n the way n8n installs community packages, its
 * workflows (test/e2e/workflows) run with `n8n execute`, and what n8n returned checked against
 * the emulator's data. n8n 2.x always; 1.x (1.123.50 on Node 20) for the custom-integration path.
 * PONTO_E2E_N8N=2 limits the run to one major version.
 */
const MAJORS = (process.env.PONTO_E2E_N8N ?? '2,1')
	.split(',')
	.map((major) => Number(major) as N8nMajor);
const WORKFLOWS = ['read', 'sync', 'errors', 'token-renewal'];
/** The demo's example workflows (examples/), which the README shows. */
const EXAMPLES = ['list-banks-and-accounts', 'last-month-transactions', 'synchronize-then-fetch'];

const DATASET = {
	seed: 42,
	institutions: [
		{ name: 'Scheldt Bank', country: 'BE', bic: 'SCHDBEBB' },
		{ name: 'Noordzee Bank', country: 'NL', bic: 'NRDZNL2A', status: 'beta' as const },
	],
	accounts: [
		{
			institution: 0,
			transactions: 1234,
			pendingTransactions: 3,
			edgeCases: true,
			description: 'Current account',
		},
		{
			institution: 1,
			transactions: 150,
			pendingTransactions: 2,
			description: 'Savings account',
			subtype: 'savings' as const,
		},
		{ institution: 0, transactions: 30, description: 'USD account', currency: 'USD' },
	],
};

const sorted = (values: unknown[]) => [...values].map(String).sort();

describe.each(MAJORS)('n8n %i.x with the package installed', (major) => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let data: Dataset;
	const timings: string[] = [];

	const run = async (workflowId: string): Promise<N8nRun> => {
		emulator.clearLog();
		const result = await n8n.execute(workflowId);
		timings.push(`${workflowId} ${result.wallMs} ms`);
		return result;
	};

	beforeAll(async () => {
		const install = await provisionN8n(major);
		emulator = await startEmulator({
			dataset: generateDataset(DATASET),
			synchronization: { pendingMs: 150, runningMs: 300, minIntervalMs: 1_000 },
		});
		data = emulator.dataset;
		n8n = await N8nInstance.create(install, await packPackage());
		await n8n.importCredentials([
			...fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
			...fixture<ImportedCredential[]>('examples/credentials.json', { EMULATOR_URL: emulator.url }),
		]);
		await n8n.importWorkflows([
			...WORKFLOWS.map((name) =>
				fixture<Record<string, unknown>>(`test/e2e/workflows/${name}.json`),
			),
			...EXAMPLES.map((name) => fixture<Record<string, unknown>>(`examples/${name}.json`)),
		]);
	}, 45 * 60_000);

	afterAll(async () => {
		if (timings.length)
			process.stdout.write(`n8n ${major}.x execute wall times: ${timings.join(', ')}\n`);
		n8n?.dispose();
		await emulator?.close();
	});

	test('every read operation returns what the API holds', async () => {
		const result = await run('e2eRead0000001');
		expect(result.run.data.resultData.error).toBeUndefined();

		const banks = nodeItems(result, 'Banks');
		expect(sorted(banks.map((bank) => bank.name))).toEqual(['Noordzee Bank', 'Scheldt Bank']);
		expect(banks.find((bank) => bank.name === 'Noordzee Bank')).toMatchObject({
			status: 'beta',
			country: 'NL',
		});
		expect(sorted(nodeItems(result, 'Bank').map((bank) => bank.id))).toEqual(
			sorted(banks.map((bank) => bank.id)),
		);
		expect(nodeItems(result, 'Dutch banks').map((bank) => bank.name)).toEqual(['Noordzee Bank']);

		const accounts = nodeItems(result, 'Accounts');
		expect(sorted(accounts.map((account) => account.id))).toEqual(
			sorted(data.accounts.map((account) => account.id)),
		);
		expect(accounts[0]).toMatchObject({
			currentBalance: expect.any(Number),
			synchronizedAt: expect.any(String),
			consentExpiresInDays: expect.any(Number),
		});
		expect(nodeItems(result, 'Account').map((account) => account.id)).toEqual(
			accounts.map((account) => account.id),
		);
		expect(nodeItems(result, 'Accounts of bank')).toHaveLength(3);

		// Paging across several pages: every transaction of every account, in API order, once.
		const all = nodeItems(result, 'All transactions');
		const expected = accounts.flatMap((account) =>
			data.accounts.find((a) => a.id === account.id)!.transactions.map((t) => t.id),
		);
		expect(all.map((transaction) => transaction.id)).toEqual(expected);
		const big = data.accounts[0];
		const bigPath = `/accounts/${big.id}/transactions`;
		expect(
			emulator.requestsTo(bigPath).filter((entry) => entry.query['page[limit]'] === '5'),
		).toHaveLength(1);

		// The since-window of "Last month" in the workflow's time zone (Europe/Brussels).
		const month = DateTime.now().setZone('Europe/Brussels').minus({ months: 1 });
		const since = month.startOf('month').toMillis();
		const until = month.endOf('month').toMillis();
		const lastMonth = nodeItems(result, 'Last month');
		const inWindow = data.accounts.flatMap((account) =>
			idsInWindow(account.transactions, 'executionDate', since, until),
		);
		expect(sorted(lastMonth.map((transaction) => transaction.id))).toEqual(sorted(inWindow));
		expect(lastMonth.length).toBeGreaterThan(10);
		const fullPages = emulator
			.requestsTo(bigPath)
			.filter((entry) => entry.query['page[limit]'] === '100').length;
		expect(fullPages).toBe(Math.ceil(1234 / 100) + windowPages(big.transactions, since));

		const newest = nodeItems(result, 'Five newest');
		expect(newest).toHaveLength(15);
		expect(nodeItems(result, 'Transaction').map((transaction) => transaction.id)).toEqual(
			newest.map((transaction) => transaction.id),
		);
		const pending = nodeItems(result, 'Pending');
		expect(pending).toHaveLength(5);
		expect(nodeItems(result, 'Pending one').map((transaction) => transaction.id)).toEqual(
			pending.map((transaction) => transaction.id),
		);
	});

	test('synchronize, wait, then read the transactions it brought', async () => {
		const account = data.accounts[0];
		emulator.queueBankTransactions(account.id, [
			{
				amount: 1250.5,
				counterpartName: 'Crédit Coopératif',
				remittanceInformation: '+++090/9337/55493+++',
			},
			{ amount: -19.99, counterpartName: 'Łódź Sp. z o.o.', remittanceInformation: 'Subscription' },
		]);
		const result = await run('e2eSync0000001');
		expect(result.run.data.resultData.error).toBeUndefined();
		expect(nodeItems(result, 'First account').map((first) => first.id)).toEqual([account.id]);
		const [synchronization] = nodeItems(result, 'Synchronize');
		expect(synchronization).toMatchObject({
			status: 'success',
			subtype: 'accountTransactionsWithUnsettled',
			customerIpAddress: '203.0.113.7',
		});
		const updated = nodeItems(result, 'Updated transactions');
		expect(updated.map((transaction) => [transaction.amount, transaction.counterpartName])).toEqual(
			expect.arrayContaining([
				[1250.5, 'Crédit Coopératif'],
				[-19.99, 'Łódź Sp. z o.o.'],
			]),
		);
		expect(nodeItems(result, 'Synchronization state')).toEqual([
			expect.objectContaining({ id: synchronization.id, status: 'success' }),
		]);
	});

	test('errors: Continue On Fail keeps the good items and explains the bad ones', async () => {
		const result = await run('e2eErrors00001');
		expect(result.run.data.resultData.error).toBeUndefined();
		const lookups = nodeItems(result, 'Look up with bad ids');
		expect(lookups).toHaveLength(3);
		expect(lookups[0].id).toBe(nodeItems(result, 'Accounts')[0].id);
		expect(lookups[1]).toMatchObject({ error: 'Account: "not-an-id" is not a valid Ponto ID' });
		expect(lookups[2]).toMatchObject({ error: 'The account was not found in Ponto' });
		expect(nodeItems(result, 'Inverted window')).toEqual(
			Array.from({ length: 3 }, () => expect.objectContaining({ error: 'Since is after Until' })),
		);
		const pairing = result.run.data.resultData.runData[
			'Look up with bad ids'
		][0].data!.main[0]!.map((item) => item.pairedItem);
		expect(pairing).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('the example workflows of the demo run and return data', async () => {
		emulator.queueBankTransactions(data.accounts[0].id, [
			{ amount: 42.42, counterpartName: 'Ørsted A/S' },
		]);
		const outputs: Record<string, Array<Record<string, unknown>>> = {};
		for (const [id, lastNode] of [
			['pontoDemoBanks1', 'Accounts'],
			['pontoDemoMonth1', "Last month's transactions"],
			['pontoDemoSync01', 'New and changed transactions'],
		]) {
			const result = await run(id);
			expect(result.run.data.resultData.error).toBeUndefined();
			outputs[id] = nodeItems(result, lastNode);
		}
		expect(outputs.pontoDemoBanks1).toHaveLength(3);
		expect(outputs.pontoDemoMonth1.length).toBeGreaterThan(10);
		expect(outputs.pontoDemoSync01).toContainEqual(
			expect.objectContaining({ amount: 42.42, counterpartName: 'Ørsted A/S' }),
		);
	});

	test("n8n's OAuth2 code fetches the token and renews it when the emulator expires it mid-run", async () => {
		emulator.setOptions({ expireTokensEveryRequests: 4 });
		try {
			const result = await run('e2eRenew000001');
			expect(result.run.data.resultData.error).toBeUndefined();
			// Complete and in API order, none twice (the sync test added two to the first account).
			const ids = nodeItems(result, 'All transactions').map((transaction) => transaction.id);
			expect(ids).toEqual(
				data.accounts.flatMap((account) =>
					account.transactions.map((transaction) => transaction.id),
				),
			);
			expect(new Set(ids).size).toBe(ids.length);
		} finally {
			emulator.setOptions({ expireTokensEveryRequests: undefined });
		}
		const tokenRequests = emulator.requestsTo('/oauth2/token', 'POST').length;
		const refused = emulator.log.filter((entry) => entry.status === 401).length;
		// Every refusal led to a renewal (plus the first fetch if n8n held no token yet), except
		// that requests in flight together (items run concurrently) share one: n8n-core renews
		// once per credential at a time. So: renewals happened, and never more than refusals + 1.
		expect(refused).toBeGreaterThanOrEqual(4);
		expect(tokenRequests).toBeGreaterThanOrEqual(4);
		expect(tokenRequests).toBeLessThanOrEqual(refused + 1);
	});
});
