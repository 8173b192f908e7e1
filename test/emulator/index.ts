// Local emulator of the Ponto custom-integration API (https://api.myponto.com), for tests and
// the demo. See README.md in this folder.
export { startEmulator } from './server';
export { generateDataset, defaultDataset, demoDataset, DEFAULT_ACCOUNTS, DEFAULT_INSTITUTIONS } from './dataset';
export type { AccountSpec, DatasetSpec, InstitutionSpec } from './dataset';
export type { Emulator, EmulatorOptions, RequestLogEntry } from './options';
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
export type { SynchronizationSettings } from './synchronizations';
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
