// OFX 1.0.2 (SGML) and 2.x (XML): read back by a separate reader (test/support/ofx.ts) that checks
// the element order of the OFX specification, values compared with the statement; the XML form is
// also checked for well-formedness by libxml2 (xmllint-wasm). libofx's ofxdump reads the same
// files again in test/e2e/statementReaders.e2e.test.ts.
import { formatCents } from '../../../nodes/Ponto/statement/model';
import type { Statement } from '../../../nodes/Ponto/statement/model';
import { writeOfx } from '../../../nodes/Ponto/statement';
import { fixtureStatements } from '../../support/statementFixtures';
import { ofxInstant, readOfx } from '../../support/ofx';
import { checkWellFormed } from '../../support/xmllint';

const statements = fixtureStatements();
const versions = ['1', '2'] as const;

const cases = Object.keys(statements).flatMap((name) =>
	versions.map((version) => [name, version] as const),
);

describe('OFX writer', () => {
	it.each(cases)(
		'%s, version %s: the reader finds account, balance and every transaction',
		(name, version) => {
			const statement: Statement = statements[name];
			const text = writeOfx(statement, { version });
			const ofx = readOfx(text, version);
			expect(ofx.header.VERSION).toBe(version === '1' ? '102' : '211');
			// ACCTID is the whole IBAN (what Odoo matches the journal on).
			expect(ofx.accountId).toBe(statement.account.iban);
			expect(ofx.currency).toBe(statement.account.currency);
			expect(ofx.accountType).toBe(
				statement.account.subtype === 'savings' ? 'SAVINGS' : 'CHECKING',
			);
			expect(ofx.ledgerBalance).toBe(formatCents(statement.closingBalanceCents));
			const transactions = ofx.transactions;
			expect(transactions.map((t) => t.fitid)).toEqual(statement.lines.map((line) => line.id));
			expect(transactions.map((t) => t.amount)).toEqual(
				statement.lines.map((line) => formatCents(line.amountCents)),
			);
			expect(transactions.map((t) => t.type)).toEqual(
				statement.lines.map((line) => (line.amountCents < 0 ? 'DEBIT' : 'CREDIT')),
			);
			expect(transactions.map((t) => ofxInstant(t.posted))).toEqual(
				statement.lines.map((line) => `${line.bookingDate}T12:00:00Z`),
			);
			expect(transactions.map((t) => ofxInstant(t.available ?? ''))).toEqual(
				statement.lines.map((line) => `${line.valueDate}T12:00:00Z`),
			);
			for (const t of transactions) expect((t.name ?? '').length).toBeGreaterThan(0);
			// The ledger balance ties: opening + the listed amounts = LEDGERBAL.
			const sum = transactions.reduce((total, t) => total + Math.round(Number(t.amount) * 100), 0);
			expect(statement.openingBalanceCents + sum).toBe(Math.round(Number(ofx.ledgerBalance) * 100));
		},
	);

	it('the reader refuses a transaction without FITID and elements out of order', () => {
		const text = writeOfx(statements.example, { version: '1' });
		expect(() => readOfx(text.replace(/<FITID>[^\r]*\r\n/, ''), '1')).toThrow(/lacks <FITID>/);
		expect(() =>
			readOfx(text.replace(/(<TRNAMT>[^\r]*\r\n)(<FITID>[^\r]*\r\n)/, '$2$1'), '1'),
		).toThrow(/out of order/);
		expect(() =>
			readOfx(writeOfx(statements.example, { version: '2' }).replace('</STMTTRN>', ''), '2'),
		).toThrow();
	});

	it('version 2 is well-formed XML with every element closed (libxml2)', async () => {
		const files = Object.fromEntries(
			Object.keys(statements).map((name) => [
				`${name}.ofx`,
				writeOfx(statements[name], { version: '2' }),
			]),
		);
		const verdicts = await checkWellFormed(files);
		for (const name of Object.keys(files))
			expect([name, verdicts[name]]).toEqual([name, { valid: true, messages: [] }]);
		const broken = await checkWellFormed({
			'broken.ofx': files['example.ofx'].replace('</NAME>', ''),
		});
		expect(broken['broken.ofx'].valid).toBe(false);
	});

	it('version 1 has the SGML header, open value elements, CRLF and ASCII only', () => {
		const text = writeOfx(statements.edgeCases, { version: '1' });
		expect(
			text.startsWith(
				'OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\n',
			),
		).toBe(true);
		expect(text).toMatch(/\r\n\r\n<OFX>\r\n/);
		expect(text).toMatch(/^[\x20-\x7e\r\n]+$/);
		expect(text).toContain('<NAME>Muller &amp; Sohne GmbH\r\n');
		expect(text).toContain('<NAME>Lodz Sp. z o.o.\r\n');
		expect(text).not.toMatch(/<\/(TRNAMT|FITID|NAME|MEMO|BALAMT)>/);
	});

	it('version 2 keeps Unicode and closes values', () => {
		const text = writeOfx(statements.edgeCases, { version: '2' });
		expect(
			text.startsWith(
				'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<?OFX OFXHEADER="200" VERSION="211"',
			),
		).toBe(true);
		expect(text).toContain('<NAME>Müller &amp; Söhne GmbH</NAME>');
		expect(text).toContain('<NAME>Łódź Sp. z o.o.</NAME>');
	});

	it('cuts NAME to 32 characters, prints structured communications, escapes markup', () => {
		const text = writeOfx(statements.adversarial, { version: '2' });
		for (const [, name] of text.matchAll(/<NAME>(.*?)<\/NAME>/g)) {
			expect(Array.from(name.replace(/&(amp|lt|gt);/g, '_')).length).toBeLessThanOrEqual(32);
		}
		expect(text).toContain('<NAME>Müller &amp; Söhne GmbH &lt;Zürich&gt; "Ha</NAME>');
		expect(writeOfx(statements.example, { version: '2' })).toContain(
			'<MEMO>+++123/4567/89002+++</MEMO>',
		);
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
