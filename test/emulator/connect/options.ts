// Options and handle types of the Ponto Connect flavour (api.ibanity.com/ponto-connect).
import type { ClientCredentials } from '../auth';
import type { PaymentOptions, PaymentRecord, SigningDecision } from './payments';
import type { ClientCertificateFailure, TlsRejection, TlsSettings } from '../tls';
import type {
	WebhookBuildOptions,
	WebhookEvent,
	WebhookEventInput,
	WebhookEventType,
	WebhookRequest,
	WebhookResponse,
	WebhookSigningKey,
} from '../webhooks';

export interface ConnectClient extends ClientCredentials {
	/** Exact-match redirect URIs registered for the app. */
	redirectUris: string[];
}

export interface ConnectSignatureOptions {
	/** Refuse unsigned requests (401 invalidSignature). Signed requests are always verified. */
	required: boolean;
	/** keyId (signature certificate id) -> public key or certificate, PEM. */
	keys: Record<string, string>;
	/** Default 300 (created within ±5 min). */
	maxSkewSeconds?: number;
	/**
	 * The host line of the signing string. Default: the Host header as received. Research §2.2
	 * says the SDKs always sign the Ibanity host (api.ibanity.com), even behind a proxy; set
	 * e.g. 'api.ibanity.com' to demand that reading instead.
	 */
	host?: string;
	/**
	 * Whether `required` also covers /oauth2/token and /oauth2/revoke. Default false: .NET does
	 * not sign token calls, Ruby does (docs/ponto-api.md §2.2); signed token calls are verified anyway.
	 */
	requiredOnOAuth?: boolean;
}

export interface ConnectWebhookOptions {
	/** Served by GET /webhooks/keys; the first one with a privateKey signs deliveries. */
	keys: WebhookSigningKey[];
	/** iss claim. Default 'https://api.ibanity.com' (also for sandbox events, docs/ponto-api.md §6.2). */
	issuer?: string;
}

export interface UserInfoSettings {
	name: string;
	onboardingComplete: boolean;
	paymentsActivated: boolean;
	paymentsActivationRequested: boolean;
	paymentRequestsActivated: boolean;
	paymentRequestsActivationRequested: boolean;
	representativeOrganizationId?: string;
	representativeOrganizationName?: string;
}

export interface ConnectOptions {
	/** Server certificate/key for 127.0.0.1 and the CA that must sign client certificates. */
	tls: TlsSettings;
	/** Default 'handshake'. See tls.ts. */
	clientCertificateFailure?: ClientCertificateFailure;
	/** Default [DEFAULT_CONNECT_CLIENT]. */
	clients?: ConnectClient[];
	/** Port of the authorization (browser) host. 0 = random (default). */
	authorizationPort?: number;
	/** Ponto Connect application id: the aud of webhook JWTs. Default DEFAULT_APPLICATION_ID. */
	applicationId?: string;
	/** Integration id in reauthorization links. Default a fixed UUID. */
	integrationId?: string;
	/** Authorization codes live this long. Default 600 (10 min). */
	codeLifetimeSeconds?: number;
	/** Refresh tokens expire after this long. Default: never (unknown, docs/ponto-api.md §1.3 open question). */
	refreshTokenLifetimeSeconds?: number;
	/**
	 * UNCONFIRMED (docs/ponto-api.md open question 3). false (default): reusing a rotated refresh token
	 * only fails (invalid_grant). true: it also revokes the grant, so the current refresh token
	 * and its access tokens die too (what ORY Hydra/fosite does by default).
	 */
	revokeGrantOnRefreshReuse?: boolean;
	/**
	 * UNCONFIRMED. false (default): an access token stays valid until it expires after a refresh.
	 * true: a refresh revokes the grant's older access tokens (fosite behaviour).
	 */
	refreshRevokesAccessTokens?: boolean;
	/** Every consent is refused (redirect with error=access_denied) while true. */
	denyConsent?: boolean;
	signature?: ConnectSignatureOptions;
	/** [infer] POST requests need Ibanity-Idempotency-Key (400 otherwise). */
	requireIdempotencyKey?: boolean;
	webhooks?: ConnectWebhookOptions;
	/** GET /userinfo values. */
	userinfo?: Partial<UserInfoSettings>;
	/** Payment routes: signature requirement and bulk instruction limit. */
	payments?: PaymentOptions;
}

export const DEFAULT_CONNECT_CLIENT: ConnectClient = {
	clientId: 'test-connect-client-id',
	clientSecret: 'test-connect-client-secret',
	redirectUris: [
		'http://localhost:5678/rest/oauth2-credential/callback',
		'http://127.0.0.1:5678/rest/oauth2-credential/callback',
		'http://127.0.0.1/callback',
	],
};
export const DEFAULT_APPLICATION_ID = '5b0d62c1-4f2e-4c8a-9d3e-6a1f2b7c8d90';
export const DEFAULT_INTEGRATION_ID = 'c3a1e7d2-9b4f-4e6a-8c2d-1f5e7a9b3c40';
export const CONNECT_BASE_PATH = '/ponto-connect';
export const SCOPES = ['ai', 'pi', 'name', 'offline_access'] as const;
export const DEFAULT_USERINFO: UserInfoSettings = {
	name: 'Emulated Organization',
	onboardingComplete: true,
	paymentsActivated: false,
	paymentsActivationRequested: false,
	paymentRequestsActivated: false,
	paymentRequestsActivationRequested: false,
};

export type GrantStatus = 'active' | 'revoked';

/** What tests may inspect about a user grant (never a token value). */
export interface GrantInfo {
	id: string;
	clientId: string;
	organizationId: string;
	scopes: string[];
	status: GrantStatus;
	/** Why it was revoked: 'revoke' (oauth2/revoke), 'refreshReuse', 'handle'. */
	revokedBy?: string;
	createdAt: string;
	/** Successful refreshes of this grant. */
	refreshCount: number;
	/** Rotated refresh tokens presented again. */
	refreshReuseCount: number;
}

export interface SeededGrant {
	grantId: string;
	accessToken: string;
	refreshToken?: string;
}

export type WebhookPostOptions = WebhookBuildOptions & {
	/** Re-send an earlier delivery byte for byte ('last' = the previous one). */
	replay?: WebhookRequest | 'last';
	/** CA to trust when the receiver is https. */
	ca?: string;
};

export interface WebhookDelivery {
	url: string;
	request: WebhookRequest;
	status: number;
}

export interface ConnectHandle {
	/** 'http://127.0.0.1:<port2>/oauth2/auth' (the separate authorization host). */
	readonly authorizationUrl: string;
	/** emulator.url + '/ponto-connect'. */
	readonly apiBaseUrl: string;
	readonly applicationId: string;
	/** Snapshots of every grant, oldest first. */
	readonly grants: GrantInfo[];
	/** Successful refresh_token grants, all grants together. */
	readonly refreshCount: number;
	/** Failed TLS handshakes (clientCertificateFailure 'handshake'). */
	readonly tlsRejections: TlsRejection[];
	readonly webhookDeliveries: WebhookDelivery[];
	/** The live refresh token of a grant (default: the newest grant). For tests only; never logged. */
	currentRefreshToken(grantId?: string): string | undefined;
	/** A grant as if the user had consented, without the browser round trip. */
	seedGrant(opts?: { scopes?: string[]; clientId?: string }): SeededGrant;
	/** The next consent is refused: redirect with error (default access_denied). */
	denyNextConsent(error?: string): void;
	/** The user disconnects the integration in Ponto: the grant and its tokens die. */
	revokeGrant(grantId?: string): void;
	/** Id of the sandbox financial-institution account mirroring an organization account. */
	sandboxAccountId(accountId: string): string;
	/** Runtime changes; the TLS settings, ports and clients are fixed at start. */
	setOptions(
		partial: Partial<
			Omit<ConnectOptions, 'tls' | 'clientCertificateFailure' | 'authorizationPort' | 'clients'>
		>,
	): void;
	/** Replaces the JWKS keys (the first one with a private key signs from now on). */
	setWebhookKeys(keys: WebhookSigningKey[]): void;
	/** Adds a key, makes it the signing key; keepOld (default true) keeps the old one in the JWKS. */
	rotateWebhookKey(key: WebhookSigningKey, opts?: { keepOld?: boolean }): void;
	/** An event with the dataset's organization, first account and latest sync as defaults. */
	webhookEvent(type: WebhookEventType, input?: WebhookEventInput): WebhookEvent;
	buildWebhook(event: WebhookEvent | WebhookEventType, opts?: WebhookBuildOptions): WebhookRequest;
	postWebhook(
		url: string,
		event: WebhookEvent | WebhookEventType,
		opts?: WebhookPostOptions,
	): Promise<WebhookResponse & { request: WebhookRequest }>;
	/** Payments, bulk payments and payment requests created so far (copies). */
	readonly payments: PaymentRecord[];
	/** The signer's decision on a payment, bulk payment or payment request (as its signing page does). */
	decidePayment(id: string, decision: SigningDecision): PaymentRecord;
}
