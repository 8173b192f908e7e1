import { jsonOf, RL, useEmulator } from './context';

const ctx = useEmulator({ seed: 13, accounts: [{ transactions: 1234 }, { transactions: 10 }] });

const account = () => ctx.emulator.dataset.accounts[0];
const listPath = () => `/accounts/${account().id}/transactions`;
const fetchAll = () =>
	ctx.run({
		resource: 'transaction',
		operation: 'getAll',
		accountId: RL(account().id),
		returnAll: true,
	});
const expectComplete = (ids: unknown[]) => {
	expect(ids).toHaveLength(1234);
	expect(new Set(ids).size).toBe(1234);
	expect(ids).toEqual(account().transactions.map((transaction) => transaction.id));
};

describe('Retries and token renewal', () => {
	test('429 with Retry-After and 500s mid-paging are retried: nothing lost, nothing twice', async () => {
		ctx.emulator.queueFaults(
			{ match: /\/transactions$/, status: 429, retryAfter: 1 },
			{ match: /\/transactions$/, status: 500 },
			{ match: /\/transactions$/, status: 503 },
		);
		const started = Date.now();
		const run = await fetchAll();
		expect(run.error).toBeUndefined();
		expectComplete(jsonOf(run).map((transaction) => transaction.id));
		const faults = ctx.emulator.requestsTo(listPath()).filter((entry) => entry.fault);
		expect(faults.map((entry) => entry.status)).toEqual([429, 500, 503]);
		expect(ctx.calls(listPath())).toBe(13 + 3);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	test('a dropped connection on a read is retried', async () => {
		ctx.emulator.queueFaults({ match: /\/transactions$/, drop: true });
		const run = await fetchAll();
		expectComplete(jsonOf(run).map((transaction) => transaction.id));
	});

	test('tokens expiring every 4 requests are renewed by n8n OAuth2 code; the fetch stays complete', async () => {
		ctx.emulator.setOptions({ expireTokensEveryRequests: 4 });
		const before = ctx.n8n.credentials.tokenUpdates;
		try {
			const run = await fetchAll();
			expect(run.error).toBeUndefined();
			expectComplete(jsonOf(run).map((transaction) => transaction.id));
		} finally {
			ctx.emulator.setOptions({ expireTokensEveryRequests: undefined });
		}
		const unauthorized = ctx.emulator
			.requestsTo(listPath())
			.filter((entry) => entry.status === 401).length;
		expect(unauthorized).toBeGreaterThanOrEqual(3);
		expect(ctx.emulator.requestsTo('/oauth2/token', 'POST').length).toBe(unauthorized);
		expect(ctx.n8n.credentials.tokenUpdates - before).toBe(unauthorized);
	});

	test('a server that keeps failing ends in a clear NodeApiError after the retry budget', async () => {
		ctx.emulator.queueFaults(
			...Array.from({ length: 5 }, () => ({ match: /\/transactions$/, status: 500 as const })),
		);
		const run = await fetchAll();
		expect(run.error?.message).toBe('Ponto is unavailable (HTTP 500)');
		expect(run.error?.description).toMatch(/retries ran out/);
		expect(ctx.calls(listPath())).toBe(5);
		expect(run.items).toEqual([]);
	});

	test('a Retry-After longer than a minute is not waited out inside the execution', async () => {
		ctx.emulator.queueFaults({ match: /\/transactions$/, status: 429, retryAfter: 3600 });
		const run = await fetchAll();
		expect(run.error?.message).toBe('Ponto rate limit reached');
		expect(run.error?.description).toMatch(/wait 3600 s/);
		expect(ctx.calls(listPath())).toBe(1);
	});

	test('a write is not retried after a server error (no duplicate synchronization)', async () => {
		ctx.emulator.queueFaults({ match: '/synchronizations', method: 'POST', status: 500 });
		const run = await ctx.run({
			resource: 'synchronization',
			operation: 'create',
			accountId: RL(ctx.emulator.dataset.accounts[1].id),
			subtype: 'accountDetails',
		});
		expect(run.error?.message).toBe('Ponto is unavailable (HTTP 500)');
		expect(ctx.calls('/synchronizations', 'POST')).toBe(1);
	});
});
