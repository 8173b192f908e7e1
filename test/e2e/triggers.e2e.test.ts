import { join } from 'node:path';

import { generateDataset, startEmulator, WEBHOOK_FORGERIES } from '../emulator';
import type { ConnectEmulator, Emulator } from '../emulator';
import { generateTestPki } from '../support/pki';
import { N8nInstance } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { connectCredentialsFixture, fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import { executionItems, ownerEnvironment, RunningN8n } from './support/server';

/**
 * The triggers in a running n8n 2.x (`n8n start`): the polling trigger, activated, picks up
 * transactions inserted into the emulator between its polls, exactly once, across a restart;
 * the webhook trigger starts an execution for a signed Ponto event and none for forgeries.
 */
const WEBHOOK_ID = '6a1f0c2e-5b7d-4c39-9e84-2f0d8b1c7a55';
const DAY = 86_400_000;
const booked = (amount: number, daysAgo = 0) => ({
	amount,
	executionDate: `${new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`,
	remittanceInformation: `e2e ${amount}`,
});

async function waitFor<T>(
	what: string,
	timeoutMs: number,
	probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
	}
}

describe('triggers in a running n8n 2.x', () => {
	let emulator: Emulator;
	let connect: ConnectEmulator;
	let n8n: RunningN8n;
	const timings: string[] = [];

	beforeAll(async () => {
		const install = await provisionN8n(2);
		emulator = await startEmulator({
			dataset: generateDataset({
				seed: 88,
				accounts: [{ transactions: 120 }, { transactions: 30 }],
			}),
		});
		const pki = await generateTestPki();
		connect = (await startEmulator({
			connect: {
				tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
				webhooks: {
					keys: [
						{
							kid: pki.webhook.kid,
							publicKey: pki.webhook.publicKey,
							privateKey: pki.webhook.privateKey,
						},
					],
				},
			},
		})) as ConnectEmulator;
		const instance = await N8nInstance.create(install, await packPackage());
		Object.assign(instance.env, ownerEnvironment(install));
		await instance.importCredentials([
			...fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
			...connectCredentialsFixture(connect, pki),
		]);
		await instance.importWorkflows(
			['poll-trigger', 'webhook-trigger'].map((name) =>
				fixture<Record<string, unknown>>(`test/e2e/workflows/${name}.json`),
			),
		);
		await instance.cli(['publish:workflow', '--id=e2ePollTrigger1']);
		await instance.cli(['publish:workflow', '--id=e2eWebhookTrig1']);
		n8n = await RunningN8n.start(instance, join(instance.userFolder, 'n8n.log'));
	}, 45 * 60_000);

	afterAll(async () => {
		if (timings.length) process.stdout.write(`trigger e2e: ${timings.join(', ')}\n`);
		await n8n?.stop();
		n8n?.instance.dispose();
		await emulator?.close();
		await connect?.close();
	});

	const polls = () => emulator.requestsTo('/accounts', 'GET').length;
	const executions = async () =>
		(await n8n.executions('e2ePollTrigger1')).filter((execution) => execution.status === 'success');
	const emittedIds = async () =>
		(await executions())
			.flatMap((execution) => executionItems(execution, 'New transaction'))
			.map((item) => item.id as string);

	test('the polling trigger emits each inserted transaction once, across an n8n restart', async () => {
		const started = Date.now();
		await waitFor('the first poll', 150_000, () => (polls() >= 1 ? true : undefined));
		timings.push(`first poll after ${Math.round((Date.now() - started) / 1000)} s`);
		expect(await executions()).toHaveLength(0);

		const [first, second] = emulator.dataset.accounts;
		const batchA = [
			...emulator.addTransactions(first.id, [booked(11.11), booked(-22.22, 40)]),
			...emulator.addTransactions(second.id, [booked(33.33)]),
		];
		await waitFor('an execution with batch A', 150_000, async () =>
			(await executions()).length >= 1 ? true : undefined,
		);
		expect((await emittedIds()).sort()).toEqual(batchA.map((transaction) => transaction.id).sort());
		const item = executionItems((await executions())[0], 'New transaction')[0];
		expect(item).toMatchObject({
			accountId: expect.any(String),
			accountReference: expect.any(String),
		});

		const batchB = emulator.addTransactions(second.id, [booked(44.44), booked(44.44)]);
		const restartStarted = Date.now();
		await n8n.restart();
		timings.push(`restart ${Math.round((Date.now() - restartStarted) / 1000)} s`);
		await waitFor('an execution with batch B', 180_000, async () =>
			(await executions()).length >= 2 ? true : undefined,
		);
		const pollsAfterB = polls();
		await waitFor('one more poll', 150_000, () => (polls() > pollsAfterB ? true : undefined));
		const all = await emittedIds();
		expect(all.sort()).toEqual([...batchA, ...batchB].map((transaction) => transaction.id).sort());
		timings.push(
			`whole polling scenario ${Math.round((Date.now() - started) / 1000)} s, ${polls()} polls`,
		);
	});

	test('the webhook trigger runs for a signed Ponto event and not for forgeries (public API)', async () => {
		const url = `${n8n.instance.url}/webhook/${WEBHOOK_ID}/ponto`;
		const started = Date.now();
		const valid = await connect.postWebhook(url, 'pontoConnect.account.transactionsCreated');
		expect(valid.status).toBe(200);
		const runs = await waitFor('the webhook execution', 60_000, async () => {
			const found = (await n8n.executions('e2eWebhookTrig1')).filter(
				(execution) => execution.status === 'success',
			);
			return found.length ? found : undefined;
		});
		timings.push(`webhook to execution ${Date.now() - started} ms`);
		expect(executionItems(runs[0], 'Ponto event')).toEqual([
			expect.objectContaining({
				type: 'pontoConnect.account.transactionsCreated',
				id: (JSON.parse(valid.request.body.toString('utf8')) as { data: { id: string } }).data.id,
			}),
		]);
		const refused: Record<string, number> = {};
		for (const forgery of WEBHOOK_FORGERIES) {
			refused[forgery] = (
				await connect.postWebhook(url, 'pontoConnect.account.transactionsCreated', {
					forge: forgery,
				})
			).status;
		}
		expect(Object.values(refused).every((status) => status === 401)).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await n8n.executions('e2eWebhookTrig1')).toHaveLength(1);
		timings.push(`${WEBHOOK_FORGERIES.length} forgeries refused`);
	});
});
