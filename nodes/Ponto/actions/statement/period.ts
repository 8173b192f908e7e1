import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { JsonApiResource } from '../../helpers/interfaces';
import { describeValue } from '../../helpers/validation';
import { DEFAULT_TIME_ZONE, dayIn, isDay, isValidTimeZone, offsetMinutes, presetPeriod, startOfDay } from '../../statement/period';
import type { PeriodPreset } from '../../statement/period';

/** The calendar day an n8n dateTime value names: its date part, whatever zone it carries. */
function dayOf(value: unknown): string | undefined {
	const text =
		typeof value === 'string'
			? value
			: value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function'
				? String((value as { toISO: () => string }).toISO())
				: value instanceof Date
					? value.toISOString()
					: '';
	const day = text.trim().slice(0, 10);
	return isDay(day) ? day : undefined;
}

/** The statement's days and the instant its first day starts, checked before any request. */
export function readStatementPeriod(this: IExecuteFunctions, itemIndex: number, zone: string): { from: string; to: string; since: number } {
	const preset = this.getNodeParameter('period', itemIndex, 'lastMonth') as PeriodPreset;
	const today = dayIn(Date.now(), zone);
	let from: string;
	let to: string;
	if (preset === 'custom') {
		const fromValue = this.getNodeParameter('from', itemIndex, '') as unknown;
		const toValue = this.getNodeParameter('to', itemIndex, '') as unknown;
		const fromDay = dayOf(fromValue);
		const toDay = dayOf(toValue);
		if (!fromDay) throw new NodeOperationError(this.getNode(), `From: ${describeValue(fromValue)} is not a date`, { itemIndex, description: 'Use a date such as 2024-01-01.' });
		if (!toDay) throw new NodeOperationError(this.getNode(), `To: ${describeValue(toValue)} is not a date`, { itemIndex, description: 'Use a date such as 2024-01-31.' });
		from = fromDay;
		to = toDay;
	} else if (['yesterday', 'lastWeek', 'lastMonth', 'monthToDate'].includes(preset)) {
		({ from, to } = presetPeriod(preset, Date.now(), zone));
	} else {
		throw new NodeOperationError(this.getNode(), `Period: ${describeValue(preset)} is not a period`, { itemIndex });
	}
	if (from > to) {
		throw new NodeOperationError(this.getNode(), `The period is inverted: From ${from} is after To ${to}`, { itemIndex, description: 'Swap the two dates.' });
	}
	if (from > today) {
		throw new NodeOperationError(this.getNode(), `The period is in the future: it starts ${from}, today is ${today} (${zone})`, {
			itemIndex,
			description: 'A statement covers days that have begun. Choose an earlier period.',
		});
	}
	return { from, to, since: startOfDay(from, zone) };
}

/**
 * The zone that decides a bank day: the one given, else the bank's (Ponto's `timeZone`), else
 * Europe/Brussels. A zone west of UTC would move midnight-UTC bank days to the day before.
 */
export function statementZone(this: IExecuteFunctions, itemIndex: number, given: string, institution?: JsonApiResource): string {
	const bankZone = institution?.attributes?.timeZone;
	const zone = given || (typeof bankZone === 'string' && isValidTimeZone(bankZone) ? bankZone : DEFAULT_TIME_ZONE);
	if (offsetMinutes(Date.now(), zone) < 0) {
		throw new NodeOperationError(this.getNode(), `Time Zone: ${zone} is west of UTC`, {
			itemIndex,
			description: "Ponto dates bank days at midnight UTC; a zone west of UTC would put every line on the day before. Use the bank's zone (e.g. Europe/Brussels).",
		});
	}
	return zone;
}
