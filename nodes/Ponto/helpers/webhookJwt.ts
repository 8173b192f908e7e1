import { createHash, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Verification of Ponto Connect webhook deliveries (docs/ponto-api.md §6.2): the
 * `Signature` header is a compact JWS, alg RS512, whose claims bind the exact body bytes
 * (`digest`), the sender (`iss`), the receiving application (`aud`) and a short validity
 * window (`iat`/`exp`, 60 s apart). Pure: no I/O, the clock and the keys come in as inputs.
 *
 * Reasons are written for the n8n log. They never contain the token, the body or a key, and
 * values chosen by the sender (alg, kid) are only quoted when they are short and plain.
 */
export const PONTO_WEBHOOK_ISSUER = 'https://api.ibanity.com';
/** Clock skew accepted on iat and exp, as in the Ibanity SDKs. */
export const WEBHOOK_TOLERANCE_SECONDS = 30;
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
/** An RS512 JWT with a 4096-bit key is about 1 kB; anything far longer is not Ponto's. */
const MAX_TOKEN_LENGTH = 8192;
const MIN_MODULUS_BITS = 2048;
/** F4, the exponent of every RSA key in practice; e = 1 or 3 make forgeries or attacks easy. */
const RSA_EXPONENT = BigInt(65537);
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface WebhookJwtHeader {
	alg: 'RS512';
	kid: string;
	[name: string]: unknown;
}

export interface WebhookClaims {
	digest: string;
	iss: string;
	aud: string | string[];
	iat: number;
	exp: number;
	jti?: string;
	[name: string]: unknown;
}

export type WebhookVerification =
	{ ok: true; claims: WebhookClaims; header: WebhookJwtHeader } | { ok: false; reason: string };

export interface VerifyWebhookInput {
	/** The `Signature` header as received (n8n gives a string, or a list when repeated). */
	signature: string | string[] | undefined;
	/** The request body exactly as received. */
	rawBody: Buffer | undefined;
	/** The active signing key with this kid, if any. */
	keys: (kid: string) => KeyObject | undefined;
	expectedIssuer: string;
	/** The Ponto Connect application id. */
	expectedAudience: string;
	/** Unix time in seconds. */
	now: number;
	toleranceSeconds?: number;
	maxBodyBytes?: number;
}

/** A sender-chosen value, quoted only when short and plain (log safety). */
function quoted(value: unknown): string {
	return typeof value === 'string' && /^[\w.:-]{1,64}$/.test(value)
		? `"${value}"`
		: 'an unreadable value';
}

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
	} catch {
		return undefined;
	}
	return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
		? (parsed as Record<string, unknown>)
		: undefined;
}

/** Base64url that decodes and re-encodes to itself: no stray characters, no padding games. */
function isCanonicalBase64url(segment: string): boolean {
	return (
		SEGMENT.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment
	);
}

export type WebhookHeaderReading =
	| { ok: true; header: WebhookJwtHeader; segments: [string, string, string] }
	| { ok: false; reason: string };

/**
 * The JOSE header of the Signature token, checked before any key is looked up, so a token
 * with another algorithm (none, HS512, ...) never costs a key fetch.
 */
export function readWebhookHeader(signature: string | string[] | undefined): WebhookHeaderReading {
	if (Array.isArray(signature)) {
		if (signature.length !== 1)
			return {
				ok: false,
				reason: signature.length ? 'more than one Signature header' : 'no Signature header',
			};
		signature = signature[0];
	}
	if (typeof signature !== 'string' || signature.trim() === '')
		return { ok: false, reason: 'no Signature header' };
	const token = signature.trim();
	if (token.length > MAX_TOKEN_LENGTH)
		return { ok: false, reason: `Signature header longer than ${MAX_TOKEN_LENGTH} characters` };
	const parts = token.split('.');
	if (parts.length !== 3)
		return {
			ok: false,
			reason: `Signature is not a compact JWS (${parts.length} segments instead of 3)`,
		};
	const [headerSegment, payloadSegment, signatureSegment] = parts;
	if (!isCanonicalBase64url(headerSegment))
		return { ok: false, reason: 'JWS header segment is not base64url' };
	const header = decodeJsonSegment(headerSegment);
	if (!header) return { ok: false, reason: 'JWS header is not a JSON object' };
	if (header.alg !== 'RS512')
		return { ok: false, reason: `JWS alg ${quoted(header.alg)} refused: only RS512 is accepted` };
	if (typeof header.kid !== 'string' || header.kid === '' || header.kid.length > 200)
		return { ok: false, reason: 'JWS header has no usable kid' };
	// RFC 7515 §4.1.11: extensions marked critical must be understood; none are.
	if (header.crit !== undefined)
		return {
			ok: false,
			reason: 'JWS header has critical extensions (crit), which are not supported',
		};
	if (!isCanonicalBase64url(payloadSegment))
		return { ok: false, reason: 'JWS payload segment is not base64url' };
	if (signatureSegment === '') return { ok: false, reason: 'JWS has an empty signature' };
	if (!isCanonicalBase64url(signatureSegment))
		return { ok: false, reason: 'JWS signature segment is not base64url' };
	return {
		ok: true,
		header: header as WebhookJwtHeader,
		segments: [headerSegment, payloadSegment, signatureSegment],
	};
}

/** base64 (standard alphabet, padded) SHA-512 of the body bytes: what `digest` must hold. */
export function bodyDigest(rawBody: Buffer): string {
	return createHash('sha512').update(rawBody).digest('base64');
}

function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

const isTime = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value);

/** Checks one delivery; every failure names the first check that failed. */
export function verifyWebhookSignature(input: VerifyWebhookInput): WebhookVerification {
	const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
	const maxBody = input.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
	const { rawBody } = input;
	if (!Buffer.isBuffer(rawBody))
		return {
			ok: false,
			reason: 'the raw request body is not available, so the digest cannot be checked',
		};
	if (rawBody.length > maxBody)
		return {
			ok: false,
			reason: `body of ${rawBody.length} bytes exceeds the ${maxBody}-byte limit`,
		};
	if (!input.expectedAudience)
		return { ok: false, reason: 'no expected audience (Application ID) configured' };
	const reading = readWebhookHeader(input.signature);
	if (!reading.ok) return reading;
	const { header, segments } = reading;
	const key = input.keys(header.kid);
	if (!key) return { ok: false, reason: `no active signing key with kid ${quoted(header.kid)}` };
	if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa')
		return { ok: false, reason: 'the signing key is not an RSA public key' };
	if (!isStrongRsaKey(key))
		return {
			ok: false,
			reason: 'the signing key is not an RSA key of at least 2048 bits with exponent 65537',
		};
	let valid = false;
	try {
		const signingInput = Buffer.from(`${segments[0]}.${segments[1]}`, 'ascii');
		valid = verify('RSA-SHA512', signingInput, key, Buffer.from(segments[2], 'base64url'));
	} catch {
		valid = false;
	}
	if (!valid)
		return { ok: false, reason: `RS512 signature does not verify with key ${quoted(header.kid)}` };
	const claims = decodeJsonSegment(segments[1]);
	if (!claims) return { ok: false, reason: 'JWT claims are not a JSON object' };
	if (typeof claims.digest !== 'string') return { ok: false, reason: 'JWT has no digest claim' };
	if (!sameText(claims.digest, bodyDigest(rawBody)))
		return { ok: false, reason: 'digest claim does not match the SHA-512 of the body' };
	if (typeof claims.iss !== 'string' || !sameText(claims.iss, input.expectedIssuer))
		return { ok: false, reason: 'iss claim is not the expected issuer' };
	const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
	if (!audiences.some((aud) => typeof aud === 'string' && sameText(aud, input.expectedAudience))) {
		return { ok: false, reason: 'aud claim is not the Application ID of the credential' };
	}
	if (!isTime(claims.iat)) return { ok: false, reason: 'JWT has no numeric iat claim' };
	if (!isTime(claims.exp)) return { ok: false, reason: 'JWT has no numeric exp claim' };
	if (claims.iat > input.now + tolerance)
		return {
			ok: false,
			reason: `JWT issued ${Math.round(claims.iat - input.now)} s in the future (iat)`,
		};
	if (claims.exp < input.now - tolerance)
		return { ok: false, reason: `JWT expired ${Math.round(input.now - claims.exp)} s ago (exp)` };
	return { ok: true, claims: claims as WebhookClaims, header };
}

/** An RSA public key with e = 65537 and a modulus of at least 2048 bits. */
export function isStrongRsaKey(key: KeyObject): boolean {
	const details = key.asymmetricKeyDetails;
	return (
		key.type === 'public' &&
		key.asymmetricKeyType === 'rsa' &&
		(details?.modulusLength ?? 0) >= MIN_MODULUS_BITS &&
		details?.publicExponent === RSA_EXPONENT
	);
}

/**
 * Signing keys of a JWKS (`GET /webhooks/keys`) by kid: RSA keys for signatures (`use` sig)
 * that are ACTIVE when a status is given, of at least 2048 bits with the exponent 65537. Base64url
 * members may carry `=` padding (docs/ponto-api.md §6.2), which JWK import does not accept
 * everywhere: it is stripped.
 */
export function keysFromJwks(jwks: unknown): Map<string, KeyObject> {
	const keys = new Map<string, KeyObject>();
	const list = (jwks as { keys?: unknown } | null | undefined)?.keys;
	if (!Array.isArray(list)) return keys;
	for (const entry of list as Array<Record<string, unknown> | null>) {
		if (!entry || typeof entry !== 'object') continue;
		const { kid, kty, use, status, alg, n, e } = entry;
		if (typeof kid !== 'string' || kid === '' || kty !== 'RSA' || use !== 'sig') continue;
		if (status !== undefined && status !== 'ACTIVE') continue;
		if (alg !== undefined && alg !== 'RS512') continue;
		if (typeof n !== 'string' || typeof e !== 'string') continue;
		let key: KeyObject | undefined;
		try {
			key = createPublicKey({
				key: { kty: 'RSA', n: n.replace(/=+$/, ''), e: e.replace(/=+$/, '') },
				format: 'jwk',
			});
		} catch {
			key = undefined;
		}
		if (key && isStrongRsaKey(key) && !keys.has(kid)) keys.set(kid, key);
	}
	return keys;
}
