// Data model of the Ponto emulator. Attribute names and shapes follow
// docs/ponto-api.md §4 and the fixtures in test/fixtures/ponto-samples/.

export type FinancialInstitutionStatus = 'stable' | 'beta' | 'experimental';
export type MaintenanceType = null | 'internal' | 'financialInstitution';

export interface FinancialInstitutionAttributes {
	name: string;
	bic: string | null;
	/** ISO 3166 alpha-2, null for international institutions. */
	country: string | null;
	logoUrl: string;
	primaryColor: string;
	secondaryColor: string;
	status: FinancialInstitutionStatus;
	deprecated: boolean;
	maintenanceType: MaintenanceType;
	maintenanceFrom: string | null;
	maintenanceTo: string | null;
	sharedBrandName: string | null;
	sharedBrandReference: string | null;
	paymentsEnabled: boolean;
	bulkPaymentsEnabled: boolean;
	periodicPaymentsEnabled: boolean;
	paymentsProductTypes: string[];
	bulkPaymentsProductTypes: string[];
	periodicPaymentsProductTypes: string[];
	futureDatedPaymentsAllowed: boolean;
	timeZone: string;
}

export interface FinancialInstitutionRecord {
	id: string;
	attributes: FinancialInstitutionAttributes;
}

export interface AccountAttributes {
	subtype: 'checking' | 'savings' | 'securities' | 'card' | 'psp';
	referenceType: 'IBAN' | 'BBAN' | 'email' | 'PAN' | 'MASKEDPAN' | 'MSISDN';
	reference: string;
	product: string | null;
	internalReference: string;
	holderName: string | null;
	description: string;
	deprecated: boolean;
	currency: string;
	currentBalance: number;
	currentBalanceChangedAt: string;
	currentBalanceReferenceDate: string;
	currentBalanceVariationObservedAt: string;
	availableBalance: number;
	availableBalanceChangedAt: string;
	availableBalanceReferenceDate: string;
	availableBalanceVariationObservedAt: string;
	authorizedAt: string;
	authorizationExpirationExpectedAt: string;
}

export interface TransactionAttributes {
	/** Signed JSON number with at most 2 decimals (negative = debit). */
	amount: number;
	currency: string;
	/** ISO date-time, UTC midnight for bank dates, e.g. '2020-06-19T00:00:00.000Z'. */
	valueDate: string;
	executionDate: string;
	description: string;
	remittanceInformation: string;
	remittanceInformationType: 'structured' | 'unstructured';
	counterpartName: string | null;
	/** Absent (not null) on the "missing counterpart" edge case. */
	counterpartReference?: string | null;
	bankTransactionCode: string | null;
	proprietaryBankTransactionCode: string | null;
	endToEndId: string | null;
	purposeCode: string | null;
	mandateId: string | null;
	creditorId: string | null;
	additionalInformation: string | null;
	cardReference: string | null;
	cardReferenceType: 'PAN' | 'MASKEDPAN' | null;
	internalReference: string;
	/** Present only when the bank withheld a fee. */
	fee?: number;
	/** 64 hex characters. */
	digest: string;
	createdAt: string;
	updatedAt: string;
}

export interface TransactionResource {
	type: 'transaction' | 'pendingTransaction';
	id: string;
	attributes: TransactionAttributes;
}

export type SynchronizationSubtype =
	'accountDetails' | 'accountTransactions' | 'accountTransactionsWithUnsettled';
export type SynchronizationStatus = 'pending' | 'running' | 'success' | 'error';

export interface SynchronizationError {
	code: string;
	detail: string;
	meta?: Record<string, unknown>;
}

export interface SynchronizationAttributes {
	resourceType: 'account';
	resourceId: string;
	subtype: SynchronizationSubtype;
	status: SynchronizationStatus;
	errors: SynchronizationError[];
	customerIpAddress?: string;
	createdAt: string;
	updatedAt: string;
}

export interface SynchronizationRecord {
	id: string;
	attributes: SynchronizationAttributes;
	/** Ids of the booked transactions this synchronization created or changed. */
	updatedTransactionIds: string[];
	updatedPendingTransactionIds: string[];
	/** Created without customerIpAddress by the integration: counts against unattendedPerDay. */
	unattended: boolean;
	/** True once the end state and its effects have been applied. */
	finished: boolean;
	/** Set by failNextSynchronization: the errors this synchronization ends with. */
	plannedErrors?: SynchronizationError[];
}

export interface SyncMeta {
	/** updatedAt of the latest successful synchronization (null if none). */
	synchronizedAt: string | null;
	/** Latest finished synchronization, success or error (null if none). */
	latestSynchronization: SynchronizationRecord | null;
}

export interface AccountRecord {
	id: string;
	financialInstitutionId: string;
	attributes: AccountAttributes;
	/** Balance before the oldest booked transaction, in integer cents. */
	openingBalanceCents: number;
	/** Booked transactions in LIST ORDER: newest created first (see paging.ts). */
	transactions: TransactionResource[];
	pendingTransactions: TransactionResource[];
	/** Bank-side data not yet fetched by Ponto: surfaces on the next successful transactions sync. */
	bankQueue: {
		transactions: Partial<TransactionAttributes>[];
		pendingTransactions: Partial<TransactionAttributes>[];
	};
	/** meta of GET /accounts/{id}, of the transactions list and of the pending list. */
	syncMeta: { account: SyncMeta; transactions: SyncMeta; pendingTransactions: SyncMeta };
	availability: string;
}

/** Where the generator put the edge cases, so tests can find them. All values are transaction ids. */
export interface EdgeCaseIndex {
	accountId: string;
	/** At least 150 booked transactions sharing one executionDate (crosses every page boundary <= 100). */
	sameDayBurst: { executionDate: string; transactionIds: string[] };
	valueDateAfterExecutionDate: string[];
	/** remittanceInformationType 'structured', 12 digits with a valid mod-97 check. */
	structuredCommunication: string[];
	emptyRemittance: string[];
	/** counterpartName null and no counterpartReference key. */
	missingCounterpart: string[];
	nonAsciiCounterpart: string[];
	/** Pairs of legitimate duplicates: same amount, dates and texts, different id and digest. */
	twins: Array<[string, string]>;
	/** Exact 2-decimal amounts, with their expected value in cents. */
	exactAmounts: Array<{ id: string; cents: number }>;
	/** executionDate weeks ago but created last: listed first. */
	backDated: string[];
}

export interface Dataset {
	seed: number;
	organizationId: string;
	financialInstitutions: FinancialInstitutionRecord[];
	accounts: AccountRecord[];
	synchronizations: SynchronizationRecord[];
	edgeCases: EdgeCaseIndex | null;
}
