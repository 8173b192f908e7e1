// n8n in queue mode with this package, by hand (docs/queue-mode.md):
//
//   npx tsx scripts/queue-mode.ts start [--workers 2] [--concurrency 10] [--emulator]
//                                       [--accounts 20] [--transactions 50] [--latency 0] [--foreground]
//   npx tsx scripts/queue-mode.ts status
//   npx tsx scripts/queue-mode.ts stop [--keep]
//
// start: PostgreSQL, Redis, an n8n main and N workers (test/e2e/support/queue.ts), left running
// in the background; prints the URL, the owner login and a public API key. With --emulator it
// also starts the Ponto emulator and imports the credential and the queue workflows
// (test/e2e/workflows/queue-*.json), the webhook fan-out one activated. --foreground stays
// attached and stops everything on Ctrl-C. The package must be built (npm run build).
// status: what runs, and whether the main and each worker answer their readiness check.
// stop: stops everything start left running and deletes its temp dir (--keep keeps logs and data).
//
// The state lives in $PONTO_QUEUE_STATE (default <tmpdir>/ponto-queue-mode.json).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { generateDataset, startEmulator } from '../test/emulator';
import { freePort } from '../test/e2e/support/n8n';
import { packPackage } from '../test/e2e/support/package';
import { killGroup } from '../test/e2e/support/process';
import { provisionN8n } from '../test/e2e/support/provision';
import {
	FANOUT_WEBHOOK_PATH,
	FANOUT_WORKFLOW_ID,
	logTail,
	processMatches,
	queueFixtures,
	startQueueCluster,
	stopQueueClusterState,
} from '../test/e2e/support/queue';
import type { QueueCluster, QueueClusterState } from '../test/e2e/support/queue';

const ROOT = resolve(__dirname, '..');
const STATE_FILE = process.env.PONTO_QUEUE_STATE ?? join(tmpdir(), 'ponto-queue-mode.json');
const EMULATOR_MARK = '__emulator';

interface CliState {
	cluster: QueueClusterState;
	emulator?: { pid?: number; url: string; logFile: string };
}

interface StartOptions {
	workers: number;
	concurrency: number;
	emulator: boolean;
	accounts: number;
	transactions: number;
	latency: number;
	foreground: boolean;
}

function fail(message: string): never {
	process.stderr.write(`queue-mode: ${message}\n`);
	process.exit(1);
}

function parseStart(argv: string[]): StartOptions {
	const options: StartOptions = {
		workers: 2,
		concurrency: 10,
		emulator: false,
		accounts: 20,
		transactions: 50,
		latency: 0,
		foreground: false,
	};
	const numeric = {
		'--workers': 'workers',
		'--concurrency': 'concurrency',
		'--accounts': 'accounts',
		'--transactions': 'transactions',
		'--latency': 'latency',
	} as const;
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--emulator') options.emulator = true;
		else if (flag === '--foreground') options.foreground = true;
		else if (flag in numeric) {
			const value = Number(argv[++i]);
			if (!Number.isInteger(value) || value < 0) fail(`${flag} needs a whole number >= 0`);
			options[numeric[flag as keyof typeof numeric]] = value;
		} else fail(`unknown option ${flag} (see the top of scripts/queue-mode.ts)`);
	}
	if (options.concurrency < 1) fail('--concurrency must be at least 1');
	return options;
}

function readState(): CliState | undefined {
	if (!existsSync(STATE_FILE)) return undefined;
	try {
		return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as CliState;
	} catch {
		fail(`${STATE_FILE} is not readable JSON; remove it if nothing runs`);
	}
}

const anyRunning = (state: CliState) =>
	[state.cluster.main.pid, ...state.cluster.workers.map((worker) => worker.pid)].some(
		(pid) => pid && processMatches(pid, /n8n/),
	) ||
	Boolean(state.cluster.postgres.pid && processMatches(state.cluster.postgres.pid, /postgres/)) ||
	Boolean(state.cluster.redis.pid && processMatches(state.cluster.redis.pid, /redis-server/));

/** The emulator as its own detached process (this script with the hidden __emulator command). */
async function startEmulatorProcess(
	options: StartOptions,
): Promise<NonNullable<CliState['emulator']>> {
	const port = await freePort();
	const logFile = join(tmpdir(), `ponto-queue-emulator-${port}.log`);
	const log = openSync(logFile, 'a');
	const child = spawn(
		process.execPath,
		[
			...process.execArgv,
			__filename,
			EMULATOR_MARK,
			String(port),
			String(options.accounts),
			String(options.transactions),
			String(options.latency),
		],
		{ cwd: ROOT, env: process.env, detached: true, stdio: ['ignore', log, log] },
	);
	closeSync(log);
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000;
	for (;;) {
		try {
			await fetch(`${url}/accounts`);
			break;
		} catch {
			if (child.exitCode !== null || Date.now() > deadline) {
				killGroup(child.pid);
				fail(`the emulator did not start:\n${logTail(logFile)}`);
			}
			await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
		}
	}
	child.unref();
	return { pid: child.pid, url, logFile };
}

async function runEmulator(args: string[]): Promise<void> {
	const [port, accounts, transactions, latency] = args.map(Number);
	const emulator = await startEmulator({
		port,
		latencyMs: latency || undefined,
		dataset: generateDataset({
			seed: 7,
			accounts: Array.from({ length: accounts }, (_, index) => ({
				transactions,
				description: `Queue account ${index + 1}`,
			})),
		}),
	});
	process.stdout.write(
		`emulator on ${emulator.url}: ${accounts} accounts x ${transactions} transactions\n`,
	);
	const close = () => void emulator.close().finally(() => process.exit(0));
	process.once('SIGTERM', close);
	process.once('SIGINT', close);
}

async function start(options: StartOptions): Promise<void> {
	const existing = readState();
	if (existing && anyRunning(existing))
		fail(`a cluster from ${STATE_FILE} still runs (${existing.cluster.url}); run stop first`);
	if (existing) rmSync(STATE_FILE, { force: true });
	if (!existsSync(join(ROOT, 'dist/nodes/Ponto/Ponto.node.js')))
		fail('dist/ is missing: run `npm run build` first');

	const install = await provisionN8n(2);
	const tarball = await packPackage();
	const emulator = options.emulator ? await startEmulatorProcess(options) : undefined;
	const stopEmulator = () => emulator?.pid && killGroup(emulator.pid, 'SIGTERM');
	let cluster: QueueCluster;
	try {
		cluster = await startQueueCluster({
			install,
			tarball,
			workers: options.workers,
			concurrency: options.concurrency,
			...(emulator ? { ...queueFixtures(emulator.url), activate: [FANOUT_WORKFLOW_ID] } : {}),
			keep: false,
			log: (line) => process.stdout.write(`${line}\n`),
		});
	} catch (error) {
		stopEmulator();
		fail((error as Error).message);
	} finally {
		rmSync(dirname(tarball), { recursive: true, force: true });
	}
	const apiKey = await cluster.key();
	const state: CliState = { cluster: { ...cluster.state(), apiKey }, emulator };
	const lines = [
		'',
		`n8n queue mode: main ${cluster.url} + ${options.workers} worker(s) (concurrency ${options.concurrency})`,
		`  login          ${state.cluster.owner.email} / ${state.cluster.owner.password}`,
		`  API key        ${apiKey}`,
		`  PostgreSQL     ${state.cluster.postgres.url}`,
		`  Redis          127.0.0.1:${state.cluster.redis.port}`,
		`  logs           ${join(cluster.dir, 'logs')}`,
		...(emulator
			? [
					`  emulator       ${emulator.url} (credential "Ponto (emulator)")`,
					`  fan-out        curl -X POST ${cluster.url}/webhook/${FANOUT_WEBHOOK_PATH}`,
				]
			: []),
	];
	if (options.foreground) {
		process.stdout.write(`${lines.join('\n')}\n\nCtrl-C stops everything.\n`);
		let stopping = false;
		const stop = () => {
			if (stopping) return;
			stopping = true;
			process.stdout.write('\nstopping…\n');
			void cluster.stop().finally(() => {
				stopEmulator();
				process.exit(0);
			});
		};
		// The harness's own handler runs first and kills every process group; this one then
		// removes the temp dir and ends the script.
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
		return;
	}
	cluster.detach();
	writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
	process.stdout.write(
		`${lines.join('\n')}\n  state          ${STATE_FILE}\n\nnpx tsx scripts/queue-mode.ts status | stop\n`,
	);
	process.exit(0);
}

async function probe(url: string): Promise<string> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
		return response.ok ? 'ready' : `HTTP ${response.status}`;
	} catch {
		return 'not answering';
	}
}

async function status(): Promise<void> {
	const state = readState();
	if (!state) {
		process.stdout.write(`no cluster (no ${STATE_FILE})\n`);
		return;
	}
	const { cluster } = state;
	const alive = (pid: number | undefined, expect: RegExp) =>
		pid && processMatches(pid, expect) ? `pid ${pid}` : 'not running';
	const rows = [
		`main      ${alive(cluster.main.pid, /n8n/)}, ${cluster.url}/healthz/readiness: ${await probe(`${cluster.url}/healthz/readiness`)}`,
		...(await Promise.all(
			cluster.workers.map(
				async (worker) =>
					`${worker.name.padEnd(9)} ${alive(worker.pid, /n8n/)}, readiness on ${worker.healthPort}: ${await probe(`http://127.0.0.1:${worker.healthPort}/healthz/readiness`)}`,
			),
		)),
		`postgres  ${alive(cluster.postgres.pid, /postgres/)}, ${cluster.postgres.url}`,
		`redis     ${alive(cluster.redis.pid, /redis-server/)}, 127.0.0.1:${cluster.redis.port}`,
		...(state.emulator
			? [`emulator  ${alive(state.emulator.pid, new RegExp(EMULATOR_MARK))}, ${state.emulator.url}`]
			: []),
		`started   ${cluster.startedAt}; logs in ${join(cluster.dir, 'logs')}`,
	];
	process.stdout.write(`${rows.join('\n')}\n`);
	if (!anyRunning(state))
		process.stdout.write('nothing runs any more: `stop` removes the state and the temp dir\n');
}

async function stop(keep: boolean): Promise<void> {
	const state = readState();
	if (!state) {
		process.stdout.write(`no cluster (no ${STATE_FILE})\n`);
		return;
	}
	const report = await stopQueueClusterState(state.cluster, { keep });
	if (state.emulator?.pid && processMatches(state.emulator.pid, new RegExp(EMULATOR_MARK))) {
		killGroup(state.emulator.pid, 'SIGTERM');
		report.push(`emulator: stopped (pid ${state.emulator.pid})`);
	}
	if (state.emulator && !keep) rmSync(state.emulator.logFile, { force: true });
	rmSync(STATE_FILE, { force: true });
	process.stdout.write(
		`${report.join('\n')}\n${keep ? `kept ${state.cluster.dir}` : `removed ${state.cluster.dir}`}\n`,
	);
}

async function main(): Promise<void> {
	const [command, ...rest] = process.argv.slice(2);
	if (command === EMULATOR_MARK) return await runEmulator(rest);
	if (command === 'start') return await start(parseStart(rest));
	if (command === 'status') return await status();
	if (command === 'stop') {
		if (rest.some((arg) => arg !== '--keep')) fail('usage: stop [--keep]');
		return await stop(rest.includes('--keep'));
	}
	fail(
		'usage: npx tsx scripts/queue-mode.ts start [--workers N] [--concurrency N] [--emulator] [--foreground] | status | stop [--keep]',
	);
}

main().catch((error: unknown) =>
	fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
