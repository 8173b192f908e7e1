import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { forgetFirstPolls } from '../../nodes/PontoTrigger/poll';
import { useEmulator } from './context';

/**
 * The Ponto Trigger's poll() through n8n-core's PollContext against the emulator, with the
 * workflow static data kept between polls as n8n keeps it.
 */
const DAY = 86_400_000;
const ctx = useEmulator(
	{
		seed: 61,
		accounts: [
			{ transactions: 260, pendingTransactions: 3 },
			{ transactions: 40 },
			{ transactions: 25 },
		],
	},
	{ synchronization: { pendingMs: 30, runningMs: 60, minIntervalMs: 0 } },
);

const day = (offset: number) =>
	`${new Date(Date.now() + offset * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`;
const booked = (amount: number, offsetDays = 0, text = `Invoice ${amount}`) => ({
	amount,
	executionDate: day(offsetDays),
	valueDate: day(offsetDays),
	remittanceInformation: text,
	counterpartName: 'Müller & Söhne GmbH',
});
const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.id as string);

async function poll(
	parameters: INodeParameters,
	staticData: IDataObject,
	extra: { mode?: 'manual'; budgetMs?: number } = {},
) {
	ctx.emulator.clearLog();
	return await ctx.n8n.poll(parameters, { staticData, ...extra });
}

describe('Ponto Trigger: new booked transactions exactly once', () => {
	const state: IDataObject = {};
	const params: INodeParameters = { event: 'transaction', accountsToWatch: 'all' };

	test('the first poll starts watching and emits nothing', async () => {
		const first = await poll(params, state);
		expect(first.error).toBeUndefined();
		expect(first.items).toEqual([]);
		expect(Object.keys((state.accounts as IDataObject) ?? {})).toHaveLength(3);
		expect(JSON.stringify(state).length).toBeLessThan(40_000);
	});

	test('new, back-dated and twin transactions are each emitted once, with account id and reference', async () => {
		const [a, b] = ctx.emulator.dataset.accounts;
		const added = [
			...ctx.emulator.addTransactions(a.id, [
				booked(10.01),
				booked(-20.02, -45, 'Back-dated correction'),
				booked(5, 0, 'Twin'),
				booked(5, 0, 'Twin'),
			]),
			...ctx.emulator.addTransactions(b.id, [booked(99.99, -2)]),
		];
		const second = await poll(params, state);
		expect(second.error).toBeUndefined();
		expect(ids(second.items).sort()).toEqual(added.map((transaction) => transaction.id).sort());
		const twin = second.items.find((item) => item.json.remittanceInformation === 'Twin')!;
		expect(twin.json).toMatchObject({
			accountId: a.id,
			accountReference: a.attributes.reference,
			amount: 5,
		});
		// Every item carries its stable idempotency key: one per booking, twins apart.
		expect(second.items.map((item) => item.json.idempotencyKey)).toEqual(
			second.items.map(
				(item) => `ponto:${item.json.accountId as string}:${item.json.id as string}`,
			),
		);
		const third = await poll(params, state);
		expect(third.items).toEqual([]);
	});

	test('a poll that fails part-way emits nothing and moves nothing; the next one catches up', async () => {
		const [a, , c] = ctx.emulator.dataset.accounts;
		const added = [
			...ctx.emulator.addTransactions(a.id, [booked(1.11)]),
			...ctx.emulator.addTransactions(c.id, [booked(2.22)]),
		];
		const before = JSON.stringify(state);
		ctx.emulator.queueFaults(
			...Array.from({ length: 5 }, () => ({
				match: `/accounts/${c.id}/transactions`,
				status: 500 as const,
			})),
		);
		const failed = await poll(params, state);
		expect(failed.error?.message).toBe('Ponto is unavailable (HTTP 500)');
		expect(JSON.stringify(state)).toBe(before);
		const next = await poll(params, state);
		expect(ids(next.items).sort()).toEqual(added.map((transaction) => transaction.id).sort());
	}, 20_000);

	test('with a tiny time budget a poll handles one account and the next ones rotate: nothing lost', async () => {
		const added = ctx.emulator.dataset.accounts.flatMap((account, index) =>
			ctx.emulator.addTransactions(account.id, [booked(30 + index)]),
		);
		const emitted: string[] = [];
		for (let i = 0; i < 3; i++) {
			const result = await poll(params, state, { budgetMs: 1 });
			expect(result.error).toBeUndefined();
			emitted.push(...ids(result.items));
		}
		expect(emitted.sort()).toEqual(added.map((transaction) => transaction.id).sort());
	});

	test('an idle poll costs one request whatever the number of accounts', async () => {
		await poll(params, state);
		const idle = await poll(params, state);
		expect(idle.items).toEqual([]);
		expect(ctx.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'GET /accounts',
		]);
		const [account] = ctx.emulator.dataset.accounts;
		const [added] = ctx.emulator.addTransactions(account.id, [booked(8.08)]);
		const busy = await poll(params, state);
		expect(ids(busy.items)).toEqual([added.id]);
		const read = new Set(ctx.emulator.requestsTo(/\/transactions$/).map((entry) => entry.path));
		expect([...read]).toEqual([`/accounts/${account.id}/transactions`]);
	});

	test('every account is read in full at least hourly, even if synchronizedAt never moved', async () => {
		const [account] = ctx.emulator.dataset.accounts;
		const before = account.syncMeta.account.synchronizedAt;
		const [sneaked] = ctx.emulator.addTransactions(account.id, [booked(9.09)]);
		account.syncMeta.account = { ...account.syncMeta.account, synchronizedAt: before };
		expect((await poll(params, state)).items).toEqual([]);
		state.fullCheckAt = Date.now() - 61 * 60_000;
		const full = await poll(params, state);
		expect(ids(full.items)).toEqual([sneaked.id]);
		expect(
			new Set(ctx.emulator.requestsTo(/\/transactions$/).map((entry) => entry.path)).size,
		).toBe(3);
	});

	test('fetch test event (manual) returns a real sample without touching the state', async () => {
		const before = JSON.stringify(state);
		const sample = await poll(params, state, { mode: 'manual' });
		expect(sample.items.length).toBeGreaterThan(0);
		expect(sample.items.length).toBeLessThanOrEqual(3);
		expect(JSON.stringify(state)).toBe(before);
	});
});

describe('Ponto Trigger options', () => {
	test('back-fill on the first poll emits what is dated inside it', async () => {
		const account = ctx.emulator.dataset.accounts[1];
		const result = await poll(
			{
				event: 'transaction',
				accountsToWatch: 'selected',
				accountIds: [account.id],
				options: { backfillDays: 30 },
			},
			{},
		);
		const since = Date.now() - 30 * DAY;
		const expected = account.transactions
			.filter((transaction) => Date.parse(transaction.attributes.executionDate) >= since)
			.map((transaction) => transaction.id);
		expect(ids(result.items).sort()).toEqual(expected.sort());
		expect(expected.length).toBeGreaterThan(0);
		expect(result.items.every((item) => item.json.accountId === account.id)).toBe(true);
	});

	test('synchronize first, within the daily maximum; the output says when it was skipped', async () => {
		const account = ctx.emulator.dataset.accounts[2];
		const state: IDataObject = {};
		const params: INodeParameters = {
			event: 'transaction',
			accountsToWatch: 'selected',
			accountIds: [account.id],
			options: { synchronize: true, maxSynchronizationsPerDay: 1 },
		};
		await poll(params, state);
		ctx.emulator.queueBankTransactions(account.id, [booked(42.42)]);
		const synced = await poll(params, state);
		expect(
			synced.items.map((item) => [
				item.json.amount,
				(item.json.synchronization as IDataObject).status,
			]),
		).toEqual([[42.42, 'success']]);
		expect(ctx.emulator.requestsTo('/synchronizations', 'POST')).toHaveLength(1);
		ctx.emulator.addTransactions(account.id, [booked(7.77)]);
		const skipped = await poll(params, state);
		expect(skipped.items.map((item) => item.json.synchronization)).toEqual([
			{ status: 'skipped', reason: 'daily maximum of 1 synchronizations reached for this account' },
		]);
		expect(ctx.emulator.requestsTo('/synchronizations', 'POST')).toHaveLength(0);
	});

	test('new pending transactions are their own stream; when one books it comes as a booked one', async () => {
		const account = ctx.emulator.dataset.accounts[0];
		const pendingState: IDataObject = {};
		const bookedState: IDataObject = {};
		const selected = { accountsToWatch: 'selected', accountIds: [account.id] };
		await poll({ event: 'pendingTransaction', ...selected }, pendingState);
		await poll({ event: 'transaction', ...selected }, bookedState);
		ctx.emulator.queueBankPendingTransactions(account.id, [booked(-15.5, 0, 'Card payment')]);
		ctx.emulator.settleSynchronizations();
		await ctx.run({
			resource: 'synchronization',
			operation: 'create',
			accountId: { __rl: true, mode: 'id', value: account.id },
			subtype: 'accountTransactionsWithUnsettled',
			waitForCompletion: true,
		});
		const pending = await poll({ event: 'pendingTransaction', ...selected }, pendingState);
		expect(pending.items.map((item) => item.json.remittanceInformation)).toEqual(['Card payment']);
		const pendingId = pending.items[0].json.id as string;
		expect(pending.items[0].json.idempotencyKey).toBe(`ponto:${account.id}:pending:${pendingId}`);
		account.pendingTransactions = account.pendingTransactions.filter(
			(transaction) => transaction.id !== pendingId,
		);
		const [bookedOne] = ctx.emulator.addTransactions(account.id, [
			booked(-15.5, 0, 'Card payment'),
		]);
		const bookedPoll = await poll({ event: 'transaction', ...selected }, bookedState);
		expect(ids(bookedPoll.items)).toEqual([bookedOne.id]);
		expect(bookedOne.id).not.toBe(pendingId);
		expect((await poll({ event: 'pendingTransaction', ...selected }, pendingState)).items).toEqual(
			[],
		);
	});

	test('a selected account that is no longer shared is a clear error', async () => {
		const result = await poll(
			{
				event: 'transaction',
				accountsToWatch: 'selected',
				accountIds: ['00000000-0000-4000-8000-000000000000'],
			},
			{},
		);
		expect(result.error?.message).toBe(
			'Account 00000000-0000-4000-8000-000000000000 is not shared with this integration',
		);
	});
});

describe('Ponto Trigger when n8n fails to store the execution', () => {
	// n8n 2.41 saves the trigger's state, then inserts the execution; a failed insert is only logged.
	test('the bookings of a poll whose execution was not stored are emitted again by the next poll, once', async () => {
		const account = ctx.emulator.dataset.accounts[1];
		const params: INodeParameters = {
			event: 'transaction',
			accountsToWatch: 'selected',
			accountIds: [account.id],
		};
		const state: IDataObject = {};
		await poll(params, state);
		const added = ctx.emulator.addTransactions(account.id, [
			booked(21.01),
			booked(-21.02, -40, 'Back-dated'),
		]);
		const failed = await ctx.n8n.poll(params, { staticData: state, outcome: 'notStored' });
		expect(ids(failed.items).sort()).toEqual(added.map((transaction) => transaction.id).sort());
		// Still failing: handed over again, not stored again.
		const [more] = ctx.emulator.addTransactions(account.id, [booked(21.03)]);
		const failedAgain = await ctx.n8n.poll(params, { staticData: state, outcome: 'notStored' });
		expect(ids(failedAgain.items).sort()).toEqual(
			[...added, more].map((transaction) => transaction.id).sort(),
		);
		const stored = await poll(params, state);
		expect(ids(stored.items).sort()).toEqual(
			[...added, more].map((transaction) => transaction.id).sort(),
		);
		expect((await poll(params, state)).items).toEqual([]);
	});

	test('a stored execution that is later cancelled is not emitted again (its items were handed over)', async () => {
		const account = ctx.emulator.dataset.accounts[1];
		const params: INodeParameters = {
			event: 'transaction',
			accountsToWatch: 'selected',
			accountIds: [account.id],
		};
		const state: IDataObject = {};
		await poll(params, state);
		const [added] = ctx.emulator.addTransactions(account.id, [booked(22.22)]);
		expect(
			ids((await ctx.n8n.poll(params, { staticData: state, outcome: 'cancelled' })).items),
		).toEqual([added.id]);
		expect((await poll(params, state)).items).toEqual([]);
	});
});

describe("Ponto Trigger under n8n's durable poll cursors", () => {
	// n8n 2.37+ with N8N_POLLER_DURABLE_CURSORS_ENABLED: the poll run when the workflow is
	// published is not committed when it emits nothing, so the first scheduled poll starts from
	// an empty state again.
	test('the first scheduled poll continues from the publish poll: a booking listed in between is emitted', async () => {
		forgetFirstPolls();
		const account = ctx.emulator.dataset.accounts[2];
		const params: INodeParameters = {
			event: 'transaction',
			accountsToWatch: 'selected',
			accountIds: [account.id],
		};
		const atPublish = await poll(params, {});
		expect(atPublish.items).toEqual([]);
		const [between] = ctx.emulator.addTransactions(account.id, [
			booked(12.12, -20, 'Booked between publish and first poll'),
		]);
		const committed: IDataObject = {};
		const firstScheduled = await poll(params, committed);
		expect(ids(firstScheduled.items)).toEqual([between.id]);
		// From then on the committed state is used and the memory is dropped.
		const [later] = ctx.emulator.addTransactions(account.id, [booked(13.13)]);
		expect(ids((await poll(params, committed)).items)).toEqual([later.id]);
		expect((await poll(params, committed)).items).toEqual([]);
		// A fresh instance (restart before the first scheduled poll) remembers nothing: that poll starts watching.
		forgetFirstPolls();
		ctx.emulator.addTransactions(account.id, [booked(14.14)]);
		expect((await poll(params, {})).items).toEqual([]);
	});
});
