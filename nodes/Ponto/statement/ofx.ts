// OFX bank statement writer (docs/ofx-csv.md): version '2' = OFX 2.1.1 XML (UTF-8,
// every element closed), version '1' = OFX 1.0.2 SGML (header lines, value elements left open,
// CRLF, printable ASCII with accents folded so that the USASCII/1252 header is true).
// FITID = the Ponto transaction id, so every re-export deduplicates in Odoo, Xero and QuickBooks.
import type { Statement, StatementLine } from './model';
import { formatCents } from './model';
import {
	assertPrintableAscii,
	assertStatementTies,
	compactDate,
	escapeMarkupText,
	foldToAscii,
	formatStructuredCommunication,
	isBic,
	oneLine,
	truncate,
} from './text';
import { TextOutput } from './output';

export interface OfxOptions {
	version: '2' | '1';
}

type Tree = [string, string | Tree[]];

const HEADER_V1 = [
	'OFXHEADER:100',
	'DATA:OFXSGML',
	'VERSION:102',
	'SECURITY:NONE',
	'ENCODING:USASCII',
	'CHARSET:1252',
	'COMPRESSION:NONE',
	'OLDFILEUID:NONE',
	'NEWFILEUID:NONE',
	'',
];
const HEADER_V2 = [
	'<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
	'<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>',
];

/** Where the national bank code sits in the BBAN (offset, length), for BANKID without a BIC. */
const BANK_CODE: Record<string, [number, number]> = {
	BE: [0, 3],
	NL: [0, 4],
	DE: [0, 8],
	FR: [0, 5],
	LU: [0, 3],
	ES: [0, 4],
	AT: [0, 5],
	CH: [0, 5],
	GB: [0, 4],
	IE: [0, 4],
	IT: [1, 5],
	PT: [0, 4],
};

/** BANKID: the BIC without its branch code, else the bank code inside the IBAN. */
export function ofxBankId(bic: string | null, iban: string): string {
	if (isBic(bic)) return bic.slice(0, 8);
	const number = iban.replace(/\s+/g, '').toUpperCase();
	const [offset, length] = BANK_CODE[number.slice(0, 2)] ?? [0, 4];
	return number.slice(4 + offset, 4 + offset + length) || number.slice(0, 9);
}

/** A calendar day at noon GMT: the same day in every zone from UTC-11 to UTC+11. */
function day(date: string): string {
	return `${compactDate(date)}120000[0:GMT]`;
}

function instant(iso: string): string {
	return `${new Date(iso).toISOString().slice(0, 19).replace(/[-:T]/g, '')}[0:GMT]`;
}

function transaction(
	line: StatementLine,
	clean: (value: string | null | undefined) => string,
): Tree {
	const counterpart = clean(line.counterpartName);
	const label = clean(line.description);
	const remittance = line.structuredReference
		? formatStructuredCommunication(line.structuredReference)
		: clean(line.remittanceInformation);
	const name = counterpart || label || remittance || 'Bank transaction';
	const memo = [remittance || (counterpart ? label : ''), clean(line.additionalInformation)]
		.filter(Boolean)
		.join(' - ');
	const children: Tree[] = [
		['TRNTYPE', line.amountCents < 0 ? 'DEBIT' : 'CREDIT'],
		['DTPOSTED', day(line.bookingDate)],
		['DTAVAIL', day(line.valueDate)],
		['TRNAMT', formatCents(line.amountCents)],
		['FITID', line.id],
		['NAME', truncate(name, 32)],
	];
	if (memo) children.push(['MEMO', truncate(memo, 255)]);
	return ['STMTTRN', children];
}

/**
 * Every element on its own line, each line followed by `newline`. OFX 1 (closeValues false)
 * folds every value to printable ASCII on one line, ids and account numbers included, and checks
 * each line: the file is encoded one byte per character, where U+010A would otherwise become a
 * line feed and U+013C / U+013E the '<' and '>' of a tag.
 */
function serialize(node: Tree, closeValues: boolean, output: TextOutput, newline: string): void {
	const [tag, content] = node;
	if (typeof content === 'string') {
		if (closeValues) {
			output.push(`<${tag}>${escapeMarkupText(content)}</${tag}>${newline}`);
		} else {
			const line = `<${tag}>${escapeMarkupText(oneLine(foldToAscii(content)))}`;
			assertPrintableAscii([line], 'OFX 1');
			output.push(`${line}${newline}`);
		}
		return;
	}
	output.push(`<${tag}>${newline}`);
	for (const child of content) serialize(child, closeValues, output, newline);
	output.push(`</${tag}>${newline}`);
}

/** The statement as an OFX file: 2.1.1 XML (version '2') or 1.0.2 SGML (version '1'). */
export function writeOfx(statement: Statement, options: OfxOptions = { version: '2' }): string {
	const output = new TextOutput();
	ofxTo(statement, options, output);
	return output.text();
}

/** The same file as bytes (UTF-8 for version '2', one byte per character for '1'). */
export function ofxBytes(statement: Statement, options: OfxOptions = { version: '2' }): Buffer {
	const output = new TextOutput(options.version === '1' ? 'latin1' : 'utf8');
	ofxTo(statement, options, output);
	return output.bytes();
}

function ofxTo(statement: Statement, options: OfxOptions, output: TextOutput): void {
	assertStatementTies(statement);
	const v1 = options.version === '1';
	const clean = (value: string | null | undefined): string => {
		const text = oneLine(value);
		return v1 ? oneLine(foldToAscii(text)) : text;
	};
	const { account } = statement;
	const status: Tree = [
		'STATUS',
		[
			['CODE', '0'],
			['SEVERITY', 'INFO'],
		],
	];
	const signOn: Tree[] = [status, ['DTSERVER', instant(statement.createdAt)], ['LANGUAGE', 'ENG']];
	const institution = truncate(clean(account.institutionName), 32);
	if (institution) signOn.push(['FI', [['ORG', institution]]]);
	const ofx: Tree = [
		'OFX',
		[
			['SIGNONMSGSRSV1', [['SONRS', signOn]]],
			[
				'BANKMSGSRSV1',
				[
					[
						'STMTTRNRS',
						[
							['TRNUID', '1'],
							status,
							[
								'STMTRS',
								[
									['CURDEF', account.currency],
									[
										'BANKACCTFROM',
										[
											['BANKID', ofxBankId(account.bic, account.iban)],
											['ACCTID', account.iban.replace(/\s+/g, '').toUpperCase()],
											['ACCTTYPE', account.subtype === 'savings' ? 'SAVINGS' : 'CHECKING'],
										],
									],
									[
										'BANKTRANLIST',
										[
											['DTSTART', day(statement.from)],
											['DTEND', day(statement.to)],
											...statement.lines.map((line) => transaction(line, clean)),
										],
									],
									[
										'LEDGERBAL',
										[
											['BALAMT', formatCents(statement.closingBalanceCents)],
											['DTASOF', day(statement.to)],
										],
									],
								],
							],
						],
					],
				],
			],
		],
	];
	const newline = v1 ? '\r\n' : '\n';
	for (const header of v1 ? HEADER_V1 : HEADER_V2) output.push(`${header}${newline}`);
	serialize(ofx, !v1, output, newline);
}
