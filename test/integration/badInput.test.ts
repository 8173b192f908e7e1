import type { INodeParameters } from 'n8n-workflow';

import { jsonOf, RL, useEmulator } from './context';

const ctx = useEmulator({ seed: 17, accounts: [{ transactions: 20 }, { transactions: 20 }] });
const GOOD = '8804e34f-12b0-4b70-86bf-265f013ca232';

/**
 * A value typed into a resource locator's ID field is checked by n8n itself against the
 * locator's pattern: the workflow does not start and the node shows the issue, as in the editor.
 */
const locatorCases: Array<[string, INodeParameters, RegExp]> = [
	[
		'malformed account id typed in',
		{ resource: 'account', operation: 'get', accountId: RL('not-an-id') },
		/Account: not a valid Ponto ID/,
	],
	[
		'malformed institution id typed in',
		{ resource: 'financialInstitution', operation: 'get', financialInstitutionId: RL('953934eb') },
		/Financial Institution: not a valid Ponto ID/,
	],
];

/** Everything else (expressions, other fields): the node refuses it, naming the parameter. */
const cases: Array<[string, INodeParameters, RegExp]> = [
	[
		'account id from an expression that is not an id',
		{ resource: 'account', operation: 'get', accountId: RL('={{ "not-an-id" }}') },
		/^Account: "not-an-id" is not a valid Ponto ID$/,
	],
	[
		'empty account id from an expression',
		{
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL('={{ "" }}', 'list'),
			returnAll: true,
		},
		/^Account: empty is not a valid Ponto ID$/,
	],
	[
		'account id from an expression that gives an object',
		{ resource: 'account', operation: 'get', accountId: RL('={{ { id: 1 } }}') },
		/^Account: an object is not a valid Ponto ID$/,
	],
	[
		'malformed institution filter',
		{
			resource: 'account',
			operation: 'getAll',
			returnAll: true,
			filters: { financialInstitutionId: RL('x') },
		},
		/^Financial Institution: "x" is not a valid Ponto ID$/,
	],
	[
		'malformed transaction id',
		{ resource: 'transaction', operation: 'get', accountId: RL(GOOD), transactionId: '12' },
		/^Transaction ID: "12" is not a valid Ponto ID$/,
	],
	[
		'malformed synchronization id',
		{ resource: 'synchronization', operation: 'get', synchronizationId: 'abc' },
		/^Synchronization ID: "abc" is not a valid Ponto ID$/,
	],
	[
		'since after until',
		{
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(GOOD),
			returnAll: true,
			filters: { since: '2024-02-01', until: '2024-01-01' },
		},
		/^Since is after Until$/,
	],
	[
		'since not a date',
		{
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(GOOD),
			returnAll: true,
			filters: { since: 'yesterday' },
		},
		/^Since: "yesterday" is not a date$/,
	],
	[
		'until not a date',
		{
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(GOOD),
			returnAll: true,
			filters: { until: '2024-13-45' },
		},
		/^Until: "2024-13-45" is not a date$/,
	],
	[
		'unknown date field',
		{
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(GOOD),
			returnAll: true,
			filters: { since: '2024-01-01', dateField: 'bookingDate' },
		},
		/^Date Field: "bookingDate" is not executionDate or valueDate$/,
	],
	[
		'negative safety margin',
		{
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(GOOD),
			returnAll: true,
			options: { safetyMarginDays: -1 },
		},
		/^Safety Margin \(Days\): number -1 is not between 0 and 366$/,
	],
	[
		'limit below 1',
		{
			resource: 'transaction',
			operation: 'getAll',
			accountId: RL(GOOD),
			returnAll: false,
			limit: 0,
		},
		/^Limit: number 0 is not a whole number of at least 1$/,
	],
	[
		'fractional limit',
		{ resource: 'account', operation: 'getAll', returnAll: false, limit: 2.5 },
		/^Limit: number 2.5 is not a whole number of at least 1$/,
	],
	[
		'unknown subtype',
		{
			resource: 'synchronization',
			operation: 'create',
			accountId: RL(GOOD),
			subtype: 'everything',
		},
		/^Subtype: "everything" is not a synchronization subtype$/,
	],
	[
		'bad customer IP address',
		{
			resource: 'synchronization',
			operation: 'create',
			accountId: RL(GOOD),
			subtype: 'accountDetails',
			options: { customerIpAddress: '999.1.1.1' },
		},
		/^Customer IP Address: "999.1.1.1" is not an IPv4 or IPv6 address$/,
	],
	[
		'timeout out of range',
		{
			resource: 'synchronization',
			operation: 'create',
			accountId: RL(GOOD),
			subtype: 'accountDetails',
			waitForCompletion: true,
			options: { waitTimeout: 0 },
		},
		/^Timeout \(Seconds\): number 0 is not between 1 and 3600$/,
	],
	[
		'return all that is not a boolean',
		{ resource: 'account', operation: 'getAll', returnAll: '={{ "yes" }}' },
		/^Return All: "yes" is not true or false$/,
	],
	[
		'country code that is a name',
		{
			resource: 'financialInstitution',
			operation: 'getAll',
			returnAll: true,
			filters: { country: 'Belgium' },
		},
		/^Country Code: "Belgium" is not a two-letter country code$/,
	],
];

describe('Bad input is refused before any request', () => {
	test.each(locatorCases)('%s', async (_name, parameters, message) => {
		const run = await ctx.run(parameters);
		expect(run.error?.message).toMatch(message);
		expect(ctx.emulator.log).toEqual([]);
	});

	test.each(cases)('%s', async (_name, parameters, message) => {
		const run = await ctx.run(parameters);
		expect(run.error?.message).toMatch(message);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.description).toEqual(expect.any(String));
		expect(ctx.emulator.log).toEqual([]);
	});

	test('with Continue On Fail each failing item yields its error, the others go on, pairing kept', async () => {
		const [first, second] = ctx.emulator.dataset.accounts.map((account) => account.id);
		const run = await ctx.run(
			{ resource: 'account', operation: 'get', accountId: RL('={{ $json.id }}') },
			{
				items: [
					{ id: first },
					{ id: 'oops' },
					{ id: second },
					{ id: '00000000-0000-4000-8000-000000000000' },
				],
				continueOnFail: true,
			},
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => [item.pairedItem, item.json.id ?? item.json.error])).toEqual([
			[{ item: 0 }, first],
			[{ item: 1 }, 'Account: "oops" is not a valid Ponto ID'],
			[{ item: 2 }, second],
			[{ item: 3 }, 'The account was not found in Ponto'],
		]);
		expect(jsonOf(run)[1].description).toMatch(/UUIDs/);
		expect(ctx.calls(/^\/accounts\//)).toBe(3);
	});
});
