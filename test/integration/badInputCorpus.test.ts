import { NodeHelpers } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { PontoConnectOAuth2Api } from '../../credentials/PontoConnectOAuth2Api.credentials';
import { Ponto } from '../../nodes/Ponto/Ponto.node.ts';
import { clearWebhookKeyCache } from '../../nodes/Ponto/transport/webhookKeys';
import { generateDataset, startEmulator } from '../emulator';
import type { ConnectEmulator, Emulator } from '../emulator';
import { N8nHarness, newTriggerStore } from '../harness/n8n';
import { WebhookHarness } from '../harness/webhook';
import {
	ACCEPTED,
	badInputCorpus,
	countByGroup,
	parameterlessOperations,
	usedAcceptances,
} from '../support/badInputCorpus';
import type { BadInputCase } from '../support/badInputCorpus';
import { connectCredentialData } from '../support/connectCredential';
import { connectEmulatorOptions, generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';

/**
 * The generated bad-input corpus (test/support/badInputCorpus.ts): every case ends in a
 * NodeOperationError naming the parameter, with a description, before any request leaves.
 */
const corpus = badInputCorpus();
const ofKind = (kind: BadInputCase['target']['kind']) =>
	corpus
		.filter((entry) => entry.target.kind === kind)
		.map((entry) => [`${entry.group} › ${entry.label}: ${entry.what}`, entry] as const);

let pki: TestPki;
let plain: Emulator;
let connect: ConnectEmulator;
let custom: N8nHarness;
let linked: N8nHarness;

beforeAll(async () => {
	pki = await generateTestPki();
	plain = await startEmulator({
		dataset: generateDataset({ seed: 5, accounts: [{ transactions: 3 }] }),
	});
	connect = (await startEmulator({
		dataset: generateDataset({ seed: 6, accounts: [{ transactions: 3 }] }),
		connect: connectEmulatorOptions(pki, {
			signature: { required: true, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
		}),
	})) as ConnectEmulator;
	custom = new N8nHarness({ baseUrl: plain.url });
	linked = N8nHarness.connect(connectCredential());
});
afterAll(async () => Promise.all([plain?.close(), connect?.close()]));
beforeEach(() => {
	plain.clearLog();
	connect.clearLog();
	clearWebhookKeyCache();
});

/** A linked Connect credential (tokens seeded), so any request would go out at once. */
function connectCredential(change: Record<string, string> = {}): Record<string, unknown> {
	return connectCredentialData(connect, pki, {
		accessToken: 'seeded-access-token',
		refreshToken: 'seeded-refresh-token',
		...change,
	});
}

function expectRefusal(
	error: { name?: string; message?: string; description?: unknown } | undefined,
	entry: BadInputCase,
): void {
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message).toContain(entry.label);
	expect(error?.description).toEqual(expect.stringMatching(/\S/));
}

function expectNoRequest(): void {
	expect(plain.log).toEqual([]);
	expect(connect.log).toEqual([]);
}

describe('The bad-input corpus', () => {
	test('covers every operation and trigger, at least 100 cases', () => {
		const counts = countByGroup(corpus);
		const lines = Object.entries(counts).map(([group, count]) => `  ${group}: ${count}`);
		process.stdout.write(
			`bad-input corpus: ${corpus.length} cases (no parameters: ${parameterlessOperations().join(', ')})\n${lines.join('\n')}\n`,
		);
		expect(corpus.length).toBeGreaterThanOrEqual(100);
		const operations = new Ponto().description.properties.filter(
			(property) => property.name === 'operation',
		);
		for (const operation of operations) {
			const resource = operation.displayOptions?.show?.resource?.[0];
			for (const option of operation.options as Array<{ value: string }>) {
				expect([...Object.keys(counts), ...parameterlessOperations()]).toContain(
					`${String(resource)}.${option.value}`,
				);
			}
		}
		for (const group of [
			'Ponto Trigger',
			'Ponto Connect Trigger',
			'Ponto Connect credential',
			'Ponto credential',
		])
			expect(counts[group]).toBeGreaterThan(0);
		expect([...usedAcceptances()].sort()).toEqual(Object.keys(ACCEPTED).sort());
	});

	test('n8n drops unknown collection keys and collection expressions before the node runs (why neither is a case)', () => {
		const properties = new Ponto().description.properties;
		const node = { typeVersion: 1 };
		const values = {
			resource: 'account',
			operation: 'getAll',
			returnAll: true,
			filters: { bogus: 1 },
			options: '={{ { rawResource: 1 } }}',
		};
		const kept = NodeHelpers.getNodeParameters(properties, values, false, false, node, null);
		expect(kept).toMatchObject({ filters: {}, options: {} });
	});
});

describe('Ponto node: refused before any request', () => {
	test.each(ofKind('node'))('%s', async (_title, entry) => {
		const n8n =
			entry.target.kind === 'node' && entry.target.authentication === 'pontoConnectOAuth2Api'
				? linked
				: custom;
		const run = await n8n.run(entry.parameters);
		expectRefusal(run.error, entry);
		expectNoRequest();
	});
});

describe('Ponto Trigger: a poll refuses before any request', () => {
	test.each(ofKind('poll'))('%s', async (_title, entry) => {
		const result = await custom.poll(entry.parameters, { staticData: {} });
		expectRefusal(result.error as Error & { description?: string }, entry);
		expectNoRequest();
	});
});

describe('Ponto Trigger v2: activation refuses before any request', () => {
	test.each(ofKind('trigger'))('%s', async (_title, entry) => {
		const store = newTriggerStore();
		const active = await custom.activateTrigger(entry.parameters, { staticData: {}, store });
		expectRefusal(active.error as Error & { description?: string }, entry);
		expect(active.schedules).toBe(0);
		expect(store.emits).toEqual([]);
		expectNoRequest();
	});
});

describe('Ponto Connect Trigger: activation refuses, a delivery is answered 500 before any request', () => {
	test.each(ofKind('webhook'))('%s', async (_title, entry) => {
		const harness = new WebhookHarness(connectCredential(), entry.parameters);
		const activation = await harness.lifecycle('checkExists').then(
			() => undefined,
			(error: Error) => error,
		);
		expectRefusal(activation, entry);
		expectNoRequest();
		await harness.start();
		try {
			const delivery = await connect.postWebhook(
				harness.url,
				'pontoConnect.integration.accountRevoked',
			);
			expect(delivery.status).toBe(500);
			expect(harness.logs).toEqual([
				expect.objectContaining({ level: 'error', message: expect.stringContaining(entry.label) }),
			]);
			expectNoRequest();
		} finally {
			await harness.close();
		}
	});
});

/** Fields whose value is secret or key material: never to be echoed. */
const SECRET_FIELDS = new PontoConnectOAuth2Api().properties
	.filter(
		(property: INodeProperties) => property.typeOptions?.password || property.typeOptions?.rows,
	)
	.map((property) => property.name);

function secretFragments(credential: Record<string, unknown>): string[] {
	return SECRET_FIELDS.flatMap((name) => String(credential[name] ?? '').split('\n'))
		.map((line) => line.trim())
		.filter((line) => line.length >= 8 && !line.startsWith('-----'));
}

describe('Credentials: user-typed fields refused before any request, without echoing secrets', () => {
	test.each(ofKind('credential'))('%s', async (_title, entry) => {
		const change = entry.credential!(pki);
		const isConnect =
			entry.target.kind === 'credential' && entry.target.type === 'pontoConnectOAuth2Api';
		const credential = connectCredential(change);
		const n8n = isConnect
			? N8nHarness.connect(credential)
			: new N8nHarness({ baseUrl: change.baseUrl });
		const rejections = connect.connect.tlsRejections.length;
		const run = await n8n.run(entry.parameters);
		expectRefusal(run.error, entry);
		expectNoRequest();
		expect(connect.connect.tlsRejections.length).toBe(rejections);
		const shown = `${run.error?.message} ${String(run.error?.description)}`;
		for (const fragment of secretFragments(credential)) expect(shown).not.toContain(fragment);
	});
});
