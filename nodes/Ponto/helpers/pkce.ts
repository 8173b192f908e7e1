import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Linking a Ponto Connect organization (docs/ponto-api.md §1.2): authorization code with
 * PKCE S256. n8n gives a custom credential no place to keep a verifier between creating the
 * link and pasting the result, so the verifier is derived: HMAC-SHA256 keyed with the client
 * secret over the link's random state. Only someone holding the client secret (and, for the
 * token call, the app's TLS certificate) can compute it; every link has its own.
 */
export const AUTHORIZATION_PAGES = {
	live: 'https://authorization.myponto.com/oauth2/auth',
	sandbox: 'https://sandbox-authorization.myponto.com/oauth2/auth',
} as const;

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export function newState(): string {
	return base64url(randomBytes(24));
}

export function codeVerifier(clientSecret: string, state: string): string {
	return base64url(createHmac('sha256', clientSecret).update(`ponto-connect-pkce:${state}`).digest());
}

export function codeChallenge(verifier: string): string {
	return base64url(createHash('sha256').update(verifier).digest());
}

export interface AuthorizationLinkInput {
	authorizationPage: string;
	clientId: string;
	clientSecret: string;
	redirectUri: string;
	includePaymentScope: boolean;
	state?: string;
}

export function buildAuthorizationLink(input: AuthorizationLinkInput): { url: string; state: string; scope: string } {
	const state = input.state ?? newState();
	const scope = ['ai', 'name', 'offline_access', ...(input.includePaymentScope ? ['pi'] : [])].join(' ');
	const url = new URL(input.authorizationPage);
	url.searchParams.set('client_id', input.clientId);
	url.searchParams.set('redirect_uri', input.redirectUri);
	url.searchParams.set('response_type', 'code');
	url.searchParams.set('scope', scope);
	url.searchParams.set('state', state);
	url.searchParams.set('code_challenge', codeChallenge(codeVerifier(input.clientSecret, state)));
	url.searchParams.set('code_challenge_method', 'S256');
	return { url: url.toString(), state, scope };
}

export type AuthorizationResponse =
	| { code: string; state: string }
	| { error: string; description?: string }
	| { problem: string };

/**
 * What the user pasted after consenting: the whole address Ponto redirected to
 * (`https://…?code=…&state=…`) or just its query string. Empty means nothing pasted.
 */
export function parseAuthorizationResponse(text: unknown): AuthorizationResponse | undefined {
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	const trimmed = text.trim();
	const query = trimmed.includes('?') ? trimmed.slice(trimmed.indexOf('?') + 1) : trimmed;
	const params = new URLSearchParams(query.split('#')[0]);
	const error = params.get('error');
	if (error) return { error, description: params.get('error_description') ?? undefined };
	const code = params.get('code');
	const state = params.get('state');
	if (!code || !state) {
		return { problem: 'it has no code and state: paste the whole address of the page Ponto sent you to after you approved' };
	}
	return { code, state };
}
