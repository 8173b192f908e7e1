// Public option and handle types of the emulator, and their defaults.
import type { ClientCredentials } from './auth';
import type { ConnectHandle, ConnectOptions } from './connect/options';
import type { PathMatch, QueuedFault, RandomFaults } from './faults';
import type { NextLinkStyle } from './paging';
import type { BankActivity, SynchronizationSettings } from './synchronizations';
import type { Dataset, TransactionAttributes, TransactionResource } from './types';

export interface EmulatorOptions {
	/** 0 = random free port (default). The host is always 127.0.0.1. */
	port?: number;
	/** Default: generateDataset({ seed: 1 }), the small default. */
	dataset?: Dataset;
	/** Default one client: 'test-client-id' / 'test-client-secret'. */
	clients?: ClientCredentials[];
	/** expires_in of issued tokens. Default 1799 (every fixture). */
	tokenLifetimeSeconds?: number;
	/** Every access token dies after this many authenticated API requests (then 401 invalidAccessToken). */
	expireTokensEveryRequests?: number;
	/** Added to every response. */
	latencyMs?: number;
	/** Extra random latency in [0, jitterMs). */
	jitterMs?: number;
	/** Seeded random fault mode. */
	faults?: RandomFaults;
	/** Default 'prefixed'. See paging.ts. */
	nextLinkStyle?: NextLinkStyle;
	/** Filter fields the server silently ignores, e.g. ['country']. */
	ignoredFilters?: string[];
	synchronization?: Partial<SynchronizationSettings>;
	/** A bank that keeps booking (the demo): new transactions on each synchronization and on Ponto's own refresh. Default off. */
	bankActivity?: BankActivity;
	/** Clock. Default: real time. */
	now?: () => Date;
	/**
	 * Prefix under which every route is mounted. Default '' (custom integration, api.myponto.com).
	 * With `connect` the default is '/ponto-connect'.
	 */
	basePath?: string;
	/**
	 * The Ponto Connect flavour (api.ibanity.com): HTTPS with client certificates, a separate
	 * authorization host, authorization code + PKCE, rotating refresh tokens, request signatures,
	 * webhooks. Absent = the custom-integration flavour, unchanged. Fixed at start; see
	 * emulator.connect.setOptions for what may change later.
	 */
	connect?: ConnectOptions;
}

export interface RequestLogEntry {
	seq: number;
	at: string;
	method: string;
	/** Request path without the query string (basePath included). */
	path: string;
	/** Query parameters; values of secret-bearing keys are replaced by '[redacted]'. */
	query: Record<string, string>;
	/** 0 while in flight or when the connection was dropped. */
	status: number;
	authenticated: boolean;
	/** Which issued token (1, 2, ...) the request presented, never the token itself. */
	tokenSeq?: number;
	/** Token endpoint requests: the grant_type asked for. */
	grantType?: string;
	/** e.g. 'queued:429', 'random:drop'. */
	fault?: string;
	// The fields below are only set in the Ponto Connect flavour.
	/** Which host: the API (mTLS) or the browser authorization host. */
	server?: 'api' | 'authorization';
	/** A client certificate chaining to the configured CA was presented. */
	clientCertificate?: boolean;
	/** CN of the presented client certificate (trusted or not). */
	clientCertificateCn?: string;
	/** The request carried a Signature header. */
	signed?: boolean;
	/** Verification result: 'valid' or the failure reason (e.g. 'digestMismatch', 'missingSignature'). */
	signature?: string;
	/** Answered from the idempotency store (same Ibanity-Idempotency-Key and request). */
	idempotentReplay?: boolean;
	/** The Ibanity-Idempotency-Key the request carried (not a secret). */
	idempotencyKey?: string;
}

export interface Emulator {
	/** 'http://127.0.0.1:<port>' ('https://' with connect) without trailing slash (and without basePath). */
	readonly url: string;
	readonly port: number;
	/** Live data; tests may mutate it. */
	readonly dataset: Dataset;
	readonly log: RequestLogEntry[];
	clearLog(): void;
	/** A string matches the exact path (query excluded), a RegExp is tested against it. */
	requestsTo(pathPattern: PathMatch, method?: string): RequestLogEntry[];
	queueFaults(...faults: QueuedFault[]): void;
	expireAllTokens(): void;
	/**
	 * New booked transactions, visible now, ids generated, balance updated. atTop (default true):
	 * created now, so listed first whatever their executionDate; false: backfilled history,
	 * created at executionDate + 6 h, so they sort among their date peers.
	 */
	addTransactions(
		accountId: string,
		txs: Partial<TransactionAttributes>[],
		opts?: { atTop?: boolean },
	): TransactionResource[];
	/** Booked transactions that appear with the next successful accountTransactions(WithUnsettled) sync. */
	queueBankTransactions(accountId: string, txs: Partial<TransactionAttributes>[]): void;
	/** Pending transactions that appear with the next successful accountTransactionsWithUnsettled sync. */
	queueBankPendingTransactions(accountId: string, txs: Partial<TransactionAttributes>[]): void;
	/** The next synchronization created for the account ends in status error with these errors. */
	failNextSynchronization(
		accountId: string,
		errors: Array<{ code: string; detail: string; meta?: object }>,
	): void;
	/** Applies every synchronization whose time has come (the server also does it on each request). */
	settleSynchronizations(): void;
	setOptions(partial: Partial<EmulatorOptions>): void;
	/** Ponto Connect flavour only (undefined otherwise). */
	readonly connect?: ConnectHandle;
	/** Ponto Connect: 'http://127.0.0.1:<port2>/oauth2/auth' (undefined otherwise). */
	readonly authorizationUrl?: string;
	close(): Promise<void>;
}

/** The handle of startEmulator({ connect }): url is 'https://127.0.0.1:<port>'. */
export interface ConnectEmulator extends Emulator {
	readonly connect: ConnectHandle;
	readonly authorizationUrl: string;
	/** Shorthand for connect.postWebhook. */
	postWebhook: ConnectHandle['postWebhook'];
}

export const DEFAULT_CLIENT: ClientCredentials = {
	clientId: 'test-client-id',
	clientSecret: 'test-client-secret',
};
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 1799;
