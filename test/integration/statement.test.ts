import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { toCents } from '../../nodes/Ponto/statement/build';
import { addDays, dayIn } from '../../nodes/Ponto/statement/calendar';
import type { AccountRecord } from '../emulator';
import { jsonOf, RL, useEmulator } from './context';

/**
 * The Statement operation end to end: balances checked against the emulator's ledger
 * (independently of the node), Odoo lines, and every file format as n8n binary data.
 */
const ctx = useEmulator({
	seed: 52,
	institutions: [
		{ name: 'Scheldt Bank', country: 'BE', bic: 'SCHDBEBB', timeZone: 'Europe/Brussels' },
	],
	accounts: [
		{ transactions: 700, pendingTransactions: 0, edgeCases: true },
		{ transactions: 60, currency: 'USD' },
	],
});
const ZONE = 'Europe/Brussels';

function balanceAtEndOf(record: AccountRecord, day: string): number {
	return record.transactions.reduce(
		(balance, transaction) =>
			dayIn(Date.parse(transaction.attributes.executionDate), ZONE) <= day
				? balance + toCents(transaction.attributes.amount)
				: balance,
		record.openingBalanceCents,
	);
}

const create = (record: AccountRecord, extra: INodeParameters) =>
	ctx.run({ resource: 'statement', operation: 'create', accountId: RL(record.id), ...extra });

describe('Statement', () => {
	test('last month: bank balances that tie out with the ledger, every line of the month', async () => {
		const record = ctx.emulator.dataset.accounts[0];
		const run = await create(record, { period: 'lastMonth' });
		expect(run.error).toBeUndefined();
		const [statement] = jsonOf(run);
		const to = String(statement.to);
		const from = String(statement.from);
		expect(from.endsWith('-01')).toBe(true);
		expect(Math.round((statement.closingBalance as number) * 100)).toBe(balanceAtEndOf(record, to));
		expect(Math.round((statement.openingBalance as number) * 100)).toBe(
			balanceAtEndOf(record, addDays(from, -1)),
		);
		const expectedIds = record.transactions
			.filter((transaction) => {
				const day = dayIn(Date.parse(transaction.attributes.executionDate), ZONE);
				return day >= from && day <= to;
			})
			.map((transaction) => transaction.id);
		const lines = statement.lines as IDataObject[];
		expect(lines.map((line) => line.id).sort()).toEqual(expectedIds.sort());
		expect(statement).toMatchObject({
			iban: record.attributes.reference,
			currency: 'EUR',
			timeZone: ZONE,
			institutionName: 'Scheldt Bank',
			tieOut: { status: 'confirmed', reasons: [] },
		});
		expect(ctx.calls(`/accounts/${record.id}/transactions`)).toBeLessThan(10);
	});

	test('one item per line for Odoo, with the journal', async () => {
		const record = ctx.emulator.dataset.accounts[0];
		const run = await create(record, {
			period: 'lastMonth',
			output: 'odooLines',
			odooJournalId: 12,
		});
		const lines = jsonOf(run);
		expect(lines.length).toBeGreaterThan(0);
		expect(lines[0]).toEqual({
			journal_id: 12,
			date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
			payment_ref: expect.any(String),
			amount: expect.any(Number),
			partner_name: expect.any(String),
			account_number: expect.any(String),
			unique_import_id: expect.stringMatching(new RegExp(`^${record.attributes.reference}-`)),
			narration: expect.any(String),
		});
		expect(run.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('every file format as binary data with a file name and a mime type', async () => {
		const record = ctx.emulator.dataset.accounts[0];
		const files = [
			'camt053',
			'coda',
			'csv',
			'csvQuickBooks3',
			'csvQuickBooks4',
			'csvXero',
			'ofx1',
			'ofx2',
		];
		const run = await create(record, { period: 'lastMonth', files });
		expect(run.error).toBeUndefined();
		const binary = run.items[0].binary ?? {};
		expect(Object.keys(binary).sort()).toEqual([...files].sort());
		expect(binary.camt053).toMatchObject({
			mimeType: 'application/xml',
			fileExtension: 'xml',
			fileName: expect.stringMatching(/_camt053\.xml$/),
		});
		expect(binary.coda).toMatchObject({
			mimeType: 'text/plain',
			fileName: expect.stringMatching(/_coda\.cod$/),
		});
		expect(binary.ofx2.fileName).not.toBe(binary.ofx1.fileName);
	});

	test('an empty period is a valid statement with equal balances; a USD account keeps USD', async () => {
		const record = ctx.emulator.dataset.accounts[1];
		const run = await create(record, {
			period: 'custom',
			from: '2020-01-01',
			to: '2020-01-31',
			files: ['camt053', 'coda'],
		});
		expect(run.error).toBeUndefined();
		const [statement] = jsonOf(run);
		expect(statement).toMatchObject({ currency: 'USD', lineCount: 0 });
		expect(statement.openingBalance).toBe(statement.closingBalance);
		expect(Object.keys(run.items[0].binary ?? {}).sort()).toEqual(['camt053', 'coda']);
	});

	const refused: Array<[string, INodeParameters, RegExp]> = [
		[
			'inverted period',
			{ period: 'custom', from: '2026-02-01', to: '2026-01-01' },
			/^The period is inverted: From 2026-02-01 is after To 2026-01-01$/,
		],
		[
			'period in the future',
			{ period: 'custom', from: '2099-01-01', to: '2099-01-31' },
			/^The period is in the future: it starts 2099-01-01/,
		],
		[
			'from that is not a date',
			{ period: 'custom', from: 'last tuesday', to: '2026-01-31' },
			/^From: "last tuesday" is not a date$/,
		],
		[
			'unknown time zone',
			{ period: 'lastMonth', timeZone: 'Mars/Olympus' },
			/^Time Zone: "Mars\/Olympus" is not a time zone$/,
		],
		[
			'unknown file format',
			{ period: 'lastMonth', files: ['pdf'] },
			/^Files: "pdf" is not a statement format$/,
		],
		[
			'negative journal',
			{ period: 'lastMonth', output: 'odooLines', odooJournalId: -4 },
			/^Odoo Journal ID: number -4 is not a whole number from 0 to 2147483647$/,
		],
	];
	test.each(refused)('%s is refused before any request', async (_name, parameters, message) => {
		const run = await create(ctx.emulator.dataset.accounts[0], parameters);
		expect(run.error?.message).toMatch(message);
		expect(ctx.emulator.log).toEqual([]);
	});

	test('a zone west of UTC is refused: it would move bank days', async () => {
		const run = await create(ctx.emulator.dataset.accounts[0], {
			period: 'lastMonth',
			timeZone: 'America/New_York',
		});
		expect(run.error?.message).toBe('Time Zone: America/New_York is west of UTC');
		expect(ctx.emulator.log).toEqual([]);
	});
});
