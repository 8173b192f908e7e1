// OAuth2 token endpoint and bearer-token checks (docs/ponto-api.md §1.3, §1.4).
// Grant handlers live in a map; the Ponto Connect flavour passes its own map (authorization_code
// with PKCE S256, rotating refresh_token, client_credentials) from connect/grants.ts.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { spoolSecret } from '../support/secretSpool';

export interface ClientCredentials {
	clientId: string;
	clientSecret: string;
}

/** What the emulator remembers about a token. The token value itself is only a Map key. */
export interface IssuedToken {
	seq: number;
	clientId: string;
	scope: string;
	issuedAtMs: number;
	expiresAtMs: number;
	/** Authenticated API requests made with it. */
	uses: number;
}

export class TokenStore {
	private readonly tokens = new Map<string, IssuedToken>();
	private seq = 0;

	issue(
		clientId: string,
		scope: string,
		lifetimeSeconds: number,
		nowMs: number,
	): { value: string; token: IssuedToken } {
		// Opaque, shaped like the Hydra tokens in token-response.json.
		const value = `${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
		const token: IssuedToken = {
			seq: ++this.seq,
			clientId,
			scope,
			issuedAtMs: nowMs,
			expiresAtMs: nowMs + lifetimeSeconds * 1000,
			uses: 0,
		};
		this.tokens.set(value, token);
		spoolSecret('emulator.accessToken', value);
		return { value, token };
	}

	/** The token's record if the value was ever issued (valid or not). */
	find(value: string): IssuedToken | undefined {
		return this.tokens.get(value);
	}

	/** Valid = issued, not expired by time, and (if maxUses) used fewer than maxUses times. Counts the use. */
	authenticate(value: string, nowMs: number, maxUses?: number): IssuedToken | null {
		const token = this.tokens.get(value);
		if (!token || nowMs >= token.expiresAtMs) return null;
		if (maxUses !== undefined && token.uses >= maxUses) return null;
		token.uses++;
		return token;
	}

	expireAll(): void {
		for (const token of this.tokens.values()) token.expiresAtMs = 0;
	}
}

export function parseBearer(header: string | undefined): string | null {
	const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
	return m ? m[1] : null;
}

export interface OAuthResult {
	status: number;
	body: Record<string, unknown>;
	headers?: Record<string, string>;
	tokenSeq?: number;
}

export interface GrantContext {
	client: ClientCredentials;
	param: (name: string) => string | undefined;
	tokens: TokenStore;
	lifetimeSeconds: number;
	nowMs: number;
}

export type GrantHandler = (ctx: GrantContext) => OAuthResult;

export const grantHandlers: Record<string, GrantHandler> = {
	// Custom integrations: no refresh token, scope "ai" (docs/ponto-api.md §1.4).
	client_credentials: ({ client, tokens, lifetimeSeconds, nowMs }) => {
		const { value, token } = tokens.issue(client.clientId, 'ai', lifetimeSeconds, nowMs);
		return {
			status: 200,
			body: { access_token: value, expires_in: lifetimeSeconds, scope: 'ai', token_type: 'bearer' },
			tokenSeq: token.seq,
		};
	},
};

export function oauthError(status: number, error: string, description: string): OAuthResult {
	const headers: Record<string, string> =
		status === 401 ? { 'www-authenticate': 'Basic realm="ponto"' } : {};
	return { status, body: { error, error_description: description }, headers };
}

function sameSecret(a: string, b: string): boolean {
	const ha = createHash('sha256').update(a).digest();
	const hb = createHash('sha256').update(b).digest();
	return timingSafeEqual(ha, hb);
}

function decodeFormComponent(value: string): string {
	try {
		return decodeURIComponent(value.replace(/\+/g, ' '));
	} catch {
		return value;
	}
}

/** Basic client_id:client_secret (RFC 6749 §2.3.1, components form-encoded), or both in the body. */
function presentedClient(
	authorization: string | undefined,
	param: (name: string) => string | undefined,
): ClientCredentials | null {
	const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
	if (basic) {
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon < 0) return null;
		return {
			clientId: decodeFormComponent(decoded.slice(0, colon)),
			clientSecret: decodeFormComponent(decoded.slice(colon + 1)),
		};
	}
	const clientId = param('client_id');
	const clientSecret = param('client_secret');
	return clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : null;
}

/** Form fields of the token request: x-www-form-urlencoded (or JSON) body, then the query string. */
function tokenParams(
	headers: IncomingHttpHeaders,
	body: Buffer,
	query: URLSearchParams,
): (name: string) => string | undefined {
	let fields = new URLSearchParams();
	const text = body.toString('utf8');
	if ((headers['content-type'] ?? '').includes('json')) {
		try {
			const parsed: unknown = JSON.parse(text);
			if (parsed && typeof parsed === 'object') {
				for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') fields.append(k, v);
			}
		} catch {
			fields = new URLSearchParams();
		}
	} else {
		fields = new URLSearchParams(text);
	}
	return (name) => fields.get(name) ?? query.get(name) ?? undefined;
}

export interface TokenRequest {
	headers: IncomingHttpHeaders;
	body: Buffer;
	query: URLSearchParams;
	clients: readonly ClientCredentials[];
	tokens: TokenStore;
	lifetimeSeconds: number;
	nowMs: number;
	/** Grant handlers to use instead of grantHandlers (Ponto Connect). */
	grants?: Record<string, GrantHandler>;
	/** A body client_id must match the authenticated client (Ponto Connect). */
	strictClientId?: boolean;
}

/**
 * Client authentication of the OAuth2 endpoints (token, and revoke in Ponto Connect): the client
 * and the form reader, or the 401 invalid_client answer. With strictClientId a client_id in the
 * body next to Basic (as the Connect SDKs send it) must name the same client.
 */
export function authenticateClient(
	req: Pick<TokenRequest, 'headers' | 'body' | 'query' | 'clients' | 'strictClientId'>,
): { client: ClientCredentials; param: (name: string) => string | undefined } | OAuthResult {
	const param = tokenParams(req.headers, req.body, req.query);
	const presented = presentedClient(req.headers.authorization, param);
	const client = presented && req.clients.find((c) => c.clientId === presented.clientId);
	const bodyId = param('client_id');
	if (
		!presented ||
		!client ||
		!sameSecret(client.clientSecret, presented.clientSecret) ||
		(req.strictClientId && bodyId !== undefined && bodyId !== client.clientId)
	) {
		return oauthError(
			401,
			'invalid_client',
			'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).',
		);
	}
	return { client, param };
}

/** POST /oauth2/token. OAuth2-style error bodies ({error, error_description}), not JSON:API. */
export function handleTokenRequest(req: TokenRequest): OAuthResult {
	const authenticated = authenticateClient(req);
	if ('status' in authenticated) return authenticated;
	const { client, param } = authenticated;
	const grantType = param('grant_type');
	if (!grantType)
		return oauthError(
			400,
			'invalid_request',
			'The request is missing the required parameter grant_type.',
		);
	const grants = req.grants ?? grantHandlers;
	const handler = Object.prototype.hasOwnProperty.call(grants, grantType)
		? grants[grantType]
		: undefined;
	if (!handler)
		return oauthError(
			400,
			'unsupported_grant_type',
			`The authorization grant type ${grantType} is not supported by the authorization server.`,
		);
	return handler({
		client,
		param,
		tokens: req.tokens,
		lifetimeSeconds: req.lifetimeSeconds,
		nowMs: req.nowMs,
	});
}
