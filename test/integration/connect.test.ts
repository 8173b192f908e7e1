import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_CONNECT_CLIENT, generateDataset, startEmulator } from '../emulator';
import type { ConnectEmulator } from '../emulator';
import { N8nHarness } from '../harness/n8n';
import { connectCredentialData } from '../support/connectCredential';
import { generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';
import { jsonOf, RL } from './context';

/**
 * The Ponto Connect credential end to end against the emulator's Connect flavour (HTTPS with
 * client certificates, authorization page, rotating refresh tokens, signature checks), run
 * through n8n-core's real request helpers.
 */
let pki: TestPki;
let emulator: ConnectEmulator;
const REDIRECT = 'http://127.0.0.1/callback';

beforeAll(async () => {
	pki = await generateTestPki();
	emulator = (await startEmulator({
		dataset: generateDataset({
			seed: 31,
			accounts: [{ transactions: 230, pendingTransactions: 2 }, { transactions: 20 }],
		}),
		synchronization: { pendingMs: 50, runningMs: 100, minIntervalMs: 0 },
		connect: {
			tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
			signature: { required: true, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
			requireIdempotencyKey: true,
		},
	})) as ConnectEmulator;
});
afterAll(async () => emulator?.close());

function credentialData(extra: IDataObject = {}): IDataObject {
	return connectCredentialData(emulator, pki, extra);
}

/** The documented linking steps: get the link, approve (the emulated user), paste the redirect. */
async function link(n8n: N8nHarness): Promise<void> {
	const run = await n8n.run({ resource: 'organization', operation: 'getAuthorizationLink' });
	const [{ authorizationUrl }] = jsonOf(run);
	const approved = await fetch(String(authorizationUrl), { redirect: 'manual' });
	expect(approved.status).toBe(302);
	n8n.storedCredential.authorizationResponse = approved.headers.get('location') ?? '';
}

describe('Ponto Connect: linking without code', () => {
	test('authorization link with PKCE, consent, code exchanged over mTLS, tokens stored, not shown', async () => {
		const n8n = N8nHarness.connect(credentialData());
		const linkRun = await n8n.run({ resource: 'organization', operation: 'getAuthorizationLink' });
		const url = new URL(String(jsonOf(linkRun)[0].authorizationUrl));
		expect(url.origin + url.pathname).toBe(emulator.authorizationUrl);
		expect(url.searchParams.get('scope')).toBe('ai name offline_access');
		expect(url.searchParams.get('code_challenge_method')).toBe('S256');
		expect(emulator.log).toHaveLength(0);

		await link(n8n);
		const accounts = await n8n.run({ resource: 'account', operation: 'getAll', returnAll: true });
		expect(accounts.error).toBeUndefined();
		expect(jsonOf(accounts)).toHaveLength(2);
		const stored = n8n.storedCredential;
		expect(stored.refreshToken).toBe(emulator.connect.currentRefreshToken());
		expect(stored.linkedTokenSource).toMatch(/^[0-9a-f]{64}$/);
		const everything = JSON.stringify(accounts.items);
		for (const secret of [
			stored.refreshToken,
			stored.accessToken,
			DEFAULT_CONNECT_CLIENT.clientSecret,
			pki.client.passphrase,
		]) {
			expect(everything).not.toContain(String(secret));
		}
		const apiCalls = emulator.log.filter((entry) =>
			entry.path.startsWith('/ponto-connect/accounts'),
		);
		expect(
			apiCalls.every(
				(entry) => entry.clientCertificate && entry.signed && entry.signature === 'valid',
			),
		).toBe(true);
	});

	test('before linking, the error says how to link', async () => {
		const n8n = N8nHarness.connect(credentialData());
		const run = await n8n.run({ resource: 'organization', operation: 'getUserInfo' });
		expect(run.error?.message).toBe(
			'This Ponto Connect credential is not linked to an organization yet',
		);
		expect(run.error?.description).toMatch(/Get Authorization Link/);
	});

	test('a refused consent pasted back is reported as such', async () => {
		const n8n = N8nHarness.connect(
			credentialData({ authorizationResponse: `${REDIRECT}?error=access_denied&state=x` }),
		);
		const run = await n8n.run({ resource: 'organization', operation: 'getUserInfo' });
		expect(run.error?.message).toBe('Ponto did not grant access (access_denied)');
	});
});

describe('Ponto Connect: rotating refresh tokens', () => {
	let n8n: N8nHarness;
	beforeAll(async () => {
		n8n = N8nHarness.connect(credentialData());
		await link(n8n);
		expect(
			(await n8n.run({ resource: 'organization', operation: 'getUserInfo' })).error,
		).toBeUndefined();
	});

	test('renewal across expiries: every rotated refresh token is persisted before the next call', async () => {
		const account = emulator.dataset.accounts[0];
		const before = emulator.connect.refreshCount;
		emulator.setOptions({ expireTokensEveryRequests: 2 });
		try {
			const run = await n8n.run({
				resource: 'transaction',
				operation: 'getAll',
				accountId: RL(account.id),
				returnAll: true,
			});
			expect(run.error).toBeUndefined();
			expect(jsonOf(run).map((transaction) => transaction.id)).toEqual(
				account.transactions.map((transaction) => transaction.id),
			);
		} finally {
			emulator.setOptions({ expireTokensEveryRequests: undefined });
		}
		expect(emulator.connect.refreshCount - before).toBeGreaterThanOrEqual(1);
		expect(n8n.storedCredential.refreshToken).toBe(emulator.connect.currentRefreshToken());
	});

	test('ten concurrent calls at expiry cause exactly one renewal', async () => {
		emulator.expireAllTokens();
		const before = emulator.connect.refreshCount;
		const runs = await Promise.all(
			Array.from({ length: 10 }, () =>
				n8n.run({ resource: 'organization', operation: 'getUserInfo' }),
			),
		);
		expect(runs.map((run) => run.error?.message)).toEqual(Array(10).fill(undefined));
		expect(emulator.connect.refreshCount - before).toBe(1);
		expect(n8n.storedCredential.refreshToken).toBe(emulator.connect.currentRefreshToken());
	});

	test('a refresh token that was already used is rejected by Ponto and reported as "relink"', async () => {
		const stale = N8nHarness.connect({
			...n8n.storedCredential,
			refreshToken: 'rotated-away-long-ago',
			accessToken: '',
		});
		const run = await stale.run({ resource: 'organization', operation: 'getUserInfo' });
		expect(run.error?.message).toBe(
			'The Ponto Connect link of this credential is no longer valid (invalid_grant)',
		);
		expect(run.error?.description).toMatch(
			/Relink the credential: .*Get Authorization Link.*Authorization Response URL/,
		);
	});

	test('relinking (to share more accounts) exchanges the newly pasted code', async () => {
		const previous = n8n.storedCredential.linkedTokenSource;
		await link(n8n);
		emulator.expireAllTokens();
		const run = await n8n.run({ resource: 'organization', operation: 'getUserInfo' });
		expect(run.error).toBeUndefined();
		expect(n8n.storedCredential.linkedTokenSource).not.toBe(previous);
		expect(n8n.storedCredential.refreshToken).toBe(emulator.connect.currentRefreshToken());
	});
});

describe('Ponto Connect operations', () => {
	let n8n: N8nHarness;
	beforeAll(async () => {
		n8n = N8nHarness.connect(credentialData());
		await link(n8n);
	});

	test('organization user info', async () => {
		const run = await n8n.run({ resource: 'organization', operation: 'getUserInfo' });
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({
				organizationId: emulator.dataset.organizationId,
				sub: emulator.dataset.organizationId,
			}),
		]);
	});

	test('request reauthorization returns the link the customer follows', async () => {
		const account = emulator.dataset.accounts[1];
		const run = await n8n.run({
			resource: 'account',
			operation: 'requestReauthorization',
			accountId: RL(account.id),
			redirectUri: 'https://example.com/renewed',
		});
		expect(run.error).toBeUndefined();
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({
				accountId: account.id,
				redirectUrl: expect.stringContaining('/reauthorization-requests/'),
			}),
		]);
		const post = emulator.requestsTo(/reauthorization-requests$/, 'POST')[0];
		expect(post.signature).toBe('valid');
	});

	test('a sandbox transaction shows up after the next synchronization', async () => {
		const account = emulator.dataset.accounts[0];
		const created = await n8n.run({
			resource: 'sandbox',
			operation: 'createTransaction',
			accountId: RL(account.id),
			amount: -84.42,
			currency: 'EUR',
			description: 'Wire transfer',
			executionDate: '2026-11-20',
			valueDate: '2026-11-20',
			remittanceInformationType: 'unstructured',
			additionalFields: { counterpartName: 'Otro Bank', remittanceInformation: 'Invoice 7' },
		});
		expect(created.error).toBeUndefined();
		expect(jsonOf(created)[0]).toMatchObject({
			amount: -84.42,
			counterpartName: 'Otro Bank',
			accountId: account.id,
		});
		const sync = await n8n.run({
			resource: 'synchronization',
			operation: 'create',
			accountId: RL(account.id),
			subtype: 'accountTransactions',
			waitForCompletion: true,
		});
		expect(sync.error).toBeUndefined();
		const updated = await n8n.run({
			resource: 'transaction',
			operation: 'getUpdated',
			synchronizationId: String(jsonOf(sync)[0].id),
			returnAll: true,
		});
		expect(jsonOf(updated)).toContainEqual(
			expect.objectContaining({ amount: -84.42, remittanceInformation: 'Invoice 7' }),
		);
		const posts = emulator.log.filter(
			(entry) => entry.method === 'POST' && !entry.path.endsWith('/oauth2/token'),
		);
		expect(posts.length).toBeGreaterThanOrEqual(2);
		expect(posts.every((entry) => entry.status < 400)).toBe(true);
	});

	test('revoke removes the account from the integration', async () => {
		const account = emulator.dataset.accounts[1];
		const run = await n8n.run({
			resource: 'account',
			operation: 'revoke',
			accountId: RL(account.id),
		});
		expect(jsonOf(run)).toEqual([{ id: account.id, revoked: true }]);
		const again = await n8n.run({
			resource: 'account',
			operation: 'get',
			accountId: RL(account.id),
		});
		expect(again.error?.message).toBe('The account was not found in Ponto');
	});

	test('the polling trigger works with the Ponto Connect credential too', async () => {
		const account = emulator.dataset.accounts[0];
		const state: IDataObject = {};
		const params = {
			authentication: 'pontoConnectOAuth2Api',
			event: 'transaction',
			accountsToWatch: 'selected',
			accountIds: [account.id],
		};
		expect((await n8n.poll(params, { staticData: state })).items).toEqual([]);
		const [added] = emulator.addTransactions(account.id, [
			{ amount: 3.14, remittanceInformation: 'via Connect' },
		]);
		const next = await n8n.poll(params, { staticData: state });
		expect(next.error).toBeUndefined();
		expect(next.items.map((item) => item.json.id)).toEqual([added.id]);
	});

	test('the Connect-only operations refuse the custom-integration credential', async () => {
		const custom = new N8nHarness({ baseUrl: 'https://api.myponto.com' });
		const run = await custom.run({ resource: 'organization', operation: 'getUserInfo' });
		expect(run.error?.message).toBe(
			'Organization > Get User Info needs the Ponto Connect credential',
		);
		const revoke = await custom.run({
			resource: 'account',
			operation: 'revoke',
			accountId: RL(emulator.dataset.accounts[0].id),
		});
		expect(revoke.error?.message).toBe('Account > Revoke needs the Ponto Connect credential');
	});
});

describe('Ponto Connect credential problems name the field, before any request', () => {
	const cases: Array<[string, () => IDataObject, RegExp]> = [
		[
			'malformed certificate',
			() => ({ certificate: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----' }),
			/^TLS Certificate: not a PEM certificate$/,
		],
		['empty certificate', () => ({ certificate: '' }), /^TLS Certificate is empty$/],
		[
			'malformed key',
			() => ({ privateKey: 'hello', passphrase: '' }),
			/^TLS Private Key: not a PEM private key$/,
		],
		[
			'key of another certificate',
			() => ({ privateKey: pki.otherKey, passphrase: '' }),
			/^TLS Private Key does not belong to the TLS Certificate$/,
		],
		[
			'wrong passphrase',
			() => ({ passphrase: 'not-the-passphrase' }),
			/^Passphrase: wrong passphrase for TLS Private Key$/,
		],
		[
			'missing passphrase',
			() => ({ passphrase: '' }),
			/^TLS Private Key is encrypted: Passphrase is missing$/,
		],
		[
			'malformed CA',
			() => ({ ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }),
			/^CA Certificate: not a PEM certificate$/,
		],
		[
			'signing key without its id',
			() => ({ signatureCertificateId: '' }),
			/^Signature Certificate ID is empty$/,
		],
		[
			'garbage signing key',
			() => ({ signingPrivateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }),
			/^Signing Private Key: the key cannot be read$/,
		],
		['empty client secret', () => ({ clientSecret: '' }), /^Client Secret is empty$/],
	];

	test.each(cases)('%s', async (_name, change, message) => {
		const n8n = N8nHarness.connect(
			credentialData({ refreshToken: 'some-refresh-token', ...change() }),
		);
		emulator.clearLog();
		const rejectionsBefore = emulator.connect.tlsRejections.length;
		const run = await n8n.run({ resource: 'organization', operation: 'getUserInfo' });
		expect(run.error?.message).toMatch(message);
		expect(run.error?.description).toEqual(expect.any(String));
		expect(emulator.log).toEqual([]);
		expect(emulator.connect.tlsRejections.length).toBe(rejectionsBefore);
	});

	test('a certificate the server does not trust: a clear TLS error that mentions n8n 2.20', async () => {
		const n8n = N8nHarness.connect(
			credentialData({
				certificate: pki.untrustedClient.cert,
				privateKey: pki.untrustedClient.key,
				passphrase: '',
				refreshToken: 'x',
			}),
		);
		const run = await n8n.run({ resource: 'organization', operation: 'getUserInfo' });
		expect(run.error?.message).toBe(
			'Ponto refused the TLS connection: the client certificate was not sent or not accepted',
		);
		expect(run.error?.description).toMatch(/n8n 2\.20 or newer/);
	});
});
