import { chunk, partReference } from '../../../../nodes/Ponto/actions/bulkPayment/create.operation';
import { MAX_BULK_REFERENCE } from '../../../../nodes/Ponto/helpers/payments';

describe('splitting a bulk payment over the bank limit', () => {
	test('groups of at most the limit, in input order, none empty', () => {
		const items = Array.from({ length: 7 }, (_, i) => i);
		expect(chunk(items, 3)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
		expect(chunk(items, 7)).toEqual([items]);
		expect(chunk(items, 100)).toEqual([items]);
		expect(chunk([1, 2], 1)).toEqual([[1], [2]]);
	});

	test('references: unchanged when whole, numbered parts otherwise, shortened to fit', () => {
		expect(partReference('Supplier bills', 1, 1)).toBe('Supplier bills');
		expect(partReference('Supplier bills', 2, 3)).toBe('Supplier bills 2/3');
		const long = 'R'.repeat(MAX_BULK_REFERENCE);
		const part = partReference(long, 10, 12);
		expect(part).toHaveLength(MAX_BULK_REFERENCE);
		expect(part.endsWith(' 10/12')).toBe(true);
		expect(partReference('Bills of March and April', 1, 2)).toBe('Bills of March and April 1/2');
		expect(partReference('Bills of the third quarter of 2026', 1, 2)).toBe(
			'Bills of the third quarter of 1/2',
		);
	});
});
