import {
	collectAll,
	fetchToken,
	type ErrorDocument,
	type ListDocument,
	type ResourceObject,
	type SingleDocument,
} from '../../emulator/client';
import { isValidIban } from '../../emulator';
import { emu, token, boot, get, firstAccount, sample, reboot } from './context';

describe('resource shapes', () => {
	beforeEach(() => boot());

	const keys = (o: unknown): string[] => Object.keys(o as object).sort();

	it('accounts match account-get.json', async () => {
		const ref = sample<SingleDocument>('account-get.json').data;
		const res = await get<SingleDocument>(`/accounts/${firstAccount()}`);
		const acc = res.body.data;
		expect(keys(acc)).toEqual(keys(ref));
		expect(keys(acc.attributes)).toEqual(keys(ref.attributes));
		expect(keys(acc.meta)).toEqual([...keys(ref.meta), 'availability'].sort());
		expect(
			keys(
				(acc.meta as { latestSynchronization: ResourceObject }).latestSynchronization.attributes,
			),
		).toEqual(
			keys(
				(ref.meta as { latestSynchronization: ResourceObject }).latestSynchronization.attributes,
			),
		);
		expect(acc.relationships?.transactions.links).toEqual({
			related: `${emu.url}/accounts/${acc.id}/transactions`,
			meta: { type: 'transaction' },
		});
		expect(acc.relationships?.financialInstitution.data).toEqual({
			type: 'financialInstitution',
			id: emu.dataset.accounts[0].financialInstitutionId,
		});
		expect(acc.meta?.availability).toBe('available');
		expect(isValidIban(acc.attributes.reference as string)).toBe(true);
	});

	it('transactions match transactions-list.json (collection meta, attributes, relationship)', async () => {
		const ref = sample<ListDocument>('transactions-list.json');
		const res = await get<ListDocument>(`/accounts/${firstAccount()}/transactions`);
		expect(keys(res.body.meta)).toEqual(keys(ref.meta));
		const withoutFee = keys(ref.data[0].attributes).filter((k) => k !== 'fee');
		for (const tx of res.body.data) {
			expect(
				keys(tx.attributes).filter((k) => k !== 'fee' && k !== 'createdAt' && k !== 'updatedAt'),
			).toEqual(
				expect.arrayContaining(
					withoutFee.filter(
						(k) => !(k === 'counterpartReference' && !('counterpartReference' in tx.attributes)),
					),
				),
			);
			expect(tx.attributes.executionDate).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/);
			expect(tx.attributes.digest).toMatch(/^[0-9a-f]{64}$/);
			expect(keys(tx.relationships)).toEqual(['account']);
		}
		const pending = await get<ListDocument>(`/accounts/${firstAccount()}/pending-transactions`);
		expect(pending.body.data[0].type).toBe('pendingTransaction');
		expect(pending.body.meta.latestSynchronization?.attributes.subtype).toBe(
			'accountTransactionsWithUnsettled',
		);
	});

	it('answers 404 resourceNotFound with meta.resource, and 404 for unknown routes', async () => {
		const cases: Array<[string, string]> = [
			['/accounts/00000000-0000-4000-8000-000000000000', 'account'],
			[`/accounts/${firstAccount()}/transactions/nope`, 'transaction'],
			[`/accounts/${firstAccount()}/pending-transactions/nope`, 'pendingTransaction'],
			['/financial-institutions/nope', 'financialInstitution'],
			['/synchronizations/nope', 'synchronization'],
			['/synchronizations/nope/updated-transactions', 'synchronization'],
		];
		for (const [p, resource] of cases) {
			const res = await get<ErrorDocument>(p);
			expect(res.status).toBe(404);
			expect(res.body.errors[0]).toMatchObject({
				code: 'resourceNotFound',
				detail: 'The requested resource was not found.',
				meta: { resource },
			});
		}
		expect((await get('/no-such-thing')).status).toBe(404);
	});

	it('mounts every route under basePath (Ponto Connect style)', async () => {
		await reboot({ basePath: '/ponto-connect' });
		const tok = await fetchToken(`${emu.url}/ponto-connect`);
		const res = await get<ListDocument>('/ponto-connect/accounts', tok);
		expect(res.status).toBe(200);
		expect(res.body.links.first).toBe(`${emu.url}/ponto-connect/accounts?page[limit]=10`);
		expect((await get('/accounts', tok)).status).toBe(404);
	});
});
describe('paging', () => {
	beforeEach(() => boot());
	const txUrl = (q = ''): string => `/accounts/${firstAccount()}/transactions${q}`;

	it('defaults to 10, clamps to 100, refuses < 1 and unknown cursors', async () => {
		const def = await get<ListDocument>(txUrl());
		expect(def.body.data).toHaveLength(10);
		expect(def.body.meta.paging).toEqual({ limit: 10, before: null, after: def.body.data[9].id });
		expect(def.body.links.prev).toBeUndefined();
		const big = await get<ListDocument>(txUrl('?page[limit]=1000'));
		expect(big.body.data).toHaveLength(100);
		expect(big.body.meta.paging.limit).toBe(100);
		for (const q of [
			'?page[limit]=0',
			'?limit=-3',
			'?page[limit]=abc',
			'?page[after]=unknown',
			'?before=unknown',
		]) {
			const res = await get<ErrorDocument>(txUrl(q));
			expect(res.status).toBe(400);
			expect(res.body.errors[0].code).toBe('validationError');
		}
	});

	it('walks every item once by links.next, next only when more, prev when items before', async () => {
		const all = emu.dataset.accounts[0].transactions;
		const { items, requests } = await collectAll(`${emu.url}${txUrl('?page[limit]=100')}`, token);
		expect(requests).toBe(Math.ceil(all.length / 100));
		expect(items.map((t) => t.id)).toEqual(all.map((t) => t.id));
		const second = await get<ListDocument>(txUrl(`?page[limit]=5&page[after]=${all[4].id}`));
		expect(second.body.data.map((t) => t.id)).toEqual(all.slice(5, 10).map((t) => t.id));
		expect(second.body.links.prev).toBe(
			`${emu.url}${txUrl(`?page[limit]=5&page[before]=${all[5].id}`)}`,
		);
		const back = await get<ListDocument>(txUrl(`?limit=5&before=${all[20].id}`));
		expect(back.body.data.map((t) => t.id)).toEqual(all.slice(15, 20).map((t) => t.id));
		const exact = await get<ListDocument>(
			`/accounts/${emu.dataset.accounts[2].id}/transactions?page[limit]=12`,
		);
		expect(exact.body.data).toHaveLength(12);
		expect(exact.body.links.next).toBeUndefined();
	});

	it("'unprefixed' next links drop the limit, like the fixture", async () => {
		emu.setOptions({ nextLinkStyle: 'unprefixed' });
		const first = await get<ListDocument>(txUrl('?page[limit]=25'));
		expect(first.body.links.next).toBe(`${emu.url}${txUrl(`?after=${first.body.data[24].id}`)}`);
		expect(first.body.links.first).toBe(`${emu.url}${txUrl()}`);
		const next = await get<ListDocument>(first.body.links.next as string);
		expect(next.body.data).toHaveLength(10);
	});

	it('orders transactions by creation, not by executionDate', async () => {
		const list = emu.dataset.accounts[0].transactions;
		const created = list.map((t) => t.attributes.createdAt);
		expect([...created].sort().reverse()).toEqual(created);
		const exec = list.map((t) => t.attributes.executionDate);
		expect(exec.some((d, i) => i > 0 && d > exec[i - 1])).toBe(true); // a date-stopping importer would stop early
		const [added] = emu.addTransactions(firstAccount(), [
			{ executionDate: '2020-01-02', amount: -12.34 },
		]);
		const top = await get<ListDocument>(txUrl('?page[limit]=1'));
		expect(top.body.data[0]).toMatchObject({
			id: added.id,
			attributes: { executionDate: '2020-01-02T00:00:00.000Z', amount: -12.34 },
		});
	});
});
describe('financial institutions', () => {
	beforeEach(() => boot());
	const names = async (q: string): Promise<string[]> =>
		(await get<ListDocument>(`/financial-institutions${q}`)).body.data
			.map((f) => f.attributes.name as string)
			.sort();

	it('filters with eq, in, contains, like and honours ignoredFilters', async () => {
		expect(await names('')).toEqual(['Noordzee Bank', 'Orbit Money', 'Scheldt Bank']);
		expect(await names('?filter[name][contains]=BANK')).toEqual(['Noordzee Bank', 'Scheldt Bank']);
		expect(await names('?filter[name][like]=orb%')).toEqual(['Orbit Money']);
		expect(await names('?filter[country][eq]=NL')).toEqual(['Noordzee Bank']);
		expect(await names('?filter[country][in]=BE,NL')).toEqual(['Noordzee Bank', 'Scheldt Bank']);
		expect(await names('?filter[status][eq]=beta&filter[name][contains]=zee')).toEqual([
			'Noordzee Bank',
		]);
		expect((await get('/financial-institutions?filter[color][eq]=red')).status).toBe(400);
		emu.setOptions({ ignoredFilters: ['country'] });
		expect(await names('?filter[country][eq]=NL')).toHaveLength(3);
		const paged = await get<ListDocument>(
			'/financial-institutions?page[limit]=1&filter[name][contains]=bank',
		);
		expect(paged.body.links.next).toContain('filter[name][contains]=bank');
	});

	it('lists only the organization institutions; international ones have country null', async () => {
		const fi = emu.dataset.financialInstitutions[0];
		emu.dataset.financialInstitutions.push({
			id: 'lonely',
			attributes: { ...fi.attributes, name: 'Lonely Bank' },
		});
		expect(await names('')).not.toContain('Lonely Bank');
		expect((await get('/financial-institutions/lonely')).status).toBe(200);
		const orbit = await get<ListDocument>('/financial-institutions?filter[name][eq]=Orbit Money');
		expect(orbit.body.data[0].attributes.country).toBeNull();
	});
});
