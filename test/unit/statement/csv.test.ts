// CSV: every layout parsed back with a small RFC 4180 parser and compared with the statement.
import { formatCents } from '../../../nodes/Ponto/statement/model';
import type { Statement } from '../../../nodes/Ponto/statement/model';
import type { CsvLayout } from '../../../nodes/Ponto/statement';
import { writeCsv } from '../../../nodes/Ponto/statement';
import { fixtureStatements } from '../../support/statementFixtures';

const statements = fixtureStatements();
const layouts: CsvLayout[] = ['generic', 'xero', 'quickbooks3', 'quickbooks4'];

/** RFC 4180: records end with CRLF, fields split on commas, double-quoted fields may hold , " CR LF. */
function parseCsv(text: string): string[][] {
	const records: string[][] = [];
	let field = '';
	let record: string[] = [];
	let i = 0;
	while (i < text.length) {
		const ch = text[i];
		if (ch === '"' && field === '') {
			let j = i + 1;
			for (;;) {
				const q = text.indexOf('"', j);
				if (q < 0) throw new Error(`unterminated quoted field at ${i}`);
				if (text[q + 1] === '"') j = q + 2;
				else {
					field = text.slice(i + 1, q).replace(/""/g, '"');
					i = q + 1;
					break;
				}
			}
			if (!['', ',', '\r'].includes(text[i] ?? ''))
				throw new Error(`text after a closing quote at ${i}`);
			if (text[i] === undefined) break;
			continue;
		}
		if (ch === ',') {
			record.push(field);
			field = '';
		} else if (ch === '\r') {
			if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
			record.push(field);
			records.push(record);
			record = [];
			field = '';
			i++;
		} else if (ch === '\n' || ch === '"') {
			throw new Error(`bare ${JSON.stringify(ch)} in an unquoted field at ${i}`);
		} else {
			field += ch;
		}
		i++;
	}
	if (field !== '' || record.length) throw new Error('the last record does not end with CRLF');
	return records;
}

function table(
	statement: Statement,
	layout: CsvLayout,
): { header: string[]; rows: Array<Record<string, string>> } {
	const text = writeCsv(statement, layout);
	const [header, ...rows] = parseCsv(text.replace(/^\ufeff/, ''));
	for (const row of rows) expect(row).toHaveLength(header.length);
	return {
		header,
		rows: rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]]))),
	};
}

const cents = (value: string): number => (value === '' ? 0 : Math.round(Number(value) * 100));
const dmy = (iso: string): string => iso.split('-').reverse().join('/');

describe('CSV writer', () => {
	it.each(Object.keys(statements))(
		'%s: the generic layout reads back field for field, balances tie',
		(name) => {
			const statement: Statement = statements[name];
			const { header, rows } = table(statement, 'generic');
			expect(header.slice(0, 6)).toEqual([
				'bookingDate',
				'valueDate',
				'executionDate',
				'amount',
				'currency',
				'balanceAfter',
			]);
			expect(rows).toHaveLength(statement.lines.length);
			let balance = statement.openingBalanceCents;
			rows.forEach((row, i) => {
				const line = statement.lines[i];
				balance += cents(row.amount);
				expect(row.amount).toBe(formatCents(line.amountCents));
				expect(row.amount).toMatch(/^-?\d+\.\d{2}$/);
				expect(cents(row.balanceAfter)).toBe(balance);
				expect([row.bookingDate, row.valueDate, row.executionDate]).toEqual([
					line.bookingDate,
					line.valueDate,
					line.executionDate,
				]);
				expect(row.id).toBe(line.id);
				expect(row.currency).toBe(statement.account.currency);
				expect(row.accountIban).toBe(statement.account.iban);
				expect(row.counterpartName.replace(/^'/, '')).toBe(
					(line.counterpartName ?? '').replace(/\s+/g, ' ').trim(),
				);
				expect(row.remittanceInformation.replace(/^'/, '')).toBe(
					line.remittanceInformation.replace(/\s+/g, ' ').trim(),
				);
				if (line.structuredReference)
					expect(row.structuredReference).toBe(
						`'+++${line.structuredReference.slice(0, 3)}/${line.structuredReference.slice(3, 7)}/${line.structuredReference.slice(7)}+++`,
					);
			});
			expect(balance).toBe(statement.closingBalanceCents);
		},
	);

	it.each(Object.keys(statements))(
		'%s: xero and quickbooks layouts sum to credits - debits',
		(name) => {
			const statement: Statement = statements[name];
			const net = statement.totalCreditCents - statement.totalDebitCents;
			const xero = table(statement, 'xero');
			expect(xero.header).toEqual(['Date', 'Amount', 'Payee', 'Description', 'Reference']);
			expect(xero.rows.map((row) => row.Date)).toEqual(
				statement.lines.map((line) => dmy(line.bookingDate)),
			);
			expect(xero.rows.reduce((sum, row) => sum + cents(row.Amount), 0)).toBe(net);
			const nonZero = statement.lines.filter((line) => line.amountCents !== 0);
			const qb3 = table(statement, 'quickbooks3');
			expect(qb3.header).toEqual(['Date', 'Description', 'Amount']);
			expect(qb3.rows.map((row) => cents(row.Amount))).toEqual(
				nonZero.map((line) => line.amountCents),
			);
			const qb4 = table(statement, 'quickbooks4');
			expect(qb4.header).toEqual(['Date', 'Description', 'Credit', 'Debit']);
			for (const row of qb4.rows) {
				expect([row.Credit, row.Debit].filter(Boolean)).toHaveLength(1);
				expect(`${row.Credit}${row.Debit}`).toMatch(/^\d+\.\d{2}$/);
			}
			expect(qb4.rows.reduce((sum, row) => sum + cents(row.Credit) - cents(row.Debit), 0)).toBe(
				net,
			);
			expect(qb4.rows.map((row) => row.Date)).toEqual(nonZero.map((line) => dmy(line.bookingDate)));
		},
	);

	it('quotes per RFC 4180 and neutralises formulas in text cells, never in amounts', () => {
		const text = writeCsv(statements.adversarial, 'generic');
		expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
		expect(text).toContain(`,'@SUM(A1:A9),`);
		expect(text).toContain(`,'+32 475 00 00 00,`);
		expect(text).toContain(`"'-10 discount, ""net"""`);
		expect(text).toContain(',-0.01,');
		const rows = parseCsv(text.replace(/^\ufeff/, '')).slice(1);
		for (const row of rows)
			for (const cell of row) expect(cell).not.toMatch(/^[=+@\t\r]|^-(?!\d+\.\d{2}$)/);
		const { rows: dd } = table(statements.adversarial, 'generic');
		expect(dd[0].additionalInformation).toBe('Extra info with a line break');
	});

	it('keeps the printed structured communication intact where it is matched (Xero Reference)', () => {
		const { rows } = table(statements.example, 'xero');
		expect(rows[0]).toEqual({
			Date: '15/01/2025',
			Amount: '250.00',
			Payee: 'EXAMPLE CUSTOMER BV',
			Description: 'Incoming transfer',
			Reference: '+++123/4567/89002+++',
		});
		expect(rows[1]).toEqual({
			Date: '15/01/2025',
			Amount: '-45.50',
			Payee: 'EXAMPLE SUPPLIER NV',
			Description: 'INVOICE 2025-0042',
			Reference: 'E2E-2025-0042',
		});
		const qb = table(statements.example, 'quickbooks4');
		expect(qb.rows[0]).toEqual({
			Date: '15/01/2025',
			Description: 'EXAMPLE CUSTOMER BV - +++123/4567/89002+++',
			Credit: '250.00',
			Debit: '',
		});
		expect(qb.rows[1]).toEqual({
			Date: '15/01/2025',
			Description: 'EXAMPLE SUPPLIER NV - INVOICE 2025-0042',
			Credit: '',
			Debit: '45.50',
		});
	});

	it('writes US dates on request, a BOM only in the generic layout, Unicode as is', () => {
		expect(
			writeCsv(statements.example, 'quickbooks3', { dateFormat: 'MM/DD/YYYY' }).split('\r\n')[1],
		).toMatch(/^01\/15\/2025,/);
		expect(writeCsv(statements.example, 'generic').startsWith('\ufeffbookingDate,')).toBe(true);
		for (const layout of layouts.slice(1))
			expect(writeCsv(statements.example, layout).startsWith('Date,')).toBe(true);
		expect(writeCsv(statements.edgeCases, 'xero')).toContain('Müller & Söhne GmbH');
	});

	it('writes an empty period as a header row only', () => {
		for (const layout of layouts)
			expect(parseCsv(writeCsv(statements.empty, layout).replace(/^\ufeff/, ''))).toHaveLength(1);
	});
});
