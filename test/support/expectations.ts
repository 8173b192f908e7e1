import type { TransactionResource } from '../emulator';

/**
 * Expected results computed straight from the emulator's data, independently of the node's
 * code, so tests compare the node against the data and not against itself.
 */
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

/**
 * List requests a since-window on execution dates may cost: the pages holding the window plus
 * the first page whose rows were all created (hence booked) before `since`.
 */
export function windowPages(list: TransactionResource[], since: number, pageSize = 100): number {
	for (let page = 0; page * pageSize < list.length; page++) {
		const rows = list.slice(page * pageSize, (page + 1) * pageSize);
		if (rows.every((transaction) => Date.parse(transaction.attributes.createdAt) < since))
			return page + 1;
	}
	return Math.max(1, Math.ceil(list.length / pageSize));
}
