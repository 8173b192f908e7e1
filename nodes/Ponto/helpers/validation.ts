import { parseDateInput } from './dates';
import type { DateBound } from './dates';

/** Ponto ids are UUIDs (every resource in the SDK fixtures and the API reference). */
export const UUID_PATTERN =
	'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);

export function isPontoId(value: unknown): value is string {
	return typeof value === 'string' && UUID.test(value);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+(%[\w.]+)?$/;

export function isIpAddress(value: string): boolean {
	if (IPV4.test(value)) return true;
	if (!IPV6.test(value) || !value.includes(':')) return false;
	const groups = value.split('%')[0].split('::');
	if (groups.length > 2) return false;
	const parts = groups.flatMap((group) => (group === '' ? [] : group.split(':')));
	const validParts = parts.every((part) => /^[0-9a-fA-F]{1,4}$/.test(part));
	return validParts && (groups.length === 2 ? parts.length < 8 : parts.length === 8);
}

/**
 * What a parameter really holds once expressions resolved: a description for messages
 * ("an object", "a number", "empty") so errors say what was wrong, not just that it was.
 */
export function describeValue(value: unknown): string {
	if (value === undefined || value === null) return 'empty';
	if (typeof value === 'string') return value.trim() === '' ? 'empty' : `"${value.slice(0, 60)}"`;
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `${typeof value} ${String(value)}`;
}

/** The most records a Limit may ask for: beyond it, Return All says what is meant. */
export const MAX_LIMIT = 1_000_000;

export function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Dates are refused outside these years: 0001 or 9999 is a typo or a placeholder, never a bank date. */
export const EARLIEST_YEAR = 1970;
export const LATEST_YEAR = 2100;
const DAY_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;

/** Whether YYYY-MM-DD names a day that exists (JavaScript reads 2024-02-30 as March 1st). */
export function isCalendarDay(text: string): boolean {
	const match = DAY_PREFIX.exec(text);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(2000, month - 1, day));
	date.setUTCFullYear(year);
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/**
 * An n8n dateTime value as an instant, or what is wrong with it, for "<Label>: <value> <problem>".
 * Besides what parseDateInput reads, the day must exist and lie within the years above.
 */
export function readDate(value: unknown, bound: DateBound): { at: number } | { problem: string } {
	const text = typeof value === 'string' ? value.trim() : undefined;
	const at =
		text !== undefined && DAY_PREFIX.test(text) && !isCalendarDay(text)
			? undefined
			: parseDateInput(value, bound);
	if (at === undefined) return { problem: 'is not a date' };
	const year = new Date(at).getUTCFullYear();
	if (year < EARLIEST_YEAR || year > LATEST_YEAR)
		return { problem: `is not a date from ${EARLIEST_YEAR} to ${LATEST_YEAR}` };
	return { at };
}
