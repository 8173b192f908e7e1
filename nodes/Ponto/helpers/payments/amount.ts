import type { Checked } from './iban';

/** The largest amount a SEPA credit transfer carries (EPC: 999 999 999.99 EUR). */
export const SEPA_MAX_AMOUNT_CENTS = 99_999_999_999;

export interface Amount {
	/** The amount as sent to Ponto (a JSON number with at most two decimals). */
	value: number;
	cents: number;
}

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/**
 * An amount in euros: a number or a text such as "12.50", greater than zero, at most two
 * decimals, and at most `maxPerPayment` (a limit the user sets: money leaves the account).
 * A computed amount such as 0.1 + 0.2 is refused rather than rounded: the user decides.
 */
export function checkAmount(input: unknown, maxPerPayment: number): Checked<Amount> {
	let text: string;
	if (typeof input === 'number') {
		if (!Number.isFinite(input)) return { ok: false, problem: 'is not an amount' };
		text = String(input);
	} else if (typeof input === 'string' && input.trim() !== '') text = input.trim();
	else return { ok: false, problem: 'is not an amount' };
	if (/^-/.test(text))
		return { ok: false, problem: 'is negative: a payment amount is greater than 0' };
	if (text.includes(',') && !text.includes('.'))
		return { ok: false, problem: 'is not an amount: write the decimals after a dot, e.g. 12.50' };
	const match = DECIMAL.exec(text);
	if (!match) {
		if (/^\d+\.\d{3,}$/.test(text))
			return { ok: false, problem: 'has more than two decimals: round it to cents first' };
		return { ok: false, problem: 'is not an amount such as 12.50' };
	}
	const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
	if (cents === 0) return { ok: false, problem: 'is zero: a payment amount is greater than 0' };
	if (cents > SEPA_MAX_AMOUNT_CENTS)
		return { ok: false, problem: 'is more than a SEPA transfer can carry (999999999.99)' };
	if (cents > Math.round(maxPerPayment * 100)) {
		return {
			ok: false,
			problem: `is more than the Maximum Amount per Payment (${maxPerPayment}) set in the node`,
		};
	}
	return { ok: true, value: { value: cents / 100, cents } };
}

/** The maximum per payment the user set: a positive amount. */
export function checkMaximum(input: unknown): Checked<number> {
	if (typeof input !== 'number' || !Number.isFinite(input) || input <= 0)
		return { ok: false, problem: 'is not an amount greater than 0' };
	if (input * 100 > SEPA_MAX_AMOUNT_CENTS)
		return { ok: false, problem: 'is more than a SEPA transfer can carry (999999999.99)' };
	return { ok: true, value: input };
}

/** How far ahead a requested execution date may lie: a later date is taken for a typo. */
export const MAX_DAYS_AHEAD = 366;

function dayNumber(day: string): number {
	return (
		Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) /
		86_400_000
	);
}

/** Today's date (YYYY-MM-DD) where the bank is: Ponto's banks are in Europe/Brussels time. */
export function todayInBrussels(nowMs: number): string {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone: 'Europe/Brussels',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	}).format(new Date(nowMs));
}

/**
 * A requested execution date as YYYY-MM-DD: a day that exists, not before `today`, at most
 * MAX_DAYS_AHEAD days after it. Accepts a date-time (n8n's date picker): its date part counts.
 */
export function checkExecutionDate(input: unknown, today: string): Checked<string> {
	let text: string | undefined;
	if (typeof input === 'string') text = input.trim();
	else if (input instanceof Date && !Number.isNaN(input.getTime())) text = input.toISOString();
	else if (
		input !== null &&
		typeof input === 'object' &&
		typeof (input as { toISODate?: unknown }).toISODate === 'function'
	) {
		text = String((input as { toISODate: () => string }).toISODate());
	}
	const day = text?.slice(0, 10);
	if (
		!day ||
		!/^\d{4}-\d{2}-\d{2}$/.test(day) ||
		(text!.length > 10 && !/^[T ]/.test(text!.slice(10)))
	) {
		return { ok: false, problem: 'is not a date (YYYY-MM-DD)' };
	}
	const date = new Date(`${day}T00:00:00Z`);
	if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day)
		return { ok: false, problem: 'is not a day that exists' };
	if (day < today) return { ok: false, problem: `is in the past (today is ${today})` };
	if (dayNumber(day) - dayNumber(today) > MAX_DAYS_AHEAD)
		return { ok: false, problem: `is more than a year ahead (today is ${today})` };
	return { ok: true, value: day };
}
