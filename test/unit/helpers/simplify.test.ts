import { flattenAccount, flattenResource } from '../../../nodes/Ponto/helpers/flatten';
import type { JsonApiDocument, JsonApiResource } from '../../../nodes/Ponto/helpers/interfaces';
import {
	bankDay,
	pickFields,
	simplifyAccount,
	simplifyFinancialInstitution,
	simplifyTransaction,
} from '../../../nodes/Ponto/helpers/simplify';
import { sampleJson } from '../../support/fixtures';

const sample = (name: string): JsonApiDocument => sampleJson<JsonApiDocument>(name);

describe('Simplify', () => {
	test('a transaction of the SDK fixture keeps id, dates, amount, currency, counterpart and remittance', () => {
		const [transaction] = sample('transactions-list.json').data as JsonApiResource[];
		const flat = flattenResource(transaction);
		const simple = simplifyTransaction(flat);
		const attributes = transaction.attributes as Record<string, unknown>;
		expect(simple.id).toBe(transaction.id);
		expect(simple.amount).toBe(attributes.amount);
		expect(simple.currency).toBe(attributes.currency);
		expect(simple.counterpartName).toBe(attributes.counterpartName);
		expect(simple.remittanceInformation).toBe(attributes.remittanceInformation);
		expect(Object.keys(simple)).not.toContain('digest');
		expect(Object.keys(simple)).not.toContain('accountId');
		expect(JSON.stringify(simple).length).toBeLessThan(JSON.stringify(flat).length / 2);
	});

	test('bank dates at UTC midnight become ISO dates; other times stay as sent', () => {
		expect(bankDay('2026-01-31T00:00:00.000Z')).toBe('2026-01-31');
		expect(bankDay('2026-01-31T00:00:00Z')).toBe('2026-01-31');
		expect(bankDay('2026-01-31T10:15:00.000Z')).toBe('2026-01-31T10:15:00.000Z');
		expect(bankDay(null)).toBeNull();
		expect(
			simplifyTransaction({
				id: 'x',
				executionDate: '2020-06-19T00:00:00.000Z',
				valueDate: '2020-06-20T08:00:00.000Z',
			}),
		).toEqual({
			id: 'x',
			executionDate: '2020-06-19',
			valueDate: '2020-06-20T08:00:00.000Z',
		});
	});

	test('fields without a value are left out; zero and false are values; order is the field list', () => {
		expect(
			pickFields({ b: 0, a: null, c: '', d: false, e: 'x' }, ['e', 'd', 'c', 'b', 'a']),
		).toEqual({ e: 'x', d: false, b: 0 });
		expect(Object.keys(pickFields({ b: 1, a: 2 }, ['a', 'b']))).toEqual(['a', 'b']);
		expect(simplifyTransaction({ id: 'x', amount: -0.01, counterpartName: null })).toEqual({
			id: 'x',
			amount: -0.01,
		});
	});

	test('an account: identity, balances, bank and freshness, without the latest synchronization object', () => {
		const account = sample('account-get.json').data as JsonApiResource;
		const simple = simplifyAccount(flattenAccount(account, new Date('2020-10-01T12:01:44.166Z')));
		expect(simple).toMatchObject({
			id: '8804e34f-12b0-4b70-86bf-265f013ca232',
			currentBalance: 6386.04,
			financialInstitutionId: '953934eb-229a-4fd2-8675-07794078cc7d',
			synchronizedAt: '2019-09-02T11:28:36.551Z',
			consentExpiresInDays: 12,
		});
		expect(simple).not.toHaveProperty('latestSynchronization');
	});

	test('a financial institution: id, name, country, bic, status', () => {
		const [institution] = sample('financial-institutions-list.json').data as JsonApiResource[];
		const simple = simplifyFinancialInstitution(flattenResource(institution));
		expect(
			Object.keys(simple).every((key) => ['id', 'name', 'country', 'bic', 'status'].includes(key)),
		).toBe(true);
		expect(simple.id).toBe(institution.id);
		expect(simple.name).toBe((institution.attributes as Record<string, unknown>).name);
	});
});
