import { daysUntil, flattenAccount, flattenResource } from '../../../nodes/Ponto/helpers/flatten';
import type { JsonApiDocument, JsonApiResource } from '../../../nodes/Ponto/helpers/interfaces';
import { sampleJson } from '../../support/fixtures';

const sample = (name: string): JsonApiDocument => sampleJson<JsonApiDocument>(name);

describe('flattenResource', () => {
	test('a transaction from the SDK fixture: id, attributes at top level, accountId; amounts untouched', () => {
		const [transaction] = sample('transactions-list.json').data as JsonApiResource[];
		const flat = flattenResource(transaction);
		expect(flat).toEqual({
			id: transaction.id,
			...transaction.attributes,
			accountId: '8804e34f-12b0-4b70-86bf-265f013ca232',
		});
		expect(flat.amount).toBe(2.76);
		expect(flat.fee).toBe(3.14);
	});

	test('relationships without data (links only) add nothing; redirect links become redirectUrl', () => {
		const flat = flattenResource({
			type: 'x',
			id: '1',
			attributes: { a: 1 },
			relationships: { transactions: { links: { related: 'https://example.test' } } },
			links: { redirect: 'https://authorize.myponto.com/x' },
		});
		expect(flat).toEqual({ id: '1', a: 1, redirectUrl: 'https://authorize.myponto.com/x' });
	});
});

describe('flattenAccount', () => {
	test('the account fixture gets freshness meta and consent days left', () => {
		const account = sample('account-get.json').data as JsonApiResource;
		const flat = flattenAccount(account, new Date('2020-10-01T12:01:44.166Z'));
		expect(flat).toMatchObject({
			id: '8804e34f-12b0-4b70-86bf-265f013ca232',
			currentBalance: 6386.04,
			financialInstitutionId: '953934eb-229a-4fd2-8675-07794078cc7d',
			synchronizedAt: '2019-09-02T11:28:36.551Z',
			latestSynchronization: {
				id: '1b3e3011-d018-4785-bbba-9aa75ba14d45',
				status: 'success',
				subtype: 'accountDetails',
			},
			consentExpiresInDays: 12,
		});
	});
});

describe('daysUntil', () => {
	const now = new Date('2024-01-10T12:00:00Z');
	test('whole days left, negative once past, null when unknown', () => {
		expect(daysUntil('2024-01-20T12:00:00Z', now)).toBe(10);
		expect(daysUntil('2024-01-20T11:59:59Z', now)).toBe(9);
		expect(daysUntil('2024-01-09T12:00:00Z', now)).toBe(-1);
		expect(daysUntil(null, now)).toBeNull();
		expect(daysUntil('soon', now)).toBeNull();
	});
});
