import type { IDataObject } from 'n8n-workflow';

/**
 * The Simplify output of the list operations: the few fields a person or an AI agent reads,
 * taken from the flattened record (flatten.ts). Values are copied as Ponto sent them (amounts
 * stay JSON numbers, negative = money out), except bank dates at UTC midnight, which become
 * plain ISO dates (2026-01-31). Fields without a value (null, absent, empty text) are left out.
 */

/** Booked and pending transactions. */
export const TRANSACTION_FIELDS = [
	'id',
	'executionDate',
	'valueDate',
	'amount',
	'currency',
	'counterpartName',
	'counterpartReference',
	'remittanceInformation',
	'remittanceInformationType',
	'description',
] as const;

/** Accounts: what identifies them, their balances and how fresh they are. */
export const ACCOUNT_FIELDS = [
	'id',
	'description',
	'reference',
	'referenceType',
	'holderName',
	'currency',
	'currentBalance',
	'availableBalance',
	'subtype',
	'financialInstitutionId',
	'synchronizedAt',
	'consentExpiresInDays',
] as const;

/** Financial institutions (banks). */
export const FINANCIAL_INSTITUTION_FIELDS = ['id', 'name', 'country', 'bic', 'status'] as const;

const DATE_FIELDS = new Set<string>(['executionDate', 'valueDate']);
const UTC_MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00:00(\.0+)?Z$/;

function hasValue(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/** A bank date at UTC midnight as its ISO date; any other value unchanged. */
export function bankDay(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const match = UTC_MIDNIGHT.exec(value);
	return match ? match[1] : value;
}

/** The listed fields of a flattened record, in that order, those without a value left out. */
export function pickFields(record: IDataObject, fields: readonly string[]): IDataObject {
	const simple: IDataObject = {};
	for (const field of fields) {
		const value = record[field];
		if (!hasValue(value)) continue;
		simple[field] = DATE_FIELDS.has(field) ? (bankDay(value) as IDataObject[string]) : value;
	}
	return simple;
}

export const simplifyTransaction = (record: IDataObject): IDataObject =>
	pickFields(record, TRANSACTION_FIELDS);
export const simplifyAccount = (record: IDataObject): IDataObject =>
	pickFields(record, ACCOUNT_FIELDS);
export const simplifyFinancialInstitution = (record: IDataObject): IDataObject =>
	pickFields(record, FINANCIAL_INSTITUTION_FIELDS);
