import type { TransactionResource } from '../emulator';

/**
 * Expected results computed straight from the emulator's data, independently of the node's
 * code, so tests compare the node against the data and not against itself.
 */
const DAY_MS = 86_400_000;

export function idsInWindow(
	list: TransactionResource[],
	field: 'executionDate' | 'valueDate',
	since: number,
	until: number,
): string[] {
	return list
		.filter((transaction) => {
			const at = Date.parse(transaction.attributes[field]);
			return at >= since && at <= until;
		})
		.map((transaction) => transaction.id);
}

/** List requests a since-window may cost: pages up to the first one wholly older than since - margin. */
export function windowPages(list: TransactionResource[], since: number, marginDays = 7, pageSize = 100): number {
	const horizon = since - marginDays * DAY_MS;
	for (let page = 0; page * pageSize < list.length; page++) {
		const rows = list.slice(page * pageSize, (page + 1) * pageSize);
		const older = rows.every((transaction) => {
			const { executionDate, valueDate, createdAt } = transaction.attributes;
			return Math.max(Date.parse(executionDate), Date.parse(valueDate), Date.parse(createdAt)) < horizon;
		});
		if (older) return page + 1;
	}
	return Math.max(1, Math.ceil(list.length / pageSize));
}
