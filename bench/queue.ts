import { generateDataset, startEmulator } from '../test/emulator';
import { packPackage } from '../test/e2e/support/package';
import { provisionN8n } from '../test/e2e/support/provision';
import {
	FANOUT_WORKFLOW_ID,
	measureQueueThroughput,
	queueFixtures,
	startQueueCluster,
} from '../test/e2e/support/queue';
import type { QueueCluster, ThroughputResult } from '../test/e2e/support/queue';
import { median, record } from './lib';

/**
 * n8n queue mode (main + workers, PostgreSQL, Redis; test/e2e/support/queue.ts): transactions
 * per second of the fan-out workflow (a webhook, then the Ponto node reading 20 accounts) with
 * one worker, then with a second one added to the same cluster. Each figure is the median of
 * several bursts of parallel executions, timed by n8n's own execution records.
 */
const ACCOUNTS = 20;
const TRANSACTIONS = 100;
const LATENCY_MS = 20;
/** Per worker (n8n worker --concurrency). */
const CONCURRENCY = 5;
/** Parallel executions per burst: more than one worker takes at once. */
const RUNS = 8;
const BURSTS = 3;

async function bursts(cluster: QueueCluster): Promise<ThroughputResult[]> {
	const results: ThroughputResult[] = [];
	for (let burst = 0; burst < BURSTS; burst++)
		results.push(await measureQueueThroughput(cluster, { runs: RUNS }));
	return results;
}

export async function queueThroughput(): Promise<void> {
	const install = await provisionN8n(2);
	const tarball = await packPackage();
	const emulator = await startEmulator({
		latencyMs: LATENCY_MS,
		dataset: generateDataset({
			seed: 77,
			accounts: Array.from({ length: ACCOUNTS }, () => ({ transactions: TRANSACTIONS })),
		}),
	});
	let cluster: QueueCluster | undefined;
	try {
		cluster = await startQueueCluster({
			install,
			tarball,
			workers: 1,
			concurrency: CONCURRENCY,
			...queueFixtures(emulator.url),
			activate: [FANOUT_WORKFLOW_ID],
			log: (line) => process.stdout.write(`  ${line}\n`),
		});
		// One burst to warm up (module loading, first token), not counted.
		await measureQueueThroughput(cluster, { runs: RUNS });
		const one = await bursts(cluster);
		await cluster.addWorker();
		await measureQueueThroughput(cluster, { runs: RUNS });
		const two = await bursts(cluster);
		const rate = (results: ThroughputResult[]) =>
			median(results.map((result) => result.transactionsPerSecond));
		const setup = `${RUNS} runs x ${ACCOUNTS * TRANSACTIONS} tx, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}`;
		for (const [workers, results] of [
			[1, one],
			[2, two],
		] as const) {
			record({
				section: 'queue mode',
				name: `${workers} worker${workers > 1 ? 's' : ''} (${setup})`,
				value: `${rate(results).toFixed(0)} tx/s (median of ${BURSTS})`,
				target: 'reported',
				met: null,
				figures: {
					workers,
					transactionsPerSecond: rate(results),
					bursts: results.map((result) => result.transactionsPerSecond).join(' '),
					meanExecutionMs: median(results.map((result) => result.meanExecutionMs)),
					perWorker: JSON.stringify(results.at(-1)?.perWorker ?? {}),
				},
			});
		}
		const scaling = rate(two) / rate(one);
		record({
			section: 'queue mode',
			name: 'second worker: speed-up',
			value: `${scaling.toFixed(2)}x`,
			// Reported, not judged: on a machine with few cores the workers share the same CPU,
			// and each execution here is mostly n8n's own CPU work (20 ms latency).
			target: 'reported (workers share the CPU cores)',
			met: null,
			figures: { scaling },
		});
	} finally {
		await cluster?.stop();
		await emulator.close();
	}
}
