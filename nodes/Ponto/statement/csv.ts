// CSV statement writer (RFC 4180: comma, CRLF, double quotes when needed) with four layouts:
// 'generic' (every line field + running balance, ISO dates, for spreadsheets), 'xero' (Xero's
// bank statement columns) and 'quickbooks3' / 'quickbooks4' (the only two layouts QuickBooks
// Online accepts). Facts: docs/ofx-csv.md §5-§6. Amounts: dot decimals, no grouping.
import type { Statement, StatementLine } from './model';
import { formatCents } from './model';
import {
	assertStatementTies,
	creditorReferenceOf,
	formatStructuredCommunication,
	oneLine,
	slashDate,
} from './text';

export type CsvLayout = 'generic' | 'xero' | 'quickbooks3' | 'quickbooks4';

export interface CsvOptions {
	/** Date cells of the xero and quickbooks layouts (generic is always YYYY-MM-DD). Default DD/MM/YYYY. */
	dateFormat?: 'DD/MM/YYYY' | 'MM/DD/YYYY';
}

/** A cell that holds a number or a date we produced: written as is, never guarded. */
interface Raw {
	raw: string;
}
type Cell = string | Raw;

const raw = (value: string): Raw => ({ raw: value });

/** The printed Belgian structured communication: digits, '/' and '+' only, so no formula can hide in it. */
const OGM = /^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/;

/**
 * Text cells that a spreadsheet would run as a formula (= + - @ tab CR first) get a leading
 * apostrophe (OWASP CSV injection advice). The upload layouts leave the printed structured
 * communication alone, as it cannot call anything and the apostrophe would break matching.
 */
function guard(value: string, allowOgm: boolean): string {
	if (allowOgm && OGM.test(value)) return value;
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(cells: Cell[], allowOgm: boolean): string {
	return cells
		.map((cell) =>
			typeof cell === 'string' ? quote(guard(oneLine(cell), allowOgm)) : quote(cell.raw),
		)
		.join(',');
}

/** The remittance as people read it: the printed structured communication, else the free text. */
function remittanceText(line: StatementLine): string {
	return line.structuredReference
		? formatStructuredCommunication(line.structuredReference)
		: oneLine(line.remittanceInformation);
}

const GENERIC_HEADER = [
	'bookingDate',
	'valueDate',
	'executionDate',
	'amount',
	'currency',
	'balanceAfter',
	'counterpartName',
	'counterpartReference',
	'remittanceInformation',
	'remittanceInformationType',
	'structuredReference',
	'description',
	'endToEndId',
	'bankTransactionCode',
	'proprietaryBankTransactionCode',
	'purposeCode',
	'mandateId',
	'creditorId',
	'additionalInformation',
	'cardReference',
	'internalReference',
	'id',
	'accountIban',
	'statementFrom',
	'statementTo',
];

function genericRows(statement: Statement): Cell[][] {
	let balance = statement.openingBalanceCents;
	return statement.lines.map((line) => {
		balance += line.amountCents;
		return [
			raw(line.bookingDate),
			raw(line.valueDate),
			raw(line.executionDate),
			raw(formatCents(line.amountCents)),
			line.currency,
			raw(formatCents(balance)),
			line.counterpartName ?? '',
			line.counterpartReference ?? '',
			line.remittanceInformation,
			line.remittanceInformationType,
			line.structuredReference
				? formatStructuredCommunication(line.structuredReference)
				: (creditorReferenceOf(line) ?? ''),
			line.description,
			line.endToEndId ?? '',
			line.bankTransactionCode ?? '',
			line.proprietaryBankTransactionCode ?? '',
			line.purposeCode ?? '',
			line.mandateId ?? '',
			line.creditorId ?? '',
			line.additionalInformation ?? '',
			line.cardReference ?? '',
			line.internalReference ?? '',
			line.id,
			statement.account.iban,
			raw(statement.from),
			raw(statement.to),
		];
	});
}

function xeroRow(line: StatementLine, date: string): Cell[] {
	const endToEnd = oneLine(line.endToEndId);
	const reference = line.structuredReference
		? formatStructuredCommunication(line.structuredReference)
		: (creditorReferenceOf(line) ?? (endToEnd.toUpperCase() === 'NOTPROVIDED' ? '' : endToEnd));
	const description = line.structuredReference
		? line.description
		: remittanceText(line) || line.description;
	return [
		raw(date),
		raw(formatCents(line.amountCents)),
		line.counterpartName ?? '',
		description,
		reference,
	];
}

function quickBooksDescription(line: StatementLine): string {
	return [oneLine(line.counterpartName), remittanceText(line) || oneLine(line.description)]
		.filter(Boolean)
		.join(' - ');
}

/** The statement as CSV text; 'generic' starts with a UTF-8 byte order mark so Excel reads it as UTF-8. */
export function writeCsv(
	statement: Statement,
	layout: CsvLayout,
	options: CsvOptions = {},
): string {
	assertStatementTies(statement);
	const dateOrder = options.dateFormat ?? 'DD/MM/YYYY';
	const money = (cents: number): Raw => raw(cents === 0 ? '' : formatCents(cents));
	// QuickBooks refuses zero amounts ("leave the cell blank") and wants one amount per row:
	// a 0.00 line changes no balance, so those layouts leave it out.
	const quickBooksLines = statement.lines.filter((line) => line.amountCents !== 0);
	let header: string[];
	let rows: Cell[][];
	switch (layout) {
		case 'generic':
			header = GENERIC_HEADER;
			rows = genericRows(statement);
			break;
		case 'xero':
			header = ['Date', 'Amount', 'Payee', 'Description', 'Reference'];
			rows = statement.lines.map((line) => xeroRow(line, slashDate(line.bookingDate, dateOrder)));
			break;
		case 'quickbooks3':
			header = ['Date', 'Description', 'Amount'];
			rows = quickBooksLines.map((line) => [
				raw(slashDate(line.bookingDate, dateOrder)),
				quickBooksDescription(line),
				money(line.amountCents),
			]);
			break;
		case 'quickbooks4':
			// Credit = money in, Debit = money out, as on a bank statement and in every other format here.
			header = ['Date', 'Description', 'Credit', 'Debit'];
			rows = quickBooksLines.map((line) => [
				raw(slashDate(line.bookingDate, dateOrder)),
				quickBooksDescription(line),
				money(line.amountCents > 0 ? line.amountCents : 0),
				money(line.amountCents < 0 ? -line.amountCents : 0),
			]);
			break;
		default:
			throw new Error(`Unknown CSV layout '${String(layout)}'`);
	}
	const allowOgm = layout !== 'generic';
	const body = [header.join(','), ...rows.map((cells) => row(cells, allowOgm))].join('\r\n');
	return `${layout === 'generic' ? '\ufeff' : ''}${body}\r\n`;
}
