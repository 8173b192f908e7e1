import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { generateDataset, startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import {
	FANOUT_WEBHOOK_PATH,
	FANOUT_WORKFLOW_ID,
	fanoutTransactions,
	measureQueueThroughput,
	nodeOutput,
	POLL_WORKFLOW_ID,
	queueFixtures,
	startQueueCluster,
	triggerWebhook,
	waitForExecutions,
} from './support/queue';
import type { QueueCluster, QueueExecution } from './support/queue';

/**
 * The package in n8n 2.x queue mode: a main (webhooks, poll timers, public API), two workers
 * (the executions), PostgreSQL and Redis, all started by test/e2e/support/queue.ts. A
 * webhook-triggered fan-out over 20 accounts runs on the workers with the right data; the
 * polling trigger, driven by the main, emits every new transaction exactly once across a
 * restart of the main because its cursors live in the database. docs/queue-mode.md.
 */
const ACCOUNTS = 20;
const RUNS = 6;
/** Per worker. Low on purpose: six parallel runs then need both workers. */
const CONCURRENCY = 2;
const DAY = 86_400_000;

const booked = (amount: number, daysAgo = 0) => ({
	amount,
	executionDate: `${new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`,
	remittanceInformation: `queue e2e ${amount}`,
});
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function waitFor<T>(
	what: string,
	timeoutMs: number,
	probe: () => Promise<T | undefined> | T | undefined,
	context = () => '',
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}\n${context()}`);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
	}
}

describe('n8n 2.x in queue mode: main + 2 workers, PostgreSQL, Redis', () => {
	let emulator: Emulator;
	let cluster: QueueCluster;
	let tarball: string | undefined;
	const timings: string[] = [];

	beforeAll(async () => {
		const install = await provisionN8n(2);
		tarball = await packPackage();
		emulator = await startEmulator({
			dataset: generateDataset({
				seed: 2041,
				// 20 accounts of different sizes (5..64 transactions), so a mix-up between accounts shows.
				accounts: Array.from({ length: ACCOUNTS }, (_, index) => ({
					transactions: 5 + ((index * 17) % 60),
					description: `Queue account ${index + 1}`,
				})),
			}),
		});
		const started = Date.now();
		cluster = await startQueueCluster({
			install,
			tarball,
			workers: 2,
			concurrency: CONCURRENCY,
			...queueFixtures(emulator.url),
			activate: [FANOUT_WORKFLOW_ID],
			log: (line) => process.stdout.write(`${line}\n`),
		});
		const t = cluster.timings;
		timings.push(
			`cluster start ${seconds(Date.now() - started)} (services+package ${seconds(Math.max(t.postgres, t.redis, t.package))}, main ${seconds(t.main)}, 2 workers ${seconds(t.workers)} alongside imports+activation ${seconds(t.imports)})`,
		);
	}, 45 * 60_000);

	afterAll(async () => {
		if (timings.length) process.stdout.write(`queue e2e timings:\n  ${timings.join('\n  ')}\n`);
		await cluster?.stop();
		await emulator?.close();
		if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
	}, 120_000);

	/** Every execution went through Redis and ran on a worker, never on the main. */
	const expectRanOnWorkers = (executions: QueueExecution[]) => {
		const main = cluster.mainLogExecutions();
		for (const execution of executions) {
			expect({ id: execution.id, enqueued: execution.enqueued, worker: execution.worker }).toEqual({
				id: execution.id,
				enqueued: true,
				worker: expect.stringMatching(/^worker-\d$/),
			});
			expect(main.ranOnMain.has(execution.id)).toBe(false);
		}
	};

	test('webhook fan-out over 20 accounts: every run on a worker, both workers used, right transactions per account', async () => {
		const data = emulator.dataset;
		const expectedPerAccount = new Map(
			data.accounts.map((account) => [
				account.id,
				account.transactions.map((transaction) => transaction.id).sort(),
			]),
		);
		const total = data.accounts.reduce((sum, account) => sum + account.transactions.length, 0);

		const started = Date.now();
		await Promise.all(
			Array.from({ length: RUNS }, (_, run) =>
				triggerWebhook(cluster, FANOUT_WEBHOOK_PATH, { run }),
			),
		);
		const executions = await waitForExecutions(cluster, FANOUT_WORKFLOW_ID, RUNS, {
			timeoutMs: 180_000,
		});
		const wall = Date.now() - started;

		expect(executions.map((execution) => [execution.id, execution.status, execution.mode])).toEqual(
			executions.map((execution) => [execution.id, 'success', 'webhook']),
		);
		expectRanOnWorkers(executions);
		const byWorker: Record<string, number> = {};
		for (const execution of executions)
			byWorker[execution.worker ?? '?'] = (byWorker[execution.worker ?? '?'] ?? 0) + 1;
		expect(Object.keys(byWorker).sort()).toEqual(['worker-1', 'worker-2']);

		for (const execution of executions) {
			const accounts =
				execution.data?.resultData.runData.Accounts?.[0]?.data?.main[0]?.map(
					(item) => item.json.id as string,
				) ?? [];
			expect(accounts.sort()).toEqual([...expectedPerAccount.keys()].sort());
			const transactions = fanoutTransactions(execution);
			expect(transactions).toHaveLength(total);
			const perAccount = new Map<string, string[]>();
			for (const transaction of transactions) {
				const list = perAccount.get(transaction.accountId as string) ?? [];
				list.push(transaction.id as string);
				perAccount.set(transaction.accountId as string, list);
			}
			for (const [accountId, ids] of expectedPerAccount)
				expect({ accountId, ids: (perAccount.get(accountId) ?? []).sort() }).toEqual({
					accountId,
					ids,
				});
		}
		const durations = executions.map(
			(execution) => Date.parse(execution.stoppedAt ?? '') - Date.parse(execution.startedAt ?? ''),
		);
		timings.push(
			`fan-out: ${RUNS} runs x ${total} transactions in ${ACCOUNTS} accounts, webhook to last finished ${seconds(wall)}, per run ${Math.min(...durations)}-${Math.max(...durations)} ms, per worker ${JSON.stringify(byWorker)}`,
		);
	}, 300_000);

	test('throughput helper: transactions per second from the executions (2 workers)', async () => {
		const result = await measureQueueThroughput(cluster, { runs: 4 });
		expect(result).toMatchObject({
			runs: 4,
			workers: 2,
			transactions: 4 * result.transactionsPerRun,
		});
		expect(result.transactionsPerRun).toBe(
			emulator.dataset.accounts.reduce((sum, account) => sum + account.transactions.length, 0),
		);
		expect(result.transactionsPerSecond).toBeGreaterThan(0);
		timings.push(
			`throughput: ${result.runs} parallel runs, ${result.transactions} transactions, ${result.transactionsPerSecond} tx/s over ${result.spanMs} ms (mean run ${result.meanExecutionMs} ms, ${JSON.stringify(result.perWorker)})`,
		);
	}, 300_000);

	test('the polling trigger (version 2) runs on the main, its executions on the workers, each transaction once across a main restart', async () => {
		const started = Date.now();
		emulator.clearLog();
		const polls = () => emulator.requestsTo('/accounts', 'GET').length;
		const succeeded = async () =>
			(await cluster.executions(POLL_WORKFLOW_ID)).filter(
				(execution) => execution.status === 'success',
			);
		const emitted = async () =>
			(await succeeded()).flatMap((execution) =>
				nodeOutput(execution, 'New transaction').map((item) => item.id as string),
			);
		const cursors = async () => {
			const raw = await cluster.sql(
				`SELECT "staticData" FROM workflow_entity WHERE id = '${POLL_WORKFLOW_ID}'`,
			);
			const data = JSON.parse(raw || '{}') as Record<
				string,
				{ accounts?: Record<string, { cursor?: unknown }> }
			>;
			return Object.values(data)
				.flatMap((node) => Object.values(node.accounts ?? {}))
				.filter((account) => account.cursor).length;
		};
		const context = () => cluster.logTails(30);

		// Activation polls once at once: it only starts watching (a cursor per account, nothing emitted).
		await cluster.activate(POLL_WORKFLOW_ID);
		await waitFor('the first poll', 120_000, () => (polls() >= 1 ? true : undefined), context);
		await waitFor(
			'the cursors in PostgreSQL',
			60_000,
			async () => ((await cursors()) === ACCOUNTS ? true : undefined),
			context,
		);
		timings.push(`poll trigger: activated and first poll after ${seconds(Date.now() - started)}`);
		expect(await succeeded()).toHaveLength(0);

		const accounts = emulator.dataset.accounts;
		const batchA = [
			...emulator.addTransactions(accounts[0].id, [booked(11.11), booked(-22.22, 40)]),
			...emulator.addTransactions(accounts[19].id, [booked(33.33)]),
		];
		await waitFor(
			'an execution with batch A',
			150_000,
			async () => ((await succeeded()).length >= 1 ? true : undefined),
			context,
		);
		expect((await emitted()).sort()).toEqual(batchA.map((transaction) => transaction.id).sort());
		timings.push(`batch A emitted ${seconds(Date.now() - started)} after activation`);

		// Batch B arrives while the main is down; the restarted main must pick it up from the
		// cursors in the database, emit it once, and not emit batch A again.
		const batchB = emulator.addTransactions(accounts[7].id, [booked(44.44), booked(44.44)]);
		const restart = await cluster.restartMain();
		timings.push(`main restart ${seconds(restart)}`);
		await waitFor(
			'an execution with batch B',
			150_000,
			async () => ((await succeeded()).length >= 2 ? true : undefined),
			context,
		);
		const batchC = emulator.addTransactions(accounts[13].id, [booked(-55.55), booked(66.66, 3)]);
		await waitFor(
			'an execution with batch C',
			150_000,
			async () => ((await succeeded()).length >= 3 ? true : undefined),
			context,
		);

		const all = await emitted();
		expect(all.sort()).toEqual(
			[...batchA, ...batchB, ...batchC].map((transaction) => transaction.id).sort(),
		);
		const executions = await succeeded();
		expect(executions.map((execution) => execution.mode)).toEqual(executions.map(() => 'trigger'));
		expectRanOnWorkers(executions);
		expect(await cursors()).toBe(ACCOUNTS);
		// Version 2 of the trigger: n8n stored each execution with the batch's deduplication key.
		const keys = await cluster.sql(
			`SELECT "deduplicationKey" FROM execution_entity WHERE "workflowId" = '${POLL_WORKFLOW_ID}' AND status = 'success' ORDER BY id`,
		);
		expect(keys.split('\n').filter(Boolean)).toEqual(
			executions.map(() => expect.stringMatching(new RegExp(`^ponto:${POLL_WORKFLOW_ID}:`))),
		);
		timings.push(
			`whole polling scenario ${seconds(Date.now() - started)}, ${polls()} polls, ${executions.length} executions on ${[...new Set(executions.map((execution) => execution.worker))].join(', ')}`,
		);
	}, 540_000);
});
