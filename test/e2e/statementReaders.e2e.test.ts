// The statement writers' files read back by third-party readers from Debian, installed by
// scripts/install-test-tools.sh (called by `npm run test:e2e` and .ci/run): xmllint (libxml2)
// against the ISO camt.053.001.02 schema, libofx's ofxdump, and the febelfin-coda parser used by
// Tryton. `npm test` checks the same files in-process (test/unit/statement); these readers are
// the second, independent opinion. Outside CI a missing reader skips this file with one line
// saying how to install it; in CI it is a failure.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCents } from '../../nodes/Ponto/statement/model';
import type { Statement } from '../../nodes/Ponto/statement/model';
import { writeCamt053, writeCoda, writeOfx } from '../../nodes/Ponto/statement';
import { fixtureStatements, tempFolder } from '../support/statementFixtures';
import {
	describeWithReaders,
	missingReaders,
	ofxdump,
	parseCodaFiles,
	validateCamtFile,
} from '../support/statementValidators';

const statements = fixtureStatements();
const folder = tempFolder();
const versions = ['1', '2'] as const;
const describeReaders = describeWithReaders('statementReaders.e2e.test.ts');

function save(name: string, text: string, encoding: BufferEncoding): string {
	const path = join(folder, name);
	writeFileSync(path, text, encoding);
	return path;
}

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeReaders('the statement readers are installed', () => {
	it('xmllint, ofxdump and febelfin-coda are on this machine', () => {
		expect(missingReaders()).toEqual([]);
	});
});

describeReaders('CAMT.053 read by xmllint', () => {
	it.each(Object.keys(statements))('%s validates against camt.053.001.02.xsd', (name) => {
		const path = save(`${name}.xml`, writeCamt053(statements[name]), 'utf8');
		const result = validateCamtFile(path);
		expect(result.stderr.trim()).toBe(`${path} validates`);
		expect(result.status).toBe(0);
	});

	it('xmllint really rejects a broken statement', () => {
		const path = save(
			'broken.xml',
			writeCamt053(statements.example).replace('<Sts>BOOK</Sts>', '<Sts>BOOKED</Sts>'),
			'utf8',
		);
		const result = validateCamtFile(path);
		expect(result.status).not.toBe(0);
		expect(result.stderr).toMatch(/fails to validate/);
	});
});

const cases = Object.keys(statements).flatMap((name) =>
	versions.map((version) => [name, version] as const),
);

/** How ofxdump prints a day at noon GMT: 'Wed Jan 15 12:00:00 2025 UTC'. */
function asctimeNoon(day: string): string {
	const [weekday, date, month, year] = new Date(`${day}T12:00:00Z`).toUTCString().split(/,? /);
	return `${weekday} ${month} ${date.replace(/^0/, ' ')} 12:00:00 ${year} UTC`;
}

describeReaders('OFX read by libofx (ofxdump)', () => {
	it.each(cases)(
		'%s, version %s: ofxdump reads account, balance and every transaction',
		(name, version) => {
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
			expect(account['Account type']).toBe(
				statement.account.subtype === 'savings' ? 'SAVINGS' : 'CHECKING',
			);
			const summary = blocks.find((b) => b.kind === 'ofx_proc_statement')?.values ?? {};
			expect(summary['Ledger balance']).toBe(formatCents(statement.closingBalanceCents));
			expect(summary['Default Currency']).toBe(statement.account.currency);
			const transactions = blocks
				.filter((b) => b.kind === 'ofx_proc_transaction')
				.map((b) => b.values);
			expect(transactions.map((t) => t["Financial institution's ID for this transaction"])).toEqual(
				statement.lines.map((line) => line.id),
			);
			expect(transactions.map((t) => t['Total money amount'])).toEqual(
				statement.lines.map((line) => formatCents(line.amountCents)),
			);
			expect(transactions.map((t) => t['Transaction type'].split(':')[0])).toEqual(
				statement.lines.map((line) => (line.amountCents < 0 ? 'DEBIT' : 'CREDIT')),
			);
			expect(transactions.map((t) => t['Date posted'])).toEqual(
				statement.lines.map((line) => asctimeNoon(line.bookingDate)),
			);
			expect(transactions.map((t) => t['Date funds are available'])).toEqual(
				statement.lines.map((line) => asctimeNoon(line.valueDate)),
			);
			for (const t of transactions)
				expect((t['Name of payee or transaction description'] ?? '').length).toBeGreaterThan(0);
			// The ledger balance ties: opening + the listed amounts = LEDGERBAL.
			const sum = transactions.reduce(
				(total, t) => total + Math.round(Number(t['Total money amount']) * 100),
				0,
			);
			expect(statement.openingBalanceCents + sum).toBe(
				Math.round(Number(summary['Ledger balance']) * 100),
			);
		},
	);
});

interface Parsed {
	account: string;
	currency: string;
	old: string;
	new: string;
	new_date: string;
	debit: string;
	credit: string;
	moves: Array<{
		amount: string;
		entry: string;
		value: string;
		code: string;
		ctype: string | null;
		text: string;
		name: string;
		account: string;
		e2e: string;
	}>;
}

describeReaders('CODA read by febelfin-coda (python3-febelfin-coda)', () => {
	const names = Object.keys(statements);
	let parsed: Parsed[] = [];
	beforeAll(() => {
		const paths = names.map((name) => {
			const path = join(folder, `${name}.cod`);
			writeFileSync(path, writeCoda(statements[name]), 'latin1');
			return path;
		});
		const result = parseCodaFiles(paths);
		if (result.status !== 0 && /No module named/.test(result.stderr)) {
			throw new Error(
				'febelfin-coda is not installed: run scripts/install-test-tools.sh (Debian python3-febelfin-coda)',
			);
		}
		expect(result.stderr).toBe('');
		parsed = JSON.parse(result.stdout) as Parsed[];
	});

	it.each(names.map((name, index) => [name, index]))(
		'%s: balances, totals and every movement read back',
		(name, index) => {
			const statement: Statement = statements[name as string];
			const p = parsed[index as number];
			const euros = (cents: number): string => (cents / 100).toFixed(2);
			const norm = (value: string): string => Number(value).toFixed(2);
			expect(p.account).toBe(statement.account.iban);
			expect(p.currency).toBe(statement.account.currency);
			expect([norm(p.old), norm(p.new)]).toEqual([
				euros(statement.openingBalanceCents),
				euros(statement.closingBalanceCents),
			]);
			expect([norm(p.debit), norm(p.credit)]).toEqual([
				euros(statement.totalDebitCents),
				euros(statement.totalCreditCents),
			]);
			expect(p.new_date).toBe(statement.to);
			expect(p.moves.map((m) => norm(m.amount))).toEqual(
				statement.lines.map((line) => euros(line.amountCents)),
			);
			statement.lines.forEach((line, i) => {
				const move = p.moves[i];
				expect([move.entry, move.value]).toEqual([line.bookingDate, line.valueDate]);
				if (line.structuredReference)
					expect([move.ctype, move.text]).toEqual(['101', line.structuredReference]);
				if (line.counterpartReference) expect(move.account).toBe(line.counterpartReference);
			});
		},
	);
});
