import { generateDataset, startEmulator } from '../test/emulator';

/**
 * The emulator in a process of its own, so a CPU profile or an instruction count of the
 * process running the node holds the node and n8n only. Prints one JSON line
 * ({ url, accountId }) once listening; stops on SIGTERM or when stdin closes.
 *
 *   tsx bench/emulatorProcess.ts [transactions=10000] [latencyMs=0]
 */
async function main(): Promise<void> {
	const transactions = Number(process.argv[2] ?? 10_000);
	const latencyMs = Number(process.argv[3] ?? 0);
	const emulator = await startEmulator({
		latencyMs,
		dataset: generateDataset({ seed: 9, accounts: [{ transactions, historyDays: 400 }] }),
	});
	process.stdout.write(
		`${JSON.stringify({ url: emulator.url, accountId: emulator.dataset.accounts[0].id })}\n`,
	);
	const stop = () => void emulator.close().then(() => process.exit(0));
	process.once('SIGTERM', stop);
	process.stdin.on('end', stop);
	process.stdin.resume();
}

main().catch((error: Error) => {
	process.stderr.write(`emulator: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
