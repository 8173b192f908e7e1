// Ponto Connect webhooks (docs/ponto-api.md §6): event bodies, the RS512 JWT of the
// Signature header, the JWKS of GET /webhooks/keys, and deliberate forgeries for receiver tests.
// Everything but postWebhookRequest is pure (no emulator state, no I/O).
import { createHash, createHmac, createPublicKey, randomUUID, sign } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

export const WEBHOOK_EVENT_TYPES = [
	'pontoConnect.synchronization.succeededWithoutChange',
	'pontoConnect.synchronization.failed',
	'pontoConnect.account.detailsUpdated',
	'pontoConnect.account.transactionsCreated',
	'pontoConnect.account.transactionsUpdated',
	'pontoConnect.account.pendingTransactionsCreated',
	'pontoConnect.account.pendingTransactionsUpdated',
	'pontoConnect.account.reauthorized',
	'pontoConnect.integration.created',
	'pontoConnect.integration.revoked',
	'pontoConnect.integration.accountAdded',
	'pontoConnect.integration.accountRevoked',
	'pontoConnect.organization.blocked',
	'pontoConnect.organization.unblocked',
	'pontoConnect.paymentRequest.closed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

type Rel = 'account' | 'synchronization' | 'organization' | 'paymentRequest';
/** Relationships and extra attributes of each event type (docs/ponto-api.md §6.1 table). */
const SHAPES: Record<WebhookEventType, { rels: Rel[]; subtype?: true; count?: true }> = {
	'pontoConnect.synchronization.succeededWithoutChange': {
		rels: ['account', 'synchronization', 'organization'],
		subtype: true,
	},
	'pontoConnect.synchronization.failed': {
		rels: ['account', 'synchronization', 'organization'],
		subtype: true,
	},
	'pontoConnect.account.detailsUpdated': { rels: ['account', 'synchronization', 'organization'] },
	'pontoConnect.account.transactionsCreated': {
		rels: ['account', 'synchronization', 'organization'],
		count: true,
	},
	'pontoConnect.account.transactionsUpdated': {
		rels: ['account', 'synchronization', 'organization'],
		count: true,
	},
	'pontoConnect.account.pendingTransactionsCreated': {
		rels: ['account', 'synchronization', 'organization'],
		count: true,
	},
	'pontoConnect.account.pendingTransactionsUpdated': {
		rels: ['account', 'synchronization', 'organization'],
		count: true,
	},
	'pontoConnect.account.reauthorized': { rels: ['account', 'organization'] },
	'pontoConnect.integration.created': { rels: ['organization'] },
	'pontoConnect.integration.revoked': { rels: ['organization'] },
	'pontoConnect.integration.accountAdded': { rels: ['account', 'organization'] },
	'pontoConnect.integration.accountRevoked': { rels: ['account', 'organization'] },
	'pontoConnect.organization.blocked': { rels: ['organization'] },
	'pontoConnect.organization.unblocked': { rels: ['organization'] },
	'pontoConnect.paymentRequest.closed': { rels: ['account', 'organization', 'paymentRequest'] },
};

export interface WebhookEventInput {
	/** Event id; default a random UUID. */
	id?: string;
	createdAt?: string;
	organizationId?: string;
	accountId?: string;
	synchronizationId?: string;
	paymentRequestId?: string;
	/** transactionsCreated/Updated, pendingTransactionsCreated/Updated. Default 1. */
	count?: number;
	/** synchronization.* events. Default 'accountTransactions'. */
	synchronizationSubtype?: string;
}

export interface WebhookEvent {
	data: {
		attributes: Record<string, unknown>;
		id: string;
		relationships: Record<string, { data: { id: string; type: string } }>;
		type: WebhookEventType;
	};
}

/**
 * An event body in the key order of the real bodies (alphabetical, as in
 * webhook-integration-account-revoked.json). Missing ids are random UUIDs.
 */
export function webhookEvent(type: WebhookEventType, input: WebhookEventInput = {}): WebhookEvent {
	const shape = SHAPES[type];
	if (!shape) throw new Error(`unknown webhook event type ${String(type)}`);
	const ids: Record<Rel, string | undefined> = {
		account: input.accountId,
		synchronization: input.synchronizationId,
		organization: input.organizationId,
		paymentRequest: input.paymentRequestId,
	};
	const attributes: Record<string, unknown> = {};
	if (shape.count) attributes.count = input.count ?? 1;
	attributes.createdAt = input.createdAt ?? new Date().toISOString();
	if (shape.subtype)
		attributes.synchronizationSubtype = input.synchronizationSubtype ?? 'accountTransactions';
	const relationships: WebhookEvent['data']['relationships'] = {};
	for (const rel of [...shape.rels].sort())
		relationships[rel] = { data: { id: ids[rel] ?? randomUUID(), type: rel } };
	return { data: { attributes, id: input.id ?? randomUUID(), relationships, type } };
}

export interface WebhookSigningKey {
	kid: string;
	/** PEM; needed to sign. */
	privateKey?: string;
	/** PEM (SPKI or certificate). */
	publicKey: string;
	/** JWKS status; default 'ACTIVE'. */
	status?: string;
}

export interface Jwk {
	alg: 'RS512';
	e: string;
	kid: string;
	kty: 'RSA';
	n: string;
	status: string;
	use: 'sig';
}

/** The body of GET /webhooks/keys, shaped like webhook-keys.json. */
export function webhookJwks(keys: readonly WebhookSigningKey[]): { keys: Jwk[] } {
	return {
		keys: keys.map((k) => {
			const jwk = createPublicKey(k.publicKey).export({ format: 'jwk' }) as {
				n: string;
				e: string;
			};
			return {
				alg: 'RS512',
				e: jwk.e,
				kid: k.kid,
				kty: 'RSA',
				n: jwk.n,
				status: k.status ?? 'ACTIVE',
				use: 'sig',
			};
		}),
	};
}

export interface WebhookClaims {
	aud: string;
	digest: string;
	exp: number;
	iat: number;
	iss: string;
	jti: string;
}

export type WebhookForgery =
	| 'wrongDigest'
	| 'mutatedBody'
	| 'expired'
	| 'iatInFuture'
	| 'wrongAudience'
	| 'wrongIssuer'
	| 'unknownKid'
	| 'algNone'
	| 'hs512WithPublicKey'
	| 'missingSignature'
	| 'truncatedToken'
	| 'oversizedBody';

export const WEBHOOK_FORGERIES: readonly WebhookForgery[] = [
	'wrongDigest',
	'mutatedBody',
	'expired',
	'iatInFuture',
	'wrongAudience',
	'wrongIssuer',
	'unknownKid',
	'algNone',
	'hs512WithPublicKey',
	'missingSignature',
	'truncatedToken',
	'oversizedBody',
];

export interface WebhookBuildOptions {
	forge?: WebhookForgery;
	/** Unix seconds used for iat. Default now. */
	nowSeconds?: number;
	/** Size of the whole body for 'oversizedBody'. Default 1 MiB + 1 byte. */
	oversizeBytes?: number;
	/** Overrides applied to the claims after the forgery (anything goes). */
	claims?: Partial<WebhookClaims>;
	/** Replaces the whole JOSE header. */
	header?: Record<string, unknown>;
	/** Extra HTTP headers. */
	headers?: Record<string, string>;
}

export interface WebhookSigningConfig {
	/** The key signing the deliveries (needs privateKey). */
	key: WebhookSigningKey;
	/** aud claim: the Ponto Connect application id. */
	applicationId: string;
	/** iss claim. Default 'https://api.ibanity.com'. */
	issuer?: string;
}

export interface WebhookRequest {
	body: Buffer;
	headers: Record<string, string>;
	/** The Signature header value (undefined for 'missingSignature'). */
	token?: string;
	header: Record<string, unknown>;
	claims: WebhookClaims;
	forge?: WebhookForgery;
}

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/** base64 (standard, padded) SHA-512 of the exact body bytes: the digest claim. */
export function webhookDigest(body: Buffer | string): string {
	return createHash('sha512').update(body).digest('base64');
}

/** Compact JWT; alg RS512 signs with the PEM key, HS512 uses the secret, none leaves it empty. */
export function signJwt(
	header: Record<string, unknown>,
	claims: object,
	key: string | Buffer,
): string {
	const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
	if (header.alg === 'none') return `${input}.`;
	if (header.alg === 'HS512')
		return `${input}.${createHmac('sha512', key).update(input).digest('base64url')}`;
	return `${input}.${sign('sha512', Buffer.from(input), key).toString('base64url')}`;
}

/** Builds a (possibly forged) webhook delivery: exact body bytes and headers. Pure. */
export function buildWebhookRequest(
	event: WebhookEvent | string | Buffer,
	config: WebhookSigningConfig,
	opts: WebhookBuildOptions = {},
): WebhookRequest {
	const forge = opts.forge;
	let body = Buffer.isBuffer(event)
		? event
		: Buffer.from(typeof event === 'string' ? event : JSON.stringify(event));
	if (forge === 'oversizedBody') body = padBody(body, opts.oversizeBytes ?? 1024 * 1024 + 1);
	const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
	const claims: WebhookClaims = {
		aud: config.applicationId,
		digest: webhookDigest(body),
		exp: now + 60,
		iat: now,
		iss: config.issuer ?? 'https://api.ibanity.com',
		jti: randomUUID(),
	};
	if (forge === 'wrongDigest')
		claims.digest = webhookDigest(Buffer.concat([body, Buffer.from(' ')]));
	if (forge === 'expired') Object.assign(claims, { iat: now - 180, exp: now - 120 });
	if (forge === 'iatInFuture') Object.assign(claims, { iat: now + 300, exp: now + 360 });
	if (forge === 'wrongAudience') claims.aud = randomUUID();
	if (forge === 'wrongIssuer') claims.iss = 'https://api.ibanity.evil.example';
	Object.assign(claims, opts.claims);
	const alg = forge === 'algNone' ? 'none' : forge === 'hs512WithPublicKey' ? 'HS512' : 'RS512';
	const kid = forge === 'unknownKid' ? `unknown_${config.key.kid}` : config.key.kid;
	const header = opts.header ?? { alg, kid };
	let token: string | undefined;
	if (forge !== 'missingSignature') {
		if (alg === 'RS512' && !config.key.privateKey)
			throw new Error(`webhook key ${config.key.kid} has no private key`);
		// The classic algorithm-confusion attack: HMAC keyed with the public key PEM text.
		const secret = alg === 'HS512' ? config.key.publicKey : (config.key.privateKey ?? '');
		token = signJwt(header, claims, secret);
		if (forge === 'truncatedToken')
			token = token.slice(0, token.length - Math.ceil((token.length - token.lastIndexOf('.')) / 2));
	}
	if (forge === 'mutatedBody') body = mutate(body);
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		...(token ? { signature: token } : {}),
		...opts.headers,
	};
	return { body, headers, token, header, claims, forge };
}

/** Changes the body after signing: the digest no longer matches, the JSON stays valid. */
function mutate(body: Buffer): Buffer {
	const text = body.toString('utf8');
	const changed = text.includes('"count":')
		? text.replace(/"count":(\d+)/, (_m, n: string) => `"count":${Number(n) + 1000}`)
		: text.replace(/"createdAt":"/, '"createdAt":"1');
	return Buffer.from(changed === text ? `${text} ` : changed);
}

/** Valid JSON of exactly `size` bytes (at least the original's size): a padding attribute. */
function padBody(body: Buffer, size: number): Buffer {
	const text = body.toString('utf8');
	const marker = '"attributes":{';
	const at = text.indexOf(marker);
	if (at < 0) return Buffer.concat([body, Buffer.alloc(Math.max(0, size - body.length), ' ')]);
	const insert = (n: number): string =>
		`${text.slice(0, at + marker.length)}"padding":"${'x'.repeat(n)}",${text.slice(at + marker.length)}`;
	const overhead = Buffer.byteLength(insert(0));
	return Buffer.from(insert(Math.max(0, size - overhead)));
}

export interface WebhookResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** POSTs a built delivery to a receiver (http or https, any status accepted). */
export function postWebhookRequest(
	url: string,
	request: WebhookRequest,
	tls: { ca?: string | string[]; rejectUnauthorized?: boolean } = {},
): Promise<WebhookResponse> {
	const target = new URL(url);
	const client = target.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = client.request(
			target,
			{
				method: 'POST',
				headers: { ...request.headers, 'content-length': String(request.body.length) },
				agent: false,
				...(target.protocol === 'https:' ? tls : {}),
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(request.body);
	});
}
