import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { generateDataset, startEmulator } from '../emulator';
import type { ConnectEmulator } from '../emulator';
import { generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';
import type { ImportedCredential } from './support/n8n';
import { fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import { startQueueCluster, triggerWebhook, waitForExecutions } from './support/queue';
import type { QueueCluster, QueueExecution } from './support/queue';

/**
 * Ponto Connect refresh-token rotation across processes (issue 8, docs/token-rotation.md).
 * n8n in queue mode (main + 2 workers, PostgreSQL, Redis); a webhook workflow reads through the
 * Connect credential. Waves of simultaneous executions run on both workers while every access
 * token dies at once (emulator.expireAllTokens) and again naturally (3 s lifetime), so both
 * workers refresh with the same stored refresh token at the same moment. Counted per reading of
 * the unconfirmed reuse rule (docs/ponto-api.md open question 3): executions, refresh calls,
 * refresh-token reuse refusals at the emulator, executions failed by them, and lost rotations (a
 * probe run after the wave cannot refresh any more: the user would have to relink).
 * Waves per reading: PONTO_TOKEN_WAVES, else 4 when CI=true (3 to 4 minutes in all here, within
 * the 6 allotted to this file in .ci/run), else 12 (the size of the figures in
 * docs/token-rotation.md, 5.5 minutes here); a reading that saw no reuse yet gets up to as many
 * waves again. Figures: stdout and <tmpdir>/ponto-queue-tokens-figures.json.
 */
const WORKFLOW_ID = 'queueTokens0001';
const WEBHOOK_PATH = 'ponto-queue-tokens';
const CREDENTIAL_ID = 'pontoQueueTok01';
const TOKEN_PATH = '/ponto-connect/oauth2/token';
const WORKERS = 2;
const CONCURRENCY = 4;
const RUNS_PER_WAVE = WORKERS * CONCURRENCY;
const WAVES = wavesPerReading(process.env.PONTO_TOKEN_WAVES, process.env.CI === 'true');
const CLIENT_SECRET = 'test-connect-client-secret';
const RELINK_MESSAGE = /no longer valid \(invalid_grant\)/;
/** A request whose access token died with a revoked grant (HTTP 401 after the refresh). */
const REJECTED_MESSAGE = /^Ponto rejected the credentials/;

function wavesPerReading(setting: string | undefined, ci: boolean): number {
	if (setting === undefined || setting === '') return ci ? 4 : 12;
	const waves = Number(setting);
	if (!Number.isInteger(waves) || waves < 1)
		throw new Error(`PONTO_TOKEN_WAVES must be a whole number of at least 1, not "${setting}"`);
	return waves;
}

type Reading = 'reuse-fails' | 'reuse-revokes-grant';

interface PhaseFigures {
	reading: Reading;
	waves: number;
	executions: number;
	succeeded: number;
	failed: number;
	/** Failed with the node's relink error (the refresh was refused with invalid_grant). */
	failedInvalidGrant: number;
	/** Failed with 401 "Ponto rejected the credentials": the grant was revoked under the request. */
	failedRejected: number;
	otherFailures: string[];
	/** POST /oauth2/token during the waves and probes. */
	tokenCalls: number;
	tokenRefused: number;
	/** Rotated refresh tokens presented again (the emulator's refreshReuseCount). */
	reuseRefusals: number;
	/** Grants the emulator revoked because a rotated refresh token was presented again. */
	grantsRevokedByReuse: number;
	/** Waves after which the stored credential could not refresh any more. */
	lostRotations: number;
	/** Of those, the ones whose grant was still active after the wave: a worker stored a dead refresh token. */
	lostWithLiveGrant: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Ponto Connect token rotation in queue mode (2 workers)', () => {
	let pki: TestPki;
	let emulator: ConnectEmulator;
	let cluster: QueueCluster;
	let tarball: string | undefined;
	const figures: PhaseFigures[] = [];
	/** Every token value this test saw (seeded, current at the emulator, stored by n8n): never in a log. */
	const seenSecrets = new Set<string>([CLIENT_SECRET]);

	const credential = (tokens: {
		accessToken: string;
		refreshToken?: string;
	}): ImportedCredential => ({
		id: CREDENTIAL_ID,
		name: 'Ponto Connect (queue tokens)',
		type: 'pontoConnectOAuth2Api',
		data: {
			environment: 'sandbox',
			baseUrl: emulator.url,
			authorizationUrl: emulator.authorizationUrl,
			clientId: 'test-connect-client-id',
			clientSecret: CLIENT_SECRET,
			redirectUri: 'http://127.0.0.1/callback',
			certificate: pki.client.cert,
			privateKey: pki.client.encryptedKey,
			passphrase: pki.client.passphrase,
			ca: pki.ca.cert,
			accessToken: tokens.accessToken,
			refreshToken: tokens.refreshToken ?? '',
		},
	});

	/** What a relink amounts to: a new grant, its tokens stored in the credential. */
	const relink = async (): Promise<string> => {
		const seeded = emulator.connect.seedGrant();
		seenSecrets.add(seeded.accessToken);
		if (seeded.refreshToken) seenSecrets.add(seeded.refreshToken);
		await cluster.importCredentials([credential(seeded)]);
		return seeded.grantId;
	};

	const executionIds = async () =>
		new Set(
			(await cluster.executions(WORKFLOW_ID, { includeData: false })).map(
				(execution) => execution.id,
			),
		);
	const errorMessage = async (execution: QueueExecution): Promise<string> => {
		const full = await cluster.api<QueueExecution>(
			'GET',
			`/executions/${execution.id}?includeData=true`,
		);
		return full.data?.resultData.error?.message ?? `(status ${execution.status}, no error message)`;
	};
	const reuseCount = () =>
		emulator.connect.grants.reduce((sum, grant) => sum + grant.refreshReuseCount, 0);
	const rememberCurrent = () => {
		for (const grant of emulator.connect.grants) {
			const token = emulator.connect.currentRefreshToken(grant.id);
			if (token) seenSecrets.add(token);
		}
	};

	beforeAll(async () => {
		pki = await generateTestPki();
		const install = await provisionN8n(2);
		tarball = await packPackage();
		emulator = (await startEmulator({
			dataset: generateDataset({
				seed: 808,
				accounts: [{ transactions: 120 }, { transactions: 110 }, { transactions: 30 }],
			}),
			tokenLifetimeSeconds: 3,
			latencyMs: 25,
			jitterMs: 40,
			connect: { tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert } },
		})) as ConnectEmulator;
		seenSecrets.add(pki.client.passphrase);
		const seeded = emulator.connect.seedGrant();
		seenSecrets.add(seeded.accessToken);
		if (seeded.refreshToken) seenSecrets.add(seeded.refreshToken);
		cluster = await startQueueCluster({
			install,
			tarball,
			workers: WORKERS,
			concurrency: CONCURRENCY,
			credentials: [credential(seeded)],
			workflows: [fixture<Record<string, unknown>>('test/e2e/workflows/queue-tokens.json')],
			activate: [WORKFLOW_ID],
			log: (line) => process.stdout.write(`${line}\n`),
		});
	}, 45 * 60_000);

	afterAll(async () => {
		if (figures.length) {
			const file = join(tmpdir(), 'ponto-queue-tokens-figures.json');
			writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
			process.stdout.write(
				`queue token rotation figures (${file}):\n${figures.map((phase) => `  ${JSON.stringify(phase)}`).join('\n')}\n`,
			);
		}
		await cluster?.stop();
		await emulator?.close();
		if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
	}, 120_000);

	/** One reading of the reuse rule: WAVES waves (more until a reuse), each followed by a probe; relinks after a loss. */
	const runPhase = async (reading: Reading): Promise<PhaseFigures> => {
		emulator.connect.setOptions({ revokeGrantOnRefreshReuse: reading === 'reuse-revokes-grant' });
		const grantsBefore = new Set(emulator.connect.grants.map((grant) => grant.id));
		let grantId = await relink();
		const phase: PhaseFigures = {
			reading,
			waves: 0,
			executions: 0,
			succeeded: 0,
			failed: 0,
			failedInvalidGrant: 0,
			failedRejected: 0,
			otherFailures: [],
			tokenCalls: 0,
			tokenRefused: 0,
			reuseRefusals: 0,
			grantsRevokedByReuse: 0,
			lostRotations: 0,
			lostWithLiveGrant: 0,
		};
		const logStart = emulator.log.length;
		const reuseStart = reuseCount();
		// A phase without a single reuse would prove nothing: up to WAVES more waves until one.
		for (let wave = 0; wave < WAVES || (reuseCount() === reuseStart && wave < 2 * WAVES); wave++) {
			phase.waves++;
			let before = await executionIds();
			const fired = Promise.all(
				Array.from({ length: RUNS_PER_WAVE }, (_, run) =>
					triggerWebhook(cluster, WEBHOOK_PATH, { wave, run }),
				),
			);
			// Every access token dies while the wave is in flight on both workers.
			await sleep(200 + Math.floor(Math.random() * 500));
			emulator.expireAllTokens();
			await fired;
			const executions = await waitForExecutions(cluster, WORKFLOW_ID, RUNS_PER_WAVE, {
				before,
				includeData: false,
				timeoutMs: 240_000,
			});
			for (const execution of executions) {
				phase.executions++;
				if (execution.status === 'success') {
					phase.succeeded++;
					continue;
				}
				phase.failed++;
				const message = await errorMessage(execution);
				if (RELINK_MESSAGE.test(message)) phase.failedInvalidGrant++;
				else if (REJECTED_MESSAGE.test(message)) phase.failedRejected++;
				else phase.otherFailures.push(message.slice(0, 200));
			}
			rememberCurrent();

			// The probe: one lone execution that must refresh. If it cannot, the rotation is lost.
			const grantAlive =
				emulator.connect.grants.find((grant) => grant.id === grantId)?.status === 'active';
			before = await executionIds();
			emulator.expireAllTokens();
			await triggerWebhook(cluster, WEBHOOK_PATH, { wave, probe: true });
			const [probe] = await waitForExecutions(cluster, WORKFLOW_ID, 1, {
				before,
				includeData: false,
				timeoutMs: 120_000,
			});
			rememberCurrent();
			if (probe.status !== 'success') {
				const message = await errorMessage(probe);
				expect(message).toMatch(RELINK_MESSAGE);
				phase.lostRotations++;
				if (grantAlive) phase.lostWithLiveGrant++;
				grantId = await relink();
			}
		}
		// After the last wave (and its relink, if it lost the rotation) the credential works.
		const before = await executionIds();
		emulator.expireAllTokens();
		await triggerWebhook(cluster, WEBHOOK_PATH, { final: true });
		const [last] = await waitForExecutions(cluster, WORKFLOW_ID, 1, {
			before,
			includeData: false,
			timeoutMs: 120_000,
		});
		rememberCurrent();
		expect(last.status).toBe('success');

		const tokenEntries = emulator.log.slice(logStart).filter((entry) => entry.path === TOKEN_PATH);
		phase.tokenCalls = tokenEntries.length;
		phase.tokenRefused = tokenEntries.filter((entry) => entry.status === 400).length;
		phase.reuseRefusals = reuseCount() - reuseStart;
		phase.grantsRevokedByReuse = emulator.connect.grants.filter(
			(grant) => !grantsBefore.has(grant.id) && grant.revokedBy === 'refreshReuse',
		).length;
		figures.push(phase);
		process.stdout.write(`${JSON.stringify(phase)}\n`);
		return phase;
	};

	test(
		'Ponto invalidates only the reused refresh token: no execution fails, no rotation is lost',
		async () => {
			const phase = await runPhase('reuse-fails');
			expect(phase.executions).toBe(phase.waves * RUNS_PER_WAVE);
			expect(phase.otherFailures).toEqual([]);
			// The race itself happened: a worker presented a refresh token another one had rotated...
			expect(phase.reuseRefusals).toBeGreaterThan(0);
			expect(phase.grantsRevokedByReuse).toBe(0);
			// ...but the loser re-read the credential the winner stored and retried: nothing failed,
			// nothing was lost (without the re-read, executions fail: docs/token-rotation.md).
			expect(phase.failedInvalidGrant + phase.failedRejected).toBe(0);
			expect(phase.lostRotations).toBe(0);

			// n8n stored the live refresh token of the grant.
			const stored = await (await cluster.cliInstance()).exportCredential(CREDENTIAL_ID);
			seenSecrets.add(String(stored.data.refreshToken));
			seenSecrets.add(String(stored.data.accessToken));
			expect(stored.data.refreshToken).toBe(emulator.connect.currentRefreshToken());
		},
		30 * 60_000,
	);

	test(
		'Ponto revokes the whole grant on reuse (OAuth2 best practice): measured, the node says to relink',
		async () => {
			const phase = await runPhase('reuse-revokes-grant');
			expect(phase.executions).toBe(phase.waves * RUNS_PER_WAVE);
			expect(phase.otherFailures).toEqual([]);
			// The loss rate is the remaining risk (docs/token-rotation.md), not asserted. What holds: a
			// rotation is lost only through a grant Ponto revoked for a reused refresh token (never
			// because a worker stored stale tokens), every such revocation is a loss the node reports
			// as "relink" (the probes checked the message), and a relink recovers (the final run).
			expect(phase.lostRotations).toBe(phase.grantsRevokedByReuse);
			expect(phase.lostWithLiveGrant).toBe(0);
		},
		30 * 60_000,
	);

	test(
		'no token, client secret or passphrase in any n8n log or execution error',
		async () => {
			rememberCurrent();
			const logs = readdirSync(join(cluster.dir, 'logs')).map((name) =>
				join(cluster.dir, 'logs', name),
			);
			const secrets = [...seenSecrets].filter((secret) => secret.length >= 12);
			expect(secrets.length).toBeGreaterThan(10);
			const hits: string[] = [];
			for (const file of logs) {
				const text = readFileSync(file, 'utf8');
				for (const secret of secrets)
					if (text.includes(secret)) hits.push(`${file}: ${secret.slice(0, 4)}…`);
			}
			const failed = await cluster.executions(WORKFLOW_ID, { includeData: false, status: 'error' });
			for (const execution of failed.slice(0, 50)) {
				const full = JSON.stringify(
					await cluster.api('GET', `/executions/${execution.id}?includeData=true`),
				);
				for (const secret of secrets)
					if (full.includes(secret)) hits.push(`execution ${execution.id}: ${secret.slice(0, 4)}…`);
			}
			expect(hits).toEqual([]);
		},
		10 * 60_000,
	);
});
