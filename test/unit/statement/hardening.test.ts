import { readFileSync } from 'node:fs';

import type { JsonApiResource } from '../../../nodes/Ponto/helpers/interfaces';
import {
	statementFormat,
	writeCamt053,
	writeCoda,
	writeCsv,
	writeOfx,
} from '../../../nodes/Ponto/statement';
import { buildStatement } from '../../../nodes/Ponto/statement/build';
import type { Statement } from '../../../nodes/Ponto/statement/model';
import { assertPrintableAscii } from '../../../nodes/Ponto/statement/text';
import { CAMT_SCHEMA } from '../../support/fixtures';
import { exampleStatement, retotal } from '../../support/statementFixtures';

/**
 * Issue 13, statement files (findings 6, 8, 9, 10). The readers' rules are checked in process:
 * pycoda's (docs/coda.md §8, as OCA's Odoo CODA import runs it) for CODA, the ISO schema's
 * content models for the CAMT elements concerned, the byte-level rules of OFX 1.
 */

/** What pycoda reads of a CODA file, failing where it fails (docs/coda.md §8). */
function pycodaReading(file: string) {
	const records = file.split('\r\n').filter((line) => line !== '');
	const date = (text: string, what: string) => {
		const [day, month, year] = [text.slice(0, 2), text.slice(2, 4), text.slice(4, 6)].map(Number);
		const parsed = new Date(Date.UTC(2000 + year, month - 1, day));
		if (!/^\d{6}$/.test(text) || parsed.getUTCDate() !== day || parsed.getUTCMonth() !== month - 1)
			throw new Error(`${what}: ${text} is not a DDMMYY date`);
		return text;
	};
	const rmspaces = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');
	const reading = {
		structure: '',
		account: '',
		currency: '',
		oldBalance: 0,
		newBalance: 0,
		movements: [] as Array<{ structured: boolean; type: string; communication: string }>,
	};
	for (const line of records) {
		if (line.length !== 128) throw new Error(`record of ${line.length} characters`);
		if (line[0] === '0') {
			if (!/^0{5}\d{9}05[ D] {7}/.test(line))
				throw new Error('record 0 does not start as pycoda requires');
			if (!['1', '2'].includes(line[127]))
				throw new Error(`CODA V${line[127]} statements are not supported`);
			date(line.slice(5, 11), 'creation date');
		} else if (line[0] === '1') {
			reading.structure = line[1];
			if (line[1] === '0') {
				reading.account = rmspaces(line.slice(5, 17));
				reading.currency = rmspaces(line.slice(18, 21));
			} else if (line[1] === '2') {
				reading.account = rmspaces(line.slice(5, 21));
				reading.currency = rmspaces(line.slice(39, 42));
			} else if (line[1] === '1') {
				throw new Error('Foreign bank accounts with BBAN structure are not supported');
			} else if (line[1] !== '3') {
				throw new Error('Unsupported bank account structure');
			}
			reading.oldBalance = ((line[42] === '1' ? -1 : 1) * Number(line.slice(43, 58))) / 1000;
			date(line.slice(58, 64), 'old balance date');
		} else if (line.startsWith('21')) {
			date(line.slice(47, 53), 'value date');
			date(line.slice(115, 121), 'entry date');
			const structured = line[61] === '1';
			reading.movements.push({
				structured,
				type: structured ? line.slice(62, 65) : '',
				communication: structured
					? `+++${line.slice(65, 68)}/${line.slice(68, 72)}/${line.slice(72, 77)}+++`
					: rmspaces(line.slice(62, 115)),
			});
		} else if (line.startsWith('22') || line.startsWith('23')) {
			if (!reading.movements.length) throw new Error(`record ${line.slice(0, 2)} without a 2.1`);
		} else if (line[0] === '8') {
			reading.newBalance = ((line[41] === '1' ? -1 : 1) * Number(line.slice(42, 57))) / 1000;
			date(line.slice(57, 63), 'new balance date');
		}
	}
	return reading;
}

const onlyPrintableAscii = (text: string, newline: string) =>
	text
		.split(newline)
		.slice(0, -1)
		.every((line) => /^[\x20-\x7e]*$/.test(line));

describe('finding 6: OFX 1 and CODA are printable ASCII whatever the values', () => {
	const HOSTILE_ID = 'tx-1\u010A\u013CTRNAMT\u013E999999.00';
	const hostile = (): Statement => {
		const base = exampleStatement();
		return retotal({
			...base,
			account: {
				...base.account,
				iban: 'BE68\u010A5390\u013C0754\u013E7034',
				holderName: 'H\u010Aolder \u013Cb\u013E',
				description: 'D\u013Eesc',
				institutionName: 'Bank\u010A\u013CORG\u013E',
			},
			lines: base.lines.map((line, index) => ({
				...line,
				id: index === 0 ? HOSTILE_ID : `${line.id}\u010D\u0100`,
				counterpartName: 'N\u010Aame \u013CNAME\u013E',
				counterpartReference: 'BE\u010A71',
				endToEndId: 'E2E\u010A\u013C',
				remittanceInformation: line.structuredReference
					? line.remittanceInformation
					: 'Free\u010A\u013CMEMO\u013Etext',
				additionalInformation: 'More\u2028info\u010A',
				purposeCode: 'O\u010ATHR',
				mandateId: 'M\u013C1',
				creditorId: 'C\u013E1',
			})),
		});
	};

	test('an id with U+010A / U+013C / U+013E injects no line and no tag into OFX 1', () => {
		const format = statementFormat('ofx1');
		const bytes = Buffer.from(format.write(hostile()), format.encoding);
		const text = bytes.toString('latin1');
		expect(onlyPrintableAscii(text, '\r\n')).toBe(true);
		expect(text.match(/<TRNAMT>/g)).toHaveLength(2);
		expect(text.match(/<STMTTRN>/g)).toHaveLength(2);
		expect(text).toContain('\r\n<FITID>tx-1ClTRNAMTl999999.00\r\n');
		expect(text).toContain('\r\n<ACCTID>BE68C5390L0754L7034\r\n');
		expect(text).not.toMatch(/\r(?!\n)|(?<!\r)\n/); // line ends are CRLF and nothing else
	});

	test('CODA records stay 128 printable characters with the same values', () => {
		const format = statementFormat('coda');
		const text = Buffer.from(format.write(hostile()), format.encoding).toString('latin1');
		expect(onlyPrintableAscii(text, '\r\n')).toBe(true);
		for (const record of text.split('\r\n').slice(0, -1)) expect(record).toHaveLength(128);
	});

	test('the last check refuses a line that is not printable ASCII', () => {
		expect(() => assertPrintableAscii(['<OFX>', '<FITID>a\u010Ab'], 'OFX 1')).toThrow(
			'OFX 1 line 2 holds a character outside printable ASCII; the file was not written',
		);
		expect(() => assertPrintableAscii(['ok', 'tab\there'], 'CODA')).toThrow('CODA line 2');
		expect(() => assertPrintableAscii(['fine ~ line'], 'CODA')).not.toThrow();
	});
});

describe('finding 8: a Belgian BBAN account gets CODA account structure 0', () => {
	const bbanStatement = (reference: string): Statement => {
		const base = exampleStatement();
		return { ...base, account: { ...base.account, iban: reference } };
	};

	test.each(['539007547034', '539-0075470-34'])(
		'account %s: structure 0, read by pycoda as that account and currency',
		(reference) => {
			const file = writeCoda(bbanStatement(reference));
			const record1 = file.split('\r\n')[1];
			expect(record1[1]).toBe('0');
			expect(record1.slice(5, 17)).toBe('539007547034');
			expect(record1[17]).toBe(' ');
			expect(record1.slice(18, 21)).toBe('EUR');
			expect(record1.slice(21, 42)).toBe(' '.repeat(21));
			const record8 = file.split('\r\n').find((line) => line[0] === '8')!;
			expect(record8.slice(4, 41)).toBe(record1.slice(5, 42));
			const reading = pycodaReading(file);
			expect(reading).toMatchObject({
				structure: '0',
				account: '539007547034',
				currency: 'EUR',
				oldBalance: 1000,
				newBalance: 1204.5,
			});
			expect(reading.movements.map((move) => move.communication)).toEqual([
				'+++123/4567/89002+++',
				'INVOICE 2025-0042',
			]);
		},
	);

	test('a Belgian IBAN stays structure 2; 12 digits failing the Belgian check are not taken for a Belgian account', () => {
		expect(pycodaReading(writeCoda(exampleStatement()))).toMatchObject({
			structure: '2',
			account: 'BE68539007547034',
			currency: 'EUR',
		});
		expect(writeCoda(bbanStatement('539007547035')).split('\r\n')[1][1]).toBe('1');
	});
});

/** A Ponto account and transactions, as the API returns them, for buildStatement. */
const account = (attributes: Record<string, unknown>): JsonApiResource => ({
	type: 'account',
	id: '1c4e6f2a-8b3d-4e5f-9a7b-0c1d2e3f4a5b',
	attributes: {
		reference: 'BE68539007547034',
		currency: 'EUR',
		holderName: 'EXAMPLE COMPANY NV',
		description: 'CURRENT ACCOUNT',
		...attributes,
	},
});
let transactionCount = 0;
const transaction = (
	day: string,
	amount: number,
	attributes: Record<string, unknown> = {},
): JsonApiResource => ({
	type: 'transaction',
	id: `0b0c0d0e-0000-4000-8000-${String(++transactionCount).padStart(12, '0')}`,
	attributes: {
		executionDate: `${day}T10:00:00.000Z`,
		valueDate: `${day}T10:00:00.000Z`,
		amount,
		currency: 'EUR',
		description: 'Wire transfer',
		remittanceInformation: 'Invoice',
		remittanceInformationType: 'unstructured',
		counterpartName: 'Counterpart',
		createdAt: `${day}T11:00:00.000Z`,
		...attributes,
	},
});
const NOW = Date.parse('2025-04-10T12:00:00.000Z');

/** The statement of March 2025 (Brussels, by execution date) of an account and its transactions. */
const march = (accountAttributes: Record<string, unknown>, transactions: JsonApiResource[]) =>
	buildStatement({
		account: account(accountAttributes),
		transactions,
		pending: [],
		from: '2025-03-01',
		to: '2025-03-31',
		timeZone: 'Europe/Brussels',
		dateField: 'executionDate',
		now: NOW,
	});

describe('finding 9: ISO 11649 RF creditor references stay structured', () => {
	const statement = () =>
		march(
			{
				currentBalance: 1050,
				currentBalanceReferenceDate: '2025-03-31T22:00:00.000Z',
				currentBalanceChangedAt: '2025-04-01T00:00:00.000Z',
			},
			[
				// Newest first, as Ponto lists them.
				transaction('2025-03-20', 50, {
					remittanceInformation: 'RF18 5390 0754 7034',
					remittanceInformationType: 'structured',
				}),
				transaction('2025-03-10', 25, {
					remittanceInformation: '+++123/4567/89002+++',
					remittanceInformationType: 'structured',
				}),
				transaction('2025-03-05', -25, {
					remittanceInformation: 'RF00 1234',
					remittanceInformationType: 'structured',
				}),
			],
		);

	test('the built line keeps the RF reference structured (a bad check digit does not)', () => {
		const lines = statement().lines;
		expect(lines.map((line) => [line.remittanceInformationType, line.structuredReference])).toEqual(
			[
				['unstructured', null],
				['structured', '123456789002'],
				['structured', null],
			],
		);
	});

	test('CAMT writes Strd/CdtrRefInf with type SCOR (issuer ISO), in the order and with the code the schema allows', () => {
		const xml = writeCamt053(statement());
		expect(xml).toContain(
			'<RmtInf>\n              <Strd>\n                <CdtrRefInf>\n                  <Tp>\n                    <CdOrPrtry>\n                      <Cd>SCOR</Cd>\n                    </CdOrPrtry>\n                    <Issr>ISO</Issr>\n                  </Tp>\n                  <Ref>RF18539007547034</Ref>',
		);
		expect(xml).not.toContain('<Ustrd>RF18');
		expect(xml).toContain('<Ustrd>RF00 1234</Ustrd>');
		// The schema's content models for these elements (RemittanceInformation5 > Strd >
		// StructuredRemittanceInformation7 > CdtrRefInf > CreditorReferenceInformation2 > Tp >
		// CreditorReferenceType2 > CdOrPrtry > Cd of DocumentType3Code, Ref of Max35Text).
		const schema = readFileSync(CAMT_SCHEMA, 'utf8');
		const type = (name: string) =>
			schema.slice(
				schema.indexOf(`name="${name}"`),
				schema.indexOf('</xs:complexType>', schema.indexOf(`name="${name}"`)),
			);
		expect(type('RemittanceInformation5')).toMatch(
			/name="Ustrd"[\s\S]*name="Strd" type="StructuredRemittanceInformation7"/,
		);
		expect(type('StructuredRemittanceInformation7')).toContain(
			'name="CdtrRefInf" type="CreditorReferenceInformation2"',
		);
		expect(type('CreditorReferenceInformation2')).toMatch(
			/name="Tp" type="CreditorReferenceType2"[\s\S]*name="Ref" type="Max35Text"/,
		);
		expect(type('CreditorReferenceType2')).toMatch(
			/name="CdOrPrtry" type="CreditorReferenceType1Choice"[\s\S]*name="Issr" type="Max35Text"/,
		);
		const codes = schema.slice(
			schema.indexOf('name="DocumentType3Code"'),
			schema.indexOf('</xs:simpleType>', schema.indexOf('name="DocumentType3Code"')),
		);
		expect(codes).toContain('<xs:enumeration value="SCOR"/>');
	});

	test('CSV and Xero put the RF reference in their reference column; CODA keeps it whole as free text (pycoda would mangle type 100)', () => {
		const built = statement();
		expect(writeCsv(built, 'generic').split('\r\n')[3]).toContain(',structured,RF18539007547034,');
		expect(writeCsv(built, 'xero').split('\r\n')[3]).toMatch(/,RF18539007547034$/);
		const reading = pycodaReading(writeCoda(built));
		expect(reading.movements[2]).toEqual({
			structured: false,
			type: '',
			communication: 'RF18 5390 0754 7034',
		});
		expect(reading.movements[1]).toEqual({
			structured: true,
			type: '101',
			communication: '+++123/4567/89002+++',
		});
		expect(writeOfx(built, { version: '1' })).toContain('<MEMO>RF18 5390 0754 7034');
	});
});

describe('finding 10: a closing balance is never confirmed while later-dated transactions are unaccounted for', () => {
	const build = (transactions: JsonApiResource[]) =>
		march(
			{
				currentBalance: 2500,
				currentBalanceReferenceDate: '2025-03-31T10:00:00.000Z',
				currentBalanceChangedAt: '2025-04-09T00:00:00.000Z',
			},
			transactions,
		);

	test('a bank balance dated the last day and three later transactions (-2,236.27): uncertain, with the reason', () => {
		const statement = build([
			transaction('2025-04-07', -1000),
			transaction('2025-04-03', -1236.27),
			transaction('2025-04-02', 0),
			transaction('2025-03-15', 300),
		]);
		expect(statement.closingBalanceCents).toBe(250_000);
		expect(statement.tieOut.status).toBe('uncertain');
		expect(statement.tieOut.reasons).toEqual([
			"3 transaction(s) totalling -2236.27 EUR are dated after the bank's balance (dated 2025-03-31); the closing balance assumes that balance does not include them. Check it against the bank's own statement.",
		]);
		// Its files still pass their readers with the right structure.
		const reading = pycodaReading(writeCoda(statement));
		expect(reading).toMatchObject({ structure: '2', oldBalance: 2200, newBalance: 2500 });
		const camt = writeCamt053(statement);
		expect(camt).toMatch(
			/<Cd>CLBD<\/Cd>[\s\S]*?<Amt Ccy="EUR">2500\.00<\/Amt>[\s\S]*?<Dt>2025-03-31<\/Dt>/,
		);
	});

	test('with nothing dated after the balance, the same statement is confirmed', () => {
		const statement = build([transaction('2025-03-15', 300)]);
		expect(statement.tieOut).toEqual({ status: 'confirmed', reasons: [] });
	});
});
