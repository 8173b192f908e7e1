import { ConcurrencyLimit, runInOrder } from '../../../nodes/Ponto/actions/concurrency';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('items in parallel', () => {
	test('never more than the limit at once; outcomes in input order', async () => {
		let active = 0;
		let peak = 0;
		const outcomes = await runInOrder(12, new ConcurrencyLimit(4), async (index) => {
			active++;
			peak = Math.max(peak, active);
			await tick(((index * 7) % 5) + 1);
			active--;
			return index * 10;
		});
		expect(peak).toBe(4);
		expect(outcomes).toEqual(Array.from({ length: 12 }, (_, index) => ({ value: index * 10 })));
	});

	test('a 429 halves the limit for the tasks started after it, down to one', async () => {
		const limit = new ConcurrencyLimit(8);
		const activeAtStart: number[] = [];
		let active = 0;
		await runInOrder(30, limit, async (index) => {
			active++;
			activeAtStart.push(active);
			if (index === 3 || index === 12 || index === 20) limit.lower();
			await tick(2);
			active--;
		});
		expect(limit.limit).toBe(1);
		expect(Math.max(...activeAtStart.slice(25))).toBe(1);
		limit.lower();
		expect(limit.limit).toBe(1);
	});

	test('a failure stops new items from starting, like a sequential run; running ones finish', async () => {
		const started: number[] = [];
		const outcomes = await runInOrder(10, new ConcurrencyLimit(3), async (index) => {
			started.push(index);
			await tick(index === 1 ? 1 : 5);
			if (index === 1) throw new Error('item 1 failed');
			return index;
		});
		expect(started.sort((a, b) => a - b)).toEqual([0, 1, 2]);
		expect(outcomes).toEqual([{ value: 0 }, { error: new Error('item 1 failed') }, { value: 2 }]);
		expect(await runInOrder(0, new ConcurrencyLimit(3), async () => 1)).toEqual([]);
	});
});
