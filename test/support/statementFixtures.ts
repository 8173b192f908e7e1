// Statements for the file-writer tests, built from the emulator's generated data
// (test/emulator, generateDataset) plus two hand-made ones. Deterministic: fixed seed and clock.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset, isValidStructuredCommunication, toCents } from '../emulator';
import type { AccountRecord, Dataset, EdgeCaseIndex, TransactionResource } from '../emulator';
import type { Statement, StatementAccount, StatementLine } from '../../nodes/Ponto/statement/model';

export const FIXTURE_NOW = '2025-03-31T10:00:00.000Z';
export const FIXTURE_CREATED_AT = '2025-04-01T06:00:00.000Z';
const TIME_ZONE = 'Europe/Brussels';

/** Calendar day of an ISO instant in Brussels (the emulator's bank dates are UTC midnights). */
function brusselsDay(iso: string): string {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone: TIME_ZONE,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	}).format(new Date(iso));
}

let cached: Dataset | null = null;
/** Seed 7, three banks (BE, NL, international), EUR/EUR/USD accounts; edge cases in the first. */
export function fixtureDataset(): Dataset {
	cached ??= generateDataset({ seed: 7, now: FIXTURE_NOW });
	return cached;
}

export function fixtureEdgeCases(): EdgeCaseIndex {
	const edge = fixtureDataset().edgeCases;
	if (!edge) throw new Error('dataset without edge cases');
	return edge;
}

export function toStatementLine(t: TransactionResource): StatementLine {
	const a = t.attributes;
	const digits = a.remittanceInformation.replace(/[^0-9]/g, '');
	const structured =
		a.remittanceInformationType === 'structured' &&
		isValidStructuredCommunication(a.remittanceInformation)
			? digits
			: null;
	return {
		id: t.id,
		bookingDate: brusselsDay(a.executionDate),
		executionDate: brusselsDay(a.executionDate),
		valueDate: brusselsDay(a.valueDate),
		amountCents: toCents(a.amount),
		currency: a.currency,
		description: a.description,
		remittanceInformation: a.remittanceInformation,
		remittanceInformationType: a.remittanceInformationType,
		structuredReference: structured,
		counterpartName: a.counterpartName,
		counterpartReference: a.counterpartReference ?? null,
		endToEndId: a.endToEndId,
		bankTransactionCode: a.bankTransactionCode,
		proprietaryBankTransactionCode: a.proprietaryBankTransactionCode,
		purposeCode: a.purposeCode,
		mandateId: a.mandateId,
		creditorId: a.creditorId,
		additionalInformation: a.additionalInformation,
		cardReference: a.cardReference,
		internalReference: a.internalReference ?? null,
	};
}

function statementAccount(dataset: Dataset, account: AccountRecord): StatementAccount {
	const institution = dataset.financialInstitutions.find(
		(fi) => fi.id === account.financialInstitutionId,
	);
	return {
		id: account.id,
		iban: account.attributes.reference,
		currency: account.attributes.currency,
		holderName: account.attributes.holderName,
		description: account.attributes.description,
		bic: institution?.attributes.bic ?? null,
		institutionName: institution?.attributes.name ?? null,
		country: institution?.attributes.country ?? null,
		subtype: account.attributes.subtype,
	};
}

/** The account's statement for from..to (inclusive): balances from the emulator's ledger. */
export function buildStatement(
	dataset: Dataset,
	accountIndex: number,
	from: string,
	to: string,
	sequenceNumber = 1,
): Statement {
	const account = dataset.accounts[accountIndex];
	// The API lists newest created first; a statement lists oldest first, ties in listing order.
	const listed = account.transactions.map((t, index) => ({ line: toStatementLine(t), index }));
	const before = listed.filter(({ line }) => line.bookingDate < from);
	const inPeriod = listed
		.filter(({ line }) => line.bookingDate >= from && line.bookingDate <= to)
		.sort((x, y) => x.line.bookingDate.localeCompare(y.line.bookingDate) || y.index - x.index)
		.map(({ line }) => line);
	const opening =
		account.openingBalanceCents + before.reduce((sum, { line }) => sum + line.amountCents, 0);
	const credit = inPeriod
		.filter((l) => l.amountCents >= 0)
		.reduce((sum, l) => sum + l.amountCents, 0);
	const debit = -inPeriod
		.filter((l) => l.amountCents < 0)
		.reduce((sum, l) => sum + l.amountCents, 0);
	return {
		id: `${account.attributes.reference}-${account.attributes.currency}-${from}-${to}`,
		account: statementAccount(dataset, account),
		from,
		to,
		timeZone: TIME_ZONE,
		dateField: 'executionDate',
		openingBalanceCents: opening,
		closingBalanceCents: opening + credit - debit,
		totalCreditCents: credit,
		totalDebitCents: debit,
		lines: inPeriod,
		createdAt: FIXTURE_CREATED_AT,
		sequenceNumber,
		tieOut: { status: 'confirmed', reasons: [] },
	};
}

/** Recomputes totals and closing balance after a test changed the lines. */
export function retotal(statement: Statement): Statement {
	const credit = statement.lines
		.filter((l) => l.amountCents >= 0)
		.reduce((sum, l) => sum + l.amountCents, 0);
	const debit = -statement.lines
		.filter((l) => l.amountCents < 0)
		.reduce((sum, l) => sum + l.amountCents, 0);
	return {
		...statement,
		totalCreditCents: credit,
		totalDebitCents: debit,
		closingBalanceCents: statement.openingBalanceCents + credit - debit,
	};
}

function line(
	overrides: Partial<StatementLine> & Pick<StatementLine, 'id' | 'amountCents'>,
): StatementLine {
	return {
		bookingDate: '2025-01-15',
		executionDate: '2025-01-15',
		valueDate: '2025-01-15',
		currency: 'EUR',
		description: 'Wire transfer',
		remittanceInformation: '',
		remittanceInformationType: 'unstructured',
		structuredReference: null,
		counterpartName: null,
		counterpartReference: null,
		endToEndId: null,
		bankTransactionCode: null,
		proprietaryBankTransactionCode: null,
		purposeCode: null,
		mandateId: null,
		creditorId: null,
		additionalInformation: null,
		cardReference: null,
		internalReference: null,
		...overrides,
	};
}

/** The statement of test/fixtures/coda/example.cod and example-camt053-minimal.xml. */
export function exampleStatement(): Statement {
	return retotal({
		id: 'BE68539007547034-2025-011',
		account: {
			id: 'example-account',
			iban: 'BE68539007547034',
			currency: 'EUR',
			holderName: 'EXAMPLE COMPANY NV',
			description: 'CURRENT ACCOUNT',
			bic: 'GEBABEBB',
			institutionName: 'Example Bank',
			country: 'BE',
		},
		from: '2025-01-15',
		to: '2025-01-15',
		timeZone: TIME_ZONE,
		dateField: 'executionDate',
		openingBalanceCents: 100_000,
		closingBalanceCents: 0,
		totalCreditCents: 0,
		totalDebitCents: 0,
		lines: [
			line({
				id: '3f0c8a52-7a0e-4a3b-9a53-0d6f3b1c2e11',
				amountCents: 25_000,
				description: 'Incoming transfer',
				remittanceInformation: '123456789002',
				remittanceInformationType: 'structured',
				structuredReference: '123456789002',
				counterpartName: 'EXAMPLE CUSTOMER BV',
				counterpartReference: 'NL91ABNA0417164300',
				endToEndId: 'NOTPROVIDED',
				bankTransactionCode: 'PMNT-RCDT-ESCT',
			}),
			line({
				id: '9b1d2f40-5c6e-4f7a-8b9c-1d2e3f4a5b6c',
				amountCents: -4_550,
				remittanceInformation: 'INVOICE 2025-0042',
				counterpartName: 'EXAMPLE SUPPLIER NV',
				counterpartReference: 'BE71096123456769',
				endToEndId: 'E2E-2025-0042',
				bankTransactionCode: 'PMNT-ICDT-ESCT',
			}),
		],
		createdAt: '2025-01-16T05:00:00.000Z',
		sequenceNumber: 11,
		tieOut: { status: 'confirmed', reasons: [] },
	});
}

/** Hostile and unusual values every writer must survive: markup, formulas, long texts, odd codes. */
export function adversarialStatement(): Statement {
	const long =
		'Invoice 2025-0099 & <b>"quoted"</b> payment for services rendered in January, February and March; ' +
		'contract reference ABC/123/456, Ölçü, Søren, Łukasz – thanks! '.repeat(2);
	return retotal({
		...exampleStatement(),
		id: 'FR7630006000011234567890189-EUR-2025-01-15-2025-01-16',
		account: {
			id: 'adversarial',
			iban: 'FR7630006000011234567890189',
			currency: 'EUR',
			holderName: "Société Générale d'Études & Cie",
			description: 'Compte courant "principal"',
			bic: null,
			institutionName: null,
			country: 'FR',
			subtype: 'savings',
		},
		to: '2025-01-16',
		openingBalanceCents: -123_456,
		lines: [
			line({
				id: 'line-long-remittance',
				amountCents: 1_234_567_89,
				remittanceInformation: long,
				counterpartName: 'Müller & Söhne GmbH <Zürich> "Hauptsitz" und Partner',
				counterpartReference: '123456789012',
				additionalInformation: 'Extra info\nwith a line break',
				bankTransactionCode: 'PMNT-RCDT-ESCT',
			}),
			line({
				id: 'line-formula',
				amountCents: -1,
				remittanceInformation: '=HYPERLINK("http://evil.example","click")',
				counterpartName: '@SUM(A1:A9)',
				proprietaryBankTransactionCode: 'N123',
			}),
			line({
				id: 'line-minus',
				amountCents: -99_999,
				remittanceInformation: '-10 discount, "net"',
				counterpartName: '+32 475 00 00 00',
				bankTransactionCode: 'ACMT-MDOP-CHRG',
				description: '',
			}),
			line({
				id: 'line-rf',
				amountCents: 5_000,
				remittanceInformation: 'RF18 5390 0754 7034',
				remittanceInformationType: 'structured',
				bankTransactionCode: 'weird code',
			}),
			line({
				id: 'line-zero',
				amountCents: 0,
				bookingDate: '2025-01-16',
				executionDate: '2025-01-16',
				valueDate: '2025-01-16',
				remittanceInformation: 'Ørsted A/S\tŁódź',
			}),
			line({
				id: 'line-dd',
				amountCents: -12_345,
				bookingDate: '2025-01-16',
				executionDate: '2025-01-16',
				valueDate: '2025-01-14',
				description: 'Direct debit',
				remittanceInformation: 'Contract 12345678',
				counterpartName: 'Łódź Sp. z o.o.',
				counterpartReference: 'PL61109010140000071219812874',
				endToEndId: 'E2E-ÄÖÜ-0001',
				bankTransactionCode: 'PMNT-RDDT-ESDD',
				purposeCode: 'OTHR',
				mandateId: 'MD000000001',
				creditorId: 'BE69ZZZ050D000000008',
			}),
		],
	});
}

/** Named statements the golden tests write in every format. */
export function fixtureStatements(): Record<string, Statement> {
	const dataset = fixtureDataset();
	const negative = generateDataset({
		seed: 11,
		now: FIXTURE_NOW,
		accounts: [
			{
				institution: 0,
				transactions: 12,
				historyDays: 20,
				currentBalance: -250.75,
				holderName: 'Ørsted Łódź BV',
			},
		],
	});
	return {
		example: exampleStatement(),
		adversarial: adversarialStatement(),
		edgeCases: buildStatement(dataset, 0, '2025-01-24', '2025-03-31', 3),
		savingsNl: buildStatement(dataset, 1, '2025-03-01', '2025-03-31', 3),
		usd: buildStatement(dataset, 2, '2024-10-01', '2024-12-31', 4),
		empty: buildStatement(dataset, 0, '2024-01-01', '2024-01-31', 1),
		negative: buildStatement(negative, 0, '2025-03-11', '2025-03-31', 1),
	};
}

/** Runs an external validator; a missing one fails the test with the fix, never skips it. */
export function runTool(
	command: string,
	args: string[],
	input?: string,
): { stdout: string; stderr: string; status: number } {
	const result = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
	if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
		throw new Error(
			`${command} is not installed: run scripts/install-test-tools.sh (as root) to install the statement validators`,
		);
	}
	if (result.error) throw result.error;
	return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1 };
}

/** A fresh temporary folder for files handed to the validators. */
export function tempFolder(): string {
	return mkdtempSync(join(tmpdir(), 'ponto-statement-'));
}
