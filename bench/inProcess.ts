import { createHash, generateKeyPairSync, sign } from 'node:crypto';

import { generateDataset, startEmulator } from '../test/emulator';
import type { DatasetSpec, Emulator, EmulatorOptions } from '../test/emulator';
import { N8nHarness } from '../test/harness/n8n';
import { windowPages } from '../test/support/expectations';
import { verifyWebhookSignature } from '../nodes/Ponto/helpers/webhookJwt';
import { median, ms, pairedRatio, peakHeapDuring, ratioVerdict, record } from './lib';

/**
 * Benchmarks that run the node in n8n-core's execution engine in this process (the same
 * harness the integration tests use), against the emulator on 127.0.0.1.
 */
const DAY = 86_400_000;
const RL = (value: string) => ({ __rl: true, mode: 'id', value });

async function withEmulator<T>(
	spec: DatasetSpec,
	options: EmulatorOptions,
	work: (emulator: Emulator, n8n: N8nHarness) => Promise<T>,
): Promise<T> {
	const emulator = await startEmulator({ dataset: generateDataset(spec), ...options });
	try {
		return await work(emulator, new N8nHarness({ baseUrl: emulator.url }));
	} finally {
		await emulator.close();
	}
}

export async function requestCounts(): Promise<void> {
	for (const count of [1_234, 100_000]) {
		await withEmulator(
			{ seed: 5, accounts: [{ transactions: count, historyDays: 400 }] },
			{},
			async (emulator, n8n) => {
				const account = emulator.dataset.accounts[0];
				const path = `/accounts/${account.id}/transactions`;
				emulator.clearLog();
				const all = await n8n.run({
					resource: 'transaction',
					operation: 'getAll',
					accountId: RL(account.id),
					returnAll: true,
				});
				const requests = emulator.requestsTo(path).length;
				const floor = Math.ceil(count / 100);
				record({
					section: 'Requests',
					name: `all ${count.toLocaleString('en')} transactions`,
					value: `${requests} list requests (${all.items.length} items)`,
					target: `ceil(N/100) = ${floor}`,
					met: requests === floor && all.items.length === count,
					figures: { count, requests, floor },
				});
				const since = Date.now() - 30 * DAY;
				emulator.clearLog();
				const recent = await n8n.run({
					resource: 'transaction',
					operation: 'getAll',
					accountId: RL(account.id),
					returnAll: true,
					filters: { since: new Date(since).toISOString() },
				});
				const windowRequests = emulator.requestsTo(path).length;
				// Ponto lists by creation, newest first: the window's records are spread over the pages
				// that list what was created since `since` (back-dated bookings are listed late, among
				// older ones). Those pages, plus one to see the window has ended, are the floor.
				let lastBooked = -1;
				let lastListed = -1;
				account.transactions.forEach((transaction, index) => {
					if (Date.parse(transaction.attributes.executionDate) >= since) lastBooked = index;
					if (Date.parse(transaction.attributes.createdAt) >= since) lastListed = index;
				});
				const holding = Math.floor(Math.max(lastListed, lastBooked) / 100) + 1;
				const bookedPages = Math.floor(lastBooked / 100) + 1;
				record({
					section: 'Requests',
					name: `last 30 days of ${count.toLocaleString('en')}`,
					value: `${windowRequests} requests (${recent.items.length} items in ${bookedPages} pages by date, ${holding} by listing)`,
					target: `<= pages listing the window + 1 = ${holding + 1}`,
					met:
						windowRequests <= holding + 1 &&
						windowRequests === windowPages(account.transactions, since),
					figures: { windowRequests, holding, bookedPages },
				});
			},
		);
	}
}

export async function memory(): Promise<void> {
	await withEmulator(
		{ seed: 6, accounts: [{ transactions: 100_000, historyDays: 400 }] },
		{},
		async (emulator, n8n) => {
			const account = emulator.dataset.accounts[0];
			const { result, peakBytes, retainedBytes } = await peakHeapDuring(() =>
				n8n.run({
					resource: 'transaction',
					operation: 'getAll',
					accountId: RL(account.id),
					returnAll: true,
				}),
			);
			const perTransaction = peakBytes / 100_000;
			const retainedPer = retainedBytes / 100_000;
			record({
				section: 'Memory',
				name: 'peak heap for 100,000 transactions',
				value: `${(peakBytes / 1e6).toFixed(0)} MB (${perTransaction.toFixed(0)} B/tx); output kept ${(retainedBytes / 1e6).toFixed(0)} MB (${retainedPer.toFixed(0)} B/tx)`,
				target: 'peak within 2x the output kept (no second full copy)',
				met: result.items.length === 100_000 && peakBytes <= 2 * retainedBytes,
				figures: { peakBytes, retainedBytes, perTransaction, retainedPer },
			});
		},
	);
}

export async function manyAccounts(): Promise<void> {
	const spec: DatasetSpec = {
		seed: 7,
		accounts: Array.from({ length: 10 }, () => ({ transactions: 2_000, historyDays: 400 })),
	};
	await withEmulator(spec, { latencyMs: 50 }, async (emulator, n8n) => {
		const items = emulator.dataset.accounts.map((account) => ({ id: account.id }));
		const timed = async (concurrency: number) => {
			const started = performance.now();
			const run = await n8n.run(
				{
					resource: 'transaction',
					operation: 'getAll',
					accountId: RL('={{ $json.id }}'),
					returnAll: true,
					options: { concurrency },
				},
				{ items },
			);
			const elapsed = performance.now() - started;
			const ordered = run.items.every(
				(item, index, all) =>
					index === 0 ||
					(item.pairedItem as { item: number }).item >=
						(all[index - 1].pairedItem as { item: number }).item,
			);
			const complete = run.items.length === 20_000;
			return { elapsed, ok: ordered && complete };
		};
		// Interleaved rounds, the order alternating; the verdict is the median per-round ratio.
		const sequential: number[] = [];
		const parallel: number[] = [];
		let ok = true;
		for (let round = 0; round < 3; round++) {
			for (const concurrency of round % 2 ? [5, 1] : [1, 5]) {
				const run = await timed(concurrency);
				ok &&= run.ok;
				(concurrency === 1 ? sequential : parallel).push(run.elapsed);
			}
		}
		const ratio = pairedRatio(parallel, sequential);
		record({
			section: 'Many accounts (10 x 2,000 tx, 50 ms latency, 3 interleaved rounds)',
			name: 'items in parallel (default 5) vs one by one',
			value: `${ms(median(parallel))} vs ${ms(median(sequential))} = ${ratio.text}`,
			target: '<= 0.35x, input order and pairedItem kept',
			met: ok ? ratioVerdict(ratio, 0.35) : false,
			figures: {
				parallelMs: median(parallel),
				sequentialMs: median(sequential),
				ratio: ratio.median,
				ratioLow: ratio.low,
				ratioHigh: ratio.high,
			},
		});
	});
}

export async function idlePolls(): Promise<void> {
	for (const accounts of [1, 10, 50]) {
		await withEmulator(
			{ seed: 8, accounts: Array.from({ length: accounts }, () => ({ transactions: 150 })) },
			{},
			async (emulator, n8n) => {
				const state = {};
				const params = { event: 'transaction', accountsToWatch: 'all' };
				await n8n.poll(params, { staticData: state });
				await n8n.poll(params, { staticData: state });
				emulator.clearLog();
				await n8n.poll(params, { staticData: state });
				const requests = emulator.log.length;
				record({
					section: 'Idle polling trigger',
					name: `idle poll, ${accounts} account(s)`,
					value: `${requests} request(s)`,
					target: '1 request',
					met: requests === 1,
					figures: { accounts, requests },
				});
			},
		);
	}
}

/** A signed webhook as Ponto sends it, verified repeatedly with the key already in hand. */
export function webhookVerification(): void {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const body = Buffer.from(
		JSON.stringify({
			data: { type: 'pontoConnect.account.transactionsCreated', id: 'e', attributes: { count: 3 } },
		}),
	);
	const now = Math.floor(Date.now() / 1000);
	const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const claims = {
		iss: 'https://api.ibanity.com',
		aud: 'app',
		iat: now,
		exp: now + 60,
		jti: 'j',
		digest: createHash('sha512').update(body).digest('base64'),
	};
	const signingInput = `${encode({ alg: 'RS512', kid: 'k' })}.${encode(claims)}`;
	const signature = `${signingInput}.${sign('sha512', Buffer.from(signingInput), privateKey).toString('base64url')}`;
	const options = {
		signature,
		rawBody: body,
		keys: () => publicKey,
		expectedIssuer: 'https://api.ibanity.com',
		expectedAudience: 'app',
		now,
		toleranceSeconds: 30,
	};
	if (!verifyWebhookSignature(options).ok) throw new Error('the benchmark webhook does not verify');
	const rates: number[] = [];
	for (let round = 0; round < 5; round++) {
		const started = performance.now();
		let count = 0;
		while (performance.now() - started < 400) {
			verifyWebhookSignature(options);
			count++;
		}
		rates.push(count / ((performance.now() - started) / 1000));
	}
	const rate = median(rates);
	record({
		section: 'Webhook verification',
		name: 'signed requests verified per second (1 core)',
		value: `${rate.toFixed(0)}/s`,
		target: '>= 5,000/s',
		met: rate >= 5_000,
		figures: { rate },
	});
}

/**
 * Each file writer on a statement of 100,000 lines, producing the bytes the node stores
 * (statementFile): time and peak memory (heap and Buffers; the writers are synchronous, so the
 * peak is read when they return, before any collection of what they left behind).
 */
export async function statementWriters(): Promise<void> {
	// The compiled writers, as n8n runs them (npm run bench builds dist/ first). The path is not a
	// literal, so type-checking a fresh clone (no dist/ yet) does not look for it.
	const compiled = '../dist/nodes/Ponto/statement';
	const { buildStatement } = (await import(
		`${compiled}/build.js`
	)) as typeof import('../nodes/Ponto/statement/build');
	const { STATEMENT_FORMATS, statementFile } = (await import(
		`${compiled}/index.js`
	)) as typeof import('../nodes/Ponto/statement');
	const dataset = generateDataset({
		seed: 10,
		accounts: [{ transactions: 100_000, historyDays: 400, endDate: '2026-06-30' }],
		now: '2026-07-01T08:00:00Z',
	});
	const record = dataset.accounts[0];
	const statement = buildStatement({
		account: { type: 'account', id: record.id, attributes: { ...record.attributes } as never },
		transactions: record.transactions as never,
		pending: [],
		from: '2025-01-01',
		to: '2026-06-30',
		timeZone: 'Europe/Brussels',
		dateField: 'executionDate',
		now: Date.parse('2026-07-01T08:00:00Z'),
	});
	for (const format of STATEMENT_FORMATS) {
		// A first run compiles the writer; the median of three timed runs is the figure.
		statementFile(format, statement);
		const times: number[] = [];
		let peak = 0;
		let bytes = 0;
		for (let run = 0; run < 3; run++) {
			// Timed inside: the full collections the memory reading forces before and after the
			// writer (with the bench's whole heap) are not the writer's.
			let elapsed = 0;
			const { result, peakBytes } = await peakHeapDuring(async () => {
				const started = performance.now();
				const length = statementFile(format, statement).length;
				elapsed = performance.now() - started;
				return length;
			}, true);
			times.push(elapsed);
			peak = Math.max(peak, peakBytes);
			bytes = result;
		}
		record_({
			format: format.key,
			lines: statement.lines.length,
			elapsed: median(times),
			peakBytes: peak,
			bytes,
		});
	}
}

/** CAMT.053 is the largest file (about 1.2 KB a line): it has targets; the others are reported. */
function record_(figures: {
	format: string;
	lines: number;
	elapsed: number;
	peakBytes: number;
	bytes: number;
}): void {
	const camt = figures.format === 'camt053';
	const ratio = figures.peakBytes / figures.bytes;
	record({
		section: `Statement writers (${figures.lines.toLocaleString('en')} lines, median of 3)`,
		name: figures.format,
		value: `${ms(figures.elapsed)}, peak ${(figures.peakBytes / 1e6).toFixed(0)} MB = ${ratio.toFixed(2)}x the file (${(figures.bytes / 1e6).toFixed(1)} MB)`,
		target: camt ? '<= 1,500 ms, peak <= 2x the file' : 'reported (no target)',
		met: camt ? figures.elapsed <= 1_500 && ratio <= 2 : null,
		figures: { ...figures, ratio },
	});
}
