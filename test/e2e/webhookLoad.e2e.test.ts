import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator } from '../emulator';
import type { ConnectEmulator } from '../emulator';
import { connectEmulatorOptions, generateTestPki } from '../support/pki';
import { N8nInstance } from './support/n8n';
import { connectCredentialsFixture, fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import { findQueueServices, postgresEnvironment, startPostgres } from './support/queue';
import type { PostgresServer } from './support/queue';
import { executionItems, ownerEnvironment, RunningN8n } from './support/server';
import {
	countBy,
	fireDeliveries,
	hasEnded,
	listExecutions,
	percentile,
	planDeliveries,
	REFUSED_KINDS,
	startProbe,
} from './support/webhookLoad';
import type { RecordedExecution } from './support/webhookLoad';

/**
 * Issue 8 "Reliability": the Ponto Connect Trigger's endpoint in a real n8n 2.x under load.
 * 2,000 validly signed, distinct events (300 in CI; PONTO_WEBHOOK_LOAD=<n> sets it) mixed with
 * about 15 % forgeries and replays, 100 requests in flight: every valid event starts exactly one
 * execution, every forgery gets the trigger's 401 and starts none, a replayed token starts no
 * second one, and n8n keeps answering its health and API endpoints meanwhile. The bounds are
 * loose on purpose (speed belongs to the bench); the figures are printed.
 */
const WORKFLOW_ID = 'e2eWebhookLoad1';
const WEBHOOK_ID = '3c9e7b14-8d2a-4f61-b0c5-71e4a9d2f803';
const TRIGGER_NODE = 'Ponto event';
const CONCURRENCY = 100;
/** Valid events: PONTO_WEBHOOK_LOAD=<n>, else 2,000, or 300 in CI (CI=true): at 2,000 the file took 9 minutes on a busy 2-core machine, CI allows it 8. */
const VALID = Number(process.env.PONTO_WEBHOOK_LOAD ?? (process.env.CI === 'true' ? 300 : 2000));
/** Per refused kind (13) and for replays: about 15 % of the valid count, at least 2 each. */
const PER_KIND = Math.max(2, Math.round((VALID * 0.15) / (REFUSED_KINDS.length + 1)));
/**
 * Responsiveness: /healthz (n8n's event loop) is probed every 200 ms and must always answer
 * 200 within 5 s. The public API reads the database, where it waits in line behind the executions
 * being written: probed every 5 s, it must always answer 200, within 2 minutes.
 */
const HEALTH_PROBE = { everyMs: 200, maxMs: 5_000 };
const API_PROBE = { everyMs: 5_000, maxMs: 2 * 60_000 };
const EXECUTIONS_TIMEOUT_MS = 6 * 60_000;
/** The deliveries, then the wait for executions: a second per delivery is ample even on a busy machine. */
const TEST_TIMEOUT_MS =
	EXECUTIONS_TIMEOUT_MS + 60_000 + (VALID + PER_KIND * (REFUSED_KINDS.length + 1)) * 1_000;

/** n8n's log survives the throw-away user folder here, for the refusal reasons and any error. */
const logCopy = join(tmpdir(), 'ponto-webhook-load-n8n.log');

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

describe('Ponto Connect Trigger under webhook load in a running n8n 2.x', () => {
	let connect: ConnectEmulator;
	let n8n: RunningN8n;
	let apiKey: string;
	let foreignPrivateKey: string;
	let n8nVersion: string;
	let postgres: PostgresServer | undefined;
	const postgresDir = mkdtempSync(join(tmpdir(), 'ponto-webhook-load-'));

	beforeAll(async () => {
		if (!Number.isInteger(VALID) || VALID < 15)
			throw new Error(
				`PONTO_WEBHOOK_LOAD must be an integer >= 15 (one event of each type), got ${process.env.PONTO_WEBHOOK_LOAD}`,
			);
		const install = await provisionN8n(2);
		n8nVersion = install.version;
		const pki = await generateTestPki();
		foreignPrivateKey = pki.webhook2.privateKey;
		connect = (await startEmulator({
			connect: connectEmulatorOptions(pki),
		})) as ConnectEmulator;
		mkdirSync(join(postgresDir, 'logs'));
		postgres = await startPostgres(await findQueueServices(), postgresDir);
		const instance = await N8nInstance.create(install, await packPackage());
		delete instance.env.DB_SQLITE_POOL_SIZE;
		Object.assign(instance.env, ownerEnvironment(install), {
			// PostgreSQL, as n8n recommends for production: on SQLite n8n serialises every write
			// behind one lock that gives up after a fixed 60 s, and at 100 concurrent deliveries on
			// a busy 2-core machine n8n failed some 2-7 % of them (500, or an execution in error).
			...postgresEnvironment(postgres),
			DB_POSTGRESDB_POOL_SIZE: '10',
			// The 2.41 defaults, stated so the test does not depend on them: every execution kept
			// with its data, no pruning during the run, no production concurrency limit.
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_PRUNE: 'false',
			N8N_CONCURRENCY_PRODUCTION_LIMIT: '-1',
			// n8n pings its database every 2 s and answers every request 503 "Database is not
			// ready!" after a ping took over 5 s; under this load the ping can wait in line for a
			// connection that long although nothing is wrong.
			DB_PING_TIMEOUT_MS: '60000',
		});
		await instance.importCredentials(connectCredentialsFixture(connect, pki));
		await instance.importWorkflows([
			fixture<Record<string, unknown>>('test/e2e/workflows/webhook-load.json'),
		]);
		await instance.cli([`publish:workflow`, `--id=${WORKFLOW_ID}`]);
		n8n = await RunningN8n.start(instance, join(instance.userFolder, 'n8n.log'));
		apiKey = await n8n.publicApiKey();
	}, 45 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		if (n8n) copyFileSync(join(n8n.instance.userFolder, 'n8n.log'), logCopy);
		n8n?.instance.dispose();
		await postgres?.process.stop('SIGINT', 10_000);
		rmSync(postgresDir, { recursive: true, force: true });
		await connect?.close();
	});

	test(
		`${VALID} signed events and ${PER_KIND * (REFUSED_KINDS.length + 1)} forgeries/replays at ${CONCURRENCY} concurrent: one execution per event, none per forgery, n8n responsive`,
		async () => {
			const base = n8n.instance.url;
			const plan = planDeliveries(VALID, PER_KIND);
			const health = startProbe(`${base}/healthz`, HEALTH_PROBE.everyMs, 30_000);
			const api = startProbe(
				`${base}/api/v1/workflows/${WORKFLOW_ID}`,
				API_PROBE.everyMs,
				API_PROBE.maxMs,
				{ 'X-N8N-API-KEY': apiKey },
			);

			const started = Date.now();
			const results = await fireDeliveries(
				`${base}/webhook/${WEBHOOK_ID}/ponto`,
				plan,
				{ connect: connect.connect, foreignPrivateKey },
				CONCURRENCY,
			);
			const loadMs = Date.now() - started;

			// Executions run after the 200 (responseMode onReceived): wait until n8n recorded them all
			// as ended. Only accepted deliveries can have started one; a shortfall fails below.
			const accepted = results.filter(
				(result) => result.kind === 'valid' && result.status === 200,
			).length;
			const deadline = Date.now() + EXECUTIONS_TIMEOUT_MS;
			while (
				(await listExecutions(base, apiKey, WORKFLOW_ID, false)).filter(hasEnded).length <
					accepted &&
				Date.now() < deadline
			) {
				await new Promise((resolve) => setTimeout(resolve, 1_000));
			}
			// A quiet period: anything extra (a duplicate, a forgery that got through) shows up too.
			await new Promise((resolve) => setTimeout(resolve, 5_000));
			const executions: RecordedExecution[] = await listExecutions(base, apiKey, WORKFLOW_ID, true);
			const recordedMs = Math.max(
				...executions
					.filter(hasEnded)
					.map((execution) => Date.parse(execution.stoppedAt ?? '') - started),
			);
			const [healthSamples, apiSamples] = await Promise.all([health.stop(), api.stop()]);
			const keyFetches = connect.requestsTo(/\/webhooks\/keys$/, 'GET').length;
			const elapsedMs = Date.now() - started;

			const valid = results.filter((result) => result.kind === 'valid');
			const replays = results.filter((result) => result.kind === 'replay');
			const refused = results.filter(
				(result) => result.kind !== 'valid' && result.kind !== 'replay',
			);
			const validLatencies = valid.map((result) => result.ms);
			const emitted = executions.flatMap((execution) =>
				executionItems(execution, TRIGGER_NODE).map((item) => ({ execution, item })),
			);
			const perEvent = countBy(emitted, ({ item }) => String(item.id));
			const validIds = new Set(valid.map((result) => String(result.eventId)));
			const typeOf = new Map(valid.map((result) => [String(result.eventId), result.eventType]));
			const missing = [...validIds].filter((id) => !perEvent[id]);
			const duplicated = Object.entries(perEvent).filter(([, count]) => count > 1);
			const unknown = Object.keys(perEvent).filter((id) => !validIds.has(id));
			const wrongType = emitted.filter(
				({ item }) => typeOf.has(String(item.id)) && item.type !== typeOf.get(String(item.id)),
			);
			const healthMs = healthSamples.map((sample) => sample.ms);
			const apiMs = apiSamples.map((sample) => sample.ms);

			process.stdout.write(
				[
					`webhook load (n8n ${n8nVersion}, PostgreSQL, ${CONCURRENCY} concurrent): ${results.length} deliveries = ${valid.length} valid (${Object.keys(countBy(valid, (r) => r.eventType)).length} event types) + ${refused.length} forged (${REFUSED_KINDS.length} kinds) + ${replays.length} replays`,
					`  load ${seconds(loadMs)} s: ${(results.length / (loadMs / 1000)).toFixed(1)} deliveries/s, ${(valid.length / (loadMs / 1000)).toFixed(1)} valid deliveries/s accepted`,
					`  delivery latency, valid: p50 ${percentile(validLatencies, 50)} ms, p95 ${percentile(validLatencies, 95)} ms, max ${Math.max(...validLatencies)} ms; forged: p50 ${percentile(
						refused.map((r) => r.ms),
						50,
					)} ms, max ${Math.max(...refused.map((r) => r.ms))} ms`,
					`  statuses: valid ${JSON.stringify(countBy(valid, (r) => String(r.status)))}, forged ${JSON.stringify(countBy(refused, (r) => String(r.status)))}, replays ${JSON.stringify(countBy(replays, (r) => String(r.status)))}`,
					`  executions: ${executions.length} (${JSON.stringify(countBy(executions, (e) => String(e.status)))}), the last stored ${seconds(recordedMs)} s after the first delivery left (${seconds(recordedMs - loadMs)} s after the last answer)`,
					`  /healthz every ${HEALTH_PROBE.everyMs} ms: ${healthSamples.length} probes, ${healthSamples.filter((s) => s.status === 200).length} answered 200, p50 ${percentile(healthMs, 50)} ms, p95 ${percentile(healthMs, 95)} ms, max ${Math.max(...healthMs)} ms`,
					`  GET /api/v1/workflows/{id} every ${API_PROBE.everyMs / 1000} s: ${apiSamples.length} probes, ${apiSamples.filter((s) => s.status === 200).length} answered 200, p50 ${percentile(apiMs, 50)} ms, max ${Math.max(...apiMs)} ms`,
					`  signing-key fetches from the emulator: ${keyFetches}`,
					...Object.entries(
						countBy(
							results.filter((r) => r.status !== 200 && r.status !== 401),
							(r) => `${r.kind} ${r.status} ${r.error ?? r.body}`,
						),
					).map(([what, count]) => `  unexpected answer x${count}: ${what}`),
					`  n8n log: ${logCopy}`,
					'',
				].join('\n'),
			);

			// Every valid delivery accepted, every forgery refused with the trigger's 401, replays acknowledged.
			expect(
				valid
					.filter((result) => result.status !== 200)
					.map(({ status, error, eventType }) => ({ status, error, eventType })),
			).toEqual([]);
			expect(
				refused
					.filter((result) => result.status !== 401)
					.map(({ kind, status, error }) => ({ kind, status, error })),
			).toEqual([]);
			expect(
				replays
					.filter((result) => result.status !== 200)
					.map(({ status, error }) => ({ status, error })),
			).toEqual([]);
			// Exactly one successful execution per valid event id, with the event as the trigger's output.
			expect({ missing: missing.length, duplicated, unknown, wrongType: wrongType.length }).toEqual(
				{ missing: 0, duplicated: [], unknown: [], wrongType: 0 },
			);
			expect(executions).toHaveLength(VALID);
			expect(countBy(executions, (execution) => String(execution.status))).toEqual({
				success: VALID,
			});
			expect(
				executions.every((execution) => executionItems(execution, TRIGGER_NODE).length === 1),
			).toBe(true);
			// Responsive throughout: every probe answered, none slow beyond a generous bound.
			expect(
				healthSamples.filter((sample) => sample.status !== 200 || sample.ms > HEALTH_PROBE.maxMs),
			).toEqual([]);
			expect(apiSamples.filter((sample) => sample.status !== 200)).toEqual([]);
			expect((await fetch(`${base}/healthz/readiness`)).status).toBe(200);
			// The keys are cached: one fetch, plus at most one per minute for the unknown-kid forgeries.
			expect(keyFetches).toBeLessThanOrEqual(2 + Math.ceil(elapsedMs / 60_000));
		},
		TEST_TIMEOUT_MS,
	);
});
