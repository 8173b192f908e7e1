import { join } from 'node:path';

import { startEmulator, WEBHOOK_FORGERIES } from '../emulator';
import type { ConnectEmulator, Emulator } from '../emulator';
import { connectEmulatorOptions, generateTestPki } from '../support/pki';
import { N8nInstance } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { connectCredentialsFixture, fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import {
	POLL_WORKFLOWS,
	pollScenarioDataset,
	pollTriggerWorkflows,
	executionsFromApi,
	runPollScenario,
	waitFor,
} from './support/pollScenario';
import { executionItems, ownerEnvironment, RunningN8n } from './support/server';

/**
 * The triggers in a running n8n 2.x (`n8n start`): the polling trigger, activated, picks up
 * transactions inserted into the emulator between its polls, exactly once, across a restart, in
 * both versions side by side (v1, n8n's polling node; v2, deduplication keys); the webhook
 * trigger starts an execution for a signed Ponto event and none for forgeries.
 */
const WEBHOOK_ID = '6a1f0c2e-5b7d-4c39-9e84-2f0d8b1c7a55';

describe('triggers in a running n8n 2.x', () => {
	let emulator: Emulator;
	let connect: ConnectEmulator;
	let n8n: RunningN8n;
	const timings: string[] = [];

	beforeAll(async () => {
		const install = await provisionN8n(2);
		emulator = await startEmulator({ dataset: pollScenarioDataset() });
		const pki = await generateTestPki();
		connect = (await startEmulator({
			connect: connectEmulatorOptions(pki),
		})) as ConnectEmulator;
		const instance = await N8nInstance.create(install, await packPackage());
		Object.assign(instance.env, ownerEnvironment(install));
		await instance.importCredentials([
			...fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
			...connectCredentialsFixture(connect, pki),
		]);
		await instance.importWorkflows([
			...pollTriggerWorkflows(),
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

	test('the polling trigger (v1 and v2) emits each inserted transaction once, across an n8n restart', async () => {
		await runPollScenario(executionsFromApi(n8n), () => n8n.restart(), emulator, timings);
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
