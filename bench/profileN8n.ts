import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { N8nInstance, nodeItems } from '../test/e2e/support/n8n';
import type { ImportedCredential } from '../test/e2e/support/n8n';
import { fixture, packPackage } from '../test/e2e/support/package';
import { provisionN8n } from '../test/e2e/support/provision';
import { startEmulatorProcess } from './profileHarness';
import { httpRequestNode } from './realN8n';

/**
 * One paging run (10,000 transactions = 100 requests, emulator latency 0 in its own process)
 * in a real n8n 2.x, `n8n execute` under --cpu-prof. The workflow reads the account twice:
 * `Cold` in a fresh process (what the bench times), then `Warm` (executeOnce) with n8n and the
 * node already compiled. Each node's executionTime is printed; the profile goes to the given
 * directory, for bench/cpuProfile.ts (its --window option keeps the node's own run).
 *
 *   npm run build && tsx bench/profileN8n.ts /tmp/profile-dir [transactions=10000] [ponto|http]
 *
 * `http` profiles n8n's HTTP Request node paging the same account with the same credential.
 */
async function main(): Promise<void> {
	const directory = resolve(process.argv[2] ?? 'bench/results/profile');
	const transactions = Number(process.argv[3] ?? 10_000);
	const kind = process.argv[4] ?? 'ponto';
	mkdirSync(directory, { recursive: true });
	const install = await provisionN8n(2);
	const emulator = await startEmulatorProcess(transactions);
	const n8n = await N8nInstance.create(install, await packPackage());
	try {
		await n8n.importCredentials(
			fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
		);
		const http = httpRequestNode(`${emulator.url}/accounts/${emulator.accountId}/transactions`);
		const ponto = {
			type: 'n8n-nodes-ponto.ponto',
			typeVersion: 1,
			parameters: {
				resource: 'transaction',
				operation: 'getAll',
				accountId: { __rl: true, mode: 'id', value: emulator.accountId },
				returnAll: true,
			},
		};
		const fetchNode = (name: string, x: number, extra: Record<string, unknown> = {}) => ({
			id: name,
			name,
			position: [x, 0],
			credentials: { pontoOAuth2Api: { id: 'pontoEmulator01', name: 'Ponto (emulator)' } },
			...(kind === 'http' ? http : ponto),
			...extra,
		});
		await n8n.importWorkflows([
			{
				id: 'profilePonto001',
				name: 'profile',
				active: false,
				settings: { executionOrder: 'v1' },
				nodes: [
					{
						id: 'start',
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					fetchNode('Cold', 200),
					fetchNode('Warm', 400, { executeOnce: true }),
				],
				connections: {
					Start: { main: [[{ node: 'Cold', type: 'main', index: 0 }]] },
					Cold: { main: [[{ node: 'Warm', type: 'main', index: 0 }]] },
				},
				pinData: {},
			},
		]);
		const profiles = join(n8n.userFolder, 'profiles');
		n8n.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${profiles} --cpu-prof-interval=200`;
		const result = await n8n.execute('profilePonto001');
		delete n8n.env.NODE_OPTIONS;
		if (result.run.data.resultData.error) throw new Error(result.run.data.resultData.error.message);
		for (const name of ['Cold', 'Warm']) {
			const task = result.run.data.resultData.runData[name]?.[0];
			process.stdout.write(
				`${name}: ${task?.executionTime} ms, ${nodeItems(result, name).length} output items\n`,
			);
		}
		// The largest profile is n8n's main process (the task runner writes one too).
		const files = readdirSync(profiles).map((file) => join(profiles, file));
		for (const file of files) renameSync(file, join(directory, file.split('/').pop()!));
		process.stdout.write(`profiles in ${directory}\n`);
	} finally {
		n8n.dispose();
		emulator.stop();
	}
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
