import { CONNECT_ONLY_OPERATIONS } from '../../nodes/Ponto/actions/connectOnly';
import { RL, useEmulator } from './context';

// The Connect-only operations are listed with both credentials (so the nodes panel shows every
// operation once) and refused with the custom-integration credential at run time, before any
// request: no token, no API call.
const ctx = useEmulator({ seed: 12, accounts: [{ transactions: 3 }] });

const ID = '8804e34f-12b0-4b70-86bf-265f013ca232';
/** Required parameters filled in, so n8n itself has no issue to stop the run with. */
const PAYMENT = {
	amount: 1,
	creditorName: 'Example BV',
	creditorIban: 'BE68539007547034',
	maxAmount: 10,
	reference: 'Invoice 42',
	paymentId: ID,
	bulkPaymentId: ID,
	paymentRequestId: ID,
};
const parametersOf: Record<string, Record<string, unknown>> = {
	'account.requestReauthorization': { redirectUri: 'https://example.com/back' },
	'account.revoke': {},
	'bulkPayment.create': PAYMENT,
	'bulkPayment.delete': PAYMENT,
	'bulkPayment.get': PAYMENT,
	'organization.getAuthorizationLink': {},
	'organization.getUserInfo': {},
	'organization.requestPaymentActivation': { redirectUri: 'https://example.com/back' },
	'organization.requestPaymentRequestActivation': { redirectUri: 'https://example.com/back' },
	'payment.create': PAYMENT,
	'payment.delete': PAYMENT,
	'payment.get': PAYMENT,
	'paymentRequest.create': PAYMENT,
	'paymentRequest.delete': PAYMENT,
	'paymentRequest.get': PAYMENT,
	'sandbox.createTransaction': {
		amount: 1,
		currency: 'EUR',
		description: 'Wire transfer',
		executionDate: '2026-01-02',
		valueDate: '2026-01-02',
	},
};

const cases = Object.entries(CONNECT_ONLY_OPERATIONS).flatMap(([resource, operations]) =>
	operations.map((operation) => [resource, operation] as const),
);

describe('Connect-only operations with the custom-integration credential', () => {
	test('the declaration covers the operations the node refuses', () => {
		expect(cases.map(([resource, operation]) => `${resource}.${operation}`).sort()).toEqual(
			Object.keys(parametersOf).sort(),
		);
	});

	test.each(cases)(
		'%s > %s is refused before any request, naming the credential to pick',
		async (resource, operation) => {
			const accountId = RL(ctx.emulator.dataset.accounts[0].id);
			const run = await ctx.run(
				{ resource, operation, accountId, ...parametersOf[`${resource}.${operation}`] },
				{ items: [{ a: 1 }, { a: 2 }, { a: 3 }] },
			);
			expect(run.error?.name).toBe('NodeOperationError');
			expect(run.error?.message).toMatch(
				/^[A-Z][A-Za-z ]+ > [A-Z][A-Za-z ]+ needs the Ponto Connect credential$/,
			);
			expect(run.error?.description).toMatch(/In Credential, pick a Ponto Connect credential/);
			expect(run.items).toEqual([]);
			expect(ctx.emulator.log).toEqual([]);
		},
	);

	test('Continue On Fail does not turn the refusal into per-item requests', async () => {
		const run = await ctx.run(
			{ resource: 'organization', operation: 'getUserInfo' },
			{ continueOnFail: true, items: [{}, {}] },
		);
		expect(run.error?.message).toBe(
			'Organization > Get User Info needs the Ponto Connect credential',
		);
		expect(ctx.emulator.log).toEqual([]);
	});

	test('the other operations of the same resource still run', async () => {
		const run = await ctx.run({ resource: 'account', operation: 'getAll', returnAll: true });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(ctx.emulator.log.length).toBeGreaterThan(0);
	});
});
