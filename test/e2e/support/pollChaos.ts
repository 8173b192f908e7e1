// The polling-trigger chaos run of issue 8: a real n8n 2.x with the Ponto Trigger active,
// started and killed (kill -9 of its process group, sometimes SIGTERM) over and over, between
// and during polls, against an emulator with random faults, while transactions are inserted.
// At the end every inserted booked transaction must have been emitted exactly once.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { generateDataset, startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { Random } from '../../emulator/prng';
import { CHAOS_FAULTS, CHAOS_JITTER_MS, CHAOS_TOKEN_LIFE_REQUESTS } from '../../support/chaos';
import { N8nInstance } from './n8n';
import type { ImportedCredential } from './n8n';
import { fixture, packPackage } from './package';
import { killGroup, tail } from './process';
import { provisionN8n } from './provision';
import { OWNER, ownerEnvironment } from './server';

export const WORKFLOW_ID = 'e2ePollChaos001';
export const TRIGGER_NODE = 'New transaction';
const DAY = 86_400_000;

export interface PollChaosOptions {
	cycles: number;
	seed: number;
	accounts: number;
	/**
	 * n8n 2.41's durable poll cursors (cursor committed in the same DB transaction as the
	 * execution; needs the durable scheduler, which then runs every poll, none at start).
	 */
	durableCursors: boolean;
	/** The Ponto Trigger's version: 1 (n8n polling node) or 2 (deduplication keys). */
	nodeVersion: 1 | 2;
	log: (line: string) => void;
}

type KillMode = 'afterEmission' | 'graceful' | 'duringPoll' | 'atEmit' | 'scheduledPoll';
type KillClass =
	| 'beforePoll'
	| 'duringPollRequestsInFlight'
	| 'duringPollBeforeExecution'
	| 'idleBeforeEmission'
	| 'afterEmission'
	| 'graceful';
/**
 * A kill with nothing in flight counts as during a poll when the poll's last request began at
 * most this long before (a response takes 120 to 275 ms, a 429 makes the poll wait 1 s).
 */
const POLL_QUIET_MS = 1_500;

interface CycleRecord {
	cycle: number;
	mode: KillMode;
	insertedIds: string[];
	startAt: number;
	/** First request of this n8n process to the emulator (its first poll began). */
	pollAt?: number;
	killAt: number;
	inFlightAtKill: number;
	/** Time from the start of this n8n process's last request to the kill. */
	sinceLastRequestMs?: number;
	klass?: KillClass;
	/** Start to the first request of the poll. */
	startToPollMs?: number;
	cycleMs: number;
}

interface PublicExecution {
	id: string;
	status?: string;
	startedAt?: string | null;
	createdAt?: string | null;
	stoppedAt?: string | null;
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
			>;
		};
		executionData?: {
			nodeExecutionStack?: Array<{
				node: { name: string };
				data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
			}>;
		};
	};
}

export interface PollChaosReport {
	seed: number;
	cycles: number;
	durableCursors: boolean;
	inserted: number;
	emitted: number;
	duplicates: Array<{ id: string; times: number; executions: string[] }>;
	lost: Array<{ id: string; cycle: number; context: string }>;
	unexpected: string[];
	kills: Record<string, number>;
	killModes: Record<string, number>;
	faults: Record<string, number>;
	requests: number;
	tokenRequests: number;
	unauthorized: number;
	executions: Record<string, number>;
	totalMs: number;
	cyclesMs: number;
	meanCycleMs: number;
	meanStartToPollMs: number;
	summary: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** When n8n stored the execution (a poll's emission is stored when its execution is created). */
const createdAt = (execution: PublicExecution) =>
	Date.parse(execution.createdAt ?? execution.startedAt ?? '') || 0;

/**
 * The n8n environment of the run. Besides the e2e defaults (server.ts/n8n.ts):
 * - modules that have nothing to do with triggers are not loaded (a faster start on 2 cores);
 * - the workflow-publication outbox lease is 20 s instead of 2 min: with n8n 2.41's publication
 *   service (the default), a kill -9 during the activation leaves the outbox record "in
 *   progress" and the next n8n re-activates the workflow only when that lease expires. Only
 *   the waiting time changes, not what is saved.
 */
export function chaosEnvironment(durableCursors: boolean): NodeJS.ProcessEnv {
	const disabled = [
		'mcp-registry',
		'agents',
		'agent-evals',
		'insights',
		'instance-ai',
		'workflow-builder',
		'mcp',
		'chat-hub',
		'otel',
		'breaking-changes',
		'data-table',
		'quick-connect',
		'favorites',
		'workflow-reviews',
		'promotions',
		'instance-version-history',
		'source-control',
		'external-secrets',
		'log-streaming',
		'ldap',
		'sso-oidc',
		'sso-saml',
		'provisioning',
		'oauth-server',
		'token-exchange',
	];
	return {
		N8N_DISABLED_MODULES: disabled.join(','),
		N8N_WORKFLOW_PUBLICATION_OUTBOX_LEASE_SECONDS: '20',
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
		...(durableCursors
			? {
					N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
					N8N_SCHEDULER_ENABLED: 'true',
					N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
					N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
				}
			: {}),
	};
}

/** `n8n start` in its own process group, without waiting for readiness (a kill may come first). */
function spawnN8n(instance: N8nInstance, logFile: string): ChildProcess {
	const log = openSync(logFile, 'a');
	const child = spawn(instance.install.command, ['start'], {
		env: instance.env,
		detached: true,
		stdio: ['ignore', log, log],
	});
	closeSync(log);
	return child;
}

async function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return true;
	return await new Promise<boolean>((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

async function waitFor<T>(
	timeoutMs: number,
	probe: () => Promise<T | undefined> | T | undefined,
	everyMs = 100,
): Promise<T | undefined> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) return undefined;
		await sleep(everyMs);
	}
}

/** The public API of the running n8n (the key lives in the database, so it outlives restarts). */
class Api {
	private key?: string;
	constructor(private readonly base: string) {}

	async ready(): Promise<boolean> {
		try {
			return (await fetch(`${this.base}/healthz/readiness`)).ok;
		} catch {
			return false;
		}
	}

	private async apiKey(): Promise<string> {
		if (this.key) return this.key;
		const login = await fetch(`${this.base}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		if (!login.ok) throw new Error(`n8n login failed: HTTP ${login.status}`);
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
		const scopes = (await (
			await fetch(`${this.base}/rest/api-keys/scopes`, { headers: { cookie } })
		).json()) as { data: string[] };
		const created = await fetch(`${this.base}/rest/api-keys`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie },
			body: JSON.stringify({ label: 'poll-chaos', scopes: scopes.data, expiresAt: null }),
		});
		const body = (await created.json()) as { data?: { rawApiKey?: string } };
		if (!body.data?.rawApiKey)
			throw new Error(`n8n refused to create an API key: HTTP ${created.status}`);
		this.key = body.data.rawApiKey;
		return this.key;
	}

	/** Every execution of the workflow, newest first (all pages). */
	async executions(includeData: boolean): Promise<PublicExecution[]> {
		const all: PublicExecution[] = [];
		let cursor: string | null = null;
		do {
			const query = `workflowId=${WORKFLOW_ID}&includeData=${includeData}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
			const response = await fetch(`${this.base}/api/v1/executions?${query}`, {
				headers: { 'X-N8N-API-KEY': await this.apiKey() },
			});
			if (!response.ok)
				throw new Error(`GET /api/v1/executions: HTTP ${response.status} ${await response.text()}`);
			const page = (await response.json()) as {
				data: PublicExecution[];
				nextCursor?: string | null;
			};
			all.push(...page.data);
			cursor = page.nextCursor ?? null;
		} while (cursor);
		return all;
	}

	/** When the newest execution of the workflow was created (0: none yet), or undefined while n8n does not answer. */
	async newestExecutionCreatedAt(): Promise<number | undefined> {
		try {
			const response = await fetch(
				`${this.base}/api/v1/executions?workflowId=${WORKFLOW_ID}&limit=1`,
				{
					headers: { 'X-N8N-API-KEY': await this.apiKey() },
				},
			);
			if (!response.ok) return undefined;
			const page = (await response.json()) as { data: PublicExecution[] };
			return page.data.length ? createdAt(page.data[0]) : 0;
		} catch {
			return undefined;
		}
	}
}

/**
 * What "emitted" means here: the items n8n persisted for the trigger node in an execution.
 * A finished execution holds them in runData; an execution created by the poll but killed
 * before the trigger node ran (crashed) still holds them in its stored nodeExecutionStack:
 * they were handed to n8n, which owns the rest (n8n does not re-run a crashed execution, the
 * user sees and may retry it). Both count, once.
 */
/** The workflow with its Ponto Trigger at `version` (the fixtures are written for version 1). */
export function withTriggerVersion(
	workflow: Record<string, unknown>,
	version: 1 | 2,
): Record<string, unknown> {
	const nodes = workflow.nodes as Array<Record<string, unknown>>;
	return {
		...workflow,
		nodes: nodes.map((node) =>
			node.type === 'n8n-nodes-ponto.pontoTrigger' ? { ...node, typeVersion: version } : node,
		),
	};
}

/**
 * The trigger's items in an execution: its output, or, when n8n has not run it yet or replaced
 * it after a crash (n8n's recovery writes one `isArtificialRecoveredEventItem` item as the output
 * of a node that started before n8n died), the items n8n stored with the execution to start it.
 */
export function triggerItems(execution: PublicExecution): Array<Record<string, unknown>> {
	const ran = (execution.data?.resultData?.runData?.[TRIGGER_NODE] ?? [])
		.flatMap((task) => task.data?.main?.[0] ?? [])
		.map((item) => item.json);
	if (ran.length && !ran.every((json) => json.isArtificialRecoveredEventItem === true)) return ran;
	const queued = execution.data?.executionData?.nodeExecutionStack ?? [];
	return queued
		.filter((entry) => entry.node.name === TRIGGER_NODE)
		.flatMap((entry) => entry.data?.main?.[0] ?? [])
		.map((item) => item.json);
}

function count<K extends string>(into: Record<string, number>, key: K): void {
	into[key] = (into[key] ?? 0) + 1;
}

export async function runPollChaos(options: PollChaosOptions): Promise<PollChaosReport> {
	const { log } = options;
	const rng = new Random(options.seed);
	const started = Date.now();
	const install = await provisionN8n(2);
	const emulator: Emulator = await startEmulator({
		dataset: generateDataset({
			seed: options.seed,
			accounts: Array.from({ length: options.accounts }, () => ({
				transactions: 30,
				historyDays: 60,
			})),
		}),
		faults: { seed: options.seed, ...CHAOS_FAULTS },
		expireTokensEveryRequests: CHAOS_TOKEN_LIFE_REQUESTS,
		// Latency long enough that a poll (token, accounts, pages of 5 accounts) lasts a second or
		// more and can be hit by a kill; the jitter on top of the chaos jitter.
		latencyMs: 120,
		jitterMs: 150 + CHAOS_JITTER_MS,
	});
	const instance = await N8nInstance.create(install, await packPackage());
	Object.assign(instance.env, ownerEnvironment(install), chaosEnvironment(options.durableCursors));
	const logFile = join(instance.userFolder, 'n8n.log');
	const api = new Api(instance.url);
	const cycles: CycleRecord[] = [];
	const expected = new Map<string, number>();
	const accounts = emulator.dataset.accounts.map((account) => account.id);
	let child: ChildProcess | undefined;
	const pollDurations: number[] = [];

	const insertBatch = (cycle: number): string[] => {
		const ids: string[] = [];
		for (let i = 0, n = rng.int(1, 5); i < n; i++) {
			const atTop = rng.chance(0.6);
			// Created now and listed at the top, however old its date (a back-dated booking), or
			// backfilled among its date peers, dated inside the trigger's overlap window (7 days by
			// default): both are new by design. (Backfilled history older than the window, below
			// every anchor, is by design indistinguishable from history and not inserted here.)
			const daysAgo = atTop ? rng.int(0, 30) : rng.int(0, 5);
			const executionDate = `${new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`;
			const amount = ((rng.chance(0.5) ? -1 : 1) * rng.int(1, 500_000)) / 100;
			const [added] = emulator.addTransactions(
				rng.pick(accounts),
				[
					{
						amount,
						executionDate,
						valueDate: executionDate,
						remittanceInformation: `chaos cycle ${cycle} #${i}`,
					},
				],
				{ atTop },
			);
			expected.set(added.id, cycle);
			ids.push(added.id);
		}
		return ids;
	};
	const inFlight = (from: number) =>
		emulator.log.slice(from).filter((entry) => entry.status === 0 && !entry.fault?.endsWith('drop'))
			.length;
	const accountsPolls = (from: number) =>
		emulator.log.slice(from).filter((entry) => entry.method === 'GET' && entry.path === '/accounts')
			.length;
	const kill = async (signal: NodeJS.Signals): Promise<void> => {
		if (!child) return;
		killGroup(child.pid, signal);
		if (!(await exited(child, signal === 'SIGKILL' ? 10_000 : 30_000))) {
			killGroup(child.pid, 'SIGKILL');
			await exited(child, 10_000);
		}
		child = undefined;
	};
	/** Waits for an execution stored by this n8n process (created after it was started). */
	const waitForNewExecution = async (since: number, timeoutMs: number): Promise<boolean> => {
		const found = await waitFor(
			timeoutMs,
			async () => {
				const newest = await api.newestExecutionCreatedAt();
				return newest !== undefined && newest >= since ? true : undefined;
			},
			250,
		);
		return found === true;
	};
	// Durable mode polls on the scheduler's minute ticks only (no activation poll at start).
	const pollTimeoutMs = options.durableCursors ? 150_000 : 90_000;

	try {
		await instance.importCredentials(
			fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
		);
		await instance.importWorkflows([
			withTriggerVersion(
				fixture<Record<string, unknown>>('test/e2e/workflows/poll-chaos.json'),
				options.nodeVersion,
			),
		]);
		await instance.cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);

		// Cycle 0 (not counted): the first activation only starts watching (no back-fill).
		{
			const mark = emulator.log.length;
			child = spawnN8n(instance, logFile);
			if (!(await waitFor(180_000, async () => ((await api.ready()) ? true : undefined), 250)))
				throw new Error(`n8n did not start:\n${tail(readFileSync(logFile, 'utf8'))}`);
			if (
				!(await waitFor(pollTimeoutMs, () =>
					accountsPolls(mark) > 0 && inFlight(mark) === 0 ? true : undefined,
				))
			)
				throw new Error('no first poll');
			// Durable cursors: the poll n8n runs when it first registers the workflow is not
			// committed when it emits nothing; wait for a scheduled poll that is (see
			// docs/reliability.md: a restart before it starts watching afresh).
			if (
				options.durableCursors &&
				!(await waitFor(pollTimeoutMs, () =>
					accountsPolls(mark) > 1 && inFlight(mark) === 0 ? true : undefined,
				))
			) {
				throw new Error('no scheduled poll');
			}
			await sleep(2_000);
			await kill('SIGTERM');
			log(`setup: n8n up and watching after ${Math.round((Date.now() - started) / 1000)} s`);
		}

		const modes: Array<[KillMode, number]> = [
			['afterEmission', 0.27],
			['graceful', 0.13],
			['duringPoll', 0.27],
			['atEmit', 0.25],
			['scheduledPoll', 0.08],
		];
		for (let cycle = 1; cycle <= options.cycles; cycle++) {
			// Every kind of kill once first, so that a short run has them all, then at random.
			let roll = rng.next();
			const mode =
				cycle <= modes.length
					? modes[cycle - 1][0]
					: (modes.find(([, p]) => (roll -= p) < 0) ?? modes[0])[0];
			const insertDuringPoll = mode !== 'scheduledPoll' && rng.chance(0.2);
			const record: CycleRecord = {
				cycle,
				mode,
				insertedIds: [],
				startAt: Date.now(),
				killAt: 0,
				inFlightAtKill: 0,
				cycleMs: 0,
			};
			if (!insertDuringPoll && mode !== 'scheduledPoll')
				record.insertedIds.push(...insertBatch(cycle));
			const mark = emulator.log.length;
			child = spawnN8n(instance, logFile);
			record.startAt = Date.now();
			const polled = await waitFor(
				pollTimeoutMs,
				() => (emulator.log.length > mark ? true : undefined),
				20,
			);
			if (polled) {
				record.pollAt = Date.now();
				record.startToPollMs = record.pollAt - record.startAt;
			}
			if (insertDuringPoll) {
				await sleep(rng.int(0, 1500));
				record.insertedIds.push(...insertBatch(cycle));
			}
			// The median poll, from the start of a poll to its execution: a poll that failed and was
			// retried on the next minute tick does not stretch it.
			const typicalPoll = pollDurations.length
				? [...pollDurations].sort((a, b) => a - b)[Math.floor(pollDurations.length / 2)]
				: 2_000;
			if (mode === 'afterEmission' || mode === 'graceful') {
				if (await waitForNewExecution(record.startAt, pollTimeoutMs))
					pollDurations.push(Date.now() - (record.pollAt ?? record.startAt));
				await sleep(rng.int(0, 1500));
			} else if (mode === 'duringPoll') {
				await sleep(rng.int(0, Math.round(typicalPoll * 1.2)));
			} else if (mode === 'atEmit') {
				// Aim at the moment the poll hands its items to n8n: the first quiet gap of a random
				// length after a response, with nothing in flight (often right after the last page).
				const gap = rng.int(0, 120);
				await waitFor(
					30_000,
					async () => {
						if (inFlight(mark) > 0) return undefined;
						const size = emulator.log.length;
						await sleep(gap);
						return emulator.log.length === size && inFlight(mark) === 0 ? true : undefined;
					},
					2,
				);
			} else {
				// A scheduled (minute) poll: let the activation poll finish, insert, wait for the next
				// poll to begin, kill at a random moment of it or after it.
				await waitFor(60_000, () =>
					accountsPolls(mark) > 0 && inFlight(mark) === 0 ? true : undefined,
				);
				await sleep(1_000);
				record.insertedIds.push(...insertBatch(cycle));
				const before = accountsPolls(mark);
				await waitFor(90_000, () => (accountsPolls(mark) > before ? true : undefined), 20);
				await sleep(rng.int(0, Math.round(typicalPoll * 2)));
			}
			record.inFlightAtKill = inFlight(mark);
			record.killAt = Date.now();
			if (emulator.log.length > mark)
				record.sinceLastRequestMs =
					record.killAt - Date.parse(emulator.log[emulator.log.length - 1].at);
			await kill(mode === 'graceful' ? 'SIGTERM' : 'SIGKILL');
			record.cycleMs = Date.now() - record.startAt;
			cycles.push(record);
			log(
				`cycle ${cycle}/${options.cycles}: ${mode}, inserted ${record.insertedIds.length}, poll began ${record.startToPollMs ?? '-'} ms after start, ` +
					`killed ${record.killAt - (record.pollAt ?? record.startAt)} ms after it (${record.inFlightAtKill} requests in flight), cycle ${Math.round(record.cycleMs / 1000)} s`,
			);
		}

		// Final clean start: polls until everything inserted was emitted, then one more poll.
		const finalMark = emulator.log.length;
		child = spawnN8n(instance, logFile);
		if (!(await waitFor(180_000, async () => ((await api.ready()) ? true : undefined), 250)))
			throw new Error(`n8n did not start:\n${tail(readFileSync(logFile, 'utf8'))}`);
		const emittedIds = async () =>
			(await api.executions(true)).flatMap((execution) =>
				triggerItems(execution).map((item) => String(item.id)),
			);
		await waitFor(
			240_000,
			async () => {
				const emitted = new Set(await emittedIds());
				return [...expected.keys()].every((id) => emitted.has(id)) ? true : undefined;
			},
			5_000,
		);
		const polls = accountsPolls(finalMark);
		await waitFor(
			pollTimeoutMs,
			() => (accountsPolls(finalMark) > polls && inFlight(finalMark) === 0 ? true : undefined),
			250,
		);
		await sleep(3_000);
		const executions = await api.executions(true);
		await kill('SIGTERM');
		return summarize(options, emulator, cycles, expected, executions, started);
	} finally {
		await kill('SIGKILL');
		await emulator.close();
		if (process.env.PONTO_CHAOS_KEEP !== 'true') instance.dispose();
		else log(`n8n user folder kept: ${instance.userFolder}`);
	}
}

function summarize(
	options: PollChaosOptions,
	emulator: Emulator,
	cycles: CycleRecord[],
	expected: Map<string, number>,
	executions: PublicExecution[],
	started: number,
): PollChaosReport {
	const byId = new Map<string, string[]>();
	const executionsByStatus: Record<string, number> = {};
	for (const execution of executions) {
		count(executionsByStatus, execution.status ?? 'unknown');
		for (const item of triggerItems(execution)) {
			const id = String(item.id);
			byId.set(id, [...(byId.get(id) ?? []), `${execution.id}(${execution.status})`]);
		}
	}
	for (const record of cycles) {
		if (record.mode === 'graceful') record.klass = 'graceful';
		else if (!record.pollAt) record.klass = 'beforePoll';
		else if (record.inFlightAtKill > 0) record.klass = 'duringPollRequestsInFlight';
		else {
			const emittedBefore = executions.some(
				(execution) =>
					createdAt(execution) >= record.startAt && createdAt(execution) <= record.killAt,
			);
			if (emittedBefore) record.klass = 'afterEmission';
			else
				record.klass =
					(record.sinceLastRequestMs ?? Infinity) <= POLL_QUIET_MS
						? 'duringPollBeforeExecution'
						: 'idleBeforeEmission';
		}
	}
	const cycleOf = new Map(cycles.map((record) => [record.cycle, record]));
	const duplicates = [...byId]
		.filter(([, where]) => where.length > 1)
		.map(([id, where]) => ({ id, times: where.length, executions: where }));
	const lost = [...expected]
		.filter(([id]) => !byId.has(id))
		.map(([id, cycle]) => {
			const record = cycleOf.get(cycle);
			return {
				id,
				cycle,
				context: record
					? `${record.mode}/${record.klass}, killed ${record.killAt - (record.pollAt ?? record.startAt)} ms after the poll began`
					: '',
			};
		});
	const unexpected = [...byId.keys()].filter((id) => !expected.has(id));
	const kills: Record<string, number> = {};
	const killModes: Record<string, number> = {};
	for (const record of cycles) {
		count(kills, record.klass ?? 'unknown');
		count(killModes, record.mode);
	}
	const faults: Record<string, number> = {};
	let tokenRequests = 0;
	let unauthorized = 0;
	for (const entry of emulator.log) {
		if (entry.fault) count(faults, entry.fault);
		if (entry.path.endsWith('/oauth2/token')) tokenRequests++;
		if (entry.status === 401) unauthorized++;
	}
	const cyclesMs = cycles.reduce((sum, record) => sum + record.cycleMs, 0);
	const toPoll = cycles.filter((record) => record.startToPollMs !== undefined);
	const totalMs = Date.now() - started;
	const duringPoll =
		(kills.duringPollRequestsInFlight ?? 0) + (kills.duringPollBeforeExecution ?? 0);
	const report: PollChaosReport = {
		seed: options.seed,
		cycles: cycles.length,
		durableCursors: options.durableCursors,
		inserted: expected.size,
		emitted: [...byId.values()].reduce((sum, where) => sum + where.length, 0),
		duplicates,
		lost,
		unexpected,
		kills,
		killModes,
		faults,
		requests: emulator.log.length,
		tokenRequests,
		unauthorized,
		executions: executionsByStatus,
		totalMs,
		cyclesMs,
		meanCycleMs: cycles.length ? Math.round(cyclesMs / cycles.length) : 0,
		meanStartToPollMs: toPoll.length
			? Math.round(
					toPoll.reduce((sum, record) => sum + (record.startToPollMs ?? 0), 0) / toPoll.length,
				)
			: 0,
		summary: '',
	};
	report.summary = [
		`poll chaos (seed ${report.seed}, Ponto Trigger v${options.nodeVersion}, ${options.durableCursors ? 'durable poll cursors' : 'default n8n settings'}): ${report.cycles} cycles, ${options.accounts} accounts`,
		`kills: ${duringPoll} during a poll (${kills.duringPollRequestsInFlight ?? 0} with requests in flight, ${kills.duringPollBeforeExecution ?? 0} after its requests, before its execution was stored), ` +
			`${(kills.afterEmission ?? 0) + (kills.idleBeforeEmission ?? 0) + (kills.beforePoll ?? 0)} kill -9 between polls (${kills.afterEmission ?? 0} after the emission was stored, ` +
			`${kills.idleBeforeEmission ?? 0} idle before it, ${kills.beforePoll ?? 0} before any request), ${kills.graceful ?? 0} graceful restarts; modes ${JSON.stringify(killModes)}`,
		`inserted ${report.inserted} booked transactions; emitted ${report.emitted} items; duplicates ${duplicates.length}; lost ${lost.length}; unexpected ${unexpected.length}; ` +
			`${[...byId.values()].filter((where) => where.every((entry) => entry.endsWith('(crashed)'))).length} only in executions n8n recorded as crashed (killed while the workflow ran; n8n keeps their input)`,
		`requests ${report.requests} (token ${tokenRequests}, 401 ${unauthorized}); faults ${JSON.stringify(faults)}`,
		`executions ${executions.length} ${JSON.stringify(executionsByStatus)}`,
		`duration ${Math.round(totalMs / 1000)} s total, ${Math.round(report.meanCycleMs / 100) / 10} s per cycle, n8n start to first poll request ${Math.round(report.meanStartToPollMs / 100) / 10} s on average`,
		...duplicates
			.slice(0, 10)
			.map((duplicate) => `  duplicate ${duplicate.id}: ${duplicate.executions.join(', ')}`),
		...lost.slice(0, 10).map((loss) => `  lost ${loss.id} (cycle ${loss.cycle}: ${loss.context})`),
	].join('\n');
	return report;
}

export interface InsertFaultOptions {
	durableCursors: boolean;
	/** The Ponto Trigger's version: 1 (n8n polling node, default) or 2 (deduplication keys). */
	nodeVersion?: 1 | 2;
	/** kill -9 n8n (and start it again) while the fault is still on. */
	killBeforeFaultRemoved: boolean;
	bookings: number;
	log: (line: string) => void;
}

export interface InsertFaultReport {
	inserted: string[];
	/** Executions (id, status) per inserted booking id. */
	executionsById: Record<string, string[]>;
	lost: string[];
	duplicates: string[];
	/** Polls that read transactions while the fault was on. */
	pollsUnderFault: number;
	/** n8n log lines that mention the injected fault. */
	faultLogLines: number;
	summary: string;
}

const FAULT_TRIGGER = 'ponto_e2e_insert_fault';

/** sqlite3 on n8n's database while n8n runs (it waits for n8n's write lock up to 30 s). */
async function sqlite(database: string, sql: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const child = spawn('sqlite3', ['-cmd', '.timeout 30000', database, sql], {
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.once('error', reject);
		child.once('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`sqlite3 exited ${code}: ${stderr}`)),
		);
	});
}

/**
 * Issue 14's deterministic fault: a database trigger makes every insert into execution_entity
 * fail (n8n 2.41 then only logs it), bookings arrive, polls run under the fault (and, if asked,
 * n8n is killed -9 and started again while it is still on), the fault is removed, and polls
 * run until every booking is in an execution. Each must be in exactly one.
 */
export async function runInsertFault(options: InsertFaultOptions): Promise<InsertFaultReport> {
	const { log } = options;
	const started = Date.now();
	const install = await provisionN8n(2);
	const emulator: Emulator = await startEmulator({
		dataset: generateDataset({
			seed: 1414,
			accounts: Array.from({ length: 3 }, () => ({ transactions: 30, historyDays: 60 })),
		}),
	});
	const instance = await N8nInstance.create(install, await packPackage());
	Object.assign(instance.env, ownerEnvironment(install), chaosEnvironment(options.durableCursors));
	const logFile = join(instance.userFolder, 'n8n.log');
	const database = join(instance.userFolder, '.n8n', 'database.sqlite');
	const api = new Api(instance.url);
	let child: ChildProcess | undefined;
	const accounts = emulator.dataset.accounts.map((account) => account.id);
	const transactionReads = (from: number) =>
		emulator.log
			.slice(from)
			.filter(
				(entry) =>
					entry.method === 'GET' && /\/transactions$/.test(entry.path) && entry.status === 200,
			).length;
	const accountsPolls = (from: number) =>
		emulator.log
			.slice(from)
			.filter((entry) => entry.method === 'GET' && entry.path === '/accounts' && entry.status !== 0)
			.length;
	const start = async (): Promise<void> => {
		child = spawnN8n(instance, logFile);
		if (!(await waitFor(240_000, async () => ((await api.ready()) ? true : undefined), 250)))
			throw new Error(`n8n did not start:\n${tail(readFileSync(logFile, 'utf8'))}`);
	};
	const kill = async (signal: NodeJS.Signals): Promise<void> => {
		if (!child) return;
		killGroup(child.pid, signal);
		if (!(await exited(child, 30_000))) {
			killGroup(child.pid, 'SIGKILL');
			await exited(child, 10_000);
		}
		child = undefined;
	};
	/** Waits for `count` more polls to begin and end (the account list read, nothing in flight). */
	const polls = async (count: number): Promise<void> => {
		const mark = emulator.log.length;
		const ok = await waitFor(
			count * 150_000,
			() =>
				accountsPolls(mark) >= count &&
				emulator.log.slice(mark).every((entry) => entry.status !== 0)
					? true
					: undefined,
			250,
		);
		if (!ok) throw new Error(`fewer than ${count} polls within ${count * 150} s`);
		await sleep(3_000);
	};
	const inserted: string[] = [];
	try {
		await instance.importCredentials(
			fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
		);
		await instance.importWorkflows([
			withTriggerVersion(
				fixture<Record<string, unknown>>('test/e2e/workflows/poll-chaos.json'),
				options.nodeVersion ?? 1,
			),
		]);
		await instance.cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
		await start();
		// Watching: the first poll, and one more so a durable cursor is committed.
		await polls(2);
		log(`n8n up and watching after ${Math.round((Date.now() - started) / 1000)} s`);
		await sqlite(
			database,
			`CREATE TRIGGER ${FAULT_TRIGGER} BEFORE INSERT ON execution_entity BEGIN SELECT RAISE(ABORT, 'ponto e2e injected fault'); END;`,
		);
		for (let i = 0; i < options.bookings; i++) {
			const executionDate = `${new Date(Date.now() - (i % 2 ? 40 : 0) * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`;
			const [added] = emulator.addTransactions(accounts[i % accounts.length], [
				{
					amount: 10 + i,
					executionDate,
					valueDate: executionDate,
					remittanceInformation: `insert fault #${i}`,
				},
			]);
			inserted.push(added.id);
		}
		const faultMark = emulator.log.length;
		// Version 2 emits a batch n8n did not store again at the next poll before it reads Ponto
		// again, so under the fault its polls show as failed inserts in n8n's log, not reads.
		const faultLines = () =>
			readFileSync(logFile, 'utf8')
				.split('\n')
				.filter((line) => line.includes('ponto e2e injected fault')).length;
		const underFault = async (count: number): Promise<void> => {
			if (options.nodeVersion !== 2) return await polls(count);
			const mark = faultLines();
			if (
				!(await waitFor(
					count * 150_000,
					() => (faultLines() >= mark + count ? true : undefined),
					500,
				))
			)
				throw new Error(`fewer than ${count} failed inserts within ${count * 150} s`);
			await sleep(3_000);
		};
		await underFault(2);
		if (options.killBeforeFaultRemoved) {
			await kill('SIGKILL');
			log('killed -9 under the fault; starting again, fault still on');
			await start();
			await underFault(1);
		}
		const pollsUnderFault = emulator.log
			.slice(faultMark)
			.filter((entry) => entry.method === 'GET' && entry.path === '/accounts').length;
		await sqlite(database, `DROP TRIGGER ${FAULT_TRIGGER};`);
		log(
			`fault removed after ${pollsUnderFault} polls under it (${transactionReads(faultMark)} transaction reads)`,
		);
		const emittedIds = async () =>
			(await api.executions(true)).flatMap((execution) =>
				triggerItems(execution).map((item) => String(item.id)),
			);
		await waitFor(
			4 * 150_000,
			async () => {
				const emitted = new Set(await emittedIds());
				return inserted.every((id) => emitted.has(id)) ? true : undefined;
			},
			5_000,
		);
		await polls(1);
		const executions = await api.executions(true);
		await kill('SIGTERM');
		const executionsById: Record<string, string[]> = {};
		for (const execution of executions) {
			for (const item of triggerItems(execution))
				(executionsById[String(item.id)] ??= []).push(`${execution.id}(${execution.status})`);
		}
		const lost = inserted.filter((id) => !executionsById[id]);
		const duplicates = inserted.filter((id) => (executionsById[id]?.length ?? 0) > 1);
		const faultLogLines = faultLines();
		const summary =
			`insert fault (Ponto Trigger v${options.nodeVersion ?? 1}, ${options.durableCursors ? 'durable cursors' : 'n8n defaults'}, ${options.killBeforeFaultRemoved ? 'kill -9 before the fault is removed' : 'no kill'}): ` +
			`${inserted.length} booked, ${inserted.length - lost.length} in an execution, ${lost.length} lost, ${duplicates.length} in two or more; ` +
			`${pollsUnderFault} polls under the fault, ${faultLogLines} n8n log lines naming it, ${executions.length} executions, ${Math.round((Date.now() - started) / 1000)} s`;
		return { inserted, executionsById, lost, duplicates, pollsUnderFault, faultLogLines, summary };
	} finally {
		await kill('SIGKILL');
		await emulator.close();
		if (process.env.PONTO_CHAOS_KEEP !== 'true') instance.dispose();
		else log(`n8n user folder kept: ${instance.userFolder}`);
	}
}
