import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { RL, useEmulator } from './context';

/**
 * The polling trigger's idle shortcut in both readings of an account's meta.synchronizedAt
 * (docs/ponto-api.md §4.2): moved by every synchronization, or by accountDetails ones only.
 * Either way a booking that arrives with a transactions-only synchronization is emitted at the
 * next poll, and an idle poll stays one request.
 */
const readings = ['everySynchronization', 'accountDetailsOnly'] as const;

describe.each(readings)(
	'Ponto Trigger idle shortcut, account synchronizedAt moved by %s',
	(reading) => {
		const ctx = useEmulator(
			{ seed: 83, accounts: [{ transactions: 120 }, { transactions: 30 }] },
			{
				synchronization: {
					pendingMs: 20,
					runningMs: 40,
					minIntervalMs: 0,
					accountSynchronizedAt: reading,
				},
			},
		);
		const state: IDataObject = {};
		const params: INodeParameters = { event: 'transaction', accountsToWatch: 'all' };
		const booked = (amount: number) => ({ amount, remittanceInformation: `Invoice ${amount}` });
		const poll = async () => {
			ctx.emulator.clearLog();
			const run = await ctx.n8n.poll(params, { staticData: state });
			expect(run.error).toBeUndefined();
			return run.items.map((item) => item.json.id as string);
		};
		const requests = () => ctx.emulator.log.map((entry) => `${entry.method} ${entry.path}`);

		test('an idle poll is one request', async () => {
			expect(await poll()).toEqual([]);
			expect(await poll()).toEqual([]);
			expect(requests()).toEqual(['GET /accounts']);
		});

		test("a booking from Ponto's own transactions synchronization is emitted at the next poll", async () => {
			const [account] = ctx.emulator.dataset.accounts;
			const before = account.syncMeta.account.synchronizedAt;
			const [added] = ctx.emulator.addTransactions(account.id, [booked(61.5)]);
			// The emulator acts in the reading under test.
			if (reading === 'accountDetailsOnly')
				expect(account.syncMeta.account.synchronizedAt).toBe(before);
			else expect(account.syncMeta.account.synchronizedAt).not.toBe(before);
			expect(await poll()).toEqual([added.id]);
			expect(await poll()).toEqual([]);
			expect(requests()).toEqual(['GET /accounts']);
		});

		test('a booking from a transactions synchronization made by another workflow is emitted at the next poll', async () => {
			const account = ctx.emulator.dataset.accounts[1];
			ctx.emulator.queueBankTransactions(account.id, [booked(17.25)]);
			const before = account.syncMeta.account.synchronizedAt;
			const run = await ctx.n8n.run({
				resource: 'synchronization',
				operation: 'create',
				accountId: RL(account.id),
				subtype: 'accountTransactions',
				waitForCompletion: true,
			});
			expect(run.error).toBeUndefined();
			if (reading === 'accountDetailsOnly')
				expect(account.syncMeta.account.synchronizedAt).toBe(before);
			const added = account.transactions.find(
				(transaction) => transaction.attributes.amount === 17.25,
			);
			expect(added).toBeDefined();
			expect(await poll()).toEqual([added!.id]);
			expect(await poll()).toEqual([]);
		});

		test('an accountDetails synchronization finishing after the transactions one hides nothing', async () => {
			const [account] = ctx.emulator.dataset.accounts;
			ctx.emulator.queueBankTransactions(account.id, [booked(8.4)]);
			expect(
				(
					await ctx.n8n.run({
						resource: 'synchronization',
						operation: 'create',
						accountId: RL(account.id),
						subtype: 'accountTransactions',
						waitForCompletion: true,
					})
				).error,
			).toBeUndefined();
			expect(
				(
					await ctx.n8n.run({
						resource: 'synchronization',
						operation: 'create',
						accountId: RL(account.id),
						subtype: 'accountDetails',
						waitForCompletion: true,
					})
				).error,
			).toBeUndefined();
			const added = account.transactions.find(
				(transaction) => transaction.attributes.amount === 8.4,
			);
			expect(await poll()).toEqual([added!.id]);
			expect(await poll()).toEqual([]);
			expect(requests()).toEqual(['GET /accounts']);
		});
	},
);
