import { jsonOf, RL, useEmulator } from './context';

const ctx = useEmulator({
	seed: 11,
	institutions: [
		{ name: 'Scheldt Bank', country: 'BE', status: 'stable' },
		{ name: 'Noordzee Bank', country: 'NL', status: 'beta' },
		{ name: 'Maas Bank', country: 'NL', status: 'experimental', deprecated: true },
		{
			name: 'Orbit Money',
			country: null,
			maintenanceType: 'financialInstitution',
			maintenanceFrom: '2026-01-01T00:00:00.000Z',
			maintenanceTo: '2026-01-02T00:00:00.000Z',
		},
	],
	accounts: [0, 1, 2, 3].map((institution) => ({ institution, transactions: 5 })),
});

describe('Financial institution', () => {
	test('get many shows status, deprecated and maintenance fields, flattened', async () => {
		const run = await ctx.run({
			resource: 'financialInstitution',
			operation: 'getAll',
			returnAll: true,
		});
		expect(run.error).toBeUndefined();
		const banks = jsonOf(run);
		expect(banks.map((bank) => bank.name).sort()).toEqual([
			'Maas Bank',
			'Noordzee Bank',
			'Orbit Money',
			'Scheldt Bank',
		]);
		const maas = banks.find((bank) => bank.name === 'Maas Bank')!;
		expect(maas).toMatchObject({ status: 'experimental', deprecated: true });
		const orbit = banks.find((bank) => bank.name === 'Orbit Money')!;
		expect(orbit).toMatchObject({
			country: null,
			maintenanceType: 'financialInstitution',
			maintenanceTo: '2026-01-02T00:00:00.000Z',
		});
		expect(typeof orbit.id).toBe('string');
		expect(orbit).not.toHaveProperty('attributes');
		expect(ctx.calls('/financial-institutions')).toBe(1);
	});

	test('name filter is sent to Ponto and applied again locally', async () => {
		const run = await ctx.run({
			resource: 'financialInstitution',
			operation: 'getAll',
			returnAll: true,
			filters: { name: 'bank' },
		});
		expect(
			jsonOf(run)
				.map((bank) => bank.name)
				.sort(),
		).toEqual(['Maas Bank', 'Noordzee Bank', 'Scheldt Bank']);
		expect(
			ctx.emulator.requestsTo('/financial-institutions')[0].query['filter[name][contains]'],
		).toBe('bank');
	});

	test('country filter works whether or not the server honours it', async () => {
		const run = await ctx.run({
			resource: 'financialInstitution',
			operation: 'getAll',
			returnAll: true,
			filters: { country: 'nl' },
		});
		expect(
			jsonOf(run)
				.map((bank) => bank.name)
				.sort(),
		).toEqual(['Maas Bank', 'Noordzee Bank']);
	});

	test('limit and raw JSON:API output', async () => {
		const run = await ctx.run({
			resource: 'financialInstitution',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
			options: { rawResource: true },
		});
		const raw = jsonOf(run);
		expect(raw).toHaveLength(2);
		expect(raw[0]).toMatchObject({ type: 'financialInstitution', attributes: expect.any(Object) });
		expect(ctx.emulator.requestsTo('/financial-institutions')[0].query['page[limit]']).toBe('2');
	});

	test('get one by id', async () => {
		const bank = ctx.emulator.dataset.financialInstitutions[1];
		const run = await ctx.run({
			resource: 'financialInstitution',
			operation: 'get',
			financialInstitutionId: RL(bank.id),
		});
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({ id: bank.id, name: 'Noordzee Bank', status: 'beta' }),
		]);
	});

	test('the institution picker lists and searches banks', async () => {
		const all = await ctx.n8n.listSearch('searchFinancialInstitutions');
		expect(all.results).toHaveLength(4);
		expect(all.results.find((result) => String(result.name).startsWith('Maas Bank'))?.name).toBe(
			'Maas Bank (NL) — experimental, deprecated',
		);
		const found = await ctx.n8n.listSearch('searchFinancialInstitutions', 'orbit');
		expect(found.results.map((result) => result.name)).toEqual(['Orbit Money']);
	});
});
