import { constants, createHash, createPrivateKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * HTTP request signing of Ponto Connect (draft-cavage-12 "hs2019", docs/ponto-api.md
 * §2.2): a Digest of the exact body bytes, and a Signature over (request-target), host,
 * digest, (created), then authorization and every ibanity-* header, with RSA-PSS SHA-256
 * (MGF1 SHA-256, salt 32) and the key of the app's signature certificate.
 */
export interface SignatureKey {
	keyId: string;
	privateKey: KeyObject;
}

export interface SignableRequest {
	method: string;
	/** Absolute URL, with its query string exactly as it will be sent. */
	url: string;
	/** The exact body text ('' when there is none). */
	body: string;
	headers: Record<string, string>;
}

export function digestOf(body: string): string {
	return `SHA-512=${createHash('sha512').update(body, 'utf8').digest('base64')}`;
}

/** The signing string and the header list, in the order they are signed. */
export function signingString(
	request: SignableRequest,
	created: number,
	digest: string,
): { text: string; headers: string[] } {
	const url = new URL(request.url);
	const lines: Array<[string, string]> = [
		['(request-target)', `${request.method.toLowerCase()} ${url.pathname}${url.search}`],
		['host', url.host],
		['digest', digest],
		['(created)', String(created)],
	];
	const extra = Object.entries(request.headers)
		.map(([name, value]) => [name.toLowerCase(), value] as [string, string])
		.filter(([name]) => name === 'authorization' || name.startsWith('ibanity'))
		.sort(([a], [b]) =>
			a === 'authorization' ? -1 : b === 'authorization' ? 1 : a.localeCompare(b),
		);
	lines.push(...extra);
	return {
		text: lines.map(([name, value]) => `${name}: ${value}`).join('\n'),
		headers: lines.map(([name]) => name),
	};
}

/** The Digest and Signature headers for a request. */
export function signatureHeaders(
	request: SignableRequest,
	key: SignatureKey,
	created = Math.floor(Date.now() / 1000),
): Record<string, string> {
	const digest = digestOf(request.body);
	const { text, headers } = signingString(request, created, digest);
	const signature = sign('sha256', Buffer.from(text, 'utf8'), {
		key: key.privateKey,
		padding: constants.RSA_PKCS1_PSS_PADDING,
		saltLength: 32,
	}).toString('base64');
	return {
		Digest: digest,
		Signature: `keyId="${key.keyId}",created=${created},algorithm="hs2019",headers="${headers.join(' ')}",signature="${signature}"`,
	};
}

export function readSigningKey(pem: string, passphrase?: string): KeyObject {
	return createPrivateKey({ key: pem, passphrase: passphrase || undefined });
}
