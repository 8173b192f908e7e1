import { join } from 'node:path';

import { generateDataset, startEmulator, WEBHOOK_FORGERIES } from '../emulator';
import type { ConnectEmulator, Emulator } from '../emulator';
import { generateTestPki } from '../support/pki';
import { N8nInstance } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { connectCredentialsFixture, fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import { withTriggerVersion } from './support/pollChaos';
import { executionItems, ownerEnvironment, RunningN8n } from './support/server';

/**
 * The triggers in a running n8n 2.x (`n8n start`): the polling trigger, activated, picks up
 * transactions inserted into the emulator between its polls, exactly once, across a restart, in
 * both versions side by side (v1, n8n's polling node; v2, deduplication keys); the webhook
 * trigger starts an execution for a signed Ponto event and none for forgeries.
 */
const POLL_WORKFLOWS = ['e2ePollTrigger1', 'e2ePollTrigger2'];
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
		const pollTrigger = fixture<Record<string, unknown>>('test/e2e/workflows/poll-trigger.json');
		await instance.importWorkflows([
			pollTrigger,
			{
				...withTriggerVersion(pollTrigger, 2),
				id: POLL_WORKFLOWS[1],
				name: `${String(pollTrigger.name)} (v2)`,
			},
			fixture<Record<string, unknown>>('test/e2e/workflows/webhook-trigger.json'),
		]);
		for (const id of POLL_WORKFLOWS) await instance.cli(['publish:workflow', `--id=${id}`]);
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
	const executions = async (workflowId: string) =>
		(await n8n.executions(workflowId)).filter((execution) => execution.status === 'success');
	const emittedIds = async (workflowId: string) =>
		(await executions(workflowId))
			.flatMap((execution) => executionItems(execution, 'New transaction'))
			.map((item) => item.id as string);
	/** Each version's executions, once every version has at least `count`. */
	const eachHas = async (count: number) => {
		for (const id of POLL_WORKFLOWS) if ((await executions(id)).length < count) return undefined;
		return true;
	};

	test('the polling trigger (v1 and v2) emits each inserted transaction once, across an n8n restart', async () => {
		const started = Date.now();
		await waitFor('the first polls', 150_000, () => (polls() >= 2 ? true : undefined));
		timings.push(`first polls after ${Math.round((Date.now() - started) / 1000)} s`);
		for (const id of POLL_WORKFLOWS) expect(await executions(id)).toHaveLength(0);

		const [first, second] = emulator.dataset.accounts;
		const batchA = [
			...emulator.addTransactions(first.id, [booked(11.11), booked(-22.22, 40)]),
			...emulator.addTransactions(second.id, [booked(33.33)]),
		];
		await waitFor('an execution with batch A in each version', 150_000, () => eachHas(1));
		for (const id of POLL_WORKFLOWS) {
			expect({ id, emitted: (await emittedIds(id)).sort() }).toEqual({
				id,
				emitted: batchA.map((transaction) => transaction.id).sort(),
			});
			const item = executionItems((await executions(id))[0], 'New transaction')[0];
			expect(item).toMatchObject({
				accountId: expect.any(String),
				accountReference: expect.any(String),
				idempotencyKey: expect.stringMatching(/^ponto:/),
			});
		}

		const batchB = emulator.addTransactions(second.id, [booked(44.44), booked(44.44)]);
		const restartStarted = Date.now();
		await n8n.restart();
		timings.push(`restart ${Math.round((Date.now() - restartStarted) / 1000)} s`);
		await waitFor('an execution with batch B in each version', 180_000, () => eachHas(2));
		const pollsAfterB = polls();
		await waitFor('two more polls', 150_000, () => (polls() > pollsAfterB + 1 ? true : undefined));
		for (const id of POLL_WORKFLOWS) {
			expect({ id, emitted: (await emittedIds(id)).sort() }).toEqual({
				id,
				emitted: [...batchA, ...batchB].map((transaction) => transaction.id).sort(),
			});
		}
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
