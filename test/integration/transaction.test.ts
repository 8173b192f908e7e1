import type { IDataObject } from 'n8n-workflow';

import { idsInWindow, windowPages } from '../support/expectations';
import { jsonOf, RL, useEmulator } from './context';

const NOW = new Date('2026-11-20T10:00:00.000Z');
const ctx = useEmulator({
	seed: 21,
	now: NOW,
	institutions: [{ name: 'Scheldt Bank', country: 'BE' }],
	accounts: [
		{
			transactions: 1234,
			pendingTransactions: 3,
			edgeCases: true,
			historyDays: 400,
			endDate: '2026-11-19',
		},
		{ transactions: 40, historyDays: 60, endDate: '2026-11-19' },
	],
});

const account = () => ctx.emulator.dataset.accounts[0];
const listPath = () => `/accounts/${account().id}/transactions`;
const pageLimits = () =>
	ctx.emulator
		.requestsTo(listPath())
		.map((entry) => entry.query['page[limit]'] ?? entry.query.limit);
const getMany = (extra: IDataObject) =>
	ctx.run({ resource: 'transaction', operation: 'getAll', accountId: RL(account().id), ...extra });

describe('Transaction get many: paging', () => {
	test('all 1,234 transactions cost ceil(1234/100) = 13 list requests, in API order, none twice', async () => {
		const run = await getMany({ returnAll: true });
		expect(run.error).toBeUndefined();
		const ids = jsonOf(run).map((transaction) => transaction.id);
		expect(ids).toHaveLength(1234);
		expect(new Set(ids).size).toBe(1234);
		expect(ids).toEqual(account().transactions.map((transaction) => transaction.id));
		expect(pageLimits()).toEqual([...Array(12).fill('100'), '100']);
		expect(ctx.calls(listPath())).toBe(13);
	});

	test('a limit of 250 asks 100, 100, 50: three requests', async () => {
		const run = await getMany({ returnAll: false, limit: 250 });
		expect(jsonOf(run)).toHaveLength(250);
		expect(pageLimits()).toEqual(['100', '100', '50']);
	});

	test('a limit of at most 100 costs one request', async () => {
		const run = await getMany({ returnAll: false, limit: 7 });
		expect(jsonOf(run)).toHaveLength(7);
		expect(pageLimits()).toEqual(['7']);
	});

	test('with next links in the fixture style (?after= and no limit) the page size is kept', async () => {
		ctx.emulator.setOptions({ nextLinkStyle: 'unprefixed' });
		try {
			const run = await getMany({ returnAll: true });
			expect(new Set(jsonOf(run).map((transaction) => transaction.id)).size).toBe(1234);
			expect(ctx.calls(listPath())).toBe(13);
		} finally {
			ctx.emulator.setOptions({ nextLinkStyle: 'prefixed' });
		}
	});
});

describe('Transaction get many: since/until window', () => {
	const inWindow = (field: 'executionDate' | 'valueDate', since: number, until: number) =>
		idsInWindow(account().transactions, field, since, until);
	const expectedPages = (since: number) => windowPages(account().transactions, since);

	test('a recent window returns exactly its transactions and stops early', async () => {
		const since = Date.parse('2026-10-01T00:00:00.000Z');
		const until = Date.parse('2026-10-31T00:00:00.000Z');
		const run = await getMany({
			returnAll: true,
			filters: { since: '2026-10-01', until: '2026-10-31T00:00:00' },
		});
		const ids = jsonOf(run).map((transaction) => transaction.id);
		expect(new Set(ids)).toEqual(new Set(inWindow('executionDate', since, until)));
		expect(ids.length).toBeGreaterThan(20);
		expect(ctx.calls(listPath())).toBe(expectedPages(since));
		expect(ctx.calls(listPath())).toBeLessThan(6);
	});

	test('value date windows include the transactions whose value date is after their execution date', async () => {
		const edge = ctx.emulator.dataset.edgeCases!;
		const target = account().transactions.find(
			(transaction) => transaction.id === edge.valueDateAfterExecutionDate[0],
		)!;
		const day = target.attributes.valueDate.slice(0, 10);
		const run = await getMany({
			returnAll: true,
			filters: { since: day, until: day, dateField: 'valueDate' },
		});
		const ids = jsonOf(run).map((transaction) => transaction.id);
		expect(ids).toContain(target.id);
		const start = Date.parse(`${day}T00:00:00.000Z`);
		expect(new Set(ids)).toEqual(new Set(inWindow('valueDate', start, start + 86_400_000 - 1)));
	});

	test('a back-dated transaction created last is listed first and still found by date', async () => {
		const edge = ctx.emulator.dataset.edgeCases!;
		const backDated = account().transactions.find(
			(transaction) => transaction.id === edge.backDated[0],
		)!;
		expect(
			account()
				.transactions.slice(0, 5)
				.map((transaction) => transaction.id),
		).toContain(backDated.id);
		const day = backDated.attributes.executionDate.slice(0, 10);
		const run = await getMany({ returnAll: true, filters: { since: day, until: day } });
		expect(jsonOf(run).map((transaction) => transaction.id)).toContain(backDated.id);
	});

	test('a limit applies to the transactions inside the window', async () => {
		const run = await getMany({
			returnAll: false,
			limit: 3,
			filters: { since: '2026-09-01', until: '2026-09-30' },
		});
		const rows = jsonOf(run);
		expect(rows).toHaveLength(3);
		for (const row of rows) expect((row.executionDate as string) >= '2026-09-01').toBe(true);
	});
});

describe('Transaction records', () => {
	test('edge cases survive untouched: twins, structured communication, empty remittance, missing counterpart, non-ASCII, exact amounts', async () => {
		const run = await getMany({ returnAll: true });
		const byId = new Map(jsonOf(run).map((transaction) => [transaction.id as string, transaction]));
		const edge = ctx.emulator.dataset.edgeCases!;
		for (const [a, b] of edge.twins) {
			expect(byId.has(a) && byId.has(b)).toBe(true);
			const {
				id: _a,
				digest: _da,
				internalReference: _ia,
				createdAt: _ca,
				updatedAt: _ua,
				...first
			} = byId.get(a)!;
			const {
				id: _b,
				digest: _db,
				internalReference: _ib,
				createdAt: _cb,
				updatedAt: _ub,
				...second
			} = byId.get(b)!;
			expect(first).toEqual(second);
		}
		expect(byId.get(edge.structuredCommunication[0])).toMatchObject({
			remittanceInformationType: 'structured',
		});
		expect(byId.get(edge.emptyRemittance[0])!.remittanceInformation).toBe('');
		const missing = byId.get(edge.missingCounterpart[0])!;
		expect(missing.counterpartName).toBeNull();
		expect(missing).not.toHaveProperty('counterpartReference');
		const nonAscii = byId.get(edge.nonAsciiCounterpart[0])!;
		expect(nonAscii.counterpartName).toMatch(/[^\x00-\x7F]/);
		for (const { id, cents } of edge.exactAmounts) {
			const amount = byId.get(id)!.amount as number;
			expect(typeof amount).toBe('number');
			expect(Math.round(amount * 100)).toBe(cents);
		}
		expect(byId.get(edge.twins[0][0])!.accountId).toBe(account().id);
	});

	test('get one transaction', async () => {
		const transaction = account().transactions[5];
		const run = await ctx.run({
			resource: 'transaction',
			operation: 'get',
			accountId: RL(account().id),
			transactionId: transaction.id,
		});
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({
				id: transaction.id,
				amount: transaction.attributes.amount,
				accountId: account().id,
			}),
		]);
	});

	test('an unknown transaction id is a clear not-found error', async () => {
		const run = await ctx.run({
			resource: 'transaction',
			operation: 'get',
			accountId: RL(account().id),
			transactionId: '00000000-0000-4000-8000-000000000000',
		});
		expect(run.error?.message).toBe('The transaction was not found in Ponto');
		expect(run.error?.description).toMatch(/Check the ID/);
	});
});
