import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Checks of the PEM material of a Ponto Connect credential, so a pasted key that is malformed,
 * locked with another passphrase or not the certificate's own gets an error naming the field
 * instead of a TLS failure deep in a request.
 */
export class CredentialProblem extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'PontoConnectCredentialError';
	}
}

/**
 * n8n wraps what a credential hook throws; n8n 1.x drops the original error on the way (its
 * errors re-declare `cause`), keeping only the message. The credential's hooks (the one entry
 * point, transport/connectCredential.ts) record the problems they throw here, by message, so
 * the node can still show their descriptions. Bounded; rebuilt as needed.
 */
const recentProblems = new Map<string, string>();

export function recordProblem(problem: CredentialProblem): void {
	recentProblems.delete(problem.message);
	recentProblems.set(problem.message, problem.description);
	if (recentProblems.size > 50) recentProblems.delete(recentProblems.keys().next().value as string);
}

export function describedProblem(message: string): string | undefined {
	return recentProblems.get(message);
}

/** Text areas sometimes lose line breaks; rebuild a PEM block from one flattened line. */
export function normalizePem(text: unknown): string {
	if (typeof text !== 'string') return '';
	const trimmed = text.trim().replace(/\\n/g, '\n');
	if (trimmed.includes('\n') || !trimmed.startsWith('-----BEGIN')) return trimmed;
	const match = /^(-----BEGIN [A-Z0-9 ]+-----)(.*?)(-----END [A-Z0-9 ]+-----)$/.exec(trimmed);
	if (!match) return trimmed;
	const body = match[2].replace(/\s+/g, '');
	return [match[1], ...(body.match(/.{1,64}/g) ?? []), match[3]].join('\n');
}

export interface TlsMaterial {
	cert: string;
	key: string;
	passphrase?: string;
	ca?: string;
}

function readCertificate(pem: string, field: string): X509Certificate {
	let certificate: X509Certificate | undefined;
	try {
		certificate = new X509Certificate(pem);
	} catch {
		certificate = undefined;
	}
	if (certificate) return certificate;
	throw new CredentialProblem(
		`${field}: not a PEM certificate`,
		'Paste the whole certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
	);
}

export function readPrivateKey(
	pem: string,
	passphrase: string | undefined,
	field: string,
	passphraseField: string,
): KeyObject {
	if (!pem.includes('PRIVATE KEY-----')) {
		throw new CredentialProblem(
			`${field}: not a PEM private key`,
			'Paste the whole key, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----.',
		);
	}
	const encrypted = pem.includes('ENCRYPTED');
	if (encrypted && !passphrase) {
		throw new CredentialProblem(
			`${field} is encrypted: ${passphraseField} is missing`,
			`Enter the passphrase of the key in ${passphraseField}.`,
		);
	}
	let key: KeyObject | undefined;
	try {
		key = createPrivateKey({ key: pem, passphrase: passphrase || undefined });
	} catch {
		key = undefined;
	}
	if (key) return key;
	throw encrypted
		? new CredentialProblem(
				`${passphraseField}: wrong passphrase for ${field}`,
				`Enter the passphrase the key was exported with.`,
			)
		: new CredentialProblem(
				`${field}: the key cannot be read`,
				'Paste the key again; it may be cut or damaged.',
			);
}

/** TLS certificate, its key and optional CA, checked and ready for n8n's agentOptions. */
export function checkTlsMaterial(fields: {
	certificate: unknown;
	privateKey: unknown;
	passphrase?: unknown;
	ca?: unknown;
}): TlsMaterial {
	const cert = normalizePem(fields.certificate);
	const key = normalizePem(fields.privateKey);
	const passphrase =
		typeof fields.passphrase === 'string' && fields.passphrase !== ''
			? fields.passphrase
			: undefined;
	if (!cert)
		throw new CredentialProblem(
			'TLS Certificate is empty',
			'Paste the TLS certificate of your Ponto Connect application (from the Ponto developer portal).',
		);
	if (!key)
		throw new CredentialProblem(
			'TLS Private Key is empty',
			'Paste the private key that belongs to the TLS certificate.',
		);
	const certificate = readCertificate(cert, 'TLS Certificate');
	const privateKey = readPrivateKey(key, passphrase, 'TLS Private Key', 'Passphrase');
	if (!certificate.checkPrivateKey(privateKey)) {
		throw new CredentialProblem(
			'TLS Private Key does not belong to the TLS Certificate',
			'Use the key that was created with this certificate (the signature certificate and its key are a different pair).',
		);
	}
	const ca = normalizePem(fields.ca);
	if (ca) readCertificate(ca, 'CA Certificate');
	return { cert, key, passphrase, ca: ca || undefined };
}
