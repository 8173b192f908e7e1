import type { IDataObject } from 'n8n-workflow';

import type { JsonApiResource, TransactionDateField } from '../helpers/interfaces';
import type { Statement, StatementLine, TieOut } from './model';
import { formatCents } from './model';
import { creditorReferenceOf } from './text';
import { addDays, dayIn, dayOfYear } from './calendar';

/**
 * A statement whose balances come from the bank, not from chaining earlier statements
 * (docs/coda.md §10: accounting users ask that statement balances never be invented): the closing balance is the account's
 * current balance at its reference date minus what was booked after the period, the opening
 * balance is the closing minus the period's lines, all in integer cents. Whatever makes that
 * uncertain is said in `tieOut`, never guessed away.
 */
export interface StatementInput {
	account: JsonApiResource;
	institution?: JsonApiResource;
	/** Booked transactions, newest first, covering at least everything dated from `from` on. */
	transactions: JsonApiResource[];
	/** Pending transactions of the account (only to know whether some may still book into the period). */
	pending: JsonApiResource[];
	from: string;
	to: string;
	timeZone: string;
	dateField: TransactionDateField;
	now: number;
}

/** Decimal JSON number to integer cents without float drift (2.76 -> 276, -0.1 -> -10). */
export function toCents(value: unknown): number {
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number)) return 0;
	return Math.round(number * 100);
}

/** The 12 digits of a Belgian structured communication whose mod-97 check holds, else null. */
export function structuredReferenceOf(text: unknown): string | null {
	if (typeof text !== 'string') return null;
	const digits = text.replace(/[+*/\s]/g, '');
	if (!/^\d{12}$/.test(digits)) return null;
	const check = Number(digits.slice(0, 10)) % 97 || 97;
	return check === Number(digits.slice(10)) ? digits : null;
}

const string = (value: unknown): string | null =>
	typeof value === 'string' && value !== '' ? value : null;

function line(
	transaction: JsonApiResource,
	field: TransactionDateField,
	zone: string,
): StatementLine {
	const a: IDataObject = transaction.attributes ?? {};
	const day = (key: string) =>
		typeof a[key] === 'string' ? dayIn(Date.parse(a[key] as string), zone) : '';
	const structured =
		a.remittanceInformationType === 'structured'
			? structuredReferenceOf(a.remittanceInformation)
			: null;
	// A structured remittance that is an ISO 11649 RF reference stays structured too (its own
	// field in CAMT); any other structured text becomes free text.
	const remittance = String(a.remittanceInformation ?? '');
	const creditorReference =
		a.remittanceInformationType === 'structured' && !structured
			? creditorReferenceOf({
					remittanceInformation: remittance,
					remittanceInformationType: 'structured',
					structuredReference: null,
				})
			: null;
	return {
		id: transaction.id,
		bookingDate: day(field),
		executionDate: day('executionDate'),
		valueDate: day('valueDate'),
		amountCents: toCents(a.amount),
		currency: String(a.currency ?? ''),
		description: String(a.description ?? ''),
		remittanceInformation: remittance,
		remittanceInformationType: structured || creditorReference ? 'structured' : 'unstructured',
		structuredReference: structured,
		counterpartName: string(a.counterpartName),
		counterpartReference: string(a.counterpartReference),
		endToEndId: string(a.endToEndId),
		bankTransactionCode: string(a.bankTransactionCode),
		proprietaryBankTransactionCode: string(a.proprietaryBankTransactionCode),
		purposeCode: string(a.purposeCode),
		mandateId: string(a.mandateId),
		creditorId: string(a.creditorId),
		additionalInformation: string(a.additionalInformation),
		cardReference: string(a.cardReference),
		internalReference: string(a.internalReference),
	};
}

const sum = (lines: StatementLine[]) =>
	lines.reduce((total, entry) => total + entry.amountCents, 0);

export function buildStatement(input: StatementInput): Statement {
	const { account, from, to, timeZone: zone, dateField, now } = input;
	const a: IDataObject = account.attributes ?? {};
	const iban = String(a.reference ?? '').replace(/\s+/g, '');
	const currency = String(a.currency ?? '');
	const reasons: string[] = [];
	const all = input.transactions.map((transaction) => line(transaction, dateField, zone));
	// Oldest first; for one day, the order Ponto received them (the list is newest first).
	const lines = all
		.filter((entry) => entry.bookingDate >= from && entry.bookingDate <= to)
		.reverse();
	lines.sort((x, y) =>
		x.bookingDate < y.bookingDate ? -1 : x.bookingDate > y.bookingDate ? 1 : 0,
	);

	const current = toCents(a.currentBalance);
	const referenceIso =
		typeof a.currentBalanceReferenceDate === 'string' ? a.currentBalanceReferenceDate : undefined;
	const today = dayIn(now, zone);
	const referenceDay = referenceIso ? dayIn(Date.parse(referenceIso), zone) : today;
	if (!referenceIso)
		reasons.push(
			'The bank gave no reference date for the current balance; it is taken as of today.',
		);
	let closing: number;
	if (referenceDay >= to) {
		closing =
			current -
			sum(all.filter((entry) => entry.bookingDate > to && entry.bookingDate <= referenceDay));
		// Lines dated after the balance's own date: whether the bank's balance already holds them
		// cannot be told (a balance can be dated before the bookings it includes), so the closing
		// balance, which assumes it does not, is not confirmed.
		const later = all.filter((entry) => entry.bookingDate > referenceDay);
		if (later.length) {
			reasons.push(
				`${later.length} transaction(s) totalling ${formatCents(sum(later))} ${currency} are dated after the bank's balance (dated ${referenceDay}); the closing balance assumes that balance does not include them. Check it against the bank's own statement.`,
			);
		}
	} else {
		closing =
			current +
			sum(all.filter((entry) => entry.bookingDate > referenceDay && entry.bookingDate <= to));
		reasons.push(
			`The bank's balance is dated ${referenceDay}, before the end of the period: the closing balance adds the transactions booked since.`,
		);
	}
	if (to >= today)
		reasons.push(
			`The period is not over: transactions of ${today}${to > today ? ' and later' : ''} may still come.`,
		);
	if (dateField === 'valueDate')
		reasons.push(
			'Lines are placed by value date while bank balances follow execution dates: check the tie-out before booking.',
		);
	const changedAt = Date.parse(String(a.currentBalanceChangedAt ?? ''));
	const lateArrivals = input.transactions.filter((transaction) => {
		const created = Date.parse(String(transaction.attributes?.createdAt ?? ''));
		return (
			Number.isFinite(changedAt) &&
			created > changedAt &&
			line(transaction, dateField, zone).bookingDate <= referenceDay
		);
	});
	if (lateArrivals.length)
		reasons.push(
			`${lateArrivals.length} transaction(s) reached Ponto after the balance was last updated; the balance may not include them.`,
		);
	const pendingInPeriod = input.pending.filter(
		(pending) => line(pending, dateField, zone).bookingDate <= to,
	).length;
	if (pendingInPeriod)
		reasons.push(
			`${pendingInPeriod} pending transaction(s) dated up to the period end may still book into it.`,
		);

	const credits = lines
		.filter((entry) => entry.amountCents > 0)
		.reduce((total, entry) => total + entry.amountCents, 0);
	const debits = -lines
		.filter((entry) => entry.amountCents < 0)
		.reduce((total, entry) => total + entry.amountCents, 0);
	const institution = input.institution?.attributes ?? {};
	const tieOut: TieOut = { status: reasons.length ? 'uncertain' : 'confirmed', reasons };
	return {
		id: `${iban}-${currency}-${from}-${to}`,
		account: {
			id: account.id,
			iban,
			currency,
			holderName: string(a.holderName),
			subtype: string(a.subtype),
			description: string(a.description),
			bic: string(institution.bic),
			institutionName: string(institution.name),
			country: string(institution.country),
		},
		from,
		to,
		timeZone: zone,
		dateField,
		openingBalanceCents: closing - sum(lines),
		closingBalanceCents: closing,
		totalCreditCents: credits,
		totalDebitCents: debits,
		lines,
		createdAt: new Date(now).toISOString(),
		sequenceNumber: dayOfYear(to),
		tieOut,
	};
}

/** The day before a statement's first day: the date of its opening balance. */
export const openingDate = (statement: Statement) => addDays(statement.from, -1);
