import { request, type ListDocument, type SingleDocument } from '../../emulator/client';
import { DEMO_BANK_ACTIVITY } from '../../emulator';
import { emu, token, boot, get } from './context';

// The demo's bank keeps booking: on each synchronization and on Ponto's own (compressed) refresh.
describe('bank activity', () => {
	let now: number;
	beforeEach(() => {
		now = Date.now();
	});
	const sync = async (accountId: string, subtype = 'accountTransactions') => {
		const res = await request<SingleDocument>(`${emu.url}/synchronizations`, {
			method: 'POST',
			token,
			headers: { 'content-type': 'application/vnd.api+json' },
			body: JSON.stringify({
				data: {
					type: 'synchronization',
					attributes: {
						resourceType: 'account',
						resourceId: accountId,
						subtype,
						customerIpAddress: '203.0.113.7',
					},
				},
			}),
		});
		expect(res.status).toBe(201);
		now += 1_000;
		return res.body.data.id;
	};
	const updated = async (syncId: string) =>
		(await get<ListDocument>(`/synchronizations/${syncId}/updated-transactions`)).body.data;
	const count = async (accountId: string) =>
		(await get<ListDocument>(`/accounts/${accountId}/transactions?limit=100`)).body.data.length;

	it('a successful transaction synchronization books 1 to 3 new transactions, listed as updated', async () => {
		await boot({
			now: () => new Date(now),
			bankActivity: { perSynchronization: [1, 3], refreshEveryMs: 0 },
		});
		const account = emu.dataset.accounts[0].id;
		const before = emu.dataset.accounts[0].transactions.length;
		const added = await updated(await sync(account));
		expect(added.length).toBeGreaterThanOrEqual(1);
		expect(added.length).toBeLessThanOrEqual(3);
		expect(emu.dataset.accounts[0].transactions.length).toBe(before + added.length);
		expect(emu.dataset.accounts[0].transactions.slice(0, added.length).map((t) => t.id)).toEqual(
			added.map((t) => t.id),
		);
		// Details only: no bookings.
		now += 20_000;
		expect(await updated(await sync(account, 'accountDetails'))).toEqual([]);
	});

	it('without bank activity a synchronization books only what the test queued', async () => {
		await boot({ now: () => new Date(now) });
		expect(await updated(await sync(emu.dataset.accounts[0].id))).toEqual([]);
	});

	it("Ponto's own refresh books new transactions once per interval, and not for an account it cannot synchronize", async () => {
		await boot({
			now: () => new Date(now),
			bankActivity: { perSynchronization: [2, 2], refreshEveryMs: 60_000 },
		});
		const [open] = emu.dataset.accounts;
		emu.dataset.accounts[1].attributes.authorizationExpirationExpectedAt = new Date(
			now - 1_000,
		).toISOString();
		const expired = emu.dataset.accounts[1].transactions.length;
		const first = await count(open.id);
		now += 59_000;
		expect(await count(open.id)).toBe(first);
		now += 1_000;
		const openBefore = open.transactions.length;
		await get('/accounts');
		expect(open.transactions.length).toBe(openBefore + 2);
		await get('/accounts');
		expect(open.transactions.length).toBe(openBefore + 2);
		expect(emu.dataset.accounts[1].transactions.length).toBe(expired);
		const meta = (await get<SingleDocument>(`/accounts/${open.id}`)).body.data.meta as {
			synchronizedAt: string;
		};
		expect(meta.synchronizedAt).toBe(new Date(now).toISOString());
	});

	it('the demo setting books on synchronizations and refreshes within minutes', () => {
		expect(DEMO_BANK_ACTIVITY.perSynchronization[0]).toBeGreaterThanOrEqual(1);
		expect(DEMO_BANK_ACTIVITY.refreshEveryMs).toBeGreaterThan(0);
		expect(DEMO_BANK_ACTIVITY.refreshEveryMs).toBeLessThanOrEqual(5 * 60_000);
	});
});
