import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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

/** How long an authorization link (its state) is accepted after it was made. */
export const STATE_MAX_AGE_MS = 30 * 60_000;
/** Clock difference between n8n processes tolerated for a state dated in the future. */
const STATE_FUTURE_SKEW_MS = 5 * 60_000;

/** What a state is bound to: the app's client secret, its client ID and the Redirect URI. */
export interface StateBinding {
	clientId: string;
	clientSecret: string;
	redirectUri: string;
}

function stateMac(binding: StateBinding, issuedAt: string, nonce: string): string {
	return base64url(
		createHmac('sha256', binding.clientSecret)
			.update(
				`ponto-connect-state\n${binding.clientId}\n${binding.redirectUri}\n${issuedAt}\n${nonce}`,
			)
			.digest()
			.subarray(0, 18),
	);
}

/**
 * A state bound to the credential and a time: `<issued at, base 36 ms>.<nonce>.<MAC>`, the MAC
 * an HMAC keyed with the client secret over client ID, Redirect URI, time and nonce. Only a
 * link made by this credential (same secret, same Redirect URI) in the last 30 minutes passes.
 */
export function newState(binding: StateBinding, nowMs = Date.now()): string {
	const issuedAt = Math.floor(nowMs).toString(36);
	const nonce = base64url(randomBytes(16));
	return `${issuedAt}.${nonce}.${stateMac(binding, issuedAt, nonce)}`;
}

/** Why a pasted state is refused, or undefined when it is a live link of this credential. */
export function stateProblem(
	state: string,
	binding: StateBinding,
	nowMs = Date.now(),
): string | undefined {
	const parts = state.split('.');
	if (
		parts.length !== 3 ||
		!/^[0-9a-z]{1,12}$/.test(parts[0]) ||
		!/^[A-Za-z0-9_-]{16,64}$/.test(parts[1])
	) {
		return 'its state was not made by this credential (an authorization link from another tool or an older version of this node): run Get Authorization Link again';
	}
	const [issuedAt, nonce, mac] = parts;
	const expected = Buffer.from(stateMac(binding, issuedAt, nonce));
	const presented = Buffer.from(mac);
	if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
		return 'it belongs to an authorization link of another credential, client secret or Redirect URI: paste the address Ponto sent you to after opening the link this credential made';
	}
	const age = nowMs - parseInt(issuedAt, 36);
	if (age > STATE_MAX_AGE_MS)
		return `its authorization link is more than ${STATE_MAX_AGE_MS / 60_000} minutes old: run Get Authorization Link again and approve within 30 minutes`;
	if (age < -STATE_FUTURE_SKEW_MS)
		return 'its authorization link is dated in the future: check the clock of the n8n host and run Get Authorization Link again';
	return undefined;
}

/** Origin and path of an address, for comparing the pasted address with the Redirect URI. */
function originAndPath(address: string): string | undefined {
	try {
		const url = new URL(address);
		return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
	} catch {
		return undefined;
	}
}

/**
 * The pasted address must be the Redirect URI (same origin and path) with Ponto's answer in its
 * query. Only the query pasted (no address): nothing to compare, accepted.
 */
export function redirectProblem(pasted: string, redirectUri: string): string | undefined {
	const text = pasted.trim();
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
	const expected = originAndPath(redirectUri);
	const actual = originAndPath(text);
	if (expected !== undefined && actual === expected) return undefined;
	return `it is not an address of the Redirect URI (${redirectUri}): paste the address of the page Ponto sent you to, which starts with the Redirect URI`;
}

export function codeVerifier(clientSecret: string, state: string): string {
	return base64url(
		createHmac('sha256', clientSecret).update(`ponto-connect-pkce:${state}`).digest(),
	);
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
	nowMs?: number;
}

export function buildAuthorizationLink(input: AuthorizationLinkInput): {
	url: string;
	state: string;
	scope: string;
} {
	const state = input.state ?? newState(input, input.nowMs);
	const scope = ['ai', 'name', 'offline_access', ...(input.includePaymentScope ? ['pi'] : [])].join(
		' ',
	);
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
	{ code: string; state: string } | { error: string; description?: string } | { problem: string };

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
		return {
			problem:
				'it has no code and state: paste the whole address of the page Ponto sent you to after you approved',
		};
	}
	return { code, state };
}
