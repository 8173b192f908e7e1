import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { DateWindow } from '../../helpers/dateWindow';
import { describeValue } from '../../helpers/validation';
import { checkDate, invalidParameter } from '../parameters';

const DAY_MS = 86_400_000;
export const DEFAULT_MARGIN_DAYS = 7;

/** Reads and checks the since/until filters and the safety margin into a DateWindow. */
export function readDateWindow(
	this: IExecuteFunctions,
	filters: IDataObject,
	options: IDataObject,
	itemIndex: number,
): DateWindow | undefined {
	const bound = (key: 'since' | 'until', label: string): number | undefined => {
		const value = filters[key];
		if (value === undefined || value === '' || value === null) return undefined;
		return checkDate.call(this, value, label, key === 'since' ? 'start' : 'end', itemIndex);
	};
	const since = bound('since', 'Since');
	const until = bound('until', 'Until');
	if (since !== undefined && until !== undefined && since > until) {
		throw invalidParameter(
			this,
			itemIndex,
			'Since is after Until',
			`The window starts ${new Date(since).toISOString()} and ends ${new Date(until).toISOString()}. Swap the two dates.`,
		);
	}

	const field = filters.dateField ?? 'executionDate';
	if (field !== 'executionDate' && field !== 'valueDate') {
		throw invalidParameter(
			this,
			itemIndex,
			`Date Field: ${describeValue(field)} is not executionDate or valueDate`,
			'Choose Execution Date or Value Date.',
		);
	}
	const margin = options.safetyMarginDays ?? DEFAULT_MARGIN_DAYS;
	if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0 || margin > 366) {
		throw invalidParameter(
			this,
			itemIndex,
			`Safety Margin (Days): ${describeValue(margin)} is not between 0 and 366`,
			`Keep the default of ${DEFAULT_MARGIN_DAYS} days unless your bank books very late.`,
		);
	}
	if (since === undefined && until === undefined) return undefined;
	return { field, since, until, marginMs: margin * DAY_MS };
}
