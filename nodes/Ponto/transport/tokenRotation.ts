import { createHash } from 'node:crypto';
import type { IHttpRequestHelper } from 'n8n-workflow';

import {
	CodeRefused,
	exchangeAuthorizationCode,
	REFRESH_REFUSED_MESSAGE,
	RefreshRefused,
	refreshTokens,
} from './connectTokens';
import type { ConnectTokenSettings, TokenSet } from './connectTokens';

/**
 * Sharing the token endpoint between concurrent requests (docs/token-rotation.md). Refresh
 * tokens rotate: the old one dies at once, so a refresh in flight is shared by every caller in
 * this process, and a refresh that just happened is reused, while its access token is surely
 * alive, by callers still holding the old token. A pasted authorization code works once, and
 * sending it again makes Ponto revoke everything it produced (RFC 6749 §4.1.2): its exchange is
 * shared the same way, and its result handed to late callers, followed through the rotations
 * since. Other processes (n8n queue-mode workers) cannot share: when Ponto refuses a refresh
 * token as used, the refusal is remembered (as a hash) so that the transport can tell, after
 * re-reading the stored credential, whether another process rotated it meanwhile.
 */
const RECENT_MS = 120_000;
const REFUSED_MS = 600_000;
const REFUSED_MAX = 200;
const inFlight = new Map<string, Promise<TokenSet>>();
const recentlyRotated = new Map<string, { tokens: TokenSet; at: number }>();
/** Refresh tokens (as hashes) Ponto refused with invalid_grant, and when. */
const refusedRecently = new Map<string, number>();
const exchangesInFlight = new Map<string, Promise<TokenSet>>();
const recentlyExchanged = new Map<string, { tokens: TokenSet; at: number }>();
/** Codes (as hashes) Ponto refused, with the refusal: never sent again from this n8n instance. */
const refusedCodes = new Map<string, { error: CodeRefused; at: number }>();

/** The identity of a refresh token for the caches: never the token itself. */
export function refreshTokenKey(tokenUrl: string, clientId: string, refreshToken: string): string {
	return createHash('sha256').update(`${tokenUrl}\n${clientId}\n${refreshToken}`).digest('hex');
}

/** The identity of an authorization code for the caches: never the code itself. */
export function codeKey(tokenUrl: string, clientId: string, code: string): string {
	return createHash('sha256').update(`code\n${tokenUrl}\n${clientId}\n${code}`).digest('hex');
}

/**
 * How long a rotation is handed to callers still holding the old refresh token: at most two
 * minutes and at most half the new access token's life. n8n stores what the credential hook
 * returns, so a rotation handed out after another process already rotated again would write
 * a dead refresh token over the live one; while its access token lives, nobody rotates again.
 */
export function rotationReuseMs(expiresInSeconds: number | undefined): number {
	if (expiresInSeconds === undefined || !Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0)
		return RECENT_MS;
	return Math.min(RECENT_MS, Math.floor((expiresInSeconds * 1000) / 2));
}

/**
 * After a refusal: 'retry' when the stored refresh token is not one Ponto refused (another
 * process rotated it and stored the new tokens), 'wait' when it still is and a look again may
 * help (that process may be storing them right now), 'relink' otherwise.
 */
export function afterRefusal(
	storedKey: string | undefined,
	refused: ReadonlySet<string>,
	looksLeft: number,
): 'retry' | 'wait' | 'relink' {
	if (storedKey === undefined) return 'relink';
	if (!refused.has(storedKey)) return 'retry';
	return looksLeft > 0 ? 'wait' : 'relink';
}

/** The refresh tokens (hashes) refused in the last ten minutes, in this n8n instance. */
export function refusedRefreshTokens(now = Date.now()): ReadonlySet<string> {
	for (const [key, at] of refusedRecently) if (now - at > REFUSED_MS) refusedRecently.delete(key);
	return new Set(refusedRecently.keys());
}

function rememberRefusal(key: string): void {
	refusedRecently.delete(key);
	refusedRecently.set(key, Date.now());
	if (refusedRecently.size > REFUSED_MAX)
		refusedRecently.delete(refusedRecently.keys().next().value as string);
}

/** Whether an error (possibly wrapped by n8n) is Ponto refusing the stored refresh token. */
export function isRefreshRefusal(error: unknown): boolean {
	let current = error as
		{ refreshRefused?: unknown; message?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		if (current.refreshRefused === true || current.message === REFRESH_REFUSED_MESSAGE) return true;
		current = current.cause as typeof current;
	}
	return false;
}

/** Forgets every cached rotation, exchange and refusal (tests). */
export function resetTokenCaches(): void {
	inFlight.clear();
	recentlyRotated.clear();
	refusedRecently.clear();
	exchangesInFlight.clear();
	recentlyExchanged.clear();
	refusedCodes.clear();
}

function prune(cache: Map<string, { tokens: TokenSet; at: number }>, now: number): void {
	for (const [key, entry] of cache)
		if (now - entry.at > rotationReuseMs(entry.tokens.expiresInSeconds)) cache.delete(key);
}

/** The newest tokens this process knows of that descend from `tokens` (rotations followed). */
function newest(settings: ConnectTokenSettings, tokens: TokenSet): TokenSet {
	let current = tokens;
	for (let hops = 0; current.refreshToken && hops < 50; hops++) {
		const next = recentlyRotated.get(
			refreshTokenKey(settings.tokenUrl, settings.clientId, current.refreshToken),
		);
		if (!next) break;
		current = next.tokens;
	}
	return current;
}

/**
 * One call per key in this process: callers asking while it runs share it; its tokens are kept
 * in `done` for callers a moment late; `onError` sees a failure before the callers do.
 */
async function sharedCall(
	key: string,
	running: Map<string, Promise<TokenSet>>,
	done: Map<string, { tokens: TokenSet; at: number }>,
	call: () => Promise<TokenSet>,
	onError: (error: unknown) => void,
): Promise<TokenSet> {
	let pending = running.get(key);
	if (!pending) {
		pending = call()
			.then(
				(tokens) => {
					done.set(key, { tokens, at: Date.now() });
					return tokens;
				},
				(error: unknown) => {
					onError(error);
					throw error;
				},
			)
			.finally(() => running.delete(key));
		running.set(key, pending);
	}
	return await pending;
}

/** One refresh per refresh token in this process, however many callers ask at once. */
export async function refreshTokensShared(
	helpers: IHttpRequestHelper['helpers'],
	settings: ConnectTokenSettings,
	refreshToken: string,
): Promise<TokenSet> {
	const key = refreshTokenKey(settings.tokenUrl, settings.clientId, refreshToken);
	prune(recentlyRotated, Date.now());
	const recent = recentlyRotated.get(key);
	if (recent) return newest(settings, recent.tokens);
	return await sharedCall(
		key,
		inFlight,
		recentlyRotated,
		async () => await refreshTokens(helpers, settings, refreshToken),
		(error) => {
			if (error instanceof RefreshRefused) rememberRefusal(key);
		},
	);
}

/**
 * One exchange per pasted code in this process: concurrent callers share the call, callers a
 * moment late get its tokens (or the newer ones they were rotated into), and a code Ponto
 * refused is not sent again.
 */
export async function exchangeCodeShared(
	helpers: IHttpRequestHelper['helpers'],
	settings: ConnectTokenSettings,
	input: { code: string; redirectUri: string; codeVerifier: string },
): Promise<TokenSet> {
	const key = codeKey(settings.tokenUrl, settings.clientId, input.code);
	const now = Date.now();
	prune(recentlyExchanged, now);
	for (const [old, entry] of refusedCodes)
		if (now - entry.at > REFUSED_MS) refusedCodes.delete(old);
	const refused = refusedCodes.get(key);
	if (refused) throw refused.error;
	const recent = recentlyExchanged.get(key);
	if (recent) return newest(settings, recent.tokens);
	const tokens = await sharedCall(
		key,
		exchangesInFlight,
		recentlyExchanged,
		async () => await exchangeAuthorizationCode(helpers, settings, input),
		(error) => {
			if (!(error instanceof CodeRefused)) return;
			refusedCodes.set(key, { error, at: Date.now() });
			if (refusedCodes.size > REFUSED_MAX)
				refusedCodes.delete(refusedCodes.keys().next().value as string);
		},
	);
	return newest(settings, tokens);
}
