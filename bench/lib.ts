import { getHeapStatistics } from 'node:v8';

/** One row of the benchmark table: what was measured, the target, whether it is met. */
export interface BenchRow {
	section: string;
	name: string;
	value: string;
	target: string;
	met: boolean | null;
	figures: Record<string, number | string>;
}

export const rows: BenchRow[] = [];

export function record(row: BenchRow): void {
	rows.push(row);
	const verdict = row.met === null ? 'info' : row.met ? 'MET' : 'NOT MET';
	process.stdout.write(`  ${row.name}: ${row.value}  [target: ${row.target}] ${verdict}\n`);
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Forces a full collection when the process runs with --expose-gc. */
export function collect(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

/** Peak used heap while `work` runs, sampled every few milliseconds, relative to the start. */
export async function peakHeapDuring<T>(work: () => Promise<T>): Promise<{ result: T; peakBytes: number; retainedBytes: number }> {
	collect();
	const base = getHeapStatistics().used_heap_size;
	let peak = base;
	const timer = setInterval(() => {
		peak = Math.max(peak, getHeapStatistics().used_heap_size);
	}, 2);
	try {
		const result = await work();
		peak = Math.max(peak, getHeapStatistics().used_heap_size);
		collect();
		const retained = getHeapStatistics().used_heap_size - base;
		return { result, peakBytes: peak - base, retainedBytes: retained };
	} finally {
		clearInterval(timer);
	}
}

export function printTable(): void {
	const widths = [38, 34, 34, 8];
	const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index])).join(' | ');
	process.stdout.write(`\n${line(['measure', 'value', 'target', 'status'])}\n${widths.map((width) => '-'.repeat(width)).join('-+-')}\n`);
	let section = '';
	for (const row of rows) {
		if (row.section !== section) {
			section = row.section;
			process.stdout.write(`${section}\n`);
		}
		process.stdout.write(`${line([`  ${row.name}`, row.value, row.target, row.met === null ? 'info' : row.met ? 'MET' : 'NOT MET'])}\n`);
	}
}
