// npx tsx test/emulator/cli.ts --port 4010 --dataset demo|default [--latency 50] [--jitter 20]
//   [--token-lifetime 60] [--seed 1] [--base-path /ponto-connect] [--next-link-style unprefixed]
//   [--connect [--auth-port 4011]]   (Ponto Connect flavour with a throw-away test PKI)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONNECT_CLIENT } from './connect/options';
import { defaultDataset, DEMO_BANK_ACTIVITY, demoDataset } from './dataset';
import { DEFAULT_CLIENT, type EmulatorOptions } from './options';
import { startEmulator } from './server';

function parseArgs(argv: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
		const [key, inline] = arg.slice(2).split('=', 2);
		if (key === 'help' || key === 'connect') out[key] = 'true';
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
				'       [--token-lifetime s] [--base-path /prefix] [--next-link-style prefixed|unprefixed]\n' +
				'       [--connect [--auth-port 4011]]\n',
		);
		return;
	}
	const name = args.dataset ?? 'default';
	if (name !== 'default' && name !== 'demo') throw new Error('--dataset must be default or demo');
	const seed = numberArg(args, 'seed');
	const style = args['next-link-style'];
	if (style !== undefined && style !== 'prefixed' && style !== 'unprefixed')
		throw new Error('--next-link-style must be prefixed or unprefixed');
	const options: EmulatorOptions = {
		port: numberArg(args, 'port') ?? 4010,
		dataset: name === 'demo' ? demoDataset({ seed }) : defaultDataset(seed),
		// The demo bank keeps booking: new transactions on each synchronization and every 2 minutes.
		bankActivity: name === 'demo' ? DEMO_BANK_ACTIVITY : undefined,
		latencyMs: numberArg(args, 'latency'),
		jitterMs: numberArg(args, 'jitter'),
		tokenLifetimeSeconds: numberArg(args, 'token-lifetime'),
		basePath: args['base-path'],
		nextLinkStyle: style,
	};
	let pkiNote = '';
	if (args.connect) {
		// Throw-away keys in a temp dir, deleted when the process exits.
		const { generateTestPki } = await import('../support/pki');
		const pki = await generateTestPki();
		options.connect = {
			tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
			authorizationPort: numberArg(args, 'auth-port'),
			signature: { required: false, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
			webhooks: {
				keys: [
					{
						kid: pki.webhook.kid,
						publicKey: pki.webhook.publicKey,
						privateKey: pki.webhook.privateKey,
					},
				],
			},
		};
		const dir = mkdtempSync(join(tmpdir(), 'ponto-emulator-pki-'));
		process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
		const files: Record<string, string> = {
			'ca.crt': pki.ca.cert,
			'client.crt': pki.client.cert,
			'client.key': pki.client.key,
			'signing.key': pki.signing.privateKey,
		};
		for (const [file, pem] of Object.entries(files))
			writeFileSync(join(dir, file), pem, { mode: 0o600 });
		pkiNote =
			`test PKI (throw-away, deleted on exit) in ${dir}: trust ca.crt; TLS client cert client.crt + client.key; ` +
			`signing key signing.key, keyId ${pki.signing.keyId}\n`;
	}
	const emulator = await startEmulator(options);
	const transactions = emulator.dataset.accounts.reduce((sum, a) => sum + a.transactions.length, 0);
	const flavour = emulator.connect
		? `Ponto Connect) API ${emulator.connect.apiBaseUrl}, authorization ${emulator.connect.authorizationUrl}\n` +
			`client id: ${DEFAULT_CONNECT_CLIENT.clientId}, redirect URIs: ${DEFAULT_CONNECT_CLIENT.redirectUris.join(' ')}\n${pkiNote}`
		: `custom integration) listening on ${emulator.url}${options.basePath ?? ''}\n` +
			`client id: ${DEFAULT_CLIENT.clientId}\n`;
	process.stdout.write(
		`Ponto emulator (${flavour}` +
			`dataset: ${name}, ${emulator.dataset.accounts.length} accounts, ${transactions} transactions\n` +
			'client secret: the fixed test value in test/emulator/README.md\n' +
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
