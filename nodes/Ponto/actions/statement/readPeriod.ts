import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { JsonApiResource } from '../../helpers/interfaces';
import { describeValue, EARLIEST_YEAR, LATEST_YEAR } from '../../helpers/validation';
import {
	DEFAULT_TIME_ZONE,
	dayIn,
	isDay,
	isValidTimeZone,
	offsetMinutes,
	presetPeriod,
	startOfDay,
} from '../../statement/calendar';
import type { PeriodPreset } from '../../statement/calendar';

/** The calendar day an n8n dateTime value names: its date part, whatever zone it carries. */
function dayOf(value: unknown): string | undefined {
	const text =
		typeof value === 'string'
			? value
			: value &&
				  typeof value === 'object' &&
				  typeof (value as { toISO?: unknown }).toISO === 'function'
				? String((value as { toISO: () => string }).toISO())
				: value instanceof Date
					? value.toISOString()
					: '';
	const day = text.trim().slice(0, 10);
	return isDay(day) ? day : undefined;
}

/** The day of a From/To value, refused when it is no date or an absurd one (year 0001, 9999). */
function periodDay(
	this: IExecuteFunctions,
	name: 'from' | 'to',
	label: string,
	itemIndex: number,
): string {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	const day = dayOf(value);
	const year = Number(day?.slice(0, 4));
	if (day && year >= EARLIEST_YEAR && year <= LATEST_YEAR) return day;
	const problem = day ? `is not a date from ${EARLIEST_YEAR} to ${LATEST_YEAR}` : 'is not a date';
	throw new NodeOperationError(this.getNode(), `${label}: ${describeValue(value)} ${problem}`, {
		itemIndex,
		description: `Use a date such as 2024-01-${name === 'from' ? '01' : '31'}.`,
	});
}

/** The statement's days and the instant its first day starts, checked before any request. */
export function readStatementPeriod(
	this: IExecuteFunctions,
	itemIndex: number,
	zone: string,
): { from: string; to: string; since: number } {
	const preset = this.getNodeParameter('period', itemIndex, 'lastMonth') as PeriodPreset;
	const today = dayIn(Date.now(), zone);
	let from: string;
	let to: string;
	if (preset === 'custom') {
		from = periodDay.call(this, 'from', 'From', itemIndex);
		to = periodDay.call(this, 'to', 'To', itemIndex);
	} else if (['yesterday', 'lastWeek', 'lastMonth', 'monthToDate'].includes(preset)) {
		({ from, to } = presetPeriod(preset, Date.now(), zone));
	} else {
		throw new NodeOperationError(
			this.getNode(),
			`Period: ${describeValue(preset)} is not a period`,
			{
				itemIndex,
				description: 'Choose Custom Period, Last Month, Last Week, Month to Date or Yesterday.',
			},
		);
	}
	if (from > to) {
		throw new NodeOperationError(
			this.getNode(),
			`The period is inverted: From ${from} is after To ${to}`,
			{ itemIndex, description: 'Swap the two dates.' },
		);
	}
	if (from > today) {
		throw new NodeOperationError(
			this.getNode(),
			`The period is in the future: it starts ${from}, today is ${today} (${zone})`,
			{
				itemIndex,
				description: 'A statement covers days that have begun. Choose an earlier period.',
			},
		);
	}
	return { from, to, since: startOfDay(from, zone) };
}

/**
 * The zone that decides a bank day: the one given, else the bank's (Ponto's `timeZone`), else
 * Europe/Brussels. A zone west of UTC would move midnight-UTC bank days to the day before.
 */
export function statementZone(
	this: IExecuteFunctions,
	itemIndex: number,
	given: string,
	institution?: JsonApiResource,
): string {
	const bankZone = institution?.attributes?.timeZone;
	const zone =
		given ||
		(typeof bankZone === 'string' && isValidTimeZone(bankZone) ? bankZone : DEFAULT_TIME_ZONE);
	if (offsetMinutes(Date.now(), zone) < 0) {
		throw new NodeOperationError(this.getNode(), `Time Zone: ${zone} is west of UTC`, {
			itemIndex,
			description:
				"Ponto dates bank days at midnight UTC; a zone west of UTC would put every line on the day before. Use the bank's zone (e.g. Europe/Brussels).",
		});
	}
	return zone;
}
