import type { IDataObject } from 'n8n-workflow';

import type { JsonApiResource, TransactionDateField } from './interfaces';

/**
 * A since/until window on one transaction date field, both ends inclusive, as epoch ms.
 *
 * Ponto has no date filter and lists transactions newest first by creation, which is only
 * approximately by execution date (docs/ponto-api.md §5.2, §8.2; OCA lost rows by stopping
 * on dates). Paging therefore stops only at the first page whose every transaction is provably
 * older than the window (see isOlderThanWindow), never at the first old row.
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

/**
 * Whether no transaction listed after this one can fall in the window.
 *
 * With `createdAt` (the API reference and .NET model have it) no margin is needed on the
 * execution date: a booking reaches Ponto after it was booked (createdAt >= executionDate), and
 * the list runs by creation, so once createdAt is before `since` every later row's execution
 * date is too; if the list ran by execution date instead, the same test still holds. Value
 * dates can lead creation, so a value-date window keeps the margin; so does a page without
 * createdAt (the SDK fixtures lack it). [infer: createdAt >= executionDate for booked rows]
 */
function isOlderThanWindow(resource: JsonApiResource, window: DateWindow, since: number): boolean {
	const created = dateOf(resource.attributes, 'createdAt');
	const executed = dateOf(resource.attributes, 'executionDate');
	const executionOlder =
		created !== undefined && executed !== undefined
			? Math.max(created, executed) < since
			: executed !== undefined &&
				Math.max(executed, dateOf(resource.attributes, 'valueDate') ?? executed) <
					since - window.marginMs;
	if (!executionOlder) return false;
	if (window.field !== 'valueDate') return true;
	const valued = dateOf(resource.attributes, 'valueDate');
	return valued !== undefined && valued < since - window.marginMs;
}

/** True when no later page can hold a transaction inside the window. */
export function isPageBeyondWindow(page: JsonApiResource[], window: DateWindow): boolean {
	const since = window.since;
	if (since === undefined || page.length === 0) return false;
	return page.every((resource) => isOlderThanWindow(resource, window, since));
}
