// CODA 2.x (Febelfin "coded statement of account", edition 2.6) writer: one logical file per
// statement, 128-character records joined by CRLF, printable ASCII only (accents folded), so
// any single-byte encoding (windows-1252, ISO-8859-1, ASCII) gives the same bytes.
// Layouts and rules: docs/coda.md (§2 order, §3 layouts, §5 numbering, §6 codes,
// §7 structured communication, §8 what pycoda/Odoo require).
import type { Statement, StatementLine } from './model';
import {
	alpha,
	assertPrintableAscii,
	assertStatementTies,
	belgianBban,
	ddmmyy,
	foldToAscii,
	isIban,
	localDay,
	movementTotals,
	numeric,
	oneLine,
	previousDay,
} from './text';

const RECORD_LENGTH = 128;
/** Communication capacity of 2.1 + 2.2 + 2.3 and of 3.1 + 3.2 + 3.3. */
const MOVEMENT_TEXT = [53, 53, 43];
const INFORMATION_TEXT = [73, 105, 90];

/** Undefined transaction (family 30, transaction 39 debit / 89 credit, category 000). */
const UNDEFINED: [string, string] = ['03039000', '03089000'];

/**
 * ISO 20022 bank transaction codes -> CODA codes [debit, credit] (type 0 = simple amount,
 * family, transaction, category 000 = net amount), from CODA Annex II and the MT940 mapping of
 * Annex IV. A code whose direction does not match the line's sign, or no code, is "undefined"
 * (30 39 / 30 89), the code the standard reserves for movements it cannot classify.
 */
const BY_SUB_FAMILY: Record<string, [string | null, string | null]> = {
	'PMNT-CCRD-POSD': ['00402000', null],
	'PMNT-CCRD-CWDL': ['00404000', null],
	CHRG: ['03037000', '03087000'],
	INTR: ['03501000', '03550000'],
};
const BY_FAMILY: Record<string, [string | null, string | null]> = {
	'PMNT-ICDT': ['00101000', null],
	'PMNT-RCDT': [null, '00150000'],
	'PMNT-IRCT': ['00201000', null],
	'PMNT-RRCT': [null, '00250000'],
	'PMNT-RDDT': ['00501000', null],
	'PMNT-IDDT': [null, '00552000'],
	'PMNT-CCRD': ['00402000', null],
};

export function codaTransactionCode(line: StatementLine): string {
	const debit = line.amountCents < 0;
	const parts = (line.bankTransactionCode ?? '').toUpperCase().split('-');
	const candidates = [
		BY_SUB_FAMILY[parts.join('-')],
		BY_SUB_FAMILY[parts[2] ?? ''],
		BY_FAMILY[parts.slice(0, 2).join('-')],
	];
	for (const pair of candidates) {
		if (pair && pair[debit ? 0 : 1]) return pair[debit ? 0 : 1] as string;
		if (pair) break;
	}
	return UNDEFINED[debit ? 0 : 1];
}

/** Account structure (record 1 pos 2) and the 37-character account + currency zone. */
function accountZone(iban: string, currency: string): { structure: string; zone: string } {
	const number = iban.replace(/\s+/g, '').toUpperCase();
	if (isIban(number) && number.startsWith('BE'))
		return { structure: '2', zone: alpha(number, 31) + '   ' + currency };
	if (isIban(number)) return { structure: '3', zone: alpha(number, 34) + currency };
	// Belgian BBAN: 12 digits, a blank, the currency, then qualification code, country code, three
	// blanks and the extension zone, all left blank (docs/coda.md §3). Structure 1 is for foreign
	// BBANs only, and pycoda refuses it.
	const bban = belgianBban(number);
	if (bban) return { structure: '0', zone: `${bban} ${currency}${alpha('', 21)}` };
	return { structure: '1', zone: alpha(foldToAscii(number), 34) + currency };
}

/** 15 digits, 3 implied decimals, and the sign digit (0 credit, 1 debit). */
function amount(cents: number): { sign: string; digits: string } {
	return { sign: cents < 0 ? '1' : '0', digits: numeric(Math.abs(cents) * 10, 15) };
}

function text(value: string | null | undefined): string {
	return foldToAscii(oneLine(value));
}

/** Consecutive pieces of `text` for zones of the given widths; the rest is returned too. */
function spread(value: string, widths: number[]): { pieces: string[]; rest: string } {
	const pieces: string[] = [];
	let offset = 0;
	for (const width of widths) {
		pieces.push(value.slice(offset, offset + width));
		offset += width;
	}
	return { pieces, rest: value.slice(offset).trim() };
}

/** 21-character bank reference, stable per Ponto id (a UUID without dashes, cut to 21). */
export function codaBankReference(id: string): string {
	return foldToAscii(id)
		.replace(/[^A-Za-z0-9]/g, '')
		.slice(0, 21);
}

function record(...zones: string[]): string {
	const line = zones.join('');
	if (line.length !== RECORD_LENGTH)
		throw new Error(`CODA record of ${line.length} characters: ${line}`);
	return line;
}

interface Context {
	paperSequence: string;
	records: string[];
}

function movementRecords(context: Context, line: StatementLine, index: number): void {
	const sequence = numeric((index + 1) % 10_000, 4);
	const bankReference = alpha(codaBankReference(line.id), 21);
	const code = codaTransactionCode(line);
	const { sign, digits } = amount(line.amountCents);
	// Only Belgian structured communications go in as structured (type 101): an ISO 11649 RF
	// reference (type 100) comes out of pycoda and Odoo mangled into +++ddd/dddd/ddddd+++
	// (docs/coda.md §7), so it stays free text at the start of the zone.
	const structured = line.structuredReference;
	const free = structured ? '' : text(line.remittanceInformation) || text(line.description);
	const communication = spread(free, MOVEMENT_TEXT);
	const first = structured ? alpha(`101${structured}`, 53) : alpha(communication.pieces[0], 53);
	const endToEnd = text(line.endToEndId);
	const purpose = text(line.purposeCode).slice(0, 4);
	const counterpartAccount = text(line.counterpartReference).replace(/\s+/g, '');
	const counterpartName = text(line.counterpartName);
	const information = [
		communication.rest,
		text(line.additionalInformation),
		line.mandateId ? `MANDATE ${text(line.mandateId)}` : '',
		line.creditorId ? `CREDITOR ID ${text(line.creditorId)}` : '',
	]
		.filter(Boolean)
		.join(' ');
	const info = spread(information, INFORMATION_TEXT);
	const infoParts = info.pieces.filter(Boolean).length;
	const needs23 = !!(counterpartAccount || counterpartName || communication.pieces[2]);
	const needs22 = needs23 || !!(endToEnd || purpose || communication.pieces[1]);
	const link = infoParts ? '1' : '0';
	context.records.push(
		record(
			'21',
			sequence,
			'0000',
			bankReference,
			sign,
			digits,
			ddmmyy(line.valueDate),
			code,
			structured ? '1' : '0',
			first,
			ddmmyy(line.bookingDate),
			context.paperSequence,
			'0',
			needs22 ? '1' : '0',
			' ',
			needs22 ? '0' : link,
		),
	);
	if (needs22) {
		context.records.push(
			record(
				'22',
				sequence,
				'0000',
				alpha(communication.pieces[1], 53),
				alpha(endToEnd, 35),
				alpha('', 11),
				'   ',
				' ',
				'    ',
				'    ',
				alpha(purpose, 4),
				needs23 ? '1' : '0',
				' ',
				needs23 ? '0' : link,
			),
		);
	}
	if (needs23) {
		const account = /^\d{12}$/.test(counterpartAccount)
			? alpha(counterpartAccount, 37)
			: alpha(counterpartAccount, 34) + '   ';
		context.records.push(
			record(
				'23',
				sequence,
				'0000',
				account,
				alpha(counterpartName, 35),
				alpha(communication.pieces[2], 43),
				'0',
				' ',
				link,
			),
		);
	}
	if (!infoParts) return;
	const [part1, part2, part3] = info.pieces;
	context.records.push(
		record(
			'31',
			sequence,
			'0001',
			bankReference,
			code,
			'0',
			alpha(part1, 73),
			alpha('', 12),
			part2 ? '1' : '0',
			' ',
			'0',
		),
	);
	if (part2)
		context.records.push(
			record('32', sequence, '0001', alpha(part2, 105), alpha('', 10), part3 ? '1' : '0', ' ', '0'),
		);
	if (part3)
		context.records.push(
			record('33', sequence, '0001', alpha(part3, 90), alpha('', 25), '0', ' ', '0'),
		);
}

/** The statement as a CODA 2.x file (records joined and ended by CRLF). */
export function writeCoda(statement: Statement): string {
	assertStatementTies(statement);
	const { account } = statement;
	const { structure, zone } = accountZone(account.iban, account.currency);
	const statementNumber = numeric(statement.sequenceNumber % 1000, 3);
	const context: Context = { paperSequence: statementNumber, records: [] };
	const bic = account.bic && /^[A-Z0-9]{8}([A-Z0-9]{3})?$/.test(account.bic) ? account.bic : '';
	const holder = text(account.holderName);
	context.records.push(
		record(
			'0',
			'0000',
			ddmmyy(localDay(statement.createdAt, statement.timeZone)),
			'000',
			'05',
			' ',
			alpha('', 7),
			alpha('', 10),
			alpha(holder, 26),
			alpha(bic, 11),
			numeric(0, 11),
			' ',
			'00000',
			alpha('', 16),
			alpha('', 16),
			alpha('', 7),
			'2',
		),
	);
	const opening = amount(statement.openingBalanceCents);
	context.records.push(
		record(
			'1',
			structure,
			statementNumber,
			zone,
			opening.sign,
			opening.digits,
			ddmmyy(previousDay(statement.from)),
			alpha(holder, 26),
			alpha(text(account.description), 35),
			statementNumber,
		),
	);
	statement.lines.forEach((line, index) => movementRecords(context, line, index));
	const closing = amount(statement.closingBalanceCents);
	context.records.push(
		record(
			'8',
			statementNumber,
			zone,
			closing.sign,
			closing.digits,
			ddmmyy(statement.to),
			alpha('', 64),
			'0',
		),
	);
	const totals = movementTotals(statement);
	const counted = context.records.length - 1; // records 1, 2.x, 3.x and 8: all but record 0 so far
	context.records.push(
		record(
			'9',
			alpha('', 15),
			numeric(counted, 6),
			numeric(totals.debit * 10, 15),
			numeric(totals.credit * 10, 15),
			alpha('', 75),
			'2',
		),
	);
	assertPrintableAscii(context.records, 'CODA');
	return `${context.records.join('\r\n')}\r\n`;
}
