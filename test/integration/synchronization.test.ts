import { jsonOf, RL, useEmulator } from './context';

const ctx = useEmulator(
	{
		seed: 9,
		accounts: [
			{ transactions: 30 },
			{ transactions: 30 },
			{ transactions: 30 },
			{ transactions: 30 },
		],
	},
	{
		synchronization: { pendingMs: 60, runningMs: 120, minIntervalMs: 60_000, unattendedPerDay: 4 },
	},
);

const accountId = (index: number) => ctx.emulator.dataset.accounts[index].id;
const create = (index: number, extra: Record<string, unknown> = {}) =>
	ctx.run({
		resource: 'synchronization',
		operation: 'create',
		accountId: RL(accountId(index)),
		...extra,
	});

describe('Synchronization', () => {
	test('create without waiting returns the new synchronization, pending', async () => {
		const run = await create(0, { subtype: 'accountDetails' });
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({
				status: 'pending',
				subtype: 'accountDetails',
				resourceType: 'account',
				resourceId: accountId(0),
			}),
		]);
		const body = ctx.emulator.dataset.synchronizations.at(-1)!;
		expect(body.unattended).toBe(true);
	});

	test('create and wait: final state, then its new transactions through Get Updated by Synchronization', async () => {
		ctx.emulator.queueBankTransactions(accountId(1), [
			{
				amount: 12.34,
				counterpartName: 'Müller & Söhne GmbH',
				remittanceInformation: 'Invoice 42',
			},
			{ amount: -5.5, counterpartName: 'Ørsted A/S', remittanceInformation: 'Fee' },
		]);
		const run = await create(1, {
			subtype: 'accountTransactions',
			waitForCompletion: true,
			options: { customerIpAddress: '203.0.113.7' },
		});
		expect(run.error).toBeUndefined();
		const [synchronization] = jsonOf(run);
		expect(synchronization).toMatchObject({
			status: 'success',
			errors: [],
			customerIpAddress: '203.0.113.7',
		});
		expect(ctx.calls(`/synchronizations/${synchronization.id as string}`)).toBeGreaterThanOrEqual(
			1,
		);

		const updated = await ctx.run({
			resource: 'transaction',
			operation: 'getUpdated',
			synchronizationId: synchronization.id as string,
			returnAll: true,
		});
		expect(
			jsonOf(updated).map((transaction) => [transaction.amount, transaction.counterpartName]),
		).toEqual(
			expect.arrayContaining([
				[12.34, 'Müller & Söhne GmbH'],
				[-5.5, 'Ørsted A/S'],
			]),
		);
		const got = await ctx.run({
			resource: 'synchronization',
			operation: 'get',
			synchronizationId: synchronization.id as string,
		});
		expect(jsonOf(got)[0]).toMatchObject({ id: synchronization.id, status: 'success' });
	});

	test('a synchronization that ends in error fails the item with its codes and what to do', async () => {
		ctx.emulator.failNextSynchronization(accountId(2), [
			{
				code: 'authorizationInvalid',
				detail:
					'The authorization is invalid, you should ask the customer to reauthorize the account',
			},
		]);
		const run = await create(2, { subtype: 'accountTransactions', waitForCompletion: true });
		expect(run.error?.message).toMatch(/^The synchronization failed \(authorizationInvalid\)/);
		expect(run.error?.description).toMatch(/reauthorize the account in Ponto/);
	});

	test('with Fail on Synchronization Error off, the failed synchronization is returned with its errors', async () => {
		ctx.emulator.failNextSynchronization(accountId(3), [
			{ code: 'authorizationInvalid', detail: 'Reauthorize' },
		]);
		const run = await create(3, {
			subtype: 'accountDetails',
			waitForCompletion: true,
			options: { failOnError: false },
		});
		expect(run.error).toBeUndefined();
		expect(jsonOf(run)[0]).toMatchObject({
			status: 'error',
			errors: [expect.objectContaining({ code: 'authorizationInvalid' })],
		});
	});

	test('a too-frequent synchronization is refused with advice, and not retried', async () => {
		const run = await create(1, { subtype: 'accountTransactions' });
		expect(run.error?.message).toMatch(
			/^Ponto refused the synchronization: synchronizationTooFrequent/,
		);
		expect(run.error?.description).toMatch(/four unattended bank accesses/);
		expect(ctx.calls('/synchronizations', 'POST')).toBe(1);
	});

	test('waiting gives up at the timeout and says how to read the result later', async () => {
		ctx.emulator.setOptions({ synchronization: { pendingMs: 60_000, runningMs: 60_000 } });
		try {
			const run = await create(0, {
				subtype: 'accountTransactionsWithUnsettled',
				waitForCompletion: true,
				options: { waitTimeout: 1 },
			});
			expect(run.error?.message).toBe(
				'The synchronization did not finish within 1 s (status: pending)',
			);
			expect(run.error?.description).toMatch(/Synchronization > Get/);
		} finally {
			ctx.emulator.setOptions({ synchronization: { pendingMs: 60, runningMs: 120 } });
		}
	});
});
