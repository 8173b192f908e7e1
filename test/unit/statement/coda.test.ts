// CODA 2.x: record-by-record structure checks written from docs/coda.md and a comparison with
// the hand-verified example test/fixtures/coda/example.cod. The open-source febelfin-coda parser
// (Debian python3-febelfin-coda, BSD-3) reads the same files in test/e2e/statementReaders.e2e.test.ts.
import { readFileSync } from 'node:fs';
import type { Statement, StatementLine } from '../../../nodes/Ponto/statement/model';
import { writeCoda } from '../../../nodes/Ponto/statement';
import { codaTransactionCode } from '../../../nodes/Ponto/statement/coda';
import { fixtureStatements } from '../../support/statementFixtures';
import { CODA_EXAMPLE } from '../../support/fixtures';

const statements = fixtureStatements();
const EXAMPLE = CODA_EXAMPLE;

/** 1-based inclusive positions, as the standard writes them. */
const at = (record: string, from: number, to = from): string => record.slice(from - 1, to);

function records(file: string): string[] {
	expect(file.endsWith('\r\n')).toBe(true);
	expect(file.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
	return file.slice(0, -2).split('\r\n');
}

function validDate(ddmmyy: string): boolean {
	const [day, month, year] = [
		Number(ddmmyy.slice(0, 2)),
		Number(ddmmyy.slice(2, 4)),
		2000 + Number(ddmmyy.slice(4, 6)),
	];
	const date = new Date(Date.UTC(year, month - 1, day));
	return /^\d{6}$/.test(ddmmyy) && date.getUTCDate() === day && date.getUTCMonth() === month - 1;
}

function belgianCheckOk(twelve: string): boolean {
	const base = BigInt(twelve.slice(0, 10));
	const check = Number(base % 97n) || 97;
	return check === Number(twelve.slice(10));
}

const type = (record: string): string =>
	record[0] === '2' || record[0] === '3' ? record.slice(0, 2) : record[0];
const amount = (sign: string, digits: string): number =>
	(sign === '1' ? -1 : 1) * (Number(digits) / 10);

/** Checks everything docs/coda.md §1-§7 and §8 (pycoda's rules) say about a file; returns the movements. */
function checkFile(file: string, statement: Statement): Array<{ cents: number; record: string }> {
	const lines = records(file);
	for (const line of lines) {
		expect(line).toHaveLength(128);
		expect(line).toMatch(/^[\x20-\x7e]+$/);
	}
	const types = lines.map(type).join(' ');
	expect(types).toMatch(/^0 1( 21( 22)?( 23)?( 31( 32)?( 33)?)?)* 8 9$/);
	const [header, old] = lines;
	expect(header).toMatch(/^0{5}\d{9}05[ D] {7}/);
	expect(at(header, 128)).toBe('2');
	expect(validDate(at(header, 6, 11))).toBe(true);
	const newBalance = lines[lines.length - 2];
	const trailer = lines[lines.length - 1];
	expect(at(old, 6, 42)).toBe(at(newBalance, 5, 41)); // same account + currency zone
	expect(at(old, 40, 42)).toBe(statement.account.currency);
	expect(validDate(at(old, 59, 64)) && validDate(at(newBalance, 58, 63))).toBe(true);
	const movements: Array<{ cents: number; record: string }> = [];
	let sequence = 0;
	for (let i = 2; i < lines.length - 2; i++) {
		const record = lines[i];
		const next = lines[i + 1];
		const kind = type(record);
		if (kind === '21') {
			sequence++;
			expect(at(record, 3, 6)).toBe(String(sequence % 10_000).padStart(4, '0'));
			expect(at(record, 7, 10)).toBe('0000');
			expect(validDate(at(record, 48, 53)) && validDate(at(record, 116, 121))).toBe(true);
			expect(at(record, 54)).toBe('0'); // type 0: simple amount, never a globalisation
			expect(at(record, 122, 124)).toBe(at(old, 3, 5));
			if (at(record, 62) === '1') {
				expect(at(record, 63, 65)).toBe('101');
				expect(at(record, 66, 77)).toMatch(/^\d{12}$/);
				expect(belgianCheckOk(at(record, 66, 77))).toBe(true);
				expect(at(record, 78, 115).trim()).toBe('');
			}
			movements.push({ cents: amount(at(record, 32), at(record, 33, 47)), record });
		} else {
			expect(at(record, 3, 6)).toBe(String(sequence % 10_000).padStart(4, '0'));
			expect(at(record, 7, 10)).toBe(kind.startsWith('3') ? '0001' : '0000');
		}
		// Next code (pos 126): another part of the same movement / information follows.
		const following = type(next);
		const expectedNext =
			{ '21': ['22', '23'], '22': ['23'], '23': [], '31': ['32'], '32': ['33'], '33': [] }[kind] ??
			[];
		expect(at(record, 126)).toBe(expectedNext.includes(following) ? '1' : '0');
		// Link code (pos 128): only the last 2.x part says '1', when an information record follows.
		const lastPart = kind.startsWith('2') && !['22', '23'].includes(following);
		expect(at(record, 128)).toBe(lastPart && following === '31' ? '1' : '0');
	}
	const debit = movements.filter((m) => m.cents < 0).reduce((sum, m) => sum - m.cents, 0);
	const credit = movements.filter((m) => m.cents >= 0).reduce((sum, m) => sum + m.cents, 0);
	expect(Number(at(trailer, 17, 22))).toBe(lines.length - 2);
	expect(Number(at(trailer, 23, 37)) / 10).toBe(debit);
	expect(Number(at(trailer, 38, 52)) / 10).toBe(credit);
	const opening = amount(at(old, 43), at(old, 44, 58));
	const closing = amount(at(newBalance, 42), at(newBalance, 43, 57));
	expect(opening + credit - debit).toBe(closing);
	expect([opening, closing]).toEqual([
		statement.openingBalanceCents,
		statement.closingBalanceCents,
	]);
	const references = movements.map((m) => at(m.record, 11, 31));
	expect(new Set(references).size).toBe(references.length);
	return movements;
}

describe('CODA writer: record by record', () => {
	it.each(Object.keys(statements))(
		'%s follows the CODA 2.x structure and its totals tie',
		(name) => {
			const statement = statements[name];
			const movements = checkFile(writeCoda(statement), statement);
			expect(movements.map((m) => m.cents)).toEqual(
				statement.lines.map((line) => line.amountCents),
			);
		},
	);

	it('reproduces the verified example file except the zones Ponto cannot know', () => {
		const ours = records(writeCoda(statements.example));
		const verified = records(readFileSync(EXAMPLE, 'latin1'));
		const mask = (record: string): string => {
			const blank = (from: number, to: number): string =>
				record.slice(0, from - 1) + '#'.repeat(to - from + 1) + record.slice(to);
			if (record[0] === '0') return blank(72, 82); // company number
			if (record.startsWith('21')) return blank(11, 31); // bank reference
			if (record.startsWith('22')) return blank(99, 109); // counterparty BIC
			return record;
		};
		expect(ours.map(mask)).toEqual(verified.map(mask));
	});

	it('folds names to ASCII: Müller -> Muller, Ørsted -> Orsted, Łódź -> Lodz', () => {
		const file = writeCoda(statements.edgeCases);
		expect(file).toContain('Muller & Sohne GmbH');
		expect(file).toContain('Orsted A/S');
		expect(file).toContain('Lodz Sp. z o.o.');
		expect(file).toContain('Credit Cooperatif');
		expect(file).toMatch(/^[\x20-\x7e\r\n]+$/);
	});

	it('uses account structure 2 for a Belgian IBAN, 3 for a foreign one, and keeps USD', () => {
		const at1 = (s: Statement): string => writeCoda(s).split('\r\n')[1];
		expect(at(at1(statements.edgeCases), 2)).toBe('2');
		expect(at(at1(statements.savingsNl), 2)).toBe('3');
		expect(at(at1(statements.usd), 40, 42)).toBe('USD');
		expect(at(at1(statements.adversarial), 43)).toBe('1'); // debit opening balance
	});

	it('writes an empty period as 0, 1, 8, 9 with equal balances', () => {
		const lines = records(writeCoda(statements.empty));
		expect(lines.map(type)).toEqual(['0', '1', '8', '9']);
		expect(at(lines[1], 44, 58)).toBe(at(lines[2], 43, 57));
		expect(at(lines[3], 17, 52)).toBe(`000002${'0'.repeat(30)}`);
	});

	it('maps ISO bank transaction codes to CODA codes, else the undefined 30 39 / 30 89', () => {
		const code = (bankTransactionCode: string | null, amountCents: number): string =>
			codaTransactionCode({ bankTransactionCode, amountCents } as StatementLine);
		expect(code('PMNT-RCDT-ESCT', 100)).toBe('00150000');
		expect(code('PMNT-ICDT-ESCT', -100)).toBe('00101000');
		expect(code('PMNT-IRCT-ESCT', -100)).toBe('00201000');
		expect(code('PMNT-RRCT-ESCT', 100)).toBe('00250000');
		expect(code('PMNT-RDDT-ESDD', -100)).toBe('00501000');
		expect(code('PMNT-CCRD-POSD', -100)).toBe('00402000');
		expect(code('PMNT-CCRD-CWDL', -100)).toBe('00404000');
		expect(code('ACMT-MDOP-CHRG', -100)).toBe('03037000');
		expect(code('ACMT-MDOP-INTR', 100)).toBe('03550000');
		expect(code('PMNT-RCDT-ESCT', -100)).toBe('03039000'); // a "received" transfer that debits
		expect(code('PMNT-CCRD-POSD', 100)).toBe('03089000'); // card refund: no code in the table
		expect(code(null, 100)).toBe('03089000');
	});
});
