import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

import { N8nHarness } from '../test/harness/n8n';

/**
 * One paging run (10,000 transactions = 100 requests) in n8n-core's engine, with the emulator
 * in its own process: run under --cpu-prof or valgrind to see the per-request cost of the node
 * and of n8n's request helpers alone.
 *
 *   tsx bench/profileHarness.ts [runs=5] [transactions=10000] [profile.cpuprofile]
 *
 * With a file name, the measured runs (not the start-up, not the warm-up run) are recorded
 * as a V8 CPU profile (sampling every 100 µs) for bench/cpuProfile.ts.
 */
export async function startEmulatorProcess(
	transactions: number,
	latencyMs = 0,
): Promise<{ url: string; accountId: string; stop: () => void }> {
	const child = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			join(__dirname, 'emulatorProcess.ts'),
			String(transactions),
			String(latencyMs),
		],
		{
			stdio: ['pipe', 'pipe', 'inherit'],
			// The emulator must not be profiled with the node.
			env: { ...process.env, NODE_OPTIONS: '' },
		},
	);
	const line = await new Promise<string>((resolve, reject) => {
		createInterface({ input: child.stdout! }).once('line', resolve);
		child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
	});
	const { url, accountId } = JSON.parse(line) as { url: string; accountId: string };
	return { url, accountId, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
	const runs = Number(process.argv[2] ?? 5);
	const transactions = Number(process.argv[3] ?? 10_000);
	const profileFile = process.argv[4];
	const emulator = await startEmulatorProcess(transactions);
	try {
		const n8n = new N8nHarness({ baseUrl: emulator.url });
		const parameters = {
			resource: 'transaction',
			operation: 'getAll',
			accountId: { __rl: true, mode: 'id', value: emulator.accountId },
			returnAll: true,
		};
		// First run: token fetch and warm-up.
		await n8n.run(parameters);
		const session = profileFile ? new Session() : undefined;
		if (session) {
			session.connect();
			await session.post('Profiler.enable');
			await session.post('Profiler.setSamplingInterval', { interval: 100 });
			await session.post('Profiler.start');
		}
		for (let run = 0; run < runs; run++) {
			const started = performance.now();
			const result = await n8n.run(parameters);
			if (result.items.length !== transactions)
				throw new Error(`${result.items.length} items, ${result.error?.message ?? ''}`);
			process.stdout.write(`run ${run + 1}: ${(performance.now() - started).toFixed(0)} ms\n`);
		}
		if (session) {
			const { profile } = await session.post('Profiler.stop');
			writeFileSync(profileFile, JSON.stringify(profile));
			session.disconnect();
			process.stdout.write(
				`profile of ${runs} runs (${runs * Math.ceil(transactions / 100)} requests): ${profileFile}\n`,
			);
		}
	} finally {
		emulator.stop();
	}
}

if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	});
}
