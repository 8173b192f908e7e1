// A bank statement for one account and one period, as the file writers consume it. Built by
// the Statement resource from Ponto data; the writers in this folder are pure functions of it
// (no n8n imports), so they can be tested and reused on their own.
//
// Money is in integer cents (minor units of the account currency) everywhere; dates are local
// calendar days 'YYYY-MM-DD' in the statement's time zone.
export interface StatementAccount {
	/** Ponto account id. */
	id: string;
	/** IBAN (Ponto `reference`), without spaces. */
	iban: string;
	/** ISO 4217. */
	currency: string;
	holderName: string | null;
	description: string | null;
	/** BIC of the account-holding bank when Ponto knows it. */
	bic: string | null;
	institutionName: string | null;
	/** ISO 3166 alpha-2 of the bank, or null. */
	country: string | null;
	/**
	 * Ponto account `subtype` ('checking', 'savings', ...), when known. Optional: OFX needs it for
	 * ACCTTYPE ('savings' -> SAVINGS, anything else or absent -> CHECKING).
	 */
	subtype?: string | null;
}

export interface StatementLine {
	/** Ponto transaction id: stable, unique, the deduplication key of every import. */
	id: string;
	/** The day that books the line in this statement (execution or value date, in the zone). */
	bookingDate: string;
	executionDate: string;
	valueDate: string;
	/** Signed integer cents: negative = debit. */
	amountCents: number;
	currency: string;
	/** The bank's label (e.g. "Wire transfer"). */
	description: string;
	remittanceInformation: string;
	remittanceInformationType: 'structured' | 'unstructured';
	/** The 12 digits of a valid Belgian structured communication (check digits verified), else null. */
	structuredReference: string | null;
	counterpartName: string | null;
	/** Counterparty IBAN or account number. */
	counterpartReference: string | null;
	endToEndId: string | null;
	/** ISO 20022 Domain-Family-SubFamily, e.g. 'PMNT-IRCT-ESCT'. */
	bankTransactionCode: string | null;
	proprietaryBankTransactionCode: string | null;
	purposeCode: string | null;
	mandateId: string | null;
	creditorId: string | null;
	additionalInformation: string | null;
	cardReference: string | null;
	internalReference: string | null;
}

export interface TieOut {
	/** 'confirmed': the balances follow from the bank's balance without doubt. */
	status: 'confirmed' | 'uncertain';
	/** Why not confirmed, in words a bookkeeper reads. */
	reasons: string[];
}

export interface Statement {
	/** Stable id: IBAN, currency and period. */
	id: string;
	account: StatementAccount;
	from: string;
	to: string;
	timeZone: string;
	dateField: 'executionDate' | 'valueDate';
	/** Balance at the end of the day before `from`. */
	openingBalanceCents: number;
	/** Balance at the end of `to`. */
	closingBalanceCents: number;
	totalCreditCents: number;
	/** Positive number: the sum of the debits' absolute values. */
	totalDebitCents: number;
	/** Oldest first (booking date, then the order Ponto listed them). */
	lines: StatementLine[];
	/** When the statement was made (ISO date-time, UTC). */
	createdAt: string;
	/** A number for the statement within its year (CODA sequence, CAMT electronic sequence). */
	sequenceNumber: number;
	tieOut: TieOut;
}

/** Amount in major units as the fixed-point text files use (e.g. -1204.5 -> '-1204.50'). */
export function formatCents(cents: number, decimalSeparator = '.'): string {
	const sign = cents < 0 ? '-' : '';
	const absolute = Math.abs(cents);
	return `${sign}${Math.floor(absolute / 100)}${decimalSeparator}${String(absolute % 100).padStart(2, '0')}`;
}
