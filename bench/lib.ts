import { getHeapStatistics } from 'node:v8';

/** One row of the benchmark table: what was measured, the target, whether it is met. */
export interface BenchRow {
	section: string;
	name: string;
	value: string;
	target: string;
	/**
	 * true: met; false: not met; 'spread': the ratio's interquartile range straddles the target,
	 * so the run cannot tell (said so, neither met nor failed); null: no target (reported).
	 */
	met: boolean | 'spread' | null;
	figures: Record<string, number | string>;
}

const status = (met: BenchRow['met']) =>
	met === null ? 'info' : met === 'spread' ? 'WITHIN SPREAD' : met ? 'MET' : 'NOT MET';

export const rows: BenchRow[] = [];

export function record(row: BenchRow): void {
	rows.push(row);
	process.stdout.write(`  ${row.name}: ${row.value}  [target: ${row.target}] ${status(row.met)}\n`);
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const ms = (value: number) => `${value.toFixed(0)} ms`;

/** A quantile (0..1) of the values, linear between the two nearest ranks. */
export function quantile(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const position = (sorted.length - 1) * q;
	const low = Math.floor(position);
	const high = Math.ceil(position);
	return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/**
 * Ratios of runs made in the same rounds (a / b per round, the runs of a round interleaved):
 * the median, and the spread as the interquartile range, printed as "2.41x (2.30-2.55)".
 * Load on a shared machine slows both runs of a round alike, so the paired ratio moves far
 * less than either time.
 */
export function pairedRatio(
	a: number[],
	b: number[],
): { median: number; low: number; high: number; text: string } {
	const ratios = a.map((value, index) => value / b[index]);
	const result = {
		median: median(ratios),
		low: quantile(ratios, 0.25),
		high: quantile(ratios, 0.75),
	};
	return {
		...result,
		text: `${result.median.toFixed(2)}x (IQR ${result.low.toFixed(2)}-${result.high.toFixed(2)})`,
	};
}

/**
 * A paired ratio against an upper bound: met when its whole interquartile range is at or below
 * the bound, not met when the whole range is above it, and 'spread' when the range straddles
 * it: a verdict that two runs on a noisy machine give alike, instead of a median that falls on
 * either side of the bound by chance.
 */
export function ratioVerdict(
	ratio: { low: number; high: number },
	bound: number,
): boolean | 'spread' {
	if (ratio.high <= bound) return true;
	if (ratio.low > bound) return false;
	return 'spread';
}

/** Forces a full collection when the process runs with --expose-gc. */
export function collect(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

/** Used heap, plus (with `external`) the memory of Buffers and other objects outside it. */
function used(external: boolean): number {
	return getHeapStatistics().used_heap_size + (external ? process.memoryUsage().external : 0);
}

/**
 * Peak used heap while `work` runs, sampled every few milliseconds, relative to the start.
 * With `external`, Buffer memory counts too (a file written into a Buffer is outside the heap).
 * Work that never yields is sampled only at its end: pass `sample` to let it report its peak.
 */
export async function peakHeapDuring<T>(
	work: (sample: () => void) => Promise<T>,
	external = false,
): Promise<{ result: T; peakBytes: number; retainedBytes: number }> {
	collect();
	const base = used(external);
	let peak = base;
	const sample = () => {
		peak = Math.max(peak, used(external));
	};
	const timer = setInterval(sample, 2);
	try {
		const result = await work(sample);
		sample();
		collect();
		const retained = used(external) - base;
		return { result, peakBytes: peak - base, retainedBytes: retained };
	} finally {
		clearInterval(timer);
	}
}

export function printTable(): void {
	const widths = [38, 34, 34, 13];
	const line = (cells: string[]) =>
		cells.map((cell, index) => cell.padEnd(widths[index])).join(' | ');
	process.stdout.write(
		`\n${line(['measure', 'value', 'target', 'status'])}\n${widths.map((width) => '-'.repeat(width)).join('-+-')}\n`,
	);
	let section = '';
	for (const row of rows) {
		if (row.section !== section) {
			section = row.section;
			process.stdout.write(`${section}\n`);
		}
		process.stdout.write(`${line([`  ${row.name}`, row.value, row.target, status(row.met)])}\n`);
	}
}
