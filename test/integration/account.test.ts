import { jsonOf, RL, useEmulator } from './context';

const ctx = useEmulator({
	seed: 5,
	institutions: [
		{ name: 'Scheldt Bank', country: 'BE' },
		{ name: 'Noordzee Bank', country: 'NL', status: 'beta' },
	],
	accounts: [
		{
			institution: 0,
			transactions: 10,
			description: 'Current account',
			authorizationExpiresInDays: 12,
		},
		{ institution: 1, transactions: 10, description: 'Savings', subtype: 'savings' },
		{
			institution: 0,
			transactions: 10,
			description: 'USD account',
			currency: 'USD',
			authorizationExpiresInDays: -3,
		},
	],
});

describe('Account', () => {
	test('get many: balances, currency, reference, holder, synchronizedAt and consent days left', async () => {
		const run = await ctx.run({ resource: 'account', operation: 'getAll', returnAll: true });
		const accounts = jsonOf(run);
		expect(accounts).toHaveLength(3);
		const current = accounts.find((account) => account.description === 'Current account')!;
		const source = ctx.emulator.dataset.accounts[0];
		expect(current).toMatchObject({
			id: source.id,
			currency: 'EUR',
			reference: source.attributes.reference,
			holderName: source.attributes.holderName,
			currentBalance: source.attributes.currentBalance,
			availableBalance: source.attributes.availableBalance,
			financialInstitutionId: source.financialInstitutionId,
			synchronizedAt: expect.any(String),
			latestSynchronization: expect.objectContaining({ status: 'success' }),
		});
		expect([11, 12]).toContain(current.consentExpiresInDays);
		const usd = accounts.find((account) => account.currency === 'USD')!;
		expect(usd.consentExpiresInDays as number).toBeLessThan(0);
	});

	test('get many filtered by financial institution, as Odoo does', async () => {
		const bank = ctx.emulator.dataset.financialInstitutions[0];
		const run = await ctx.run({
			resource: 'account',
			operation: 'getAll',
			returnAll: true,
			filters: { financialInstitutionId: RL(bank.id) },
		});
		expect(
			jsonOf(run)
				.map((account) => account.description)
				.sort(),
		).toEqual(['Current account', 'USD account']);
		expect(ctx.calls('/accounts')).toBe(1);
	});

	test('get one account, raw resource keeps meta and relationships', async () => {
		const source = ctx.emulator.dataset.accounts[1];
		const run = await ctx.run({
			resource: 'account',
			operation: 'get',
			accountId: RL(source.id),
			options: { rawResource: true },
		});
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({
				type: 'account',
				id: source.id,
				meta: expect.objectContaining({ synchronizedAt: expect.any(String) }),
				relationships: expect.objectContaining({ financialInstitution: expect.any(Object) }),
			}),
		]);
	});

	test('an unknown account is a clear not-found error that says what to check', async () => {
		const run = await ctx.run({
			resource: 'account',
			operation: 'get',
			accountId: RL('8804e34f-12b0-4b70-86bf-265f013ca232'),
		});
		expect(run.error?.message).toBe('The account was not found in Ponto');
		expect(run.error?.description).toMatch(/shared with this integration/);
	});

	test('the account picker lists accounts and searches by name or IBAN', async () => {
		const all = await ctx.n8n.listSearch('searchAccounts');
		expect(all.results).toHaveLength(3);
		const iban = ctx.emulator.dataset.accounts[1].attributes.reference as string;
		const found = await ctx.n8n.listSearch('searchAccounts', iban.slice(-6));
		expect(found.results).toEqual([
			{ name: expect.stringContaining(iban), value: ctx.emulator.dataset.accounts[1].id },
		]);
	});
});
