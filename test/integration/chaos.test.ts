import { CHAOS_FAULTS, formatChaos, runChaos } from '../support/chaos';

/**
 * Random faults (5 % HTTP 500, 5 % 429 with Retry-After, 2 % dropped connections, tokens
 * dying every 50 requests, latency jitter) against full fetches of a 5,000-transaction account:
 * every fetch returns exactly the account's records, none twice, or fails with a NodeApiError
 * and no items. Never partial output presented as complete. CI runs PONTO_CHAOS_FETCHES
 * (default 100) fetches; `npm run chaos` runs the full 1,000.
 */
const FETCHES = Number(process.env.PONTO_CHAOS_FETCHES ?? 100);
const SEED = Number(process.env.PONTO_CHAOS_SEED ?? 20261125);
const TRANSACTIONS = 5_000;

test(
	`chaos: ${FETCHES} full fetches of ${TRANSACTIONS} transactions under random faults (seed ${SEED})`,
	async () => {
		const result = await runChaos({
			fetches: FETCHES,
			transactions: TRANSACTIONS,
			lanes: 25,
			seed: SEED,
		});
		console.log(formatChaos(result, TRANSACTIONS));

		expect(result.wrongExamples).toEqual([]);
		expect(result.complete + result.failedCleanly).toBe(FETCHES);
		// The faults really happened, at about the configured rates.
		const faulted = (kind: string) => result.faults[kind] ?? 0;
		expect(faulted('random:500')).toBeGreaterThan(result.requests * CHAOS_FAULTS.rate500 * 0.5);
		expect(faulted('random:429')).toBeGreaterThan(result.requests * CHAOS_FAULTS.rate429 * 0.5);
		expect(faulted('random:drop')).toBeGreaterThan(result.requests * CHAOS_FAULTS.rateDrop * 0.5);
		expect(result.unauthorized).toBeGreaterThan(0);
		// Retries carry almost every fetch through: a clean failure needs 5 faults in a row.
		expect(result.complete).toBeGreaterThanOrEqual(FETCHES * 0.9);
		for (const text of result.errorTexts) {
			expect(text).not.toMatch(/test-client-secret|Bearer|access_token/);
		}
	},
	15 * 60_000,
);
