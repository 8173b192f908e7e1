// OFX 1.0.2 (SGML) and 2.x (XML): both parsed by libofx's ofxdump (it checks them against the
// OFX DTD), values compared with the statement; the XML form must also be well-formed XML.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCents } from '../../../nodes/Ponto/statement/model';
import type { Statement } from '../../../nodes/Ponto/statement/model';
import { writeOfx } from '../../../nodes/Ponto/statement';
import { fixtureStatements, runTool, tempFolder } from '../../support/statementFixtures';
import { ofxdump } from '../../support/statementValidators';

const statements = fixtureStatements();
const folder = tempFolder();
const versions = ['1', '2'] as const;

/** How ofxdump prints a day at noon GMT: 'Wed Jan 15 12:00:00 2025 UTC'. */
function asctimeNoon(day: string): string {
	const [weekday, date, month, year] = new Date(`${day}T12:00:00Z`).toUTCString().split(/,? /);
	return `${weekday} ${month} ${date.replace(/^0/, ' ')} 12:00:00 ${year} UTC`;
}

function save(name: string, text: string, encoding: BufferEncoding): string {
	const path = join(folder, name);
	writeFileSync(path, text, encoding);
	return path;
}

const cases = Object.keys(statements).flatMap((name) => versions.map((version) => [name, version] as const));

describe('OFX writer', () => {
	afterAll(() => rmSync(folder, { recursive: true, force: true }));

	it.each(cases)('%s, version %s: ofxdump reads account, balance and every transaction', (name, version) => {
		const statement: Statement = statements[name];
		const text = writeOfx(statement, { version });
		const path = save(`${name}.v${version}.ofx`, text, version === '1' ? 'latin1' : 'utf8');
		const { blocks, errors } = ofxdump(path);
		// libofx feeds UTF-8 XML to OpenSP as single bytes and reports every non-ASCII byte as
		// "non SGML character" although its output is right (its own warning says so).
		expect(errors.filter((line) => !/non SGML character number/.test(line))).toEqual([]);
		if (version === '1') expect(errors).toEqual([]);
		const account = blocks.find((b) => b.kind === 'ofx_proc_account')?.values ?? {};
		// ACCTID is the whole IBAN (what Odoo matches the journal on); the spec and libofx stop at
		// 22 characters, and libofx 0.10 keeps only the first 23 of a longer IBAN (FR, IT, PL...).
		expect(text).toContain(`<ACCTID>${statement.account.iban}`);
		expect(account['Account #']).toBe(statement.account.iban.slice(0, 23));
		expect(account['Default Currency']).toBe(statement.account.currency);
		expect(account['Account type']).toBe(statement.account.subtype === 'savings' ? 'SAVINGS' : 'CHECKING');
		const summary = blocks.find((b) => b.kind === 'ofx_proc_statement')?.values ?? {};
		expect(summary['Ledger balance']).toBe(formatCents(statement.closingBalanceCents));
		expect(summary['Default Currency']).toBe(statement.account.currency);
		const transactions = blocks.filter((b) => b.kind === 'ofx_proc_transaction').map((b) => b.values);
		expect(transactions.map((t) => t["Financial institution's ID for this transaction"])).toEqual(statement.lines.map((line) => line.id));
		expect(transactions.map((t) => t['Total money amount'])).toEqual(statement.lines.map((line) => formatCents(line.amountCents)));
		expect(transactions.map((t) => t['Transaction type'].split(':')[0])).toEqual(statement.lines.map((line) => (line.amountCents < 0 ? 'DEBIT' : 'CREDIT')));
		expect(transactions.map((t) => t['Date posted'])).toEqual(statement.lines.map((line) => asctimeNoon(line.bookingDate)));
		expect(transactions.map((t) => t['Date funds are available'])).toEqual(statement.lines.map((line) => asctimeNoon(line.valueDate)));
		for (const t of transactions) expect((t['Name of payee or transaction description'] ?? '').length).toBeGreaterThan(0);
		// The ledger balance ties: opening + the listed amounts = LEDGERBAL.
		const sum = transactions.reduce((total, t) => total + Math.round(Number(t['Total money amount']) * 100), 0);
		expect(statement.openingBalanceCents + sum).toBe(Math.round(Number(summary['Ledger balance']) * 100));
	});

	it.each(Object.keys(statements))('%s, version 2 is well-formed XML with every element closed', (name) => {
		const path = save(`${name}.xml-check.ofx`, writeOfx(statements[name], { version: '2' }), 'utf8');
		const result = runTool('xmllint', ['--noout', path]);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	it('version 1 has the SGML header, open value elements, CRLF and ASCII only', () => {
		const text = writeOfx(statements.edgeCases, { version: '1' });
		expect(text.startsWith('OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\n')).toBe(true);
		expect(text).toMatch(/\r\n\r\n<OFX>\r\n/);
		expect(text).toMatch(/^[\x20-\x7e\r\n]+$/);
		expect(text).toContain('<NAME>Muller &amp; Sohne GmbH\r\n');
		expect(text).toContain('<NAME>Lodz Sp. z o.o.\r\n');
		expect(text).not.toMatch(/<\/(TRNAMT|FITID|NAME|MEMO|BALAMT)>/);
	});

	it('version 2 keeps Unicode and closes values', () => {
		const text = writeOfx(statements.edgeCases, { version: '2' });
		expect(text.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<?OFX OFXHEADER="200" VERSION="211"')).toBe(true);
		expect(text).toContain('<NAME>Müller &amp; Söhne GmbH</NAME>');
		expect(text).toContain('<NAME>Łódź Sp. z o.o.</NAME>');
	});

	it('cuts NAME to 32 characters, prints structured communications, escapes markup', () => {
		const text = writeOfx(statements.adversarial, { version: '2' });
		for (const [, name] of text.matchAll(/<NAME>(.*?)<\/NAME>/g)) {
			expect(Array.from(name.replace(/&(amp|lt|gt);/g, '_')).length).toBeLessThanOrEqual(32);
		}
		expect(text).toContain('<NAME>Müller &amp; Söhne GmbH &lt;Zürich&gt; "Ha</NAME>');
		expect(writeOfx(statements.example, { version: '2' })).toContain('<MEMO>+++123/4567/89002+++</MEMO>');
		expect(text).toContain('<BANKID>30006</BANKID>'); // no BIC: the French bank code from the IBAN
		expect(text).toContain('<ACCTTYPE>SAVINGS</ACCTTYPE>');
	});

	it('keeps USD and writes an empty period with the ledger balance', () => {
		expect(writeOfx(statements.usd, { version: '2' })).toContain('<CURDEF>USD</CURDEF>');
		const empty = writeOfx(statements.empty, { version: '1' });
		expect(empty).not.toContain('<STMTTRN>');
		expect(empty).toContain(`<BALAMT>${formatCents(statements.empty.closingBalanceCents)}\r\n`);
	});
});
