// HTTP request signatures of Ponto Connect (docs/ponto-api.md §2.2): draft-cavage-12
// "hs2019", Digest SHA-512 of the raw body, RSASSA-PSS SHA-256 (MGF1 SHA-256, salt 32).
// Pure functions: the emulator verifies with verifyHttpSignature; tests and tools may sign with
// signHttpRequest (the reference implementation of the same rules).
import {
	constants,
	createHash,
	createPrivateKey,
	createPublicKey,
	sign,
	verify,
	type KeyObject,
} from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const EMPTY_BODY_DIGEST =
	'SHA-512=z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==';
const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
const REQUIRED_COMPONENTS = ['(request-target)', 'host', 'digest', '(created)'];

/** 'SHA-512=' + base64(sha512(body)). */
export function bodyDigest(body: Buffer | string): string {
	return `SHA-512=${createHash('sha512').update(body).digest('base64')}`;
}

export type SignatureFailure =
	| 'missingSignature'
	| 'missingDigest'
	| 'malformedSignature'
	| 'unsupportedAlgorithm'
	| 'unknownKeyId'
	| 'digestMismatch'
	| 'missingSignedHeader'
	| 'headerNotSigned'
	| 'createdOutOfRange'
	| 'badSignature';

export type SignatureCheck =
	| { ok: true; keyId: string; signingString: string }
	| { ok: false; reason: SignatureFailure; detail: string };

export interface SignatureVerifyInput {
	method: string;
	/** Path with the query string exactly as received (req.url). */
	target: string;
	headers: IncomingHttpHeaders;
	/** Raw body bytes (empty for GET/DELETE). */
	body: Buffer;
	/** keyId -> public key or certificate (PEM). */
	keys: Record<string, string | KeyObject>;
	nowSeconds: number;
	/** Allowed distance between created and now. Default 300 (±5 min). */
	maxSkewSeconds?: number;
	/** Value the host line must carry; default the Host header as received. */
	host?: string;
}

/** Parses `k="v",k=v,...` (values quoted or not). */
export function parseSignatureHeader(value: string): Record<string, string> | null {
	const out: Record<string, string> = {};
	const re = /\s*([A-Za-z][A-Za-z0-9-]*)\s*=\s*(?:"([^"]*)"|([^,\s"]*))\s*(,|$)/y;
	let index = 0;
	while (index < value.length) {
		re.lastIndex = index;
		const m = re.exec(value);
		if (!m) return null;
		out[m[1]] = m[2] ?? m[3];
		index = re.lastIndex;
		if (m[4] === '') break;
	}
	return Object.keys(out).length ? out : null;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const v = headers[name];
	return Array.isArray(v) ? v.join(', ') : v;
}

const fail = (reason: SignatureFailure, detail: string): SignatureCheck => ({
	ok: false,
	reason,
	detail,
});

/** Verifies Digest + Signature of one request; every failure says what failed. */
export function verifyHttpSignature(input: SignatureVerifyInput): SignatureCheck {
	const signatureHeader = header(input.headers, 'signature');
	if (!signatureHeader)
		return fail('missingSignature', 'The request is not signed: the Signature header is missing.');
	const digestHeader = header(input.headers, 'digest');
	if (!digestHeader) return fail('missingDigest', 'The Digest header is missing.');
	const params = parseSignatureHeader(signatureHeader);
	if (!params) return fail('malformedSignature', 'The Signature header cannot be parsed.');
	for (const name of ['keyId', 'created', 'headers', 'signature']) {
		if (!params[name]) return fail('malformedSignature', `The Signature header has no ${name}.`);
	}
	if (params.algorithm !== undefined && params.algorithm !== 'hs2019')
		return fail(
			'unsupportedAlgorithm',
			`Signature algorithm ${params.algorithm} is not supported; use hs2019.`,
		);
	const key = Object.prototype.hasOwnProperty.call(input.keys, params.keyId)
		? input.keys[params.keyId]
		: undefined;
	if (!key) return fail('unknownKeyId', `Unknown signature keyId ${params.keyId}.`);
	if (!/^SHA-512=/.test(digestHeader))
		return fail('digestMismatch', 'The Digest header must use SHA-512.');
	if (digestHeader !== bodyDigest(input.body))
		return fail(
			'digestMismatch',
			'The Digest header does not match the SHA-512 of the request body.',
		);
	if (!/^\d+$/.test(params.created))
		return fail('malformedSignature', 'created must be a Unix time in seconds.');
	const created = Number(params.created);
	const skew = input.maxSkewSeconds ?? 300;
	if (Math.abs(input.nowSeconds - created) > skew)
		return fail(
			'createdOutOfRange',
			`created (${created}) is more than ${skew} s away from the server time (${input.nowSeconds}).`,
		);
	const listed = params.headers.trim().toLowerCase().split(/\s+/);
	for (const name of REQUIRED_COMPONENTS) {
		if (!listed.includes(name))
			return fail('missingSignedHeader', `The signed headers list must include ${name}.`);
	}
	const mustSign = Object.keys(input.headers).filter(
		(n) => n === 'authorization' || n.startsWith('ibanity'),
	);
	for (const name of mustSign) {
		if (!listed.includes(name))
			return fail('headerNotSigned', `The ${name} header is sent but not signed.`);
	}
	const lines: string[] = [];
	for (const name of listed) {
		if (name === '(request-target)')
			lines.push(`(request-target): ${input.method.toLowerCase()} ${input.target}`);
		else if (name === '(created)') lines.push(`(created): ${params.created}`);
		else if (name === 'host')
			lines.push(`host: ${input.host ?? header(input.headers, 'host') ?? ''}`);
		else {
			const value = header(input.headers, name);
			if (value === undefined)
				return fail('missingSignedHeader', `The signed header ${name} is not in the request.`);
			lines.push(`${name}: ${value}`);
		}
	}
	const signingString = lines.join('\n');
	let valid = false;
	try {
		const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
		const bytes = Buffer.from(params.signature.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		valid = verify('sha256', Buffer.from(signingString, 'utf8'), { key: publicKey, ...PSS }, bytes);
	} catch {
		valid = false;
	}
	if (!valid)
		return fail(
			'badSignature',
			'The signature does not verify (RSA-PSS SHA-256, salt 32) against the signing string rebuilt from the request.',
		);
	return { ok: true, keyId: params.keyId, signingString };
}

export interface SignInput {
	method: string;
	/** Path + query as sent, e.g. '/ponto-connect/accounts?page[limit]=10'. */
	target: string;
	host: string;
	body?: Buffer | string;
	keyId: string;
	privateKey: string | KeyObject;
	created?: number;
	/** Request headers: authorization and ibanity-* ones are signed, in this order. */
	headers?: Record<string, string>;
	/** Ruby/Java/Elixir quote created; .NET and the docs do not (default). */
	quoteCreated?: boolean;
	/** Ruby/Elixir use URL-safe base64 for the signature; default standard. */
	urlSafe?: boolean;
}

/** Digest and Signature header values for a request (reference signer for tests). */
export function signHttpRequest(input: SignInput): {
	digest: string;
	signature: string;
	signingString: string;
} {
	const created = input.created ?? Math.floor(Date.now() / 1000);
	const digest = bodyDigest(input.body ?? '');
	const extra = Object.entries(input.headers ?? {})
		.map(([k, v]) => [k.toLowerCase(), v] as const)
		.filter(([k]) => k === 'authorization' || k.startsWith('ibanity'));
	const names = [...REQUIRED_COMPONENTS, ...extra.map(([k]) => k)];
	const signingString = [
		`(request-target): ${input.method.toLowerCase()} ${input.target}`,
		`host: ${input.host}`,
		`digest: ${digest}`,
		`(created): ${created}`,
		...extra.map(([k, v]) => `${k}: ${v}`),
	].join('\n');
	const key =
		typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey;
	const raw = sign('sha256', Buffer.from(signingString, 'utf8'), { key, ...PSS });
	const value = input.urlSafe ? raw.toString('base64url') : raw.toString('base64');
	const createdText = input.quoteCreated ? `"${created}"` : String(created);
	const signature = `keyId="${input.keyId}",created=${createdText},algorithm="hs2019",headers="${names.join(' ')}",signature="${value}"`;
	return { digest, signature, signingString };
}
