// Calendar days in a bank's time zone, and the statement periods users ask for. Pure: plain
// 'YYYY-MM-DD' strings and Intl, no n8n imports.
//
// Ponto dates are instants, usually midnight UTC for a bank day (docs/ponto-api.md §8.3). A
// European bank day is read in the bank's zone; a zone west of UTC would move midnight-UTC
// bookings to the previous day, so it is refused.
export type PeriodPreset = 'yesterday' | 'lastWeek' | 'lastMonth' | 'monthToDate' | 'custom';

export const DEFAULT_TIME_ZONE = 'Europe/Brussels';
const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a zone. */
export function dayIn(instant: number, zone: string): string {
	let formatter = formatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-CA', {
			timeZone: zone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		});
		formatters.set(zone, formatter);
	}
	return formatter.format(instant);
}

/** UTC offset of a zone at an instant, in minutes (east positive). */
export function offsetMinutes(instant: number, zone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
	}).formatToParts(instant);
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
	return Math.round((local - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

export function isDay(text: string): boolean {
	const match = DAY.exec(text);
	if (!match) return false;
	const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return date.toISOString().slice(0, 10) === text;
}

export function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant a local day starts in a zone. */
export function startOfDay(day: string, zone: string): number {
	const utcMidnight = Date.parse(`${day}T00:00:00Z`);
	return utcMidnight - offsetMinutes(utcMidnight, zone) * 60_000;
}

/** Day of the year, 1-366: a statement's sequence number within its year. */
export function dayOfYear(day: string): number {
	return (
		Math.round(
			(Date.parse(`${day}T00:00:00Z`) - Date.parse(`${day.slice(0, 4)}-01-01T00:00:00Z`)) / DAY_MS,
		) + 1
	);
}

/** From/to (inclusive) of a preset, relative to today in the zone. */
export function presetPeriod(
	preset: Exclude<PeriodPreset, 'custom'>,
	now: number,
	zone: string,
): { from: string; to: string } {
	const today = dayIn(now, zone);
	switch (preset) {
		case 'yesterday': {
			const day = addDays(today, -1);
			return { from: day, to: day };
		}
		case 'lastWeek': {
			// ISO weeks: Monday to Sunday; the last complete one.
			const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
			const monday = addDays(today, -weekday - 7);
			return { from: monday, to: addDays(monday, 6) };
		}
		case 'lastMonth': {
			const firstOfThisMonth = `${today.slice(0, 7)}-01`;
			const to = addDays(firstOfThisMonth, -1);
			return { from: `${to.slice(0, 7)}-01`, to };
		}
		case 'monthToDate':
			return { from: `${today.slice(0, 7)}-01`, to: today };
	}
}
