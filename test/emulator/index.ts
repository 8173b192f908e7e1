// Local emulator of the Ponto custom-integration API (https://api.myponto.com), for tests and
// the demo. See README.md in this folder.
export { startEmulator } from './server';
export {
	generateDataset,
	defaultDataset,
	demoDataset,
	DEFAULT_ACCOUNTS,
	DEFAULT_INSTITUTIONS,
	DEMO_BANK_ACTIVITY,
} from './dataset';
export type { AccountSpec, DatasetSpec, InstitutionSpec } from './dataset';
export type { ConnectEmulator, Emulator, EmulatorOptions, RequestLogEntry } from './options';
export { DEFAULT_CLIENT, DEFAULT_TOKEN_LIFETIME_SECONDS } from './options';
export type { PathMatch, QueuedFault, RandomFaults } from './faults';
export type { ClientCredentials } from './auth';
export type { NextLinkStyle } from './paging';
export { DEFAULT_LIMIT, MAX_LIMIT } from './paging';
export {
	DEFAULT_SYNCHRONIZATION_SETTINGS,
	SYNCHRONIZATION_SUBTYPES,
	TOO_FREQUENT_CODE,
	UNATTENDED_LIMIT_CODE,
} from './synchronizations';
export type { BankActivity, SynchronizationSettings } from './synchronizations';
export {
	formatStructuredCommunication,
	fromCents,
	iban,
	isValidIban,
	isValidStructuredCommunication,
	structuredCommunication,
	toCents,
} from './banking';
export { MIN_TRANSACTIONS_FOR_EDGE_CASES } from './transactions';
export type {
	AccountAttributes,
	AccountRecord,
	Dataset,
	EdgeCaseIndex,
	FinancialInstitutionAttributes,
	FinancialInstitutionRecord,
	SyncMeta,
	SynchronizationAttributes,
	SynchronizationError,
	SynchronizationRecord,
	SynchronizationStatus,
	SynchronizationSubtype,
	TransactionAttributes,
	TransactionResource,
} from './types';

// Ponto Connect flavour (startEmulator({ connect })).
export {
	CONNECT_BASE_PATH,
	DEFAULT_APPLICATION_ID,
	DEFAULT_CONNECT_CLIENT,
	DEFAULT_INTEGRATION_ID,
	DEFAULT_USERINFO,
	SCOPES,
} from './connect/options';
export type {
	ConnectClient,
	ConnectHandle,
	ConnectOptions,
	ConnectSignatureOptions,
	ConnectWebhookOptions,
	GrantInfo,
	SeededGrant,
	UserInfoSettings,
	WebhookDelivery,
	WebhookPostOptions,
} from './connect/options';
export type { ClientCertificateFailure, TlsRejection, TlsSettings } from './tls';
export {
	bodyDigest,
	EMPTY_BODY_DIGEST,
	parseSignatureHeader,
	signHttpRequest,
	verifyHttpSignature,
} from './signature-verify';
export type {
	SignatureCheck,
	SignatureFailure,
	SignatureVerifyInput,
	SignInput,
} from './signature-verify';
export {
	buildWebhookRequest,
	postWebhookRequest,
	signJwt,
	WEBHOOK_EVENT_TYPES,
	WEBHOOK_FORGERIES,
	webhookDigest,
	webhookEvent,
	webhookJwks,
} from './webhooks';
export type {
	Jwk,
	WebhookBuildOptions,
	WebhookClaims,
	WebhookEvent,
	WebhookEventInput,
	WebhookEventType,
	WebhookForgery,
	WebhookRequest,
	WebhookResponse,
	WebhookSigningConfig,
	WebhookSigningKey,
} from './webhooks';
