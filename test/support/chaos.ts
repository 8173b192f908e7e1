// The chaos run of issue 8: many full fetches of one big account from an emulator in random
// fault mode. Shared by the CI-sized integration test and `npm run chaos` (full size).
import { generateDataset, startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { N8nHarness } from '../harness/n8n';

export interface ChaosOptions {
	/** Full fetches in total. */
	fetches: number;
	/** Booked transactions of the account. */
	transactions: number;
	/** Independent lanes (one emulator + one n8n credential each), run side by side. */
	lanes: number;
	seed: number;
	/** Called after every fetch with the counts so far. */
	onProgress?: (result: ChaosResult) => void;
}

/** The fault mix the issue asks for (5 % 500, 5 % 429, 2 % drops, tokens dying every 50 requests). */
export const CHAOS_FAULTS = { rate500: 0.05, rate429: 0.05, rateDrop: 0.02, retryAfterSeconds: 1 };
export const CHAOS_TOKEN_LIFE_REQUESTS = 50;
export const CHAOS_JITTER_MS = 5;

export interface ChaosResult {
	seed: number;
	fetches: number;
	/** Returned exactly the account's records, in order, none twice. */
	complete: number;
	/** Ended in a NodeApiError with no items. */
	failedCleanly: number;
	/** Anything else: partial output, duplicates, another error type. Must stay 0. */
	wrong: number;
	wrongExamples: string[];
	errorMessages: Record<string, number>;
	requests: number;
	tokenRequests: number;
	faults: Record<string, number>;
	unauthorized: number;
	/** Every error message and description, for the secret check. */
	errorTexts: string[];
	wallMs: number;
}

function laneSeed(seed: number, lane: number): number {
	return (seed ^ Math.imul(lane + 1, 0x85ebca6b)) >>> 0;
}

async function runLane(
	lane: number,
	fetches: number,
	options: ChaosOptions,
	result: ChaosResult,
): Promise<void> {
	const emulator: Emulator = await startEmulator({
		dataset: generateDataset({
			seed: options.seed,
			accounts: [{ transactions: options.transactions }],
		}),
		faults: { seed: laneSeed(options.seed, lane), ...CHAOS_FAULTS },
		expireTokensEveryRequests: CHAOS_TOKEN_LIFE_REQUESTS,
		jitterMs: CHAOS_JITTER_MS,
	});
	try {
		const account = emulator.dataset.accounts[0];
		const expected = account.transactions.map((transaction) => transaction.id);
		const n8n = new N8nHarness({ baseUrl: emulator.url });
		for (let fetch = 0; fetch < fetches; fetch++) {
			const run = await n8n.run({
				resource: 'transaction',
				operation: 'getAll',
				accountId: { __rl: true, mode: 'id', value: account.id },
				returnAll: true,
			});
			const ids = run.items.map((item) => item.json.id);
			const error = run.error as (Error & { description?: string }) | undefined;
			if (error) {
				result.errorTexts.push(`${error.message}\n${error.description ?? ''}`);
				if (error.name === 'NodeApiError' && ids.length === 0) {
					result.failedCleanly++;
					result.errorMessages[error.message] = (result.errorMessages[error.message] ?? 0) + 1;
				} else {
					result.wrong++;
					result.wrongExamples.push(
						`lane ${lane} fetch ${fetch}: ${error.name} "${error.message}" with ${ids.length} items`,
					);
				}
			} else if (
				ids.length === expected.length &&
				new Set(ids).size === ids.length &&
				ids.every((id, i) => id === expected[i])
			) {
				result.complete++;
			} else {
				result.wrong++;
				result.wrongExamples.push(
					`lane ${lane} fetch ${fetch}: ${ids.length} items, ${new Set(ids).size} distinct, reported as complete`,
				);
			}
			options.onProgress?.(result);
		}
		for (const entry of emulator.log) {
			if (entry.path.endsWith('/oauth2/token')) result.tokenRequests++;
			else result.requests++;
			if (entry.fault) result.faults[entry.fault] = (result.faults[entry.fault] ?? 0) + 1;
			if (entry.status === 401) result.unauthorized++;
		}
	} finally {
		await emulator.close();
	}
}

/** Runs `fetches` full fetches spread over `lanes` lanes; every fetch is classified. */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
	const result: ChaosResult = {
		seed: options.seed,
		fetches: options.fetches,
		complete: 0,
		failedCleanly: 0,
		wrong: 0,
		wrongExamples: [],
		errorMessages: {},
		requests: 0,
		tokenRequests: 0,
		faults: {},
		unauthorized: 0,
		errorTexts: [],
		wallMs: 0,
	};
	const started = Date.now();
	const lanes = Math.max(1, Math.min(options.lanes, options.fetches));
	await Promise.all(
		Array.from({ length: lanes }, (_, lane) => {
			const share = Math.floor(options.fetches / lanes) + (lane < options.fetches % lanes ? 1 : 0);
			return runLane(lane, share, options, result);
		}),
	);
	result.wallMs = Date.now() - started;
	return result;
}

export function formatChaos(result: ChaosResult, transactions: number): string {
	const faults = Object.entries(result.faults)
		.sort()
		.map(([kind, count]) => `${kind} ${count}`)
		.join(', ');
	const errors = Object.entries(result.errorMessages)
		.map(([message, count]) => `    ${count} x ${message}`)
		.join('\n');
	return [
		`chaos seed ${result.seed}: ${result.fetches} full fetches of ${transactions} transactions in ${(result.wallMs / 1000).toFixed(1)} s`,
		`  complete (exactly ${transactions}, none twice): ${result.complete}`,
		`  failed cleanly (NodeApiError, no items):      ${result.failedCleanly}`,
		`  wrong (partial or duplicated output):        ${result.wrong}`,
		...(errors ? [errors] : []),
		`  requests: ${result.requests} API + ${result.tokenRequests} token; 401 (expired token): ${result.unauthorized}`,
		`  faults injected: ${faults}`,
		...result.wrongExamples.slice(0, 5).map((example) => `  ! ${example}`),
	].join('\n');
}
