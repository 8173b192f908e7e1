import {
	request,
	type ErrorDocument,
	type ListDocument,
	type ResourceObject,
	type SingleDocument,
} from '../../emulator/client';
import { toCents, TOO_FREQUENT_CODE, UNATTENDED_LIMIT_CODE } from '../../emulator';
import { emu, token, boot, get, firstAccount, sample, renewToken } from './context';

describe('synchronizations', () => {
	let now: number;
	const advance = (ms: number): void => {
		now += ms;
	};
	beforeEach(async () => {
		now = Date.now();
		await boot({ now: () => new Date(now) });
	});
	const createSync = (attributes: Record<string, unknown>, type = 'synchronization') =>
		request<SingleDocument & ErrorDocument>(`${emu.url}/synchronizations`, {
			method: 'POST',
			token,
			headers: { 'content-type': 'application/vnd.api+json' },
			body: JSON.stringify({
				data: {
					type,
					attributes: { resourceType: 'account', resourceId: firstAccount(), ...attributes },
				},
			}),
		});
	const status = async (id: string): Promise<string> =>
		(await get<SingleDocument>(`/synchronizations/${id}`)).body.data.attributes.status as string;

	it('goes pending -> running -> success and updates the account meta', async () => {
		const res = await createSync({ subtype: 'accountDetails', customerIpAddress: '203.0.113.7' });
		expect(res.status).toBe(201);
		const sync = res.body.data;
		expect(sync.attributes).toMatchObject({
			status: 'pending',
			subtype: 'accountDetails',
			errors: [],
			customerIpAddress: '203.0.113.7',
		});
		expect(sync.relationships?.updatedTransactions.links?.related).toBe(
			`${emu.url}/synchronizations/${sync.id}/updated-transactions`,
		);
		expect(sync.relationships?.updatedPendingTransactions.links?.related).toBe(
			`${emu.url}/synchronizations/${sync.id}/updated-pending-transactions`,
		);
		advance(200);
		expect(await status(sync.id)).toBe('running');
		advance(400);
		expect(await status(sync.id)).toBe('success');
		const account = await get<SingleDocument>(`/accounts/${firstAccount()}`);
		const meta = account.body.data.meta as {
			synchronizedAt: string;
			latestSynchronization: ResourceObject;
		};
		expect(meta.latestSynchronization.id).toBe(sync.id);
		expect(meta.synchronizedAt).toBe(
			new Date(Date.parse(sync.attributes.createdAt as string) + 500).toISOString(),
		);
	});

	it('validates the body and the account', async () => {
		const bad = await createSync({ subtype: 'accountPendingTransactions' });
		expect(bad.status).toBe(400);
		expect(bad.body.errors[0]).toMatchObject({
			code: 'validationError',
			meta: { attribute: 'subtype' },
		});
		expect((await createSync({ subtype: 'accountDetails' }, 'synchronizations')).status).toBe(400);
		expect(
			(await createSync({ subtype: 'accountDetails', customerIpAddress: 'not-an-ip' })).status,
		).toBe(400);
		const missing = await createSync({ subtype: 'accountDetails', resourceId: 'nope' });
		expect(missing.status).toBe(404);
		expect(missing.body.errors[0].meta.resource).toBe('account');
	});

	it('refuses too-frequent and too many unattended synchronizations with distinct 400 codes', async () => {
		expect((await createSync({ subtype: 'accountTransactions' })).status).toBe(201);
		const again = await createSync({ subtype: 'accountTransactions' });
		expect(again.status).toBe(400);
		expect(again.body.errors[0].code).toBe(TOO_FREQUENT_CODE);
		expect((await createSync({ subtype: 'accountDetails' })).status).toBe(201);
		advance(10_001);
		expect((await createSync({ subtype: 'accountTransactions' })).status).toBe(201);
		advance(10_001);
		expect((await createSync({ subtype: 'accountDetails' })).status).toBe(201);
		advance(10_001);
		const fifth = await createSync({ subtype: 'accountTransactions' });
		expect(fifth.status).toBe(400);
		expect(fifth.body.errors[0].code).toBe(UNATTENDED_LIMIT_CODE);
		expect(
			(await createSync({ subtype: 'accountTransactions', customerIpAddress: '2001:db8::1' }))
				.status,
		).toBe(201);
		advance(24 * 3_600_000);
		await renewToken();
		expect((await createSync({ subtype: 'accountDetails' })).status).toBe(201);
	});

	it('surfaces queued bank transactions with the next transactions sync, first in the list', async () => {
		const account = emu.dataset.accounts[0];
		const before = toCents(account.attributes.currentBalance);
		emu.queueBankTransactions(account.id, [
			{ amount: 100.1, executionDate: '2021-03-04', counterpartName: 'Ørsted A/S' },
			{ amount: -0.3, remittanceInformation: '' },
		]);
		emu.queueBankPendingTransactions(account.id, [{ amount: -5 }]);
		const listed = async (): Promise<ResourceObject[]> =>
			(await get<ListDocument>(`/accounts/${account.id}/transactions?page[limit]=2`)).body.data;
		const topBefore = (await listed()).map((t) => t.id);
		const sync = (
			await createSync({
				subtype: 'accountTransactionsWithUnsettled',
				customerIpAddress: '198.51.100.1',
			})
		).body.data;
		advance(600);
		expect(await status(sync.id)).toBe('success');
		const top = await listed();
		expect(top.map((t) => t.attributes.amount)).toEqual([100.1, -0.3]);
		expect(top.map((t) => t.id)).not.toEqual(topBefore);
		expect(top[0].attributes.createdAt).toBe(
			new Date(Date.parse(sync.attributes.createdAt as string) + 500).toISOString(),
		);
		const updated = await get<ListDocument>(`/synchronizations/${sync.id}/updated-transactions`);
		expect(updated.body.data.map((t) => t.id)).toEqual(top.map((t) => t.id));
		const pending = await get<ListDocument>(
			`/synchronizations/${sync.id}/updated-pending-transactions`,
		);
		expect(pending.body.data.map((t) => t.attributes.amount)).toContain(-5);
		expect(toCents(account.attributes.currentBalance)).toBe(before + 10010 - 30);
	});

	it('failNextSynchronization ends the next sync in error and keeps queued data queued', async () => {
		const account = emu.dataset.accounts[0];
		const errors = sample<{
			data: { attributes: { errors: Array<{ code: string; detail: string; meta: object }> } };
		}>('synchronization-error-xs2a.json').data.attributes.errors;
		emu.failNextSynchronization(account.id, errors);
		emu.queueBankTransactions(account.id, [{ amount: 1 }]);
		const synchronizedAt = account.syncMeta.account.synchronizedAt;
		const sync = (
			await createSync({ subtype: 'accountTransactions', customerIpAddress: '192.0.2.1' })
		).body.data;
		advance(600);
		const res = await get<SingleDocument>(`/synchronizations/${sync.id}`);
		expect(res.body.data.attributes).toMatchObject({ status: 'error', errors });
		expect(account.bankQueue.transactions).toHaveLength(1);
		const acc = (await get<SingleDocument>(`/accounts/${account.id}`)).body.data.meta as {
			synchronizedAt: string;
			latestSynchronization: ResourceObject;
		};
		expect(acc.latestSynchronization.attributes.status).toBe('error');
		expect(acc.synchronizedAt).toBe(synchronizedAt);
	});

	it('runs on the real clock with the default timings', async () => {
		await emu.close();
		await boot();
		const sync = (await createSync({ subtype: 'accountDetails', customerIpAddress: '192.0.2.1' }))
			.body.data;
		let seen = 'pending';
		const deadline = Date.now() + 3_000;
		while (seen !== 'success' && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 50));
			seen = await status(sync.id);
		}
		expect(seen).toBe('success');
	});
});
