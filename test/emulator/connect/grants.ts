// User grants of Ponto Connect (docs/ponto-api.md §1.2, §1.3): one-time authorization codes
// with PKCE S256, refresh tokens that rotate on every use, revocation, and the grant handlers
// (authorization_code, refresh_token, client_credentials) plugged into auth.ts.
import { createHash, randomBytes } from 'node:crypto';
import {
	oauthError,
	type ClientCredentials,
	type GrantHandler,
	type IssuedToken,
	type OAuthResult,
	type TokenStore,
} from '../auth';
import type { GrantInfo } from './options';
import { spoolSecret } from '../../support/secretSpool';

export interface AuthorizationCode {
	clientId: string;
	redirectUri: string;
	scopes: string[];
	challenge: string;
	expiresAtMs: number;
	used: boolean;
	/** The grant its exchange created: revoked if the code is presented again. */
	grantId?: string;
}

interface GrantRecord extends GrantInfo {
	accessTokens: IssuedToken[];
	currentRefresh?: string;
}

interface RefreshRecord {
	grantId: string;
	clientId: string;
	status: 'current' | 'rotated' | 'revoked';
	expiresAtMs: number;
}

export interface GrantSettings {
	organizationId: () => string;
	revokeGrantOnRefreshReuse: () => boolean;
	refreshRevokesAccessTokens: () => boolean;
	refreshTokenLifetimeSeconds: () => number | undefined;
	newId: () => string;
}

/** Opaque, shaped like the Hydra tokens of token-response.json. */
function opaque(): string {
	return `${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
}

export function s256(verifier: string): string {
	return createHash('sha256').update(verifier).digest('base64url');
}

const INVALID_GRANT =
	'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

export class GrantStore {
	readonly codes = new Map<string, AuthorizationCode>();
	readonly grants: GrantRecord[] = [];
	private readonly refresh = new Map<string, RefreshRecord>();
	private readonly byTokenSeq = new Map<number, GrantRecord>();
	refreshCount = 0;

	constructor(private readonly settings: GrantSettings) {}

	/** True for any code or refresh token ever issued (so the log can redact it). */
	isSecret(value: string): boolean {
		return this.codes.has(value) || this.refresh.has(value);
	}

	issueCode(code: Omit<AuthorizationCode, 'used' | 'grantId'>): string {
		const value = opaque();
		this.codes.set(value, { ...code, used: false });
		spoolSecret('emulator.authorizationCode', value);
		return value;
	}

	grant(id?: string): GrantRecord | undefined {
		return id ? this.grants.find((g) => g.id === id) : this.grants[this.grants.length - 1];
	}

	/** The active grant an access token belongs to (null for client tokens and dead grants). */
	grantOfToken(token: IssuedToken): GrantRecord | null {
		const grant = this.byTokenSeq.get(token.seq);
		return grant && grant.status === 'active' ? grant : null;
	}

	createGrant(clientId: string, scopes: string[], nowMs: number): GrantRecord {
		const grant: GrantRecord = {
			id: this.settings.newId(),
			clientId,
			organizationId: this.settings.organizationId(),
			scopes: [...scopes],
			status: 'active',
			createdAt: new Date(nowMs).toISOString(),
			refreshCount: 0,
			refreshReuseCount: 0,
			accessTokens: [],
		};
		this.grants.push(grant);
		return grant;
	}

	/** Access token (+ a rotated refresh token with offline_access) for a grant, as the token response. */
	issueTokens(
		grant: GrantRecord,
		tokens: TokenStore,
		lifetimeSeconds: number,
		nowMs: number,
	): OAuthResult {
		const scope = grant.scopes.join(' ');
		const { value, token } = tokens.issue(grant.clientId, scope, lifetimeSeconds, nowMs);
		grant.accessTokens.push(token);
		this.byTokenSeq.set(token.seq, grant);
		const body: Record<string, unknown> = { access_token: value, expires_in: lifetimeSeconds };
		if (grant.scopes.includes('offline_access')) {
			if (grant.currentRefresh) this.refresh.get(grant.currentRefresh)!.status = 'rotated';
			const refreshToken = opaque();
			const lifetime = this.settings.refreshTokenLifetimeSeconds();
			this.refresh.set(refreshToken, {
				grantId: grant.id,
				clientId: grant.clientId,
				status: 'current',
				expiresAtMs: lifetime === undefined ? Infinity : nowMs + lifetime * 1000,
			});
			grant.currentRefresh = refreshToken;
			spoolSecret('emulator.refreshToken', refreshToken);
			body.refresh_token = refreshToken;
		}
		Object.assign(body, { scope, token_type: 'bearer' });
		return { status: 200, body, headers: {}, tokenSeq: token.seq };
	}

	revoke(grant: GrantRecord, by: string): void {
		if (grant.status === 'revoked') return;
		grant.status = 'revoked';
		grant.revokedBy = by;
		for (const token of grant.accessTokens) token.expiresAtMs = 0;
		for (const record of this.refresh.values())
			if (record.grantId === grant.id) record.status = 'revoked';
		grant.currentRefresh = undefined;
	}

	currentRefreshToken(grantId?: string): string | undefined {
		return this.grant(grantId)?.currentRefresh;
	}

	/** POST /oauth2/revoke (RFC 7009): a refresh token kills its grant, an access token itself. */
	revokeToken(client: ClientCredentials, value: string, tokens: TokenStore): void {
		const record = this.refresh.get(value);
		if (record) {
			const grant = this.grant(record.grantId);
			if (grant && record.clientId === client.clientId) this.revoke(grant, 'revoke');
			return;
		}
		const access = tokens.find(value);
		if (access && access.clientId === client.clientId) access.expiresAtMs = 0;
	}

	handlers(): Record<string, GrantHandler> {
		return {
			authorization_code: (ctx) => this.authorizationCode(ctx),
			refresh_token: (ctx) => this.refreshToken(ctx),
			// Client token for the partner endpoints only: scope '', no refresh token (docs/ponto-api.md §1.3).
			client_credentials: ({ client, tokens, lifetimeSeconds, nowMs }) => {
				const { value, token } = tokens.issue(client.clientId, '', lifetimeSeconds, nowMs);
				return {
					status: 200,
					body: {
						access_token: value,
						expires_in: lifetimeSeconds,
						scope: '',
						token_type: 'bearer',
					},
					tokenSeq: token.seq,
				};
			},
		};
	}

	private authorizationCode({
		client,
		param,
		tokens,
		lifetimeSeconds,
		nowMs,
	}: Parameters<GrantHandler>[0]): OAuthResult {
		const code = param('code');
		if (!code)
			return oauthError(
				400,
				'invalid_request',
				'The request is missing the required parameter code.',
			);
		const record = this.codes.get(code);
		if (!record || record.clientId !== client.clientId)
			return oauthError(400, 'invalid_grant', INVALID_GRANT);
		if (record.used) {
			// RFC 6749 §4.1.2: a code used twice revokes (when possible) every token it produced.
			const produced = record.grantId ? this.grant(record.grantId) : undefined;
			if (produced) this.revoke(produced, 'codeReuse');
			return oauthError(
				400,
				'invalid_grant',
				`${INVALID_GRANT} The authorization code has already been used.`,
			);
		}
		if (nowMs >= record.expiresAtMs)
			return oauthError(
				400,
				'invalid_grant',
				`${INVALID_GRANT} The authorization code has expired.`,
			);
		if (param('redirect_uri') !== record.redirectUri) {
			return oauthError(
				400,
				'invalid_grant',
				`${INVALID_GRANT} The redirect_uri does not match the one of the authorization request.`,
			);
		}
		const verifier = param('code_verifier');
		if (!verifier)
			return oauthError(
				400,
				'invalid_request',
				'The request is missing the required parameter code_verifier (PKCE).',
			);
		if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) {
			return oauthError(
				400,
				'invalid_grant',
				`${INVALID_GRANT} The PKCE code verifier must be 43 to 128 characters of [A-Za-z0-9._~-].`,
			);
		}
		if (s256(verifier) !== record.challenge) {
			return oauthError(
				400,
				'invalid_grant',
				`${INVALID_GRANT} The PKCE code challenge did not match the code verifier.`,
			);
		}
		// As in ORY Hydra (fosite): a failed exchange does not burn the code, a successful one does.
		record.used = true;
		const grant = this.createGrant(client.clientId, record.scopes, nowMs);
		record.grantId = grant.id;
		return this.issueTokens(grant, tokens, lifetimeSeconds, nowMs);
	}

	private refreshToken({
		client,
		param,
		tokens,
		lifetimeSeconds,
		nowMs,
	}: Parameters<GrantHandler>[0]): OAuthResult {
		const value = param('refresh_token');
		if (!value)
			return oauthError(
				400,
				'invalid_request',
				'The request is missing the required parameter refresh_token.',
			);
		const record = this.refresh.get(value);
		const grant = record ? this.grant(record.grantId) : undefined;
		if (!record || !grant || record.clientId !== client.clientId)
			return oauthError(400, 'invalid_grant', INVALID_GRANT);
		if (record.status === 'rotated') {
			grant.refreshReuseCount++;
			if (this.settings.revokeGrantOnRefreshReuse()) this.revoke(grant, 'refreshReuse');
			return oauthError(
				400,
				'invalid_grant',
				`${INVALID_GRANT} The refresh token has already been used.`,
			);
		}
		if (record.status === 'revoked' || grant.status !== 'active')
			return oauthError(
				400,
				'invalid_grant',
				`${INVALID_GRANT} The refresh token has been revoked.`,
			);
		if (nowMs >= record.expiresAtMs)
			return oauthError(400, 'invalid_grant', `${INVALID_GRANT} The refresh token has expired.`);
		if (this.settings.refreshRevokesAccessTokens())
			for (const token of grant.accessTokens) token.expiresAtMs = 0;
		grant.refreshCount++;
		this.refreshCount++;
		return this.issueTokens(grant, tokens, lifetimeSeconds, nowMs);
	}
}
