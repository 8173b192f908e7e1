import type { KeyObject } from 'node:crypto';
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { TlsMaterial } from '../helpers/pem';
import { keysFromJwks } from '../helpers/webhookJwt';
import { failureFromError, isRedirect, NO_REDIRECTS } from './failure';

/**
 * The signing keys of Ponto's webhooks, `GET {base}/webhooks/keys` over mTLS (docs/ponto-api.md §6.2),
 * cached per n8n instance. The kid of a delivery is chosen by whoever sends it, so an unknown kid
 * may refresh the set at most once per UNKNOWN_KID_REFETCH_MS: forged kids cannot make n8n
 * hammer the endpoint, while a key Ponto just rotated in is picked up on its first delivery.
 */
export const WEBHOOK_KEYS_TTL_MS = 10 * 60_000;
export const UNKNOWN_KID_REFETCH_MS = 60_000;
/** After a failed fetch, the next attempt waits this long. */
export const FAILED_FETCH_RETRY_MS = 10_000;
/** When a refresh fails, the previous set keeps serving for at most this long past its TTL. */
export const MAX_STALE_MS = 60 * 60_000;
const FETCH_TIMEOUT_MS = 10_000;

export type JwksFetcher = () => Promise<unknown>;

export interface KeyLookup {
	key?: KeyObject;
	/** Whether this lookup fetched the key set (or joined a fetch in flight). */
	fetched: boolean;
	/** Set when a refresh failed and a previous (stale) set answered instead; for the log. */
	refreshProblem?: string;
}

/** The key set could not be fetched and no usable earlier set is cached. */
export class WebhookKeysUnavailable extends Error {
	constructor(readonly problem: string) {
		super(`Ponto's webhook signing keys could not be fetched: ${problem}`);
		this.name = 'WebhookKeysUnavailable';
	}
}

interface CacheEntry {
	keys?: Map<string, KeyObject>;
	fetchedAt?: number;
	lastAttemptAt?: number;
	lastFailure?: string;
	inFlight?: Promise<void>;
}

const cache = new Map<string, CacheEntry>();

export function webhookKeysUrl(apiBaseUrl: string): string {
	return `${apiBaseUrl.replace(/\/+$/, '')}/webhooks/keys`;
}

/** For tests: forget every cached key set. */
export function clearWebhookKeyCache(): void {
	cache.clear();
}

function describeFetchFailure(error: unknown): string {
	if (error instanceof WebhookKeysUnavailable) return error.problem;
	const failure = failureFromError(error);
	if (isRedirect(failure)) {
		return `the answer was a redirect (HTTP ${failure.status}) to ${failure.redirectTo ?? 'another address'}, which is never followed: the keys are read from the API Base URL of the credential only`;
	}
	if (failure.status !== undefined) return `HTTP ${failure.status}`;
	if (failure.networkCode) return `network error ${failure.networkCode}`;
	if (failure.credential) return failure.credential.message;
	return failure.unexpected ?? 'unknown error';
}

function mayFetch(entry: CacheEntry, fresh: boolean, now: number): boolean {
	if (entry.lastAttemptAt === undefined) return true;
	const sinceAttempt = now - entry.lastAttemptAt;
	if (entry.lastFailure !== undefined && sinceAttempt < FAILED_FETCH_RETRY_MS) return false;
	// Expired (or never fetched): refresh. Fresh but the kid is unknown: once per window.
	return !fresh || sinceAttempt >= UNKNOWN_KID_REFETCH_MS;
}

async function refresh(entry: CacheEntry, fetchJwks: JwksFetcher, now: number): Promise<void> {
	entry.lastAttemptAt = now;
	try {
		const keys = keysFromJwks(await fetchJwks());
		if (keys.size === 0)
			throw new WebhookKeysUnavailable('the answer holds no active RS512 signing key');
		entry.keys = keys;
		entry.fetchedAt = now;
		entry.lastFailure = undefined;
	} catch (error) {
		entry.lastFailure = describeFetchFailure(error);
	}
}

/**
 * The active key with this kid, fetching the set when none is cached, when it expired, or (at
 * most once per window) when the kid is unknown. Throws WebhookKeysUnavailable only when no
 * usable set exists; a failed refresh falls back to the previous set for a while.
 */
export async function lookupWebhookKey(
	url: string,
	kid: string,
	fetchJwks: JwksFetcher,
	now = Date.now(),
): Promise<KeyLookup> {
	let entry = cache.get(url);
	if (!entry) {
		entry = {};
		cache.set(url, entry);
	}
	const fresh = entry.fetchedAt !== undefined && now - entry.fetchedAt < WEBHOOK_KEYS_TTL_MS;
	const cached = entry.keys?.get(kid);
	if (fresh && cached) return { key: cached, fetched: false };
	let fetched = false;
	if (entry.inFlight) {
		await entry.inFlight;
		fetched = true;
	} else if (mayFetch(entry, fresh, now)) {
		const current = entry;
		current.inFlight = refresh(current, fetchJwks, now).finally(() => {
			current.inFlight = undefined;
		});
		await current.inFlight;
		fetched = true;
	}
	const usable =
		entry.fetchedAt !== undefined && now - entry.fetchedAt < WEBHOOK_KEYS_TTL_MS + MAX_STALE_MS;
	if (!usable || !entry.keys)
		throw new WebhookKeysUnavailable(entry.lastFailure ?? 'no key set fetched yet');
	const stale = now - (entry.fetchedAt ?? 0) >= WEBHOOK_KEYS_TTL_MS;
	return {
		key: entry.keys.get(kid),
		fetched,
		...(entry.lastFailure !== undefined && (stale || fetched)
			? { refreshProblem: entry.lastFailure }
			: {}),
	};
}

/**
 * Fetches the JWKS with the app's TLS client certificate. The keys endpoint takes no bearer
 * token, so the plain request helper is used with the certificate as agentOptions (as for the
 * token endpoint, transport/connectTokens.ts): no token refresh is spent on a public key set.
 */
export function jwksFetcher(
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> },
	url: string,
	tls: TlsMaterial,
): JwksFetcher {
	return async () => {
		const response = await helpers.httpRequest({
			method: 'GET',
			url,
			headers: { Accept: 'application/json' },
			json: true,
			timeout: FETCH_TIMEOUT_MS,
			...NO_REDIRECTS,
			agentOptions: { cert: tls.cert, key: tls.key, passphrase: tls.passphrase, ca: tls.ca },
		});
		if (typeof response !== 'string') return response;
		let parsed: unknown;
		try {
			parsed = JSON.parse(response);
		} catch {
			parsed = undefined;
		}
		if (parsed === undefined) throw new WebhookKeysUnavailable('the answer is not JSON');
		return parsed;
	};
}
