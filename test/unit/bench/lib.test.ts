import { pairedRatio, ratioVerdict } from '../../../bench/lib';

describe('bench verdicts of paired ratios', () => {
	test('the ratio of interleaved runs is the median of the per-round ratios, with its IQR', () => {
		const ratio = pairedRatio([10, 20, 30, 40], [10, 10, 10, 10]);
		expect(ratio.median).toBe(2.5);
		expect([ratio.low, ratio.high]).toEqual([1.75, 3.25]);
		expect(ratio.text).toBe('2.50x (IQR 1.75-3.25)');
	});

	test('met only when the whole spread is within the bound, not met when all of it is beyond', () => {
		expect(ratioVerdict({ low: 0.7, high: 0.95 }, 1)).toBe(true);
		expect(ratioVerdict({ low: 1.02, high: 1.3 }, 1)).toBe(false);
		expect(ratioVerdict({ low: 0.93, high: 1.36 }, 1)).toBe('spread');
		expect(ratioVerdict({ low: 0.9, high: 1 }, 1)).toBe(true);
	});
});
