// Throw-away test PKI for the Ponto Connect flavour of the emulator: a CA, a server certificate
// for 127.0.0.1, the app's TLS client certificate (plain and passphrase-encrypted key), an
// untrusted self-signed client, an HTTP-signature key pair and two webhook (RS512) key pairs.
//
// THESE ARE THROW-AWAY TEST KEYS: generated fresh for every test process (cached per module
// registry), only in memory once generated (the temporary directory openssl works in is deleted
// at once), never written to the repository, never trusted by anything outside the tests. Keys
// come from node:crypto, certificates from the `openssl` CLI.
import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPair, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectOptions } from '../emulator';
import { spoolSecret } from './secretSpool';

export interface CertAndKey {
	/** PEM certificate. */
	cert: string;
	/** PEM private key (PKCS#8, unencrypted). */
	key: string;
}

export interface RsaKeyPair {
	/** PKCS#8 PEM. */
	privateKey: string;
	/** SPKI PEM. */
	publicKey: string;
}

export interface TestPki {
	/** CA that signs the server and client certificates (trust anchor on both sides). */
	ca: CertAndKey;
	/** CN 127.0.0.1, SAN IP:127.0.0.1 + DNS:localhost, serverAuth, signed by the CA. */
	server: CertAndKey;
	/** The app's TLS certificate (clientAuth), signed by the CA; key also passphrase-encrypted. */
	client: CertAndKey & { cn: string; encryptedKey: string; passphrase: string };
	/** An RSA key that does not match client.cert. */
	otherKey: string;
	/** Self-signed client certificate, not from the CA. */
	untrustedClient: CertAndKey & { cn: string };
	/** HTTP request signing (RSA 2048); keyId = the serialNumber of the signature certificate DN. */
	signing: RsaKeyPair & { keyId: string; cert: string };
	/** Webhook JWT signing key (RSA 2048, RS512). */
	webhook: RsaKeyPair & { kid: string };
	/** Second webhook key, for rotation tests. */
	webhook2: RsaKeyPair & { kid: string };
}

const OPENSSL_TIMEOUT_MS = 15_000;
let cached: Promise<TestPki> | undefined;

/** Generates (once per module registry) the test PKI. Takes well under two seconds. */
export function generateTestPki(): Promise<TestPki> {
	cached ??= build();
	return cached;
}

function openssl(dir: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile(
			'openssl',
			args,
			{
				cwd: dir,
				timeout: OPENSSL_TIMEOUT_MS,
				env: { ...process.env, OPENSSL_CONF: join(dir, 'openssl.cnf') },
			},
			(error, _stdout, stderr) => {
				if (error) reject(new Error(`openssl ${args[0]} failed: ${stderr || error.message}`));
				else resolve();
			},
		);
	});
}

function rsa(): Promise<RsaKeyPair> {
	return new Promise((resolve, reject) => {
		generateKeyPair(
			'rsa',
			{
				modulusLength: 2048,
				publicKeyEncoding: { type: 'spki', format: 'pem' },
				privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
			},
			(error, publicKey, privateKey) =>
				error ? reject(error) : resolve({ publicKey, privateKey }),
		);
	});
}

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
[signing_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
`;

async function build(): Promise<TestPki> {
	const dir = await mkdtemp(join(tmpdir(), 'ponto-test-pki-'));
	try {
		return await generateIn(dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

async function generateIn(dir: string): Promise<TestPki> {
	await writeFile(join(dir, 'openssl.cnf'), CONFIG);
	const [ca, server, client, other, untrusted, signing, webhook, webhook2] = await Promise.all(
		Array.from({ length: 8 }, rsa),
	);
	await Promise.all(
		Object.entries({ ca, server, client, untrusted, signing }).map(([name, pair]) =>
			writeFile(join(dir, `${name}.key`), pair.privateKey),
		),
	);
	const days = ['-days', '30', '-sha256'];
	await openssl(dir, [
		'req',
		'-x509',
		'-new',
		'-key',
		'ca.key',
		'-subj',
		'/CN=Ponto Emulator Test CA (throw-away)',
		...days,
		'-extensions',
		'ca_ext',
		'-out',
		'ca.crt',
	]);
	const clientCn = 'ponto-connect-test-app';
	const signingId = randomUUID();
	const leaf = async (
		name: string,
		subject: string,
		ext: string,
		serial: string,
	): Promise<void> => {
		await openssl(dir, [
			'req',
			'-new',
			'-key',
			`${name}.key`,
			'-subj',
			subject,
			'-out',
			`${name}.csr`,
		]);
		await openssl(dir, [
			'x509',
			'-req',
			'-in',
			`${name}.csr`,
			'-CA',
			'ca.crt',
			'-CAkey',
			'ca.key',
			'-set_serial',
			serial,
			...days,
			'-extfile',
			'openssl.cnf',
			'-extensions',
			ext,
			'-out',
			`${name}.crt`,
		]);
	};
	await Promise.all([
		leaf('server', '/CN=127.0.0.1', 'server_ext', '0x1001'),
		leaf('client', `/O=Ponto Emulator Tests/CN=${clientCn}`, 'client_ext', '0x1002'),
		leaf(
			'signing',
			`/CN=ponto-connect-test-signature/serialNumber=${signingId}`,
			'signing_ext',
			'0x1003',
		),
		openssl(dir, [
			'req',
			'-x509',
			'-new',
			'-key',
			'untrusted.key',
			'-subj',
			'/CN=untrusted-client',
			...days,
			'-extensions',
			'client_ext',
			'-out',
			'untrusted.crt',
		]),
	]);
	const read = (file: string): Promise<string> => readFile(join(dir, file), 'utf8');
	const [caCert, serverCert, clientCert, signingCert, untrustedCert] = await Promise.all(
		['ca.crt', 'server.crt', 'client.crt', 'signing.crt', 'untrusted.crt'].map(read),
	);
	const passphrase = `throw-away-${randomUUID()}`;
	const encryptedKey = createPrivateKey(client.privateKey)
		.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
		.toString();
	for (const key of [ca, server, client, other, untrusted, signing, webhook, webhook2].map(
		(pair) => pair.privateKey,
	))
		spoolSecret('pki.privateKey', key);
	spoolSecret('pki.privateKey', encryptedKey);
	spoolSecret('pki.passphrase', passphrase);
	return {
		ca: { cert: caCert, key: ca.privateKey },
		server: { cert: serverCert, key: server.privateKey },
		client: { cert: clientCert, key: client.privateKey, cn: clientCn, encryptedKey, passphrase },
		otherKey: other.privateKey,
		untrustedClient: { cert: untrustedCert, key: untrusted.privateKey, cn: 'untrusted-client' },
		signing: { ...signing, keyId: signingId, cert: signingCert },
		webhook: { ...webhook, kid: 'emulator_events_signature_1' },
		webhook2: { ...webhook2, kid: 'emulator_events_signature_2' },
	};
}

/**
 * The Ponto Connect emulator set up with this PKI: its TLS server certificate (clients must
 * present one the CA signed) and the key it signs webhooks with, plus `extra` options.
 */
export function connectEmulatorOptions(
	pki: TestPki,
	extra: Partial<ConnectOptions> = {},
): ConnectOptions {
	return {
		tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
		webhooks: {
			keys: [
				{
					kid: pki.webhook.kid,
					publicKey: pki.webhook.publicKey,
					privateKey: pki.webhook.privateKey,
				},
			],
		},
		...extra,
	};
}
