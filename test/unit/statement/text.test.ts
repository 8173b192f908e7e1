// Shared helpers of the writers, the integrity check, and the STATEMENT_FORMATS table.
import { STATEMENT_FORMATS, statementFormat } from '../../../nodes/Ponto/statement';
import {
	assertStatementTies,
	ddmmyy,
	escapeXml,
	foldToAscii,
	formatStructuredCommunication,
	isBelgianStructuredReference,
	isBic,
	isCreditorReference,
	isIban,
	localDay,
	numeric,
	previousDay,
	wrapWords,
} from '../../../nodes/Ponto/statement/text';
import {
	fixtureEdgeCases,
	fixtureDataset,
	fixtureStatements,
	retotal,
	toStatementLine,
} from '../../support/statementFixtures';

const statements = fixtureStatements();

describe('statement text helpers', () => {
	it('folds to printable ASCII', () => {
		expect(foldToAscii('Müller & Söhne GmbH')).toBe('Muller & Sohne GmbH');
		expect(foldToAscii('Ørsted A/S')).toBe('Orsted A/S');
		expect(foldToAscii('Łódź Sp. z o.o.')).toBe('Lodz Sp. z o.o.');
		expect(foldToAscii('Crédit Coopératif – “Straße” €5…')).toBe(
			'Credit Cooperatif - "Strasse" EUR5...',
		);
		expect(foldToAscii('a\tb\nc\u00a0d 中')).toBe('a b c d ?');
	});

	it('checks Belgian structured communications, IBANs, BICs and RF references', () => {
		expect(isBelgianStructuredReference('123456789002')).toBe(true);
		expect(isBelgianStructuredReference('123456789003')).toBe(false);
		expect(isBelgianStructuredReference('000000000097')).toBe(true); // remainder 0 is written 97
		expect(formatStructuredCommunication('123456789002')).toBe('+++123/4567/89002+++');
		expect(isIban('BE68539007547034')).toBe(true);
		expect(isIban('BE68539007547035')).toBe(false);
		expect(isBic('GEBABEBB') && isBic('ORBTBEB1') && isBic('NRDZNL2AXXX')).toBe(true);
		expect(isBic('GEBA BEBB')).toBe(false);
		expect(isCreditorReference('RF18539007547034')).toBe(true);
		expect(isCreditorReference('RF19539007547034')).toBe(false);
	});

	it('the emulator edge cases carry valid structured communications', () => {
		const account = fixtureDataset().accounts[0];
		const structured = fixtureEdgeCases().structuredCommunication.map((id) =>
			toStatementLine(account.transactions.find((t) => t.id === id)!),
		);
		expect(structured.length).toBeGreaterThan(10);
		for (const line of structured)
			expect(isBelgianStructuredReference(line.structuredReference ?? '')).toBe(true);
	});

	it('formats fixed-width zones, dates and escapes', () => {
		expect(numeric(45, 4)).toBe('0045');
		expect(() => numeric(12345, 4)).toThrow(/does not fit/);
		expect(() => numeric(-1, 4)).toThrow();
		expect(ddmmyy('2025-01-15')).toBe('150125');
		expect(previousDay('2025-03-01')).toBe('2025-02-28');
		expect(localDay('2025-03-30T23:30:00Z', 'Europe/Brussels')).toBe('2025-03-31');
		expect(localDay('2025-03-30T23:30:00Z', 'Not/AZone')).toBe('2025-03-30');
		expect(escapeXml(`<a href="x">&'\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
		expect(wrapWords('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
		expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
	});
});

describe('assertStatementTies', () => {
	it('accepts every fixture', () => {
		for (const statement of Object.values(statements))
			expect(() => assertStatementTies(statement)).not.toThrow();
	});

	it('refuses a statement whose balances or totals do not add up, for every format', () => {
		const example = statements.example;
		const broken = [
			{ ...example, closingBalanceCents: example.closingBalanceCents + 1 },
			{ ...example, totalDebitCents: example.totalDebitCents + 1 },
			{ ...example, lines: [{ ...example.lines[0], amountCents: 0.5 }, example.lines[1]] },
			retotal({ ...example, lines: [{ ...example.lines[0], currency: 'USD' }] }),
			retotal({ ...example, lines: [{ ...example.lines[0], bookingDate: '2025-01-16' }] }),
		];
		for (const statement of broken) {
			for (const format of STATEMENT_FORMATS)
				expect(() => format.write(statement)).toThrow(/cannot be written/);
		}
	});
});

describe('STATEMENT_FORMATS', () => {
	it('lists unique keys with an extension, a mime type and an encoding that keeps every character', () => {
		const keys = STATEMENT_FORMATS.map((format) => format.key);
		expect(new Set(keys).size).toBe(keys.length);
		expect(statementFormat('coda').encoding).toBe('latin1');
		for (const format of STATEMENT_FORMATS) {
			expect(format.extension).toMatch(/^[a-z0-9]+$/);
			expect(format.mimeType).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
			for (const statement of [statements.edgeCases, statements.adversarial]) {
				const text = format.write(statement);
				expect(Buffer.from(text, format.encoding).toString(format.encoding)).toBe(text);
				if (format.encoding === 'latin1') expect(text).toMatch(/^[\x20-\x7e\r\n]*$/);
			}
		}
	});
});
