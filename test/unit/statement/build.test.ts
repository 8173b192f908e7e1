import { generateDataset } from '../../emulator';
import type { AccountRecord } from '../../emulator';
import type { JsonApiResource } from '../../../nodes/Ponto/helpers/interfaces';
import {
	buildStatement,
	structuredReferenceOf,
	toCents,
} from '../../../nodes/Ponto/statement/build';
import { odooStatementLines } from '../../../nodes/Ponto/statement/odoo';
import {
	addDays,
	dayIn,
	offsetMinutes,
	presetPeriod,
	startOfDay,
} from '../../../nodes/Ponto/statement/calendar';

/**
 * Balances from the bank must tie out: for any period, the statement's closing balance must be
 * the true balance at the end of its last day, computed here independently from the
 * emulator's ledger (opening balance before the history + every booking up to that day).
 */
const dataset = generateDataset({
	seed: 404,
	now: '2026-06-15T10:00:00.000Z',
	accounts: [
		{ transactions: 900, pendingTransactions: 0, edgeCases: true, endDate: '2026-06-14' },
		{ transactions: 120, currency: 'USD', endDate: '2026-06-14' },
		{ transactions: 0, endDate: '2026-06-14' },
	],
});
const NOW = Date.parse('2026-06-15T10:00:00.000Z');
const ZONE = 'Europe/Brussels';

const accountResource = (record: AccountRecord): JsonApiResource => ({
	type: 'account',
	id: record.id,
	attributes: { ...record.attributes } as never,
});

function trueBalanceAtEndOf(record: AccountRecord, day: string): number {
	return record.transactions.reduce(
		(balance, transaction) =>
			dayIn(Date.parse(transaction.attributes.executionDate), ZONE) <= day
				? balance + toCents(transaction.attributes.amount)
				: balance,
		record.openingBalanceCents,
	);
}

function prng(seed: number): () => number {
	let state = seed;
	return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('statement balances tie out with the ledger', () => {
	test('over 300 random periods of three accounts, opening + lines = closing = the true balance, to the cent', () => {
		const random = prng(7);
		let checked = 0;
		for (let i = 0; i < 300; i++) {
			const record = dataset.accounts[i % dataset.accounts.length];
			const to = addDays('2026-06-14', -Math.floor(random() * 380));
			const from = addDays(to, -Math.floor(random() * 60));
			const statement = buildStatement({
				account: accountResource(record),
				transactions: record.transactions as unknown as JsonApiResource[],
				pending: [],
				from,
				to,
				timeZone: ZONE,
				dateField: 'executionDate',
				now: NOW,
			});
			const lineSum = statement.lines.reduce((total, line) => total + line.amountCents, 0);
			expect(statement.openingBalanceCents + lineSum).toBe(statement.closingBalanceCents);
			expect(statement.closingBalanceCents).toBe(trueBalanceAtEndOf(record, to));
			expect(statement.openingBalanceCents).toBe(trueBalanceAtEndOf(record, addDays(from, -1)));
			expect(statement.totalCreditCents - statement.totalDebitCents).toBe(lineSum);
			expect(statement.account.currency).toBe(record.attributes.currency);
			const referenceDay = dayIn(
				Date.parse(String(record.attributes.currentBalanceReferenceDate)),
				ZONE,
			);
			if (to <= referenceDay)
				expect(statement.tieOut).toEqual({ status: 'confirmed', reasons: [] });
			else
				expect(statement.tieOut.reasons).toEqual([
					expect.stringContaining(`dated ${referenceDay}, before the end of the period`),
				]);
			checked += statement.lines.length;
		}
		expect(checked).toBeGreaterThan(1000);
	});

	test('an empty period is a valid statement with equal balances', () => {
		const record = dataset.accounts[2];
		const statement = buildStatement({
			account: accountResource(record),
			transactions: [],
			pending: [],
			from: '2026-05-01',
			to: '2026-05-31',
			timeZone: ZONE,
			dateField: 'executionDate',
			now: NOW,
		});
		expect(statement.lines).toEqual([]);
		expect(statement.openingBalanceCents).toBe(statement.closingBalanceCents);
		expect(statement.closingBalanceCents).toBe(toCents(record.attributes.currentBalance));
	});

	test('what makes the tie-out uncertain is said, not guessed away', () => {
		const record = dataset.accounts[0];
		const pending = [
			{
				type: 'pendingTransaction',
				id: 'p1',
				attributes: { executionDate: '2026-06-10T00:00:00.000Z', amount: -5 },
			},
		];
		const statement = buildStatement({
			account: {
				...accountResource(record),
				attributes: {
					...record.attributes,
					currentBalanceReferenceDate: '2026-06-01T00:00:00.000Z',
				} as never,
			},
			transactions: record.transactions as unknown as JsonApiResource[],
			pending,
			from: '2026-06-01',
			to: '2026-06-30',
			timeZone: ZONE,
			dateField: 'valueDate',
			now: NOW,
		});
		expect(statement.tieOut.status).toBe('uncertain');
		expect(statement.tieOut.reasons.join('\n')).toMatch(
			/dated 2026-06-01, before the end of the period/,
		);
		expect(statement.tieOut.reasons.join('\n')).toMatch(/The period is not over/);
		expect(statement.tieOut.reasons.join('\n')).toMatch(/value date/);
		expect(statement.tieOut.reasons.join('\n')).toMatch(/1 pending transaction/);
	});
});

describe('statement lines', () => {
	test('Belgian structured communication is kept only with valid check digits; Odoo lines carry it formatted', () => {
		expect(structuredReferenceOf('+++090/9337/55493+++')).toBe('090933755493');
		expect(structuredReferenceOf('090933755493')).toBe('090933755493');
		expect(structuredReferenceOf('090933755494')).toBeNull();
		expect(structuredReferenceOf('000000000097')).toBe('000000000097');
		const record = dataset.accounts[0];
		const edge = dataset.edgeCases!;
		const statement = buildStatement({
			account: accountResource(record),
			transactions: record.transactions as unknown as JsonApiResource[],
			pending: [],
			from: '2025-01-01',
			to: '2026-06-14',
			timeZone: ZONE,
			dateField: 'executionDate',
			now: NOW,
		});
		const structured = statement.lines.find((line) => line.id === edge.structuredCommunication[0])!;
		expect(structured.structuredReference).toMatch(/^\d{12}$/);
		const odoo = odooStatementLines(statement, 7);
		expect(Object.keys(odoo[0]).sort()).toEqual([
			'account_number',
			'amount',
			'date',
			'journal_id',
			'narration',
			'partner_name',
			'payment_ref',
			'unique_import_id',
		]);
		const odooLine = odoo.find(
			(line) => line.unique_import_id === `${record.attributes.reference}-${structured.id}`,
		)!;
		expect(odooLine.payment_ref).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/);
		expect(odooLine.unique_import_id).toBe(`${record.attributes.reference}-${structured.id}`);
		const empty = odoo.find((line) =>
			String(line.unique_import_id).endsWith(edge.emptyRemittance[0]),
		)!;
		expect(String(empty.payment_ref)).not.toBe('');
		expect(odoo.map((line) => line.unique_import_id).length).toBe(
			new Set(odoo.map((line) => line.unique_import_id)).size,
		);
	});
});

describe('periods in the bank zone', () => {
	const now = Date.parse('2026-03-04T23:30:00Z'); // already 5 March in Brussels
	test.each([
		['yesterday', { from: '2026-03-04', to: '2026-03-04' }],
		['lastWeek', { from: '2026-02-23', to: '2026-03-01' }],
		['lastMonth', { from: '2026-02-01', to: '2026-02-28' }],
		['monthToDate', { from: '2026-03-01', to: '2026-03-05' }],
	] as const)('%s', (preset, expected) => {
		expect(presetPeriod(preset, now, ZONE)).toEqual(expected);
	});

	test('midnight UTC bank dates stay on their day east of UTC; offsets and day starts follow DST', () => {
		expect(dayIn(Date.parse('2026-03-29T00:00:00Z'), ZONE)).toBe('2026-03-29');
		expect(offsetMinutes(Date.parse('2026-01-15T12:00:00Z'), ZONE)).toBe(60);
		expect(offsetMinutes(Date.parse('2026-07-15T12:00:00Z'), ZONE)).toBe(120);
		expect(offsetMinutes(Date.parse('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
		expect(startOfDay('2026-07-15', ZONE)).toBe(Date.parse('2026-07-14T22:00:00Z'));
	});
});
