// npm run chaos: the full-size reliability runs of issue 8 (CI runs them smaller).
//   1. 1,000 full fetches of a 5,000-transaction account under random faults (integration level).
//   2. The polling trigger in a real n8n under the same faults and kill -9 restarts (e2e).
// PONTO_CHAOS_SEED replays a run; PONTO_CHAOS_FETCHES / PONTO_CHAOS_CYCLES change the sizes.
import { spawnSync } from 'node:child_process';

import { formatChaos, runChaos } from '../test/support/chaos';

const FETCHES = Number(process.env.PONTO_CHAOS_FETCHES ?? 1_000);
const TRANSACTIONS = 5_000;
const seed = Number(process.env.PONTO_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));

async function main(): Promise<void> {
	console.log(`chaos seed ${seed} (replay with PONTO_CHAOS_SEED=${seed})`);
	let last = 0;
	const result = await runChaos({
		fetches: FETCHES,
		transactions: TRANSACTIONS,
		lanes: 50,
		seed,
		onProgress: (progress) => {
			const done = progress.complete + progress.failedCleanly + progress.wrong;
			if (done - last >= 100) {
				last = done;
				console.log(`  ${done}/${FETCHES} fetches`);
			}
		},
	});
	console.log(formatChaos(result, TRANSACTIONS));
	if (result.wrong > 0) process.exitCode = 1;

	const cycles = process.env.PONTO_CHAOS_CYCLES ?? '50';
	console.log(`\npolling trigger in a real n8n: ${cycles} cycles with kill -9 restarts`);
	const e2e = spawnSync(
		'npx',
		['jest', '-c', 'jest.e2e.config.js', 'test/e2e/pollChaos.e2e.test.ts'],
		{
			stdio: 'inherit',
			env: { ...process.env, PONTO_CHAOS_SEED: String(seed), PONTO_CHAOS_CYCLES: cycles },
		},
	);
	if (e2e.status !== 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
