import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_CONNECT_CLIENT, generateDataset, startEmulator } from '../emulator';
import type { ConnectEmulator } from '../emulator';
import { N8nHarness } from '../harness/n8n';
import { buildAuthorizationLink } from '../../nodes/Ponto/helpers/pkce';
import { resetTokenCaches } from '../../nodes/Ponto/transport/tokenRotation';
import { connectCredentialData } from '../support/connectCredential';
import { generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';
import { jsonOf } from './context';

/**
 * Linking and relinking a Ponto Connect credential as a person does it in the editor (paste the
 * address, save: n8n tests the credential; then run workflows), through n8n-core's request
 * helpers and a credentials store that runs preAuthentication as n8n 2.41.1 does. The emulator
 * revokes everything a code produced when the code is presented again (RFC 6749 §4.1.2), so an
 * exchange sent twice breaks the link here as it does at Ponto.
 */
let pki: TestPki;
let emulator: ConnectEmulator;
/** The emulator's clock runs ahead by this much (codes, links and access tokens age). */
let clockAheadMs = 0;
const MINUTE = 60_000;

beforeAll(async () => {
	pki = await generateTestPki();
	emulator = (await startEmulator({
		dataset: generateDataset({ seed: 41, accounts: [{ transactions: 12 }, { transactions: 3 }] }),
		now: () => new Date(Date.now() + clockAheadMs),
		connect: {
			tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
			// The emulator's clock runs ahead in some tests: accept the signatures' `created` anyway.
			signature: {
				required: true,
				keys: { [pki.signing.keyId]: pki.signing.publicKey },
				maxSkewSeconds: 3 * 3600,
			},
			requireIdempotencyKey: true,
		},
	})) as ConnectEmulator;
});
afterAll(async () => emulator?.close());
beforeEach(() => {
	clockAheadMs = 0;
});

function credential(extra: IDataObject = {}): N8nHarness {
	return N8nHarness.connect(connectCredentialData(emulator, pki, extra));
}

/** What a person does in the browser: run Get Authorization Link, open it, approve, copy the address. */
async function approvedAddress(n8n: N8nHarness): Promise<string> {
	const run = await n8n.run({ resource: 'organization', operation: 'getAuthorizationLink' });
	expect(run.error).toBeUndefined();
	return await approve(String(jsonOf(run)[0].authorizationUrl));
}

async function approve(authorizationUrl: string): Promise<string> {
	const response = await fetch(authorizationUrl, { redirect: 'manual' });
	expect(response.status).toBe(302);
	return response.headers.get('location') ?? '';
}

/** Paste into the credential field and save (the editor then tests the credential). */
async function pasteAndSave(
	n8n: N8nHarness,
	address: string,
): Promise<{ status: string; message: string }> {
	n8n.storedCredential.authorizationResponse = address;
	return await n8n.testCredential();
}

/** Token-endpoint calls since `mark`, as grant:status (authorization_code:200, refresh_token:400…). */
function tokenCallsSince(mark: number): string[] {
	return emulator.log
		.slice(mark)
		.filter((entry) => entry.path.endsWith('/oauth2/token'))
		.map((entry) => `${entry.grantType ?? '?'}:${entry.status}`);
}

const userInfo = { resource: 'organization', operation: 'getUserInfo' };

/** An authorization link made `minutesAgo` by a credential with this client secret. */
function oldLink(clientSecret: string, minutesAgo: number) {
	return buildAuthorizationLink({
		authorizationPage: emulator.authorizationUrl,
		clientId: DEFAULT_CONNECT_CLIENT.clientId,
		clientSecret,
		redirectUri: 'http://127.0.0.1/callback',
		includePaymentScope: false,
		nowMs: Date.now() - minutesAgo * MINUTE,
	});
}

async function linked(): Promise<N8nHarness> {
	const n8n = credential();
	expect(await pasteAndSave(n8n, await approvedAddress(n8n))).toEqual({
		status: 'OK',
		message: 'Connection successful!',
	});
	expect((await n8n.run(userInfo)).error).toBeUndefined();
	return n8n;
}

describe('a newly pasted code is exchanged once, at the next save or use', () => {
	test('relink while linked: the test on save exchanges the new code, and the runs after it use the new link', async () => {
		const n8n = await linked();
		const grantsBefore = emulator.connect.grants.length;
		const address = await approvedAddress(n8n);
		const mark = emulator.log.length;
		expect(await pasteAndSave(n8n, address)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
		const newGrant = emulator.connect.grants[grantsBefore];
		expect(newGrant).toMatchObject({ status: 'active' });
		expect(n8n.storedCredential.refreshToken).toBe(
			emulator.connect.currentRefreshToken(newGrant.id),
		);

		const run = await n8n.run({ resource: 'account', operation: 'getAll', returnAll: true });
		expect(run.error).toBeUndefined();
		await n8n.testCredential();
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
		expect(emulator.connect.grants[grantsBefore].status).toBe('active');
	});

	test('relink, then the old access token expires after the code would have: the refresh token renews, the used code is never sent again', async () => {
		const n8n = await linked();
		const mark = emulator.log.length;
		expect((await pasteAndSave(n8n, await approvedAddress(n8n))).status).toBe('OK');
		clockAheadMs = 45 * MINUTE;
		const run = await n8n.run(userInfo);
		expect(run.error).toBeUndefined();
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:200', 'refresh_token:200']);
		expect(n8n.storedCredential.refreshToken).toBe(emulator.connect.currentRefreshToken());
	});

	test('relink after the old access token expired: the new code is exchanged, nothing else is sent to the token endpoint', async () => {
		const n8n = await linked();
		emulator.expireAllTokens();
		const address = await approvedAddress(n8n);
		const mark = emulator.log.length;
		expect(await pasteAndSave(n8n, address)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect((await n8n.run(userInfo)).error).toBeUndefined();
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
	});

	test('first run with 20 items right after linking, 20 in parallel: one exchange serves them all and the link holds', async () => {
		const n8n = credential();
		n8n.storedCredential.authorizationResponse = await approvedAddress(n8n);
		const mark = emulator.log.length;
		const items = Array.from({ length: 20 }, (_, index) => ({ index }));
		const run = await n8n.run({ ...userInfo, options: { concurrency: 20 } }, { items });
		expect(run.error).toBeUndefined();
		expect(jsonOf(run)).toHaveLength(20);
		const calls = tokenCallsSince(mark);
		process.stdout.write(
			`first run, 20 items in parallel: token endpoint ${JSON.stringify(calls)}, preAuthentication ${n8n.credentials.preAuthenticationCalls} calls, ${n8n.credentials.preAuthenticationWrites} writes\n`,
		);
		expect(calls).toEqual(['authorization_code:200']);
		expect(emulator.connect.grants.at(-1)).toMatchObject({ status: 'active' });
		expect(n8n.storedCredential.refreshToken).toBe(emulator.connect.currentRefreshToken());
		const again = await n8n.run(userInfo, { items });
		expect(again.error).toBeUndefined();
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
	});

	test('two executions starting together right after linking share the one exchange', async () => {
		const n8n = credential();
		n8n.storedCredential.authorizationResponse = await approvedAddress(n8n);
		const mark = emulator.log.length;
		const items = Array.from({ length: 5 }, (_, index) => ({ index }));
		const runs = await Promise.all([n8n.run(userInfo, { items }), n8n.run(userInfo, { items })]);
		expect(runs.map((run) => run.error?.message)).toEqual([undefined, undefined]);
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
		expect(emulator.connect.grants.at(-1)).toMatchObject({ status: 'active' });
	});

	test('a credential linked by an earlier version (the code kept, not its hash) renews instead of exchanging again', async () => {
		const n8n = await linked();
		const stored = n8n.storedCredential;
		const code = new URL(String(stored.authorizationResponse)).searchParams.get('code');
		const legacy = credential({
			...stored,
			linkedTokenSource: '',
			linkedCode: code,
			accessToken: '',
		});
		const mark = emulator.log.length;
		expect((await legacy.run(userInfo)).error).toBeUndefined();
		expect(tokenCallsSince(mark)).toEqual(['refresh_token:200']);
		expect(legacy.storedCredential.linkedTokenSource).toBe(stored.linkedTokenSource);
	});
});

describe('a new code Ponto refuses never costs the existing link', () => {
	test('an address pasted too late: runs go on with the earlier link, the test on save says why, a fresh link then works', async () => {
		const n8n = await linked();
		// The person opened a link, then waited 31 minutes before approving and pasting.
		const oldAddress = await approve(oldLink(DEFAULT_CONNECT_CLIENT.clientSecret, 31).url);
		n8n.storedCredential.authorizationResponse = oldAddress;
		const mark = emulator.log.length;

		const run = await n8n.run(userInfo);
		expect(run.error).toBeUndefined();
		expect(tokenCallsSince(mark)).toEqual([]);
		const test = await n8n.testCredential();
		expect(test.status).toBe('Error');
		expect(test.message).toMatch(
			/^The newly pasted Authorization Response URL was not used; the earlier link still works\. .*more than 30 minutes old/,
		);
		expect(test.message).not.toContain(new URL(oldAddress).searchParams.get('code'));
		expect(tokenCallsSince(mark)).toEqual([]);

		expect(await pasteAndSave(n8n, await approvedAddress(n8n))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:200']);
	});

	test('an address already used, pasted again after a relink: Ponto refuses it, the current link keeps working', async () => {
		const n8n = await linked();
		const first = String(n8n.storedCredential.authorizationResponse);
		expect((await pasteAndSave(n8n, await approvedAddress(n8n))).status).toBe('OK');
		const current = emulator.connect.grants.at(-1)!;
		// Minutes later (this process no longer holds the first exchange for late callers).
		resetTokenCaches();
		const mark = emulator.log.length;
		const test = await pasteAndSave(n8n, first);
		expect(test.status).toBe('Error');
		expect(test.message).toMatch(
			/^The newly pasted Authorization Response URL was not used; the earlier link still works\. The authorization code in Authorization Response URL was already used \(invalid_grant\)/,
		);
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:400']);
		expect((await n8n.run(userInfo)).error).toBeUndefined();
		expect(emulator.connect.grants.find((grant) => grant.id === current.id)?.status).toBe('active');
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:400']);
	});
});

describe('authorization links bound to the credential and to 30 minutes (state)', () => {
	const cases: Array<[string, (address: URL) => void, RegExp]> = [
		[
			'a state whose MAC does not verify',
			(address) =>
				address.searchParams.set('state', `${address.searchParams.get('state')!.slice(0, -4)}AAAA`),
			/belongs to an authorization link of another credential/,
		],
		[
			'a state not made by this node',
			(address) => address.searchParams.set('state', 'some-other-tool-state'),
			/was not made by this credential/,
		],
		[
			'an address that is not the Redirect URI',
			(address) => (address.host = 'evil.example'),
			/is not an address of the Redirect URI \(http:\/\/127\.0\.0\.1\/callback\)/,
		],
		[
			'another path on the Redirect URI host',
			(address) => (address.pathname = '/elsewhere'),
			/is not an address of the Redirect URI/,
		],
	];

	test.each(cases)('%s is refused before any token request', async (_name, tamper, message) => {
		const n8n = credential();
		const address = new URL(await approvedAddress(n8n));
		tamper(address);
		n8n.storedCredential.authorizationResponse = address.toString();
		const mark = emulator.log.length;
		const run = await n8n.run(userInfo);
		expect(run.error?.message).toMatch(/^Authorization Response URL: /);
		expect(run.error?.message).toMatch(message);
		expect(tokenCallsSince(mark)).toEqual([]);
	});

	test('a link older than 30 minutes is refused before any token request', async () => {
		const n8n = credential();
		const old = oldLink(DEFAULT_CONNECT_CLIENT.clientSecret, 31);
		n8n.storedCredential.authorizationResponse = await approve(old.url);
		const mark = emulator.log.length;
		expect((await n8n.run(userInfo)).error?.message).toMatch(
			/^Authorization Response URL: its authorization link is more than 30 minutes old/,
		);
		expect(tokenCallsSince(mark)).toEqual([]);
	});

	test('a link of another credential (other client secret) is refused', async () => {
		const other = oldLink('another-credential-secret', 0);
		const n8n = credential({ authorizationResponse: await approve(other.url) });
		expect((await n8n.run(userInfo)).error?.message).toMatch(
			/belongs to an authorization link of another credential/,
		);
	});
});

describe("token-endpoint errors name the real cause from Ponto's error_description", () => {
	test('the code of one link pasted with the state of another: "belongs to another authorization link"', async () => {
		const n8n = credential();
		const a = new URL(await approvedAddress(n8n));
		const b = new URL(await approvedAddress(n8n));
		a.searchParams.set('state', b.searchParams.get('state')!);
		n8n.storedCredential.authorizationResponse = a.toString();
		const mark = emulator.log.length;
		const run = await n8n.run(userInfo);
		expect(run.error?.message).toBe(
			'The pasted Authorization Response URL belongs to another authorization link (PKCE verification failed)',
		);
		expect(run.error?.description).toMatch(
			/^Ponto answered: invalid_grant: .*PKCE code challenge did not match/,
		);
		expect(tokenCallsSince(mark)).toEqual(['authorization_code:400']);
		expect(`${run.error?.message} ${run.error?.description}`).not.toContain(
			a.searchParams.get('code'),
		);
	});

	test("a wrong client secret, before linking: the test on save shows Ponto's answer", async () => {
		const n8n = credential({ clientSecret: 'not-the-secret' });
		const test = await n8n.testCredential();
		expect(test).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^Ponto did not accept the Client ID and Client Secret \(invalid_client: Client authentication failed/,
			),
		});
		expect(test.message).not.toContain('not-the-secret');
	});

	test('the right app fields, before linking: the test on save says Ponto accepted them and how to link', async () => {
		const n8n = credential();
		const mark = emulator.log.length;
		const run = await n8n.run(userInfo);
		expect(run.error?.message).toBe(
			'This Ponto Connect credential is not linked to an organization yet',
		);
		expect(run.error?.description).toMatch(
			/^Ponto accepted the Client ID, Client Secret and TLS certificate\. Link the credential: /,
		);
		expect(tokenCallsSince(mark)).toEqual(['client_credentials:200']);
		expect((await n8n.testCredential()).message).toBe(
			'This Ponto Connect credential is not linked to an organization yet',
		);
	});
});

describe('a client certificate Ponto refuses at the token endpoint (HTTP 401 invalid_client)', () => {
	let httpEmulator: ConnectEmulator;
	beforeAll(async () => {
		httpEmulator = (await startEmulator({
			connect: {
				tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
				clientCertificateFailure: 'http',
			},
		})) as ConnectEmulator;
	});
	afterAll(async () => httpEmulator?.close());

	test('names the certificate fields, not the client secret', async () => {
		const n8n = N8nHarness.connect(
			connectCredentialData(httpEmulator, pki, {
				certificate: pki.untrustedClient.cert,
				privateKey: pki.untrustedClient.key,
				passphrase: '',
				signatureCertificateId: '',
				signingPrivateKey: '',
			}),
		);
		const test = await n8n.testCredential();
		expect(test).toEqual({
			status: 'Error',
			message:
				'Ponto refused the TLS client certificate (invalid_client: A valid TLS client certificate is required)',
		});
		const run = await n8n.run(userInfo);
		expect(run.error?.message).toBe(
			'Ponto refused the TLS client certificate (invalid_client: A valid TLS client certificate is required)',
		);
		expect(run.error?.description).toMatch(/TLS Certificate and TLS Private Key/);
	});
});
