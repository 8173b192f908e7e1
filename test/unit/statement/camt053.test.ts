// CAMT.053: schema validation with libxml2 (xmllint-wasm) against the ISO camt.053.001.02 schema,
// then the numbers read back with a separate XML reader (test/support/xml.ts) must tie. Debian's
// xmllint CLI reads the same files again in test/e2e/statementReaders.e2e.test.ts.
import { formatCents } from '../../../nodes/Ponto/statement/model';
import type { Statement } from '../../../nodes/Ponto/statement/model';
import { writeCamt053 } from '../../../nodes/Ponto/statement';
import { fixtureStatements } from '../../support/statementFixtures';
import { parseXml, select as selectElements } from '../../support/xml';
import type { XmlElement } from '../../support/xml';
import { validateCamt } from '../../support/xmllint';

const statements = fixtureStatements();
const documents = new Map<string, XmlElement>();

/** The statement file, parsed once per name. */
function save(name: string, xml: string): string {
	documents.set(name, parseXml(xml));
	return name;
}

const doc = (name: string): XmlElement => documents.get(name) as XmlElement;
/** Elements matched by a local-name path, e.g. ['Ntry', 'Amt'], like //*[local-name()='Ntry']/*[local-name()='Amt']. */
const select = (name: string, steps: string[]): XmlElement[] => selectElements(doc(name), steps);
/** How many elements match a local-name path (containers included). */
const count = (name: string, steps: string[]): number => select(name, steps).length;
const values = (name: string, steps: string[]): string[] =>
	select(name, steps).map((element) => element.text);

const cents = (text: string): number => Math.round(Number(text) * 100);
const signed = (amount: string, indicator: string): number =>
	indicator === 'DBIT' ? -cents(amount) : cents(amount);

describe('CAMT.053 writer', () => {
	it.each(Object.keys(statements))('%s validates against camt.053.001.02.xsd', async (name) => {
		const verdicts = await validateCamt({ [`${name}.xml`]: writeCamt053(statements[name]) });
		expect(verdicts[`${name}.xml`]).toEqual({ valid: true, messages: [`${name}.xml validates`] });
	});

	it('the validator really rejects a broken statement', async () => {
		const broken = writeCamt053(statements.example).replace('<Sts>BOOK</Sts>', '<Sts>BOOKED</Sts>');
		const verdict = (await validateCamt({ 'broken.xml': broken }))['broken.xml'];
		expect(verdict.valid).toBe(false);
		expect(verdict.messages.join('\n')).toMatch(/fails to validate/);
	});

	it.each(Object.keys(statements))(
		'%s: balances, entries and TxsSummry tie to the cent',
		(name) => {
			const statement: Statement = statements[name];
			const path = save(`${name}-tie`, writeCamt053(statement));
			const balanceAmounts = values(path, ['Bal', 'Amt']);
			const balanceSigns = values(path, ['Bal', 'CdtDbtInd']);
			expect(values(path, ['Bal', 'Tp', 'CdOrPrtry', 'Cd'])).toEqual(['OPBD', 'CLBD']);
			const opening = signed(balanceAmounts[0], balanceSigns[0]);
			const closing = signed(balanceAmounts[1], balanceSigns[1]);
			expect([opening, closing]).toEqual([
				statement.openingBalanceCents,
				statement.closingBalanceCents,
			]);
			const amounts = values(path, ['Ntry', 'Amt']);
			const signs = values(path, ['Ntry', 'CdtDbtInd']);
			expect(amounts).toHaveLength(statement.lines.length);
			const entries = amounts.map((amount, i) => signed(amount, signs[i]));
			expect(entries).toEqual(statement.lines.map((line) => line.amountCents));
			expect(opening + entries.reduce((sum, value) => sum + value, 0)).toBe(closing);
			const credit = entries.filter((value) => value >= 0).reduce((sum, value) => sum + value, 0);
			const debit = entries.filter((value) => value < 0).reduce((sum, value) => sum - value, 0);
			expect(values(path, ['TtlCdtNtries', 'Sum']).map(cents)).toEqual([credit]);
			expect(values(path, ['TtlDbtNtries', 'Sum']).map(cents)).toEqual([debit]);
			expect(values(path, ['TtlNtries', 'NbOfNtries'])).toEqual([String(statement.lines.length)]);
			expect(values(path, ['TtlNtries', 'TtlNetNtryAmt'])).toEqual([
				formatCents(Math.abs(credit - debit)),
			]);
			// Every amount carries the account currency (USD stays USD).
			const currencies = select(path, ['Amt']).map((element) => element.attributes.Ccy);
			expect(new Set(currencies)).toEqual(new Set([statement.account.currency]));
			expect(values(path, ['Stmt', 'Acct', 'Ccy'])).toEqual([statement.account.currency]);
			// Amounts: two decimals, no sign.
			for (const amount of values(path, ['Amt'])) expect(amount).toMatch(/^\d+\.\d{2}$/);
		},
	);

	it('carries the Ponto id, booking and value dates and the bank transaction code', () => {
		const statement = statements.edgeCases;
		const path = save('refs', writeCamt053(statement));
		const references = values(path, ['Ntry', 'AcctSvcrRef']);
		expect(references).toEqual(statement.lines.map((line) => line.id.replace(/-/g, '')));
		expect(new Set(references).size).toBe(references.length);
		expect(values(path, ['Ntry', 'BookgDt', 'Dt'])).toEqual(
			statement.lines.map((line) => line.bookingDate),
		);
		expect(values(path, ['Ntry', 'ValDt', 'Dt'])).toEqual(
			statement.lines.map((line) => line.valueDate),
		);
		expect(values(path, ['Ntry', 'Sts'])).toEqual(statement.lines.map(() => 'BOOK'));
		expect(count(path, ['Ntry', 'BkTxCd'])).toBe(statement.lines.length);
		expect(values(path, ['Ntry', 'BkTxCd', 'Domn', 'Cd']).length).toBe(
			statement.lines.filter((l) => l.bankTransactionCode).length,
		);
	});

	it('puts Belgian structured communications in Strd/CdtrRefInf (SCOR, BBA, the 12 digits)', () => {
		const statement = statements.edgeCases;
		const path = save('bba', writeCamt053(statement));
		const structured = statement.lines
			.filter((line) => line.structuredReference)
			.map((line) => line.structuredReference);
		expect(structured.length).toBeGreaterThan(0);
		expect(values(path, ['CdtrRefInf', 'Ref'])).toEqual(structured);
		expect(new Set(values(path, ['CdtrRefInf', 'Tp', 'Issr']))).toEqual(new Set(['BBA']));
		expect(new Set(values(path, ['CdtrRefInf', 'Tp', 'CdOrPrtry', 'Cd']))).toEqual(
			new Set(['SCOR']),
		);
	});

	it('puts debtor data on credits and creditor data on debits; none for a missing counterpart', () => {
		const path = save('parties', writeCamt053(statements.example));
		expect(values(path, ['RltdPties', 'Dbtr', 'Nm'])).toEqual(['EXAMPLE CUSTOMER BV']);
		expect(values(path, ['RltdPties', 'DbtrAcct', 'Id', 'IBAN'])).toEqual(['NL91ABNA0417164300']);
		expect(values(path, ['RltdPties', 'Cdtr', 'Nm'])).toEqual(['EXAMPLE SUPPLIER NV']);
		expect(values(path, ['RltdPties', 'CdtrAcct', 'Id', 'IBAN'])).toEqual(['BE71096123456769']);
		const edge = statements.edgeCases;
		const edgePath = save('parties-edge', writeCamt053(edge));
		const missing = edge.lines.filter(
			(line) => !line.counterpartName && !line.counterpartReference,
		).length;
		expect(missing).toBeGreaterThan(0);
		expect(count(edgePath, ['RltdPties'])).toBe(edge.lines.length - missing);
		expect(values(edgePath, ['Nm']).join('|')).toContain('Müller & Söhne GmbH');
		expect(values(edgePath, ['Nm']).join('|')).toContain('Łódź Sp. z o.o.');
	});

	it('splits long free text over several Ustrd of at most 140 characters, and escapes markup', () => {
		const path = save('long', writeCamt053(statements.adversarial));
		const ustrd = values(path, ['Ustrd']);
		expect(ustrd.every((text) => Array.from(text).length <= 140)).toBe(true);
		const long = statements.adversarial.lines[0].remittanceInformation.replace(/\s+/g, ' ').trim();
		const pieces = ustrd.slice(0, 2);
		expect(Array.from(long).length).toBeGreaterThan(140);
		expect(pieces.join(' ')).toBe(long);
		expect(values(path, ['CdtrRefInf', 'Ref'])).toEqual(['RF18539007547034']);
		expect(values(path, ['Refs', 'MndtId'])).toEqual(['MD000000001']);
	});

	it('writes an empty period as a valid statement with equal balances and no entries', () => {
		const statement = statements.empty;
		const path = save('empty-check', writeCamt053(statement));
		expect(count(path, ['Ntry'])).toBe(0);
		const balances = values(path, ['Bal', 'Amt']);
		expect(balances[0]).toBe(balances[1]);
		expect(values(path, ['TtlNtries', 'NbOfNtries'])).toEqual(['0']);
	});
});
