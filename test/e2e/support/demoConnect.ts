import { demoDataset, startEmulator } from '../../emulator';
import type { ConnectEmulator, EmulatorOptions } from '../../emulator';
import { connectCredentialData } from '../../support/connectCredential';
import { generateTestPki } from '../../support/pki';
import type { TestPki } from '../../support/pki';
import type { ImportedCredential } from './n8n';

/**
 * The Ponto Connect side of `npm run demo` (scripts/demo.ts), shared with the payments e2e test
 * so the test proves what the demo starts: an emulator in its Connect flavour (TLS with the
 * throw-away test PKI, signed payment requests, idempotency keys, payments activated) and a
 * credential already linked through a seeded grant with the `pi` scope, under the id and name
 * the payment examples (examples/pay-approved-bills.json, examples/mark-bills-paid.json) use.
 */
export const DEMO_CONNECT_CREDENTIAL = {
	id: 'pontoConnectDemoCred01',
	name: 'Ponto Connect (local emulator)',
} as const;

/** The Connect emulator's options in the demo. Synchronizations may follow each other at once. */
export function demoConnectEmulatorOptions(pki: TestPki, port = 0): EmulatorOptions {
	return {
		port,
		dataset: demoDataset(),
		synchronization: { minIntervalMs: 0 },
		connect: {
			tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
			signature: { required: true, keys: { [pki.signing.keyId]: pki.signing.publicKey } },
			payments: { requireSignature: true },
			requireIdempotencyKey: true,
			userinfo: { paymentsActivated: true },
		},
	};
}

/** The linked demo credential: the emulator's default client, the test PKI, a seeded grant's tokens. */
export function demoConnectCredential(emulator: ConnectEmulator, pki: TestPki): ImportedCredential {
	const grant = emulator.connect.seedGrant({ scopes: ['ai', 'pi', 'name', 'offline_access'] });
	return {
		...DEMO_CONNECT_CREDENTIAL,
		type: 'pontoConnectOAuth2Api',
		data: {
			...connectCredentialData(emulator, pki, { includePaymentScope: true }),
			accessToken: grant.accessToken,
			refreshToken: grant.refreshToken ?? '',
		},
	};
}

/** Starts the demo's Connect emulator and builds its credential (a new grant each time). */
export async function startDemoConnect(
	port = 0,
): Promise<{ emulator: ConnectEmulator; credential: ImportedCredential }> {
	const pki = await generateTestPki();
	const emulator = (await startEmulator(demoConnectEmulatorOptions(pki, port))) as ConnectEmulator;
	return { emulator, credential: demoConnectCredential(emulator, pki) };
}

/**
 * The page where the emulated signer signs a payment, bulk payment or payment request (it signs
 * when the page is opened; `?decision=reject` refuses). The same page as the signingUrl of the
 * Create output, reachable under a short address on the authorization host.
 */
export function demoSigningPage(emulator: ConnectEmulator, paymentId: string): string {
	return `${new URL(emulator.connect.authorizationUrl).origin}/pay/${encodeURIComponent(paymentId)}`;
}
