import type { IDataObject } from 'n8n-workflow';

import type { JsonApiResource, TransactionDateField } from './interfaces';

/**
 * A since/until window on one transaction date field, both ends inclusive, as epoch ms.
 *
 * Ponto has no date filter and lists transactions newest first by creation, which is only
 * approximately by execution date (research/ponto-api.md §5.2, §8.2; OCA lost rows by stopping
 * on dates). Paging therefore stops only at the first page whose every transaction is older
 * than `since - marginMs` on all of its dates, never at the first old row.
 */
export interface DateWindow {
	field: TransactionDateField;
	since?: number;
	until?: number;
	marginMs: number;
}

function dateOf(attributes: IDataObject | undefined, field: string): number | undefined {
	const value = attributes?.[field];
	if (typeof value !== 'string') return undefined;
	const at = Date.parse(value);
	return Number.isNaN(at) ? undefined : at;
}

export function isInWindow(resource: JsonApiResource, window: DateWindow): boolean {
	const at = dateOf(resource.attributes, window.field);
	if (at === undefined) return window.since === undefined && window.until === undefined;
	if (window.since !== undefined && at < window.since) return false;
	if (window.until !== undefined && at > window.until) return false;
	return true;
}

/** The latest of a transaction's dates: a back-dated booking can still be inside the window. */
function latestDate(resource: JsonApiResource): number | undefined {
	const dates = ['executionDate', 'valueDate', 'createdAt']
		.map((field) => dateOf(resource.attributes, field))
		.filter((at): at is number => at !== undefined);
	return dates.length ? Math.max(...dates) : undefined;
}

/** True when no later page can hold a transaction inside the window. */
export function isPageBeyondWindow(page: JsonApiResource[], window: DateWindow): boolean {
	if (window.since === undefined || page.length === 0) return false;
	const horizon = window.since - window.marginMs;
	return page.every((resource) => {
		const latest = latestDate(resource);
		return latest !== undefined && latest < horizon;
	});
}
