import { jsonOf, RL, useEmulator } from './context';

/**
 * Simplify in the normal node (issue 17): off unless switched on, so saved workflows keep their
 * output; on, the few fields of helpers/simplify.ts, compared with the emulator's data.
 */
const ctx = useEmulator({
	seed: 17,
	institutions: [{ name: 'Scheldt Bank', country: 'BE' }],
	accounts: [{ transactions: 40, pendingTransactions: 3 }],
});

const account = () => ctx.emulator.dataset.accounts[0];
const orNull = (value: unknown) =>
	value === undefined || value === null || value === '' ? null : value;

describe('Simplify in the Ponto node', () => {
	test('transactions: off by default (every attribute, as before), on gives the simplified records of the same transactions', async () => {
		const parameters = {
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(account().id),
			limit: 10,
		};
		const full = jsonOf(await ctx.run(parameters));
		const simple = jsonOf(await ctx.run({ ...parameters, simplify: true }));
		const source = account().transactions.slice(0, 10);
		expect(full.map((row) => row.id)).toEqual(source.map((transaction) => transaction.id));
		expect(full[0]).toMatchObject({ digest: source[0].attributes.digest, accountId: account().id });
		expect(simple.map((row) => row.id)).toEqual(full.map((row) => row.id));
		simple.forEach((row, index) => {
			const { attributes } = source[index];
			expect(row.amount).toBe(attributes.amount);
			expect(row.executionDate).toBe(attributes.executionDate.slice(0, 10));
			expect(orNull(row.counterpartName)).toBe(orNull(attributes.counterpartName));
			expect(orNull(row.remittanceInformation)).toBe(orNull(attributes.remittanceInformation));
			expect(row).not.toHaveProperty('digest');
			expect(row).not.toHaveProperty('accountId');
		});
	});

	test('Raw JSON:API Resource wins over Simplify', async () => {
		const run = await ctx.run({
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(account().id),
			limit: 2,
			simplify: true,
			options: { rawResource: true },
		});
		expect(jsonOf(run)[0]).toMatchObject({
			type: 'transaction',
			id: account().transactions[0].id,
			attributes: expect.any(Object),
		});
	});

	test('pending transactions, accounts and banks simplified', async () => {
		const pending = jsonOf(
			await ctx.run({
				resource: 'pendingTransaction',
				operation: 'getAll',
				accountId: RL(account().id),
				returnAll: true,
				simplify: true,
			}),
		);
		expect(pending.map((row) => row.id)).toEqual(
			account().pendingTransactions.map((transaction) => transaction.id),
		);
		expect(pending.every((row) => !('digest' in row))).toBe(true);

		const [accountRow] = jsonOf(
			await ctx.run({ resource: 'account', operation: 'getAll', returnAll: true, simplify: true }),
		);
		expect(accountRow).toMatchObject({
			id: account().id,
			currentBalance: account().attributes.currentBalance,
			reference: account().attributes.reference,
		});
		expect(accountRow).not.toHaveProperty('latestSynchronization');

		const banks = jsonOf(
			await ctx.run({
				resource: 'financialInstitution',
				operation: 'getAll',
				returnAll: true,
				simplify: true,
			}),
		);
		expect(banks).toEqual([expect.objectContaining({ name: 'Scheldt Bank', country: 'BE' })]);
		expect(
			Object.keys(banks[0]).every((key) =>
				['id', 'name', 'country', 'bic', 'status'].includes(key),
			),
		).toBe(true);
	});

	test('the normal node keeps Limit up to its old maximum and the editor wording of errors', async () => {
		const many = await ctx.run({
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(account().id),
			limit: 500,
		});
		expect(jsonOf(many)).toHaveLength(40);
		const bad = await ctx.run(
			{ resource: 'transaction', operation: 'getAll', accountId: RL('={{ $json.id }}'), limit: 5 },
			{ items: [{ id: 'not-an-id' }] },
		);
		expect(bad.error?.message).toBe('Account: "not-an-id" is not a valid Ponto ID');
		expect((bad.error as { description?: string }).description).toContain(
			'Pick the account from the list',
		);
	});
});
