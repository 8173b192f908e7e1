import { join } from 'node:path';

import { generateDataset, startEmulator } from '../emulator';
import type { ConnectEmulator, Emulator } from '../emulator';
import { spoolCredentialSecrets } from '../support/secretSpool';
import { generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';
import { N8nInstance } from './support/n8n';
import { connectCredentialsFixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import { OWNER, ownerEnvironment, RunningN8n } from './support/server';
import type { Execution } from './support/server';

/**
 * Linking and relinking a Ponto Connect credential in a running n8n 2.41.1 through the REST
 * calls the editor makes: the credential created with POST /rest/credentials, saved with PATCH,
 * tested with POST /rest/credentials/test (the editor tests after every save), workflows run
 * with POST /rest/workflows/:id/run. The emulator revokes everything a code produced when the
 * code is sent again (RFC 6749 §4.1.2), so a second exchange shows as a broken link.
 */
const ITEMS = 20;
/** Only n8n 2.x can link (1.x sends no client certificate); PONTO_E2E_N8N=1 skips this file. */
const inN8n2 = (process.env.PONTO_E2E_N8N ?? '2,1').split(',').includes('2')
	? describe
	: describe.skip;

let pki: TestPki;
let emulator: ConnectEmulator;
/** The custom-integration flavour (api.myponto.com), for the Ponto OAuth2 API credential. */
let custom: Emulator;
let n8n: RunningN8n;
let cookie = '';
let credentialId = '';
const workflows: Record<'link' | 'read', string> = { link: '', read: '' };

async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${n8n.instance.url}/rest${path}`, {
		method,
		headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`${method} /rest${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
	return (JSON.parse(text) as { data: T }).data;
}

/** The dialog's fields as the editor loads them (secrets blanked), with the pasted address. */
async function saveAndTest(
	authorizationResponse: string,
	test = true,
): Promise<{ status: string; message: string } | undefined> {
	const loaded = await rest<{
		id: string;
		name: string;
		type: string;
		data: Record<string, unknown>;
	}>('GET', `/credentials/${credentialId}?includeData=true`);
	const data = { ...loaded.data, authorizationResponse };
	await rest('PATCH', `/credentials/${credentialId}`, {
		name: loaded.name,
		type: loaded.type,
		data,
	});
	if (!test) return undefined;
	return await rest('POST', '/credentials/test', {
		credentials: { id: credentialId, name: loaded.name, type: loaded.type, data },
	});
}

function node(
	name: string,
	type: string,
	typeVersion: number,
	x: number,
	parameters: Record<string, unknown>,
	withCredential = false,
): Record<string, unknown> {
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...(withCredential
			? {
					credentials: {
						pontoConnectOAuth2Api: { id: credentialId, name: 'Ponto Connect (journey)' },
					},
				}
			: {}),
	};
}

function chain(...names: string[]): Record<string, unknown> {
	return Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, index) => [
				name,
				{ main: [[{ node: names[index + 1], type: 'main', index: 0 }]] },
			]),
	);
}

async function createWorkflow(
	name: string,
	nodes: Array<Record<string, unknown>>,
): Promise<string> {
	const created = await rest<{ id: string }>('POST', '/workflows', {
		name,
		nodes,
		connections: chain(...nodes.map((entry) => String(entry.name))),
		active: false,
		settings: {
			executionOrder: 'v1',
			saveManualExecutions: true,
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
		},
	});
	return created.id;
}

/** Run as the editor's "Execute workflow" does, then read the finished execution (public API). */
async function run(workflowId: string): Promise<Execution & { error?: string }> {
	const started = await rest<{ executionId?: string }>('POST', `/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: 'Manual Trigger' },
	});
	if (!started.executionId) throw new Error(`No execution started: ${JSON.stringify(started)}`);
	const key = await n8n.publicApiKey();
	for (let attempt = 0; attempt < 600; attempt++) {
		const response = await fetch(
			`${n8n.instance.url}/api/v1/executions/${started.executionId}?includeData=true`,
			{ headers: { 'X-N8N-API-KEY': key } },
		);
		if (response.ok) {
			const execution = (await response.json()) as Execution & {
				finished?: boolean;
				stoppedAt?: string | null;
				data?: { resultData: { error?: { message?: string } } };
			};
			if (execution.stoppedAt) {
				const runData = execution.data?.resultData.runData ?? {};
				const failed = Object.values(runData)
					.flatMap((tasks) => tasks as Array<{ error?: { message?: string } }>)
					.find((task) => task.error);
				return {
					...execution,
					error: failed?.error?.message ?? execution.data?.resultData.error?.message,
				};
			}
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`Execution ${started.executionId} did not finish`);
}

function items(execution: Execution, nodeName: string): Array<Record<string, unknown>> {
	return (execution.data?.resultData.runData[nodeName] ?? [])
		.flatMap((task) => task.data?.main[0] ?? [])
		.map((item) => item.json);
}

async function approvedAddress(): Promise<string> {
	const execution = await run(workflows.link);
	expect(execution.error).toBeUndefined();
	const response = await fetch(String(items(execution, 'Ponto')[0].authorizationUrl), {
		redirect: 'manual',
	});
	expect(response.status).toBe(302);
	return response.headers.get('location') ?? '';
}

function tokenCallsSince(mark: number): string[] {
	return emulator.log
		.slice(mark)
		.filter((entry) => entry.path.endsWith('/oauth2/token'))
		.map((entry) => `${entry.grantType ?? '?'}:${entry.status}`);
}

inN8n2('the Ponto Connect journey in n8n 2.41.1', () => {
	beforeAll(async () => {
		pki = await generateTestPki();
		const install = await provisionN8n(2);
		emulator = (await startEmulator({
			dataset: generateDataset({ seed: 12, accounts: [{ transactions: 5 }, { transactions: 2 }] }),
			connect: {
				tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
				signature: { required: true, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
				requireIdempotencyKey: true,
			},
		})) as ConnectEmulator;
		custom = await startEmulator({
			dataset: generateDataset({ seed: 13, accounts: [{ transactions: 1 }, { transactions: 1 }] }),
		});
		const instance = await N8nInstance.create(install, await packPackage());
		Object.assign(instance.env, ownerEnvironment(install));
		n8n = await RunningN8n.start(instance, join(instance.userFolder, 'n8n.log'));
		const login = await fetch(`${instance.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		expect(login.ok).toBe(true);
		cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];

		const [fixture] = connectCredentialsFixture(emulator, pki, {
			encryptedKey: true,
			signing: true,
		});
		spoolCredentialSecrets(fixture.data);
		credentialId = (
			await rest<{ id: string }>('POST', '/credentials', {
				name: 'Ponto Connect (journey)',
				type: 'pontoConnectOAuth2Api',
				data: fixture.data,
			})
		).id;
		workflows.link = await createWorkflow('Ponto journey: authorization link', [
			node('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
			node(
				'Ponto',
				'n8n-nodes-ponto.ponto',
				1,
				250,
				{
					authentication: 'pontoConnectOAuth2Api',
					resource: 'organization',
					operation: 'getAuthorizationLink',
				},
				true,
			),
		]);
		workflows.read = await createWorkflow(`Ponto journey: ${ITEMS} items`, [
			node('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
			node('Items', 'n8n-nodes-base.set', 3.4, 200, {
				mode: 'raw',
				jsonOutput: JSON.stringify({ items: Array.from({ length: ITEMS }, (_, index) => index) }),
				options: {},
			}),
			node('Split', 'n8n-nodes-base.splitOut', 1, 400, {
				fieldToSplitOut: 'items',
				include: 'noOtherFields',
				options: {},
			}),
			node(
				'Ponto',
				'n8n-nodes-ponto.ponto',
				1,
				600,
				{
					authentication: 'pontoConnectOAuth2Api',
					resource: 'organization',
					operation: 'getUserInfo',
					options: { concurrency: ITEMS },
				},
				true,
			),
		]);
	}, 45 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		n8n?.instance.dispose();
		await emulator?.close();
		await custom?.close();
	});

	describe('Ponto Connect linking and relinking in n8n 2.41.1, through the editor REST calls', () => {
		test('before linking, the test on save checks the app with Ponto and says how to link', async () => {
			const mark = emulator.log.length;
			const result = await saveAndTest('');
			expect(result).toEqual({
				status: 'Error',
				message: 'This Ponto Connect credential is not linked to an organization yet',
			});
			expect(tokenCallsSince(mark)).toEqual(['client_credentials:200']);
		});

		test(`first run with ${ITEMS} items in parallel right after linking (saved, not tested): one exchange, every item served`, async () => {
			const address = await approvedAddress();
			await saveAndTest(address, false);
			const mark = emulator.log.length;
			const execution = await run(workflows.read);
			const calls = tokenCallsSince(mark);
			process.stdout.write(
				`n8n 2.41.1, first run with ${ITEMS} items: token endpoint ${JSON.stringify(calls)}\n`,
			);
			expect(execution.error).toBeUndefined();
			expect(items(execution, 'Ponto')).toHaveLength(ITEMS);
			expect(calls).toEqual(['authorization_code:200']);
			expect(emulator.connect.grants.at(-1)).toMatchObject({ status: 'active' });
		});

		test('relink while linked: the test on save exchanges the new code once, and runs use the new link', async () => {
			expect((await run(workflows.read)).error).toBeUndefined();
			const grants = emulator.connect.grants.length;
			const address = await approvedAddress();
			const mark = emulator.log.length;
			expect(await saveAndTest(address)).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
			const execution = await run(workflows.read);
			expect(execution.error).toBeUndefined();
			expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
			expect(emulator.connect.grants.slice(grants).map((grant) => grant.status)).toEqual([
				'active',
			]);
		});

		test('relink, then the access token expires: the refresh token renews; the used code is never sent again', async () => {
			const address = await approvedAddress();
			const mark = emulator.log.length;
			expect((await saveAndTest(address))?.status).toBe('OK');
			emulator.expireAllTokens();
			const execution = await run(workflows.read);
			expect(execution.error).toBeUndefined();
			expect(tokenCallsSince(mark)).toEqual(['authorization_code:200', 'refresh_token:200']);
			expect(emulator.connect.grants.at(-1)).toMatchObject({ status: 'active' });
		});

		test('relink after the old access token expired: the test on save exchanges the new code, nothing else is needed', async () => {
			emulator.expireAllTokens();
			const address = await approvedAddress();
			const mark = emulator.log.length;
			expect(await saveAndTest(address)).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			expect((await run(workflows.read)).error).toBeUndefined();
			expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
		});

		test('two executions starting together right after relinking share one exchange', async () => {
			const address = await approvedAddress();
			await saveAndTest(address, false);
			const mark = emulator.log.length;
			const executions = await Promise.all([run(workflows.read), run(workflows.read)]);
			expect(executions.map((execution) => execution.error)).toEqual([undefined, undefined]);
			expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
			expect(emulator.connect.grants.at(-1)).toMatchObject({ status: 'active' });
		});
	});

	describe('the Ponto OAuth2 API credential (custom integration) tests itself on save', () => {
		test("a wrong Client Secret fails with Ponto's answer; the right one reads one account", async () => {
			const data = {
				baseUrl: custom.url,
				clientId: 'test-client-id',
				clientSecret: 'not-the-secret',
			};
			const created = await rest<{ id: string; name: string; type: string }>(
				'POST',
				'/credentials',
				{ name: 'Ponto (journey)', type: 'pontoOAuth2Api', data },
			);
			const credentials = { id: created.id, name: created.name, type: created.type };
			const wrong = await rest<{ status: string; message: string }>('POST', '/credentials/test', {
				credentials: { ...credentials, data },
			});
			expect(wrong.status).toBe('Error');
			expect(wrong.message).toMatch(/Client authentication failed/);
			expect(wrong.message).not.toContain('not-the-secret');

			const right = { ...data, clientSecret: 'test-client-secret' };
			await rest('PATCH', `/credentials/${created.id}`, { ...credentials, data: right });
			custom.clearLog();
			expect(
				await rest('POST', '/credentials/test', { credentials: { ...credentials, data: right } }),
			).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(
				custom.requestsTo('/accounts', 'GET').map((entry) => entry.query['page[limit]']),
			).toEqual(['1']);
		});
	});
});
