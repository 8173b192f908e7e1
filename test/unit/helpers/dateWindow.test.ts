import type { JsonApiResource } from '../../../nodes/Ponto/helpers/interfaces';
import { isInWindow, isPageBeyondWindow } from '../../../nodes/Ponto/helpers/dateWindow';

const DAY = 86_400_000;
const tx = (
	executionDate: string,
	valueDate = executionDate,
	createdAt?: string,
): JsonApiResource => ({
	type: 'transaction',
	id: `${executionDate}-${valueDate}`,
	attributes: { executionDate, valueDate, ...(createdAt ? { createdAt } : {}) },
});
const at = (iso: string) => Date.parse(iso);

describe('isInWindow', () => {
	const window = {
		field: 'executionDate' as const,
		since: at('2024-01-01T00:00:00Z'),
		until: at('2024-01-31T00:00:00Z'),
		marginMs: 7 * DAY,
	};

	test('both ends are inclusive instants', () => {
		expect(isInWindow(tx('2024-01-01T00:00:00.000Z'), window)).toBe(true);
		expect(isInWindow(tx('2024-01-31T00:00:00.000Z'), window)).toBe(true);
		expect(isInWindow(tx('2023-12-31T23:59:59.999Z'), window)).toBe(false);
		expect(isInWindow(tx('2024-01-31T00:00:00.001Z'), window)).toBe(false);
	});

	test('uses the chosen date field', () => {
		const late = tx('2023-12-30T00:00:00.000Z', '2024-01-02T00:00:00.000Z');
		expect(isInWindow(late, window)).toBe(false);
		expect(isInWindow(late, { ...window, field: 'valueDate' })).toBe(true);
	});

	test('a transaction without the date is outside any bounded window', () => {
		expect(isInWindow({ type: 'transaction', id: 'x', attributes: {} }, window)).toBe(false);
	});
});

describe('isPageBeyondWindow (the stop rule)', () => {
	const window = {
		field: 'executionDate' as const,
		since: at('2024-01-15T00:00:00Z'),
		marginMs: 7 * DAY,
	};

	test('without createdAt: stops only when every row is older than since minus the margin', () => {
		expect(
			isPageBeyondWindow([tx('2024-01-07T00:00:00Z'), tx('2024-01-01T00:00:00Z')], window),
		).toBe(true);
		expect(
			isPageBeyondWindow([tx('2024-01-08T00:00:00Z'), tx('2024-01-01T00:00:00Z')], window),
		).toBe(false);
	});

	test('with createdAt: no margin needed once every row was created before since', () => {
		expect(
			isPageBeyondWindow(
				[tx('2024-01-13T00:00:00Z', '2024-01-13T00:00:00Z', '2024-01-14T09:00:00Z')],
				window,
			),
		).toBe(true);
		expect(
			isPageBeyondWindow(
				[tx('2024-01-13T00:00:00Z', '2024-01-13T00:00:00Z', '2024-01-15T09:00:00Z')],
				window,
			),
		).toBe(false);
		expect(
			isPageBeyondWindow(
				[tx('2024-01-13T00:00:00Z', '2024-01-16T00:00:00Z', '2024-01-14T09:00:00Z')],
				{ ...window, field: 'valueDate' },
			),
		).toBe(false);
	});

	test('one recent row anywhere on the page keeps paging (listing is by creation, not date)', () => {
		expect(
			isPageBeyondWindow(
				[tx('2023-06-01T00:00:00Z'), tx('2024-01-20T00:00:00Z'), tx('2023-05-01T00:00:00Z')],
				window,
			),
		).toBe(false);
	});

	test('a late value date (value-date window) or a late creation keeps paging', () => {
		expect(
			isPageBeyondWindow([tx('2023-12-01T00:00:00Z', '2024-01-16T00:00:00Z')], {
				...window,
				field: 'valueDate',
			}),
		).toBe(false);
		expect(
			isPageBeyondWindow(
				[tx('2023-12-01T00:00:00Z', '2023-12-01T00:00:00Z', '2024-01-15T00:00:00Z')],
				window,
			),
		).toBe(false);
	});

	test('never stops without since, on an empty page, or on rows without dates', () => {
		expect(
			isPageBeyondWindow([tx('2000-01-01T00:00:00Z')], {
				field: 'executionDate',
				until: at('2024-01-01T00:00:00Z'),
				marginMs: 0,
			}),
		).toBe(false);
		expect(isPageBeyondWindow([], window)).toBe(false);
		expect(isPageBeyondWindow([{ type: 'transaction', id: 'x', attributes: {} }], window)).toBe(
			false,
		);
	});
});
