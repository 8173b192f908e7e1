import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { generateDataset, startEmulator } from '../emulator';
import type { ConnectEmulator } from '../emulator';
import { generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';
import { N8nInstance, nodeItems } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { connectCredentialsFixture, fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import type { N8nMajor } from './support/provision';

/**
 * Ponto Connect inside a real n8n: on 2.x the documented linking steps (automated), a workflow
 * across several token expiries, and the credential read back to prove n8n saved the rotated
 * refresh token. On 1.x, which cannot send a client certificate, the user gets a clear error.
 */
const MAJORS = (process.env.PONTO_E2E_N8N ?? '2,1')
	.split(',')
	.map((major) => Number(major) as N8nMajor);
const CREDENTIAL_ID = 'pontoConnectE2e1';

describe.each(MAJORS)('Ponto Connect in n8n %i.x', (major) => {
	let pki: TestPki;
	let emulator: ConnectEmulator;
	let n8n: N8nInstance;

	const credentials = (authorizationResponse = ''): ImportedCredential[] =>
		connectCredentialsFixture(emulator, pki, {
			encryptedKey: true,
			signing: true,
			authorizationResponse,
		});

	/** What a person does in the browser: open the link, approve, copy the address. */
	const approve = async (authorizationUrl: string): Promise<string> => {
		const response = await fetch(authorizationUrl, { redirect: 'manual' });
		expect(response.status).toBe(302);
		return response.headers.get('location') ?? '';
	};

	beforeAll(async () => {
		pki = await generateTestPki();
		const install = await provisionN8n(major);
		emulator = (await startEmulator({
			dataset: generateDataset({
				seed: 77,
				accounts: [{ transactions: 420 }, { transactions: 35 }],
			}),
			connect: {
				tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
				signature: { required: true, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
				requireIdempotencyKey: true,
			},
		})) as ConnectEmulator;
		n8n = await N8nInstance.create(install, await packPackage());
		if (major === 1) {
			// Trust the emulator's CA process-wide, so the only thing 1.x lacks is the client certificate.
			const caFile = join(n8n.userFolder, 'emulator-ca.pem');
			writeFileSync(caFile, pki.ca.cert);
			n8n.env.NODE_EXTRA_CA_CERTS = caFile;
		}
		await n8n.importCredentials(credentials());
		await n8n.importWorkflows(
			['connect-link', 'connect-read'].map((name) =>
				fixture<Record<string, unknown>>(`test/e2e/workflows/${name}.json`),
			),
		);
	}, 45 * 60_000);

	afterAll(async () => {
		n8n?.dispose();
		await emulator?.close();
	});

	if (major >= 2) {
		test('link through the documented steps, read across token expiries, rotated refresh token saved', async () => {
			const linkRun = await n8n.execute('e2eConnectLink1');
			const [{ authorizationUrl }] = nodeItems(linkRun, 'Authorization link');
			const redirect = await approve(String(authorizationUrl));
			expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1\/callback\?code=/);
			await n8n.importCredentials(credentials(redirect));

			emulator.setOptions({ expireTokensEveryRequests: 2 });
			const started = emulator.connect.refreshCount;
			const result = await n8n.execute('e2eConnectRead1');
			emulator.setOptions({ expireTokensEveryRequests: undefined });
			expect(result.run.data.resultData.error).toBeUndefined();
			expect(nodeItems(result, 'Organization')[0]).toMatchObject({
				organizationId: emulator.dataset.organizationId,
			});
			const ids = nodeItems(result, 'All transactions').map((transaction) => transaction.id);
			expect(ids).toEqual(
				emulator.dataset.accounts.flatMap((account) =>
					account.transactions.map((transaction) => transaction.id),
				),
			);
			expect(emulator.connect.refreshCount - started).toBeGreaterThanOrEqual(3);
			expect(
				emulator.log
					.filter((entry) => entry.path.includes('/accounts'))
					.every((entry) => entry.clientCertificate && entry.signature === 'valid'),
			).toBe(true);

			const stored = await n8n.exportCredential(CREDENTIAL_ID);
			expect(stored.data.refreshToken).toBe(emulator.connect.currentRefreshToken());
			expect(stored.data.accessToken).toEqual(expect.any(String));
			for (const secret of [
				stored.data.refreshToken,
				stored.data.accessToken,
				'test-connect-client-secret',
				pki.client.passphrase,
			]) {
				expect(result.output).not.toContain(String(secret));
			}
			process.stdout.write(
				`n8n ${major}.x Connect: ${emulator.connect.refreshCount - started} renewals during one execution of ${result.wallMs} ms\n`,
			);
		});
	} else {
		test('n8n 1.x cannot send the client certificate: the error says to use n8n 2.20 or newer', async () => {
			const linkRun = await n8n.execute('e2eConnectLink1');
			const [{ authorizationUrl }] = nodeItems(linkRun, 'Authorization link');
			await n8n.importCredentials(credentials(await approve(String(authorizationUrl))));
			const result = await n8n.execute('e2eConnectRead1');
			const error = result.run.data.resultData.runData.Organization[0].error;
			expect(error?.message).toBe(
				'Ponto refused the TLS connection: the client certificate was not sent or not accepted',
			);
			expect(error?.description).toMatch(/needs n8n 2\.20 or newer/);
			expect(emulator.connect.tlsRejections.map((rejection) => rejection.reason)).toContain(
				'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
			);
		});
	}
});
