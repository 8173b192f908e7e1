// Bank statement file writers: pure functions of a Statement (./model.ts), no n8n imports.
// Each returns the file as a JS string; turn it into bytes with the format's `encoding`.
import type { Statement } from './model';
import { camt053Bytes, writeCamt053 } from './camt053';
import { writeCoda } from './coda';
import type { CsvLayout, CsvOptions } from './csv';
import { writeCsv } from './csv';
import type { OfxOptions } from './ofx';
import { ofxBytes, writeOfx } from './ofx';

export { writeCamt053, writeCoda, writeCsv, writeOfx };
export type { CsvLayout, CsvOptions, OfxOptions };
export { assertStatementTies } from './text';
import { foldToAscii } from './text';

export type StatementFormatKey =
	'camt053' | 'coda' | 'ofx2' | 'ofx1' | 'csv' | 'csvXero' | 'csvQuickBooks3' | 'csvQuickBooks4';

export interface StatementFormat {
	key: StatementFormatKey;
	label: string;
	/** File name extension, without the dot. */
	extension: string;
	mimeType: string;
	/**
	 * Node Buffer encoding that turns the writer's string into the file's bytes:
	 * Buffer.from(text, format.encoding). 'latin1' = one byte per character (the writer emits
	 * printable ASCII only, so the bytes are also valid windows-1252, ISO-8859-1 and ASCII).
	 */
	encoding: 'utf8' | 'latin1';
	/** IANA charset of those bytes, for a Content-Type `charset` parameter. */
	charset: 'utf-8' | 'windows-1252';
	/** Limits the importing application documents (the writer does not split files). */
	limits?: { maxLines?: number; maxBytes?: number };
	write: (statement: Statement) => string;
	/**
	 * The file's bytes straight from the writer (no string of the whole file in between), for
	 * the writers whose files are large; statementFile() falls back to `write` + encoding.
	 */
	bytes?: (statement: Statement) => Buffer;
}

/** The statement file as bytes: what goes into the binary property. */
export function statementFile(format: StatementFormat, statement: Statement): Buffer {
	return format.bytes
		? format.bytes(statement)
		: Buffer.from(format.write(statement), format.encoding);
}

export const STATEMENT_FORMATS: readonly StatementFormat[] = [
	{
		key: 'camt053',
		label: 'CAMT.053 (ISO 20022 XML, camt.053.001.02)',
		extension: 'xml',
		mimeType: 'application/xml',
		encoding: 'utf8',
		charset: 'utf-8',
		write: writeCamt053,
		bytes: camt053Bytes,
	},
	{
		key: 'coda',
		label: 'CODA 2.6 (Belgian coded statement)',
		extension: 'cod',
		mimeType: 'text/plain',
		encoding: 'latin1',
		charset: 'windows-1252',
		write: writeCoda,
	},
	{
		key: 'ofx2',
		label: 'OFX 2 (XML)',
		extension: 'ofx',
		mimeType: 'application/x-ofx',
		encoding: 'utf8',
		charset: 'utf-8',
		write: (statement) => writeOfx(statement, { version: '2' }),
		bytes: (statement) => ofxBytes(statement, { version: '2' }),
	},
	{
		key: 'ofx1',
		label: 'OFX 1.0.2 (SGML)',
		extension: 'ofx',
		mimeType: 'application/x-ofx',
		encoding: 'latin1',
		charset: 'windows-1252',
		write: (statement) => writeOfx(statement, { version: '1' }),
		bytes: (statement) => ofxBytes(statement, { version: '1' }),
	},
	{
		key: 'csv',
		label: 'CSV (all fields)',
		extension: 'csv',
		mimeType: 'text/csv',
		encoding: 'utf8',
		charset: 'utf-8',
		write: (statement) => writeCsv(statement, 'generic'),
	},
	{
		key: 'csvXero',
		label: 'CSV for Xero',
		extension: 'csv',
		mimeType: 'text/csv',
		encoding: 'utf8',
		charset: 'utf-8',
		limits: { maxLines: 1000 },
		write: (statement) => writeCsv(statement, 'xero'),
	},
	{
		key: 'csvQuickBooks3',
		label: 'CSV for QuickBooks Online (Date, Description, Amount)',
		extension: 'csv',
		mimeType: 'text/csv',
		encoding: 'utf8',
		charset: 'utf-8',
		limits: { maxBytes: 350 * 1024 },
		write: (statement) => writeCsv(statement, 'quickbooks3'),
	},
	{
		key: 'csvQuickBooks4',
		label: 'CSV for QuickBooks Online (Date, Description, Credit, Debit)',
		extension: 'csv',
		mimeType: 'text/csv',
		encoding: 'utf8',
		charset: 'utf-8',
		limits: { maxBytes: 350 * 1024 },
		write: (statement) => writeCsv(statement, 'quickbooks4'),
	},
];

export function statementFormat(key: StatementFormatKey): StatementFormat {
	const format = STATEMENT_FORMATS.find((candidate) => candidate.key === key);
	if (!format) throw new Error(`Unknown statement format '${key}'`);
	return format;
}

/**
 * The file name of a statement: account, period and format. The account part comes from Ponto
 * (the account reference) and is reduced to letters, digits and dashes, so no path, dot segment
 * or control character reaches a file name; the period is two checked dates.
 */
export function statementFileName(
	statement: Statement,
	key: StatementFormatKey,
	extension: string,
): string {
	const account = foldToAscii(statement.account.iban || statement.account.id)
		.replace(/[^A-Za-z0-9-]+/g, '_')
		.replace(/^[_-]+|[_-]+$/g, '')
		.slice(0, 64);
	const period = [statement.from, statement.to]
		.map((day) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? day : 'period'))
		.join('_');
	return `${account || 'statement'}_${period}_${key}.${extension}`;
}
