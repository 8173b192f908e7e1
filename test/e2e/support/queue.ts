import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	closeSync,
	existsSync,
	fstatSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	readSync,
	rmSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { freePort, installCommunityPackage, N8nInstance } from './n8n';
import type { ImportedCredential } from './n8n';
import { fixture } from './package';
import { killGroup, runCommand, tail } from './process';
import type { N8nInstall } from './provision';
import { OWNER, ownerEnvironment } from './server';
import { spoolEnabled, spoolN8nFolder, spoolVisible } from '../../support/secretSpool';

// n8n in queue mode (scaling mode) on one machine, for the e2e tests, the benchmark and
// scripts/queue-mode.ts: a private PostgreSQL and a private redis-server on free loopback ports,
// one `n8n start` (the main: UI, public API, webhooks, poll timers) and N `n8n worker`s (they
// run the executions), all sharing one user folder with the package installed as a community
// package, one encryption key and one database. Everything lives in a fresh temp dir and is
// killed by stop() (process groups), also when the test process exits. See docs/queue-mode.md.

const ROOT = resolve(__dirname, '../../..');
const START_TIMEOUT_MS = 180_000;
const SERVICE_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Processes

/**
 * Every process group started here that is still alive. They run in their own sessions
 * (detached), so a Ctrl-C in the terminal does not reach them: they are killed when this
 * process exits or gets SIGINT/SIGTERM, whatever state the test is in.
 */
const live = new Set<ManagedProcess>();
/** Temp dirs of running clusters (not kept ones), removed on the same occasions. */
const liveDirs = new Set<string>();
let exitHookInstalled = false;
function killAllLive(): void {
	for (const managed of live) killGroup(managed.pid, 'SIGKILL');
	live.clear();
	for (const dir of liveDirs) {
		try {
			// Killed processes may still be writing for a moment (ENOTEMPTY): synchronous retries.
			rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
		} catch {
			// left behind; it is in the temp dir
		}
	}
	liveDirs.clear();
}
function onSignal(signal: NodeJS.Signals): void {
	killAllLive();
	process.removeListener('SIGINT', onSignal);
	process.removeListener('SIGTERM', onSignal);
	// Nobody else listens (a plain node or tsx process): die of the signal as without us.
	if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', killAllLive);
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
}

/** The last lines of a log, JSON log lines (N8N_LOG_FORMAT=json) shown as "time level message". */
export function logTail(file: string, lines = 40): string {
	if (!existsSync(file)) return `(no log at ${file})`;
	const fd = openSync(file, 'r');
	let text: string;
	try {
		const size = fstatSync(fd).size;
		const length = Math.min(size, 256 * 1024);
		const buffer = Buffer.alloc(length);
		readSync(fd, buffer, 0, length, size - length);
		text = buffer.toString('utf8');
	} finally {
		closeSync(fd);
	}
	const readable = text.split('\n').map((line) => {
		if (!line.startsWith('{')) return line;
		try {
			const entry = JSON.parse(line) as {
				level?: string;
				message?: string;
				timestamp?: string;
				metadata?: { timestamp?: string };
			};
			return `${entry.metadata?.timestamp ?? entry.timestamp ?? ''} ${entry.level ?? ''} ${entry.message ?? line}`.trim();
		} catch {
			return line;
		}
	});
	return `--- ${file} (last ${lines} lines) ---\n${tail(readable.join('\n'), lines)}`;
}

interface SpawnOptions {
	env: NodeJS.ProcessEnv;
	cwd?: string;
	logFile: string;
	/** Run as another OS user (root only): PostgreSQL refuses to run as root. */
	user?: { uid: number; gid: number };
}

/** One child in its own process group, output appended to a log file. */
export class ManagedProcess {
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

	private constructor(
		readonly name: string,
		readonly child: ChildProcess,
		readonly logFile: string,
	) {
		this.exited = new Promise((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null)
				resolve({ code: child.exitCode, signal: child.signalCode });
			else child.once('exit', (code, signal) => resolve({ code, signal }));
		});
		void this.exited.then(() => live.delete(this));
	}

	static spawn(
		name: string,
		command: string,
		args: string[],
		options: SpawnOptions,
	): ManagedProcess {
		installExitHook();
		const log = openSync(options.logFile, 'a');
		let child: ChildProcess;
		try {
			child = spawn(command, args, {
				env: options.env,
				cwd: options.cwd,
				detached: true,
				stdio: ['ignore', log, log],
				...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
			});
		} finally {
			closeSync(log);
		}
		// A spawn error (ENOENT, EPERM) arrives as an event; surface it as an exit.
		child.once('error', (error) => {
			child.emit('exit', null, null);
			process.stderr.write(`${name}: could not start ${command}: ${error.message}\n`);
		});
		const managed = new ManagedProcess(name, child, options.logFile);
		live.add(managed);
		return managed;
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null && live.has(this);
	}

	/** Lets the parent exit while this keeps running (scripts/queue-mode.ts start). */
	detach(): void {
		live.delete(this);
		this.child.unref();
	}

	/** `signal` to the whole group, SIGKILL after `graceMs`; resolves once the process is gone. */
	async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = STOP_GRACE_MS): Promise<void> {
		if (!this.running) return;
		killGroup(this.pid, signal);
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<'timeout'>(
			(resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)),
		);
		const outcome = await Promise.race([this.exited.then(() => 'exited' as const), timeout]);
		clearTimeout(timer);
		// The leader may be gone while its group (task runners, postgres backends) lingers.
		killGroup(this.pid, 'SIGKILL');
		if (outcome === 'timeout') await this.exited;
	}
}

/**
 * Polls `probe` every 250 ms until it returns a value. Rejects with the log's tail when the
 * process exits first or `timeoutMs` passes.
 */
async function waitUntil<T>(
	what: string,
	timeoutMs: number,
	proc: ManagedProcess | undefined,
	probe: () => Promise<T | undefined>,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (proc && !proc.running) {
			const { code, signal } = await proc.exited;
			throw new Error(
				`${proc.name} exited (code ${code}, signal ${signal}) while waiting for ${what}\n${logTail(proc.logFile)}`,
			);
		}
		const value = await probe().catch(() => undefined);
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(
				`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${proc ? `\n${logTail(proc.logFile)}` : ''}`,
			);
		await sleep(250);
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function httpOk(url: string): Promise<true | undefined> {
	const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
	await response.arrayBuffer();
	return response.ok ? true : undefined;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Redis

export interface QueueServices {
	/** Directory of postgres, initdb, pg_ctl, psql. */
	postgresBin: string;
	redisServer: string;
}

/**
 * Finds PostgreSQL and redis-server; with `install` (default) runs
 * scripts/install-queue-services.sh, which installs the Debian packages when they are missing
 * (root) and is a no-op otherwise.
 */
export async function findQueueServices(install = true): Promise<QueueServices> {
	const result = await runCommand(
		'bash',
		[join(ROOT, 'scripts/install-queue-services.sh'), ...(install ? [] : ['--check'])],
		{
			cwd: ROOT,
			env: process.env,
			timeoutMs: 15 * 60_000,
			echoStderr: install,
		},
	);
	if (result.code !== 0)
		throw new Error(
			`scripts/install-queue-services.sh failed (exit ${result.code}):\n${tail(result.stderr)}`,
		);
	const facts = Object.fromEntries(
		(result.stdout.trim().split('\n').pop() ?? '')
			.split(/\s+/)
			.map((pair) => pair.split('='))
			.filter((parts) => parts.length === 2),
	);
	if (!facts.POSTGRES_BIN || !facts.REDIS_SERVER)
		throw new Error(`Unexpected output of install-queue-services.sh:\n${result.stdout}`);
	return { postgresBin: facts.POSTGRES_BIN, redisServer: facts.REDIS_SERVER };
}

/** uid/gid of an OS user from /etc/passwd (no getpwnam in Node). */
function osUser(name: string): { uid: number; gid: number } | undefined {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith(`${name}:`));
	if (!line) return undefined;
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export interface PostgresServer {
	process: ManagedProcess;
	port: number;
	dataDir: string;
	user: string;
	database: string;
	/** OS user PostgreSQL runs as ('postgres' when this process is root). */
	osUser: string;
}

/** Runs a command as `user` (root only) with a time limit; the tail of its output on failure. */
async function runAs(
	what: string,
	command: string,
	args: string[],
	user: { uid: number; gid: number } | undefined,
	cwd: string,
	timeoutMs = 120_000,
): Promise<string> {
	return await new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, {
			cwd,
			env: { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' },
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
			...(user ? { uid: user.uid, gid: user.gid } : {}),
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const timer = setTimeout(() => {
			killGroup(child.pid);
			reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s:\n${tail(output)}`));
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(new Error(`${what}: ${error.message}`));
		});
		child.once('close', (code) => {
			clearTimeout(timer);
			if (code === 0) resolvePromise(output);
			else reject(new Error(`${what} failed (exit ${code}):\n${tail(output)}`));
		});
	});
}

/**
 * initdb + postgres on 127.0.0.1:<free port>, TCP only (no Unix socket), trust auth, no fsync
 * (a throw-away test database). PostgreSQL refuses to run as root ("root execution of the
 * PostgreSQL server is not permitted"), so as root both run as the OS user `postgres` (made
 * by the Debian package) through spawn's uid/gid; the data dir is chowned to it.
 */
/** n8n's settings for a PostgreSQL database started by startPostgres (trust auth on 127.0.0.1). */
export function postgresEnvironment(postgres: {
	port: number;
	user: string;
	database: string;
}): NodeJS.ProcessEnv {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
	};
}

export async function startPostgres(services: QueueServices, dir: string): Promise<PostgresServer> {
	const dataDir = join(dir, 'postgres');
	const logFile = join(dir, 'logs', 'postgres.log');
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	let user: { uid: number; gid: number } | undefined;
	let osUserName = process.env.USER ?? 'current user';
	if (process.getuid?.() === 0) {
		user = osUser('postgres');
		if (!user) {
			throw new Error(
				'PostgreSQL cannot run as root and there is no OS user "postgres": install the Debian package postgresql (scripts/install-queue-services.sh) or create the user.',
			);
		}
		osUserName = 'postgres';
		// The postgres user must reach its data dir through the (0700) run dir.
		chmodSync(dir, 0o711);
		chownSync(dataDir, user.uid, user.gid);
	}
	const bin = (name: string) => join(services.postgresBin, name);
	await runAs(
		'initdb',
		bin('initdb'),
		[
			'-D',
			dataDir,
			'--username=n8n',
			'--auth=trust',
			'--encoding=UTF8',
			'--no-locale',
			'--no-sync',
			'--no-instructions',
		],
		user,
		dataDir,
	);
	const port = await freePort();
	const proc = ManagedProcess.spawn(
		'postgres',
		bin('postgres'),
		[
			'-D',
			dataDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'unix_socket_directories=',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=100',
		],
		{ env: { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' }, cwd: dataDir, logFile, user },
	);
	const psql = (sql: string, database = 'postgres') =>
		runCommand(
			bin('psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				'n8n',
				'-d',
				database,
				'-v',
				'ON_ERROR_STOP=1',
				'-Atc',
				sql,
			],
			{
				env: { PATH: process.env.PATH, PGCONNECT_TIMEOUT: '3' },
				timeoutMs: 30_000,
			},
		);
	await waitUntil('PostgreSQL to accept connections', SERVICE_TIMEOUT_MS, proc, async () =>
		(await psql('SELECT 1')).code === 0 ? true : undefined,
	);
	const created = await psql('CREATE DATABASE n8n');
	if (created.code !== 0)
		throw new Error(`CREATE DATABASE n8n failed:\n${created.stderr}\n${logTail(logFile)}`);
	return { process: proc, port, dataDir, user: 'n8n', database: 'n8n', osUser: osUserName };
}

export interface RedisServer {
	process: ManagedProcess;
	port: number;
}

async function redisPing(port: number): Promise<true | undefined> {
	return await new Promise((resolvePromise) => {
		const socket = connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (value: true | undefined) => {
			socket.destroy();
			resolvePromise(value);
		};
		socket.setTimeout(2_000, () => done(undefined));
		socket.once('error', () => done(undefined));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG') ? true : undefined);
		});
	});
}

/** redis-server on 127.0.0.1:<free port>, no persistence (no RDB, no AOF), files in `dir`. */
export async function startRedis(services: QueueServices, dir: string): Promise<RedisServer> {
	const port = await freePort();
	const redisDir = join(dir, 'redis');
	mkdirSync(redisDir, { recursive: true });
	const proc = ManagedProcess.spawn(
		'redis-server',
		services.redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			redisDir,
			'--daemonize',
			'no',
			'--logfile',
			'',
		],
		{ env: { PATH: process.env.PATH }, cwd: redisDir, logFile: join(dir, 'logs', 'redis.log') },
	);
	await waitUntil('redis-server to answer PING', SERVICE_TIMEOUT_MS, proc, () => redisPing(port));
	return { process: proc, port };
}

// ---------------------------------------------------------------------------------------------
// The cluster

export interface QueueClusterOptions {
	/** The n8n to run (provisionN8n(2); queue mode needs 2.x here). */
	install: N8nInstall;
	/** packPackage(): installed once into the shared user folder as a community package. */
	tarball: string;
	/** Number of `n8n worker` processes started after the main. */
	workers: number;
	/** Jobs one worker runs at once (`n8n worker --concurrency`). Default 10 (n8n warns below 5). */
	concurrency?: number;
	/** Extra environment for every n8n process (wins over the harness's). */
	env?: NodeJS.ProcessEnv;
	/** Imported through the CLI (fixed ids) once the main has migrated the database. */
	credentials?: ImportedCredential[];
	workflows?: Array<Record<string, unknown>>;
	/** Workflow ids activated (published) through the public API after the imports. */
	activate?: string[];
	/** Run scripts/install-queue-services.sh first (a no-op when both are there). Default true. */
	installServices?: boolean;
	/** Keep the temp dir (logs, database files) after stop(). Default: only when PONTO_QUEUE_KEEP=1. */
	keep?: boolean;
	/** Progress lines (default: none). */
	log?: (line: string) => void;
}

export interface QueueWorker {
	name: string;
	process: ManagedProcess;
	/** Worker server (QUEUE_HEALTH_CHECK_ACTIVE): /healthz and /healthz/readiness. */
	healthPort: number;
	brokerPort: number;
	logFile: string;
}

export interface QueueExecution {
	id: string;
	status?: string;
	mode?: string;
	finished?: boolean;
	workflowId?: string;
	startedAt?: string | null;
	stoppedAt?: string | null;
	data?: {
		resultData: {
			runData: Record<
				string,
				Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>
			>;
			error?: { message: string };
		};
	};
	/** Name of the worker whose log says "Worker started execution <id>" (undefined: none did). */
	worker?: string;
	/** The worker's host id that the main logged for "Execution <id> (job …) finished". */
	workerHostId?: string;
	/** The main logged "Enqueued execution <id>": it went through the Bull queue in Redis. */
	enqueued?: boolean;
}

/** What scripts/queue-mode.ts keeps to find a detached cluster again. */
export interface QueueClusterState {
	version: 1;
	dir: string;
	url: string;
	apiKey?: string;
	owner: { email: string; password: string };
	postgres: { pid?: number; port: number; url: string };
	redis: { pid?: number; port: number };
	main: { pid?: number; logFile: string; brokerPort: number };
	workers: Array<{ name: string; pid?: number; healthPort: number; logFile: string }>;
	startedAt: string;
}

/** Milliseconds each phase of startQueueCluster took. */
export interface QueueTimings {
	services: number;
	postgres: number;
	redis: number;
	package: number;
	imports: number;
	main: number;
	workers: number;
	total: number;
}

/** Log lines of a worker: which executions it started and finished. */
export interface WorkerLogExecutions {
	started: string[];
	finished: string[];
}

export class QueueCluster {
	readonly workers: QueueWorker[] = [];
	private mainProcess?: ManagedProcess;
	private apiKey?: string;
	private stopped = false;
	private workerCount = 0;

	constructor(
		readonly install: N8nInstall,
		readonly dir: string,
		readonly userFolder: string,
		readonly postgres: PostgresServer,
		readonly redis: RedisServer,
		private readonly baseEnv: NodeJS.ProcessEnv,
		readonly mainPort: number,
		readonly mainBrokerPort: number,
		readonly concurrency: number,
		private readonly services: QueueServices,
		readonly keep: boolean,
		readonly timings: QueueTimings,
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.mainPort}`;
	}

	get mainLogFile(): string {
		return join(this.dir, 'logs', 'main.log');
	}

	get main(): ManagedProcess | undefined {
		return this.mainProcess;
	}

	/** Environment of one n8n process: the shared part plus its own ports and event log. */
	envFor(name: string, ports: { broker: number; health?: number }): NodeJS.ProcessEnv {
		return {
			...this.baseEnv,
			N8N_RUNNERS_BROKER_PORT: String(ports.broker),
			// Each process its own event log: two workers appending to (and rotating) one
			// n8nEventLog-worker.log in the shared user folder would trip over each other.
			N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: join(this.dir, 'logs', `events-${name}.log`),
			...(ports.health
				? {
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(ports.health),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					}
				: {}),
		};
	}

	/** An N8nInstance on the shared folder for CLI commands (import, publish, export), own broker port. */
	async cliInstance(): Promise<N8nInstance> {
		const broker = await freePort();
		return N8nInstance.open(
			this.install,
			this.userFolder,
			{ http: this.mainPort, broker },
			this.envFor(`cli-${broker}`, { broker }),
		);
	}

	async cli(args: string[], timeoutMs = START_TIMEOUT_MS): Promise<string> {
		return await (await this.cliInstance()).cli(args, timeoutMs);
	}

	async importCredentials(credentials: ImportedCredential[]): Promise<void> {
		await (await this.cliInstance()).importCredentials(credentials);
	}

	async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void> {
		await (await this.cliInstance()).importWorkflows(workflows);
	}

	/** `n8n start`, waiting for /healthz/readiness (migrations done, Redis connected). */
	async startMain(timeoutMs = START_TIMEOUT_MS): Promise<void> {
		if (this.mainProcess?.running) throw new Error('The main is already running');
		const env = this.envFor('main', { broker: this.mainBrokerPort });
		this.mainProcess = ManagedProcess.spawn('n8n main', this.install.command, ['start'], {
			env,
			cwd: this.dir,
			logFile: this.mainLogFile,
		});
		await waitUntil(`the main's ${this.url}/healthz/readiness`, timeoutMs, this.mainProcess, () =>
			httpOk(`${this.url}/healthz/readiness`),
		);
	}

	/** Stops the main (SIGTERM: graceful, deactivates its triggers) and starts it again; workers keep running. */
	async restartMain(): Promise<number> {
		const started = Date.now();
		await this.mainProcess?.stop('SIGTERM');
		await this.startMain();
		return Date.now() - started;
	}

	/** One more `n8n worker`, waiting for its /healthz/readiness (DB migrated, Redis connected, queue set up). */
	async addWorker(timeoutMs = START_TIMEOUT_MS): Promise<QueueWorker> {
		// Numbered synchronously: addWorkers() starts several at once.
		const name = `worker-${++this.workerCount}`;
		const healthPort = await freePort();
		const brokerPort = await freePort();
		const logFile = join(this.dir, 'logs', `${name}.log`);
		const proc = ManagedProcess.spawn(
			`n8n ${name}`,
			this.install.command,
			['worker', `--concurrency=${this.concurrency}`],
			{
				env: this.envFor(name, { broker: brokerPort, health: healthPort }),
				cwd: this.dir,
				logFile,
			},
		);
		const worker: QueueWorker = { name, process: proc, healthPort, brokerPort, logFile };
		this.workers.push(worker);
		await waitUntil(`${name}'s /healthz/readiness on port ${healthPort}`, timeoutMs, proc, () =>
			httpOk(`http://127.0.0.1:${healthPort}/healthz/readiness`),
		);
		return worker;
	}

	/** Starts `count` workers at once (each loads the nodes itself: about as long as one). */
	async addWorkers(count: number): Promise<QueueWorker[]> {
		return await Promise.all(Array.from({ length: count }, () => this.addWorker()));
	}

	async stopWorker(name: string): Promise<void> {
		await this.workers.find((worker) => worker.name === name)?.process.stop('SIGTERM');
	}

	/** Public API key of the owner (made from the environment): /rest/login, then /rest/api-keys. */
	async key(): Promise<string> {
		if (this.apiKey) return this.apiKey;
		const login = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			signal: AbortSignal.timeout(30_000),
		});
		if (!login.ok)
			throw new Error(
				`n8n login failed: HTTP ${login.status} ${await login.text()}\n${logTail(this.mainLogFile)}`,
			);
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
		const scopes = (await (
			await fetch(`${this.url}/rest/api-keys/scopes`, {
				headers: { cookie },
				signal: AbortSignal.timeout(30_000),
			})
		).json()) as {
			data: string[];
		};
		const created = await fetch(`${this.url}/rest/api-keys`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie },
			body: JSON.stringify({ label: `queue-${Date.now()}`, scopes: scopes.data, expiresAt: null }),
			signal: AbortSignal.timeout(30_000),
		});
		const body = (await created.json()) as { data?: { rawApiKey?: string } };
		if (!body.data?.rawApiKey)
			throw new Error(`n8n refused to create an API key: HTTP ${created.status}`);
		this.apiKey = body.data.rawApiKey;
		return this.apiKey;
	}

	/** A public API call (/api/v1/…) with the owner's key; throws with the body on an HTTP error. */
	async api<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/api/v1${path}`, {
			method,
			headers: {
				'X-N8N-API-KEY': await this.key(),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} /api/v1${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/**
	 * Activates (publishes) a workflow on the running main (public API) and waits until it is
	 * live. In 2.41 the API only records the publication in workflow_publication_outbox; the
	 * main applies it (registers webhooks, starts poll timers) asynchronously, on a wake-up or
	 * its outbox poll (N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS, 15 s by default, 1 s here).
	 */
	async activate(workflowId: string, timeoutMs = 60_000): Promise<void> {
		if (!/^[A-Za-z0-9_-]+$/.test(workflowId))
			throw new Error(`Unexpected workflow id ${workflowId}`);
		await this.api('POST', `/workflows/${workflowId}/activate`, {});
		const outcome = await waitUntil(
			`the publication of workflow ${workflowId} (workflow_publication_outbox)`,
			timeoutMs,
			this.mainProcess,
			async () => {
				const row = await this.sql(
					`SELECT status || '|' || coalesce("errorMessage", '') FROM workflow_publication_outbox WHERE "workflowId" = '${workflowId}' ORDER BY id DESC LIMIT 1`,
				);
				const [status, ...message] = row.split('|');
				return status && !['pending', 'in_progress'].includes(status)
					? { status, message: message.join('|') }
					: undefined;
			},
		);
		if (outcome.status !== 'completed') {
			throw new Error(
				`Publishing workflow ${workflowId} ended ${outcome.status}: ${outcome.message}\n${logTail(this.mainLogFile)}`,
			);
		}
	}

	/** Which executions each worker's log says it started and finished. */
	workerLogExecutions(): Record<string, WorkerLogExecutions> {
		const result: Record<string, WorkerLogExecutions> = {};
		for (const worker of this.workers) {
			const text = existsSync(worker.logFile) ? readFileSync(worker.logFile, 'utf8') : '';
			result[worker.name] = {
				started: [...text.matchAll(/Worker started execution (\d+) \(job/g)].map(
					(match) => match[1],
				),
				finished: [...text.matchAll(/Worker finished execution (\d+) \(job/g)].map(
					(match) => match[1],
				),
			};
		}
		return result;
	}

	/** From the main's JSON log: executions it enqueued, and the worker host id it was told finished each. */
	mainLogExecutions(): {
		enqueued: Set<string>;
		finishedBy: Map<string, string>;
		ranOnMain: Set<string>;
	} {
		const enqueued = new Set<string>();
		const finishedBy = new Map<string, string>();
		const ranOnMain = new Set<string>();
		const text = existsSync(this.mainLogFile) ? readFileSync(this.mainLogFile, 'utf8') : '';
		for (const line of text.split('\n')) {
			if (!line.startsWith('{')) continue;
			let entry: { message?: string; metadata?: { workerId?: string; executionId?: string } };
			try {
				entry = JSON.parse(line) as typeof entry;
			} catch {
				continue;
			}
			const message = entry.message ?? '';
			let match = /^Enqueued execution (\d+)/.exec(message);
			if (match) enqueued.add(match[1]);
			match = /^Execution (\d+) \(job \S+\) finished/.exec(message);
			if (match && entry.metadata?.workerId) finishedBy.set(match[1], entry.metadata.workerId);
			// Should never appear on the main in queue mode: a worker-only message.
			match = /^Worker started execution (\d+)/.exec(message);
			if (match) ranOnMain.add(match[1]);
		}
		return { enqueued, finishedBy, ranOnMain };
	}

	/**
	 * Finished executions of a workflow, newest first, through the public API (all pages), each
	 * with the worker that ran it as the logs tell: the execution records of n8n 2.41 do not
	 * store a worker or host id.
	 */
	async executions(
		workflowId: string,
		options: { includeData?: boolean; status?: string } = {},
	): Promise<QueueExecution[]> {
		const includeData = options.includeData ?? true;
		const all: QueueExecution[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < 100; page++) {
			const query = new URLSearchParams({
				workflowId,
				limit: '100',
				includeData: String(includeData),
			});
			if (includeData) query.set('ignoreDataSizeLimit', 'true');
			if (options.status) query.set('status', options.status);
			if (cursor) query.set('cursor', cursor);
			const body = await this.api<{ data: QueueExecution[]; nextCursor?: string | null }>(
				'GET',
				`/executions?${query.toString()}`,
			);
			all.push(...body.data);
			if (!body.nextCursor || !body.data.length) break;
			cursor = body.nextCursor;
		}
		const workers = this.workerLogExecutions();
		const main = this.mainLogExecutions();
		for (const execution of all) {
			execution.worker = Object.entries(workers).find(([, seen]) =>
				seen.started.includes(execution.id),
			)?.[0];
			execution.workerHostId = main.finishedBy.get(execution.id);
			execution.enqueued = main.enqueued.has(execution.id);
		}
		return all;
	}

	/** SQL on the cluster's database as the n8n user (psql -At: one row per line, columns joined by |). */
	async sql(query: string): Promise<string> {
		const result = await runCommand(
			join(this.services.postgresBin, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(this.postgres.port),
				'-U',
				this.postgres.user,
				'-d',
				this.postgres.database,
				'-v',
				'ON_ERROR_STOP=1',
				'-Atc',
				query,
			],
			{ env: { PATH: process.env.PATH, PGCONNECT_TIMEOUT: '5' }, timeoutMs: 30_000 },
		);
		if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
		return result.stdout.trim();
	}

	/** Logs of every process, for a failing test's message. */
	logTails(lines = 25): string {
		return [this.mainLogFile, ...this.workers.map((worker) => worker.logFile)]
			.map((file) => logTail(file, lines))
			.join('\n');
	}

	state(): QueueClusterState {
		return {
			version: 1,
			dir: this.dir,
			url: this.url,
			apiKey: this.apiKey,
			owner: { email: OWNER.email, password: OWNER.password },
			postgres: {
				pid: this.postgres.process.pid,
				port: this.postgres.port,
				url: `postgres://n8n@127.0.0.1:${this.postgres.port}/n8n`,
			},
			redis: { pid: this.redis.process.pid, port: this.redis.port },
			main: {
				pid: this.mainProcess?.pid,
				logFile: this.mainLogFile,
				brokerPort: this.mainBrokerPort,
			},
			workers: this.workers.map((worker) => ({
				name: worker.name,
				pid: worker.process.pid,
				healthPort: worker.healthPort,
				logFile: worker.logFile,
			})),
			startedAt: new Date().toISOString(),
		};
	}

	/** Leaves every process running after this process exits (scripts/queue-mode.ts start). */
	detach(): QueueClusterState {
		for (const proc of [
			this.mainProcess,
			...this.workers.map((worker) => worker.process),
			this.redis.process,
			this.postgres.process,
		])
			proc?.detach();
		liveDirs.delete(this.dir);
		this.stopped = true;
		return this.state();
	}

	/**
	 * Stops everything this cluster started: n8n processes first (SIGTERM, SIGKILL after 15 s),
	 * then Redis and PostgreSQL (fast shutdown), then removes the temp dir unless kept.
	 * Safe to call twice and after a failed start.
	 */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		if (spoolEnabled()) {
			// The execution records and trigger state in PostgreSQL, for the secret-hygiene scan.
			for (const table of ['execution_data', 'execution_entity', 'workflow_entity']) {
				spoolVisible(
					'n8n',
					await this.sql(`select row_to_json(t)::text from ${table} t`).catch(
						(error: Error) => error.message,
					),
				);
			}
		}
		await Promise.all([
			this.mainProcess?.stop('SIGTERM'),
			...this.workers.map((worker) => worker.process.stop('SIGTERM')),
		]);
		await Promise.all([
			this.redis.process.stop('SIGTERM', 5_000),
			this.postgres.process.stop('SIGINT', 10_000),
		]);
		liveDirs.delete(this.dir);
		spoolN8nFolder('n8n', this.dir);
		if (!this.keep) rmSync(this.dir, { recursive: true, force: true });
	}
}

/**
 * The environment every n8n process of the cluster shares (docs/queue-mode.md explains each).
 * Per process on top: N8N_RUNNERS_BROKER_PORT, the event log path and the worker server port.
 */
export function queueEnvironment(options: {
	install: N8nInstall;
	userFolder: string;
	mainPort: number;
	postgres: { port: number; user: string; database: string };
	redis: { port: number };
	extra?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
	const { install, userFolder, mainPort, postgres, redis } = options;
	// The single-instance e2e environment (user folder, encryption key, quiet, community
	// packages on, owner), then the queue-mode settings over it.
	const base = N8nInstance.open(install, userFolder, { http: mainPort, broker: 0 }).env;
	delete base.DB_SQLITE_POOL_SIZE;
	delete base.N8N_RUNNERS_BROKER_PORT;
	const env: NodeJS.ProcessEnv = {
		...base,
		...ownerEnvironment(install),
		...postgresEnvironment(postgres),
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// 2.x still runs manual (editor) executions on the main unless this is set; v3 will always offload.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// The queue-mode default of 2.x, set explicitly: workers and main read binary data from the shared DB.
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// Info level, JSON: the harness reads "Enqueued execution", "Worker started execution"
		// and the workerId the main logs for "Execution … finished".
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_FORMAT: 'json',
		// Quicker stops in tests (default 30 s).
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		// Activation through the API is applied by the main's publication outbox poll (15 s by default).
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
		...options.extra,
	};
	// NODE_ENV stays unset (as in n8nEnvironment): with 'production' every process touches
	// .n8n/crash.journal in the shared user folder and the next one to start finds it, logs
	// "Last session crashed" and sleeps 10 s; with 'test' `n8n worker` returns from run() at once.
	delete env.NODE_ENV;
	return env;
}

/**
 * Starts PostgreSQL and Redis and installs the package once into a shared user folder (in
 * parallel), starts the main and waits for its readiness (it runs the migrations), then starts
 * the workers and waits for theirs while the CLI imports and the public API activates. On any failure everything started so far is stopped and the error carries
 * the relevant log's tail.
 */
export async function startQueueCluster(options: QueueClusterOptions): Promise<QueueCluster> {
	if (options.install.major < 2)
		throw new Error('The queue-mode harness runs n8n 2.x (provisionN8n(2))');
	const say = options.log ?? (() => undefined);
	const t0 = Date.now();
	const timings: QueueTimings = {
		services: 0,
		postgres: 0,
		redis: 0,
		package: 0,
		imports: 0,
		main: 0,
		workers: 0,
		total: 0,
	};
	const lap = (key: keyof QueueTimings, since: number) => (timings[key] = Date.now() - since);
	const dir = mkdtempSync(join(tmpdir(), 'ponto-queue-'));
	mkdirSync(join(dir, 'logs'));
	const keep = options.keep ?? process.env.PONTO_QUEUE_KEEP === '1';
	installExitHook();
	if (!keep) liveDirs.add(dir);
	let postgres: PostgresServer | undefined;
	let redis: RedisServer | undefined;
	let cluster: QueueCluster | undefined;
	try {
		let t = Date.now();
		const services = await findQueueServices(options.installServices ?? true);
		lap('services', t);
		t = Date.now();
		const userFolder = join(dir, 'home');
		mkdirSync(userFolder);
		const packageDone = installCommunityPackage(userFolder, options.tarball).then(() =>
			lap('package', t),
		);
		const postgresDone = startPostgres(services, dir).then((server) => {
			postgres = server;
			lap('postgres', t);
		});
		const redisDone = startRedis(services, dir).then((server) => {
			redis = server;
			lap('redis', t);
		});
		// allSettled: a failure in one must not leave another's process unrecorded.
		const settled = await Promise.allSettled([packageDone, postgresDone, redisDone]);
		const failed = settled.find(
			(outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
		);
		if (failed) throw failed.reason;
		if (!postgres || !redis) throw new Error('internal: services not started');
		say(
			`queue cluster: PostgreSQL on ${postgres.port} (as OS user ${postgres.osUser}), Redis on ${redis.port}, dir ${dir}`,
		);

		const mainPort = await freePort();
		const env = queueEnvironment({
			install: options.install,
			userFolder,
			mainPort,
			postgres,
			redis,
			extra: options.env,
		});
		cluster = new QueueCluster(
			options.install,
			dir,
			userFolder,
			postgres,
			redis,
			env,
			mainPort,
			await freePort(),
			options.concurrency ?? 10,
			services,
			keep,
			timings,
		);

		// The main migrates the empty database; only then may other processes use it.
		t = Date.now();
		await cluster.startMain();
		lap('main', t);
		say(`queue cluster: main ready on ${cluster.url} after ${Math.round(timings.main / 1000)} s`);
		// Workers boot while the CLI imports (each n8n CLI command boots n8n: about 5 s).
		const ready = cluster;
		const imports = (async () => {
			const t1 = Date.now();
			if (options.credentials?.length) await ready.importCredentials(options.credentials);
			if (options.workflows?.length) await ready.importWorkflows(options.workflows);
			for (const id of options.activate ?? []) await ready.activate(id);
			lap('imports', t1);
		})();
		const workers = (async () => {
			const t1 = Date.now();
			await ready.addWorkers(options.workers);
			lap('workers', t1);
		})();
		const outcomes = await Promise.allSettled([imports, workers]);
		const failure = outcomes.find(
			(outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
		);
		if (failure) throw failure.reason;
		lap('total', t0);
		say(
			`queue cluster: ${options.workers} worker(s) ready after ${Math.round(timings.workers / 1000)} s; whole start ${Math.round(timings.total / 1000)} s`,
		);
		return cluster;
	} catch (error) {
		if (cluster) await cluster.stop().catch(() => undefined);
		else {
			await Promise.all([
				redis?.process.stop('SIGTERM', 5_000),
				postgres?.process.stop('SIGINT', 10_000),
			]);
			liveDirs.delete(dir);
			if (!keep) rmSync(dir, { recursive: true, force: true });
		}
		throw error;
	}
}

/**
 * Stops a cluster left running by scripts/queue-mode.ts start, from its saved state: each
 * recorded process group is signalled only if its pid still runs the program it should
 * (so a reused pid is never killed), SIGKILL after the grace time.
 */
export async function stopQueueClusterState(
	state: QueueClusterState,
	options: { keep?: boolean } = {},
): Promise<string[]> {
	const report: string[] = [];
	const stopGroup = async (
		name: string,
		pid: number | undefined,
		expect: RegExp,
		signal: NodeJS.Signals,
	) => {
		if (!pid || !processMatches(pid, expect)) {
			report.push(`${name}: not running`);
			return;
		}
		killGroup(pid, signal);
		const deadline = Date.now() + STOP_GRACE_MS;
		while (Date.now() < deadline && processMatches(pid, expect)) await sleep(200);
		if (processMatches(pid, expect)) killGroup(pid, 'SIGKILL');
		report.push(`${name}: stopped (pid ${pid})`);
	};
	await Promise.all([
		stopGroup('main', state.main.pid, /n8n/, 'SIGTERM'),
		...state.workers.map((worker) => stopGroup(worker.name, worker.pid, /n8n/, 'SIGTERM')),
	]);
	await Promise.all([
		stopGroup('redis', state.redis.pid, /redis-server/, 'SIGTERM'),
		stopGroup('postgres', state.postgres.pid, /postgres/, 'SIGINT'),
	]);
	if (!options.keep) rmSync(state.dir, { recursive: true, force: true });
	return report;
}

/** The process `pid` exists and its command line matches (not a zombie, not a reused pid). */
export function processMatches(pid: number, expect: RegExp): boolean {
	try {
		const status = readFileSync(`/proc/${pid}/stat`, 'utf8');
		if (/^\d+ \(.*\) Z/.test(status)) return false;
		return expect.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// Workflows and throughput

/** test/e2e/workflows/queue-fanout.json: Webhook → Account > Get Many → Transaction > Get Many per account. */
export const FANOUT_WORKFLOW_ID = 'queueFanout0001';
export const FANOUT_WEBHOOK_PATH = 'ponto-queue-fanout';
/** test/e2e/workflows/queue-poll-trigger.json: the Ponto Trigger (every minute) → NoOp. */
export const POLL_WORKFLOW_ID = 'queuePollTrig01';
export const EMULATOR_CREDENTIAL_ID = 'pontoEmulator01';

/** The credential (custom integration, plain HTTP emulator) and the queue workflows of this repo. */
export function queueFixtures(emulatorUrl: string): {
	credentials: ImportedCredential[];
	workflows: Array<Record<string, unknown>>;
} {
	return {
		credentials: fixture<ImportedCredential[]>('test/e2e/credentials.json', {
			EMULATOR_URL: emulatorUrl,
		}),
		workflows: ['queue-fanout', 'queue-poll-trigger'].map((name) =>
			fixture<Record<string, unknown>>(`test/e2e/workflows/${name}.json`),
		),
	};
}

/** The items a node output in an execution (all its runs, first output). */
export function nodeOutput(
	execution: QueueExecution,
	nodeName: string,
): Array<Record<string, unknown>> {
	const tasks = execution.data?.resultData.runData[nodeName] ?? [];
	return tasks.flatMap((task) => task.data?.main[0] ?? []).map((item) => item.json);
}

/** Transactions one execution of the fan-out workflow returned (items of its "Transactions" node). */
export function fanoutTransactions(execution: QueueExecution): Array<Record<string, unknown>> {
	return nodeOutput(execution, 'Transactions');
}

/** POSTs to a production webhook of the main; the fan-out workflow answers at once (onReceived). */
export async function triggerWebhook(
	cluster: QueueCluster,
	path: string,
	body: unknown = {},
): Promise<void> {
	const response = await fetch(`${cluster.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(60_000),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(
			`POST /webhook/${path}: HTTP ${response.status} ${text.slice(0, 300)}\n${logTail(cluster.mainLogFile)}`,
		);
}

/**
 * Waits until a workflow has `count` executions with ids not in `before` that are finished
 * (success or error), then returns them (with data), oldest first.
 */
export async function waitForExecutions(
	cluster: QueueCluster,
	workflowId: string,
	count: number,
	options: { before?: Set<string>; timeoutMs?: number; includeData?: boolean } = {},
): Promise<QueueExecution[]> {
	const before = options.before ?? new Set<string>();
	const done = (execution: QueueExecution) =>
		!before.has(execution.id) &&
		['success', 'error', 'crashed', 'canceled'].includes(execution.status ?? '');
	const deadline = Date.now() + (options.timeoutMs ?? 180_000);
	for (;;) {
		const light = (await cluster.executions(workflowId, { includeData: false })).filter(done);
		if (light.length >= count) break;
		if (Date.now() > deadline) {
			throw new Error(
				`Timed out waiting for ${count} executions of ${workflowId} (have ${light.length} finished)\n${cluster.logTails()}`,
			);
		}
		await sleep(500);
	}
	const full = (
		await cluster.executions(workflowId, { includeData: options.includeData ?? true })
	).filter(done);
	return full.sort((a, b) => Number(a.id) - Number(b.id));
}

export interface ThroughputOptions {
	/** Executions started at once (parallel webhook calls). */
	runs: number;
	/** The credential + fan-out workflow are imported and activated first unless already there. */
	emulatorUrl?: string;
	workflowId?: string;
	webhookPath?: string;
	timeoutMs?: number;
}

export interface ThroughputResult {
	workers: number;
	concurrency: number;
	runs: number;
	/** Transactions each execution fetched (from its data; all equal or the measure fails). */
	transactionsPerRun: number;
	transactions: number;
	/** From the first execution's startedAt to the last one's stoppedAt. */
	spanMs: number;
	/** From the first webhook call to the last execution seen finished (includes queueing and polling). */
	wallMs: number;
	transactionsPerSecond: number;
	/** Mean stoppedAt - startedAt of one execution. */
	meanExecutionMs: number;
	/** How many executions each worker ran. */
	perWorker: Record<string, number>;
}

/**
 * Runs the fan-out workflow `runs` times in parallel and computes transactions per second from
 * the executions' own start/stop times: all transactions fetched / (last stop - first start).
 * Call it on clusters with different worker counts (or after cluster.addWorker()) to compare.
 */
export async function measureQueueThroughput(
	cluster: QueueCluster,
	options: ThroughputOptions,
): Promise<ThroughputResult> {
	const workflowId = options.workflowId ?? FANOUT_WORKFLOW_ID;
	const webhookPath = options.webhookPath ?? FANOUT_WEBHOOK_PATH;
	if (options.emulatorUrl && workflowId === FANOUT_WORKFLOW_ID) {
		const exists = await cluster
			.api<{ active?: boolean }>('GET', `/workflows/${workflowId}`)
			.catch(() => undefined);
		if (!exists) {
			const fixtures = queueFixtures(options.emulatorUrl);
			await cluster.importCredentials(fixtures.credentials);
			await cluster.importWorkflows(
				fixtures.workflows.filter((workflow) => workflow.id === FANOUT_WORKFLOW_ID),
			);
		}
		if (!exists?.active) await cluster.activate(workflowId);
	}
	const before = new Set(
		(await cluster.executions(workflowId, { includeData: false })).map((execution) => execution.id),
	);
	const started = Date.now();
	await Promise.all(
		Array.from({ length: options.runs }, (_, index) =>
			triggerWebhook(cluster, webhookPath, { run: index }),
		),
	);
	const executions = await waitForExecutions(cluster, workflowId, options.runs, {
		before,
		timeoutMs: options.timeoutMs ?? 600_000,
	});
	const wallMs = Date.now() - started;
	const failed = executions.filter((execution) => execution.status !== 'success');
	if (failed.length) {
		throw new Error(
			`${failed.length} of ${executions.length} executions did not succeed: ${failed.map((execution) => `${execution.id} ${execution.status} ${execution.data?.resultData.error?.message ?? ''}`).join('; ')}`,
		);
	}
	const counts = executions.map((execution) => fanoutTransactions(execution).length);
	if (new Set(counts).size !== 1)
		throw new Error(`Executions fetched different numbers of transactions: ${counts.join(', ')}`);
	const starts = executions.map((execution) => Date.parse(execution.startedAt ?? ''));
	const stops = executions.map((execution) => Date.parse(execution.stoppedAt ?? ''));
	if ([...starts, ...stops].some(Number.isNaN))
		throw new Error('An execution has no startedAt/stoppedAt');
	const spanMs = Math.max(1, Math.max(...stops) - Math.min(...starts));
	const transactions = counts.reduce((sum, count) => sum + count, 0);
	const perWorker: Record<string, number> = {};
	for (const execution of executions)
		perWorker[execution.worker ?? 'unknown'] = (perWorker[execution.worker ?? 'unknown'] ?? 0) + 1;
	return {
		workers: cluster.workers.filter((worker) => worker.process.running).length,
		concurrency: cluster.concurrency,
		runs: options.runs,
		transactionsPerRun: counts[0],
		transactions,
		spanMs,
		wallMs,
		transactionsPerSecond: Math.round((transactions / spanMs) * 1000 * 10) / 10,
		meanExecutionMs: Math.round(
			stops.reduce((sum, stop, index) => sum + stop - starts[index], 0) / executions.length,
		),
		perWorker,
	};
}
