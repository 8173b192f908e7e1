import { jsonOf, RL, useEmulator } from './context';

const ctx = useEmulator({ seed: 3, accounts: [{ transactions: 20, pendingTransactions: 130 }] });

describe('Pending transaction', () => {
	test('get many pages through all pending transactions', async () => {
		const account = ctx.emulator.dataset.accounts[0];
		const run = await ctx.run({
			resource: 'pendingTransaction',
			operation: 'getAll',
			accountId: RL(account.id),
			returnAll: true,
		});
		const ids = jsonOf(run).map((transaction) => transaction.id);
		expect(ids).toEqual(account.pendingTransactions.map((transaction) => transaction.id));
		expect(ctx.calls(`/accounts/${account.id}/pending-transactions`)).toBe(2);
		expect(jsonOf(run)[0]).toMatchObject({ accountId: account.id, amount: expect.any(Number) });
	});

	test('get one pending transaction', async () => {
		const account = ctx.emulator.dataset.accounts[0];
		const pending = account.pendingTransactions[4];
		const run = await ctx.run({
			resource: 'pendingTransaction',
			operation: 'get',
			accountId: RL(account.id),
			pendingTransactionId: pending.id,
		});
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({ id: pending.id, description: pending.attributes.description }),
		]);
	});
});
