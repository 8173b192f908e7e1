import type { IDataObject } from 'n8n-workflow';

import type { Statement, StatementLine } from './model';

/**
 * One record per line in the shape of Odoo's account.bank.statement.line, ready for n8n's
 * Odoo node (custom resource). unique_import_id is the IBAN and the Ponto transaction id, as
 * the OCA Ponto importer builds it (docs/ponto-api.md §8.1), so re-imports are idempotent.
 */
export function formatStructuredReference(digits: string): string {
	return `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
}

/** The label of a line: its remittance, else what describes it (docs/ponto-api.md §8.4). */
export function paymentReference(entry: StatementLine): string {
	if (entry.structuredReference) return formatStructuredReference(entry.structuredReference);
	if (entry.remittanceInformation.trim() !== '') return entry.remittanceInformation;
	return (
		[entry.description, entry.counterpartName, entry.counterpartReference]
			.filter(Boolean)
			.join(' - ') || entry.id
	);
}

function narration(entry: StatementLine): string {
	return [
		entry.remittanceInformation && `Remittance: ${entry.remittanceInformation}`,
		entry.additionalInformation && `Additional information: ${entry.additionalInformation}`,
		entry.description && `Description: ${entry.description}`,
		entry.endToEndId && `End-to-end id: ${entry.endToEndId}`,
		entry.bankTransactionCode && `Bank transaction code: ${entry.bankTransactionCode}`,
		entry.mandateId && `Mandate: ${entry.mandateId}`,
		entry.creditorId && `Creditor id: ${entry.creditorId}`,
		entry.cardReference && `Card: ${entry.cardReference}`,
		entry.valueDate && `Value date: ${entry.valueDate}`,
	]
		.filter(Boolean)
		.join('\n');
}

/**
 * Only fields of account.bank.statement.line, so the Odoo node can map the item as it is;
 * journal_id (the bank journal in Odoo) when given.
 */
export function odooStatementLines(statement: Statement, journalId?: number): IDataObject[] {
	return statement.lines.map((entry) => ({
		...(journalId !== undefined ? { journal_id: journalId } : {}),
		date: entry.bookingDate,
		payment_ref: paymentReference(entry),
		amount: entry.amountCents / 100,
		partner_name: entry.counterpartName ?? '',
		account_number: entry.counterpartReference ?? '',
		unique_import_id: `${statement.account.iban}-${entry.id}`,
		narration: narration(entry),
	}));
}
