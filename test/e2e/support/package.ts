import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { ConnectEmulator } from '../../emulator';
import type { TestPki } from '../../support/pki';
import type { ImportedCredential } from './n8n';
import { runCommand, tail } from './process';

const ROOT = resolve(__dirname, '../../..');
let packed: Promise<string> | undefined;

/** `npm pack` of the built package (what npm would publish), once per test run. */
export function packPackage(): Promise<string> {
	packed ??= (async () => {
		if (!existsSync(join(ROOT, 'dist/nodes/Ponto/Ponto.node.js'))) {
			throw new Error('dist/ is missing: run `npm run build` first (npm run test:e2e does it).');
		}
		const destination = mkdtempSync(join(tmpdir(), 'ponto-pack-'));
		const result = await runCommand(
			'npm',
			['pack', '--pack-destination', destination, '--ignore-scripts'],
			{
				cwd: ROOT,
				env: process.env,
				timeoutMs: 120_000,
			},
		);
		if (result.code !== 0) throw new Error(`npm pack failed:\n${tail(result.stderr)}`);
		const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
			version: string;
		};
		return join(destination, `n8n-nodes-ponto-${version}.tgz`);
	})();
	return packed;
}

/**
 * A workflow or credential file of the repository, with {{PLACEHOLDERS}} (inside JSON strings)
 * filled in, escaped for JSON so multi-line values such as PEM keys fit.
 */
export function fixture<T>(relativePath: string, values: Record<string, string> = {}): T {
	const text = readFileSync(join(ROOT, relativePath), 'utf8').replace(
		/\{\{([A-Z_0-9]+)\}\}/g,
		(match, key: string) => (key in values ? JSON.stringify(values[key]).slice(1, -1) : match),
	);
	return JSON.parse(text) as T;
}

/**
 * test/e2e/credentials-connect.json for a Connect emulator and the test PKI: the client key in
 * clear by default, or encrypted with its passphrase; request signing only when asked.
 */
export function connectCredentialsFixture(
	emulator: ConnectEmulator,
	pki: TestPki,
	options: { encryptedKey?: boolean; signing?: boolean; authorizationResponse?: string } = {},
): ImportedCredential[] {
	return fixture<ImportedCredential[]>('test/e2e/credentials-connect.json', {
		EMULATOR_URL: emulator.url,
		AUTHORIZATION_URL: emulator.authorizationUrl,
		TLS_CERT: pki.client.cert,
		TLS_KEY: options.encryptedKey ? pki.client.encryptedKey : pki.client.key,
		TLS_PASSPHRASE: options.encryptedKey ? pki.client.passphrase : '',
		CA_CERT: pki.ca.cert,
		SIGNING_KEY_ID: options.signing ? pki.signing.keyId : '',
		SIGNING_KEY: options.signing ? pki.signing.privateKey : '',
		AUTHORIZATION_RESPONSE: options.authorizationResponse ?? '',
		APPLICATION_ID: emulator.connect.applicationId,
	});
}
