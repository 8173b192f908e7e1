// npm run demo: the Ponto emulator with a realistic organization, and a real n8n 2.x with this
// package installed, a credential pointing at the emulator, an owner account and the example
// workflows of examples/. A second emulator plays Ponto Connect (TLS with throw-away test keys,
// payments activated) for the payment examples, with a credential linked to it on every start.
// Ctrl-C stops them all.
//
//   npm run demo [-- --port 5678] [--emulator-port 4010] [--reset]     (port 0: any free port)
//
// n8n and Node 24 are provisioned into the cache (PONTO_N8N_CACHE, default
// ~/.cache/n8n-nodes-ponto) on first use; the demo's n8n user folder lives there too.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import { DEMO_BANK_ACTIVITY, demoDataset, startEmulator } from '../test/emulator';
import type { Emulator } from '../test/emulator';
import {
	DEMO_CONNECT_CREDENTIAL,
	demoSigningPage,
	startDemoConnect,
} from '../test/e2e/support/demoConnect';
import { freePort, installCommunityPackage, N8nInstance } from '../test/e2e/support/n8n';
import type { ImportedCredential } from '../test/e2e/support/n8n';
import { fixture, packPackage } from '../test/e2e/support/package';
import { killGroup, runCommand, tail } from '../test/e2e/support/process';
import { provisionN8n } from '../test/e2e/support/provision';
import { OWNER, ownerEnvironment } from '../test/e2e/support/server';

const ROOT = resolve(__dirname, '..');
const STATEMENTS_FOLDER = '/tmp/ponto-statements';

interface DemoOptions {
	port: number;
	emulatorPort: number;
	reset: boolean;
}

function parseOptions(argv: string[]): DemoOptions {
	const options: DemoOptions = { port: 5678, emulatorPort: 4010, reset: false };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--reset') options.reset = true;
		else if (flag === '--port' || flag === '--emulator-port') {
			const value = Number(argv[++i]);
			if (!Number.isInteger(value) || value < 0 || value > 65535)
				fail(`${flag} needs a port number (1-65535, or 0 for any free port).`);
			if (flag === '--port') options.port = value;
			else options.emulatorPort = value;
		} else
			fail(
				`Unknown option ${flag}. Usage: npm run demo -- [--port 5678] [--emulator-port 4010] [--reset]`,
			);
	}
	return options;
}

function fail(message: string): never {
	process.stderr.write(`demo: ${message}\n`);
	process.exit(1);
}

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolvePort) => {
		const server = createServer();
		server.once('error', () => resolvePort(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
	});
}

const demoStarted = Date.now();
/** One step of the start, with the seconds since `npm run demo` began (each step's time is the gap). */
const step = (text: string) =>
	process.stdout.write(`• [${((Date.now() - demoStarted) / 1000).toFixed(1)} s] ${text}\n`);

function examplesFingerprint(emulatorUrl: string): string {
	const files = readdirSync(join(ROOT, 'examples')).sort();
	const hash = createHash('sha256').update(emulatorUrl);
	for (const file of files) hash.update(readFileSync(join(ROOT, 'examples', file)));
	return hash.digest('hex');
}

function readExamples(emulatorUrl: string): {
	credentials: ImportedCredential[];
	workflows: Array<Record<string, unknown>>;
} {
	const values = { EMULATOR_URL: emulatorUrl };
	const files = readdirSync(join(ROOT, 'examples')).filter(
		(file) => file.endsWith('.json') && file !== 'credentials.json',
	);
	return {
		credentials: fixture<ImportedCredential[]>('examples/credentials.json', values),
		workflows: files.map((file) => fixture<Record<string, unknown>>(`examples/${file}`, values)),
	};
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	// Port 0: any free port, chosen here so the ready message can show it.
	if (options.port === 0) options.port = await freePort();
	if (options.emulatorPort === 0) options.emulatorPort = await freePort();
	for (const [port, flag] of [
		[options.port, '--port'],
		[options.emulatorPort, '--emulator-port'],
	] as const) {
		if (!(await portIsFree(port))) {
			fail(
				`port ${port} on 127.0.0.1 is already in use. Stop what uses it, or choose another: npm run demo -- ${flag} ${port + 1}`,
			);
		}
	}

	const started = Date.now();
	const provisioned =
		(
			await runCommand('bash', [join(ROOT, 'scripts/n8n-env.sh'), '2'], {
				cwd: ROOT,
				env: process.env,
				timeoutMs: 60_000,
			})
		).code === 0;
	step(
		provisioned
			? 'n8n 2.x (from the cache)'
			: 'n8n 2.x (first run: installs Node 24 and n8n into the cache, about 5 minutes)',
	);
	const install = await provisionN8n(2);
	const cacheRoot = process.env.PONTO_N8N_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-ponto');
	const userFolder = join(cacheRoot, 'demo');
	if (options.reset) rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });

	step('building and installing n8n-nodes-ponto as a community package');
	const build = await runCommand('npm', ['run', 'build', '--silent'], {
		cwd: ROOT,
		env: process.env,
		timeoutMs: 300_000,
	});
	if (build.code !== 0) fail(`npm run build failed:\n${tail(build.stdout + build.stderr)}`);
	rmSync(join(userFolder, '.n8n', 'nodes'), { recursive: true, force: true });
	await installCommunityPackage(userFolder, await packPackage());

	step(
		`Ponto emulator on 127.0.0.1:${options.emulatorPort} (demo organization; its bank books new transactions on each synchronization and every 2 minutes)`,
	);
	const emulator: Emulator = await startEmulator({
		port: options.emulatorPort,
		dataset: demoDataset(),
		bankActivity: DEMO_BANK_ACTIVITY,
	});
	// Ponto Connect serves TLS only, so it is an emulator of its own (any free port); its grant,
	// tokens and test keys are new on each start, so its credential is imported every time.
	const connect = await startDemoConnect();
	step(
		`Ponto Connect emulator on ${connect.emulator.url} (the demo organization; payments activated, signed in the browser)`,
	);

	// The file-writing examples write into /tmp/ponto-statements; n8n 2.x only writes where allowed.
	mkdirSync(STATEMENTS_FOLDER, { recursive: true });
	const n8n = N8nInstance.open(
		install,
		userFolder,
		{ http: options.port, broker: await freePort() },
		{
			...ownerEnvironment(install),
			N8N_LOG_LEVEL: 'info',
			N8N_RESTRICT_FILE_ACCESS_TO: `${join(homedir(), '.n8n-files')};${STATEMENTS_FOLDER}`,
		},
	);
	const marker = join(userFolder, '.ponto-demo-imported');
	const fingerprint = examplesFingerprint(emulator.url);
	if (!existsSync(marker) || readFileSync(marker, 'utf8') !== fingerprint) {
		step('importing the Ponto credential and the example workflows');
		const { credentials, workflows } = readExamples(emulator.url);
		await n8n.importCredentials(credentials);
		await n8n.importWorkflows(workflows);
		writeFileSync(marker, fingerprint);
	}
	step('linking the Ponto Connect credential to the Connect emulator');
	await n8n.importCredentials([connect.credential]);

	step('starting n8n');
	const logFile = join(userFolder, 'n8n.log');
	let child: ChildProcess;
	try {
		child = await n8n.start(logFile);
	} catch (error) {
		await Promise.all([emulator.close(), connect.emulator.close()]);
		fail((error as Error).message);
	}

	// Each payment the examples create waits for the signer: say where to sign, once per payment.
	const announced = new Set<string>();
	const watcher = setInterval(() => {
		for (const payment of connect.emulator.connect.payments) {
			if (announced.has(payment.id)) continue;
			announced.add(payment.id);
			const what =
				payment.kind === 'bulkPayment'
					? `Bulk payment of ${payment.payments?.length ?? 0} payments`
					: payment.kind === 'payment'
						? 'Payment'
						: 'Payment request';
			step(
				`${what} created (status ${String(payment.attributes.status)}). Sign it by opening ${demoSigningPage(connect.emulator, payment.id)}`,
			);
		}
	}, 1000);
	watcher.unref();

	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('\nStopping n8n and the Ponto emulators...\n');
		killGroup(child.pid, 'SIGTERM');
		const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
		const timer = new Promise((resolveTimer) => setTimeout(resolveTimer, 10_000));
		if ((await Promise.race([exited.then(() => 'exited'), timer])) !== 'exited')
			killGroup(child.pid, 'SIGKILL');
		clearInterval(watcher);
		await Promise.all([emulator.close(), connect.emulator.close()]);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	child.once('exit', (code) => {
		if (stopping) return;
		process.stderr.write(
			`n8n stopped unexpectedly (code ${code}):\n${tail(readFileSync(logFile, 'utf8'))}\n`,
		);
		void stop(1);
	});

	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const { workflows } = readExamples(emulator.url);
	process.stdout.write(
		[
			'',
			`n8n with Ponto is ready after ${seconds} s:  ${n8n.url}`,
			`  log in as   ${OWNER.email}  /  ${OWNER.password}`,
			`  ${workflows.length} example workflows (open one, then Execute workflow):`,
			...workflows.map((workflow) => `    ${String(workflow.name)}`),
			`  files       written by the file examples into ${STATEMENTS_FOLDER}`,
			`  credential  "Ponto (local emulator)" -> ${emulator.url} (no Ponto account needed)`,
			`  credential  "${DEMO_CONNECT_CREDENTIAL.name}" -> ${connect.emulator.connect.apiBaseUrl} (Ponto Connect, linked, payments activated)`,
			'  payments    run "Ponto: pay approved bills with one bulk payment", open its signingUrl (or the link printed',
			'              here) to sign, then run "Ponto: mark bills paid once the payment is booked": 3 bills marked paid',
			`  n8n log     ${logFile}`,
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
}

main().catch((error: Error) => fail(error.message));
