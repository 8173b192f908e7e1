// npx tsx test/emulator/cli.ts --port 4010 --dataset demo|default [--latency 50] [--jitter 20]
//   [--token-lifetime 60] [--seed 1] [--base-path /ponto-connect] [--next-link-style unprefixed]
import { defaultDataset, demoDataset } from './dataset';
import { DEFAULT_CLIENT, type EmulatorOptions } from './options';
import { startEmulator } from './server';

function parseArgs(argv: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
		const [key, inline] = arg.slice(2).split('=', 2);
		if (key === 'help') out.help = 'true';
		else if (inline !== undefined) out[key] = inline;
		else out[key] = argv[++i] ?? '';
	}
	return out;
}

function numberArg(args: Record<string, string>, key: string): number | undefined {
	if (args[key] === undefined) return undefined;
	const value = Number(args[key]);
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${key} needs a non-negative number`);
	return value;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(
			'usage: tsx test/emulator/cli.ts [--port 4010] [--dataset default|demo] [--seed N] [--latency ms] [--jitter ms]\n' +
				'       [--token-lifetime s] [--base-path /prefix] [--next-link-style prefixed|unprefixed]\n',
		);
		return;
	}
	const name = args.dataset ?? 'default';
	if (name !== 'default' && name !== 'demo') throw new Error('--dataset must be default or demo');
	const seed = numberArg(args, 'seed');
	const style = args['next-link-style'];
	if (style !== undefined && style !== 'prefixed' && style !== 'unprefixed') throw new Error('--next-link-style must be prefixed or unprefixed');
	const options: EmulatorOptions = {
		port: numberArg(args, 'port') ?? 4010,
		dataset: name === 'demo' ? demoDataset({ seed }) : defaultDataset(seed),
		latencyMs: numberArg(args, 'latency'),
		jitterMs: numberArg(args, 'jitter'),
		tokenLifetimeSeconds: numberArg(args, 'token-lifetime'),
		basePath: args['base-path'],
		nextLinkStyle: style,
	};
	const emulator = await startEmulator(options);
	const transactions = emulator.dataset.accounts.reduce((sum, a) => sum + a.transactions.length, 0);
	process.stdout.write(
		`Ponto emulator (custom integration) listening on ${emulator.url}${options.basePath ?? ''}\n` +
			`dataset: ${name}, ${emulator.dataset.accounts.length} accounts, ${transactions} transactions\n` +
			`client id: ${DEFAULT_CLIENT.clientId} (client secret: the fixed test value in test/emulator/README.md)\n` +
			'Ctrl+C to stop.\n',
	);
	let stopping = false;
	const stop = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`${signal}: stopping after ${emulator.log.length} requests\n`);
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
	process.stderr.write(`emulator: ${error.message}\n`);
	process.exit(1);
});
