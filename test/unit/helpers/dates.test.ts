import { parseDateInput } from '../../../nodes/Ponto/helpers/dates';

describe('parseDateInput', () => {
	test('explicit zones are exact instants', () => {
		expect(parseDateInput('2024-01-31T10:00:00+01:00', 'start')).toBe(
			Date.parse('2024-01-31T09:00:00Z'),
		);
		expect(parseDateInput('2024-01-31T10:00:00.000Z', 'end')).toBe(
			Date.parse('2024-01-31T10:00:00Z'),
		);
	});

	test('the editor picker value (no zone) is read as UTC, the zone of Ponto dates', () => {
		expect(parseDateInput('2024-01-31T00:00:00', 'end')).toBe(Date.parse('2024-01-31T00:00:00Z'));
		expect(parseDateInput('2024-01-31 08:30', 'start')).toBe(Date.parse('2024-01-31T08:30:00Z'));
	});

	test('a bare date is the start of that day, or its end as an upper bound', () => {
		expect(parseDateInput('2024-01-31', 'start')).toBe(Date.parse('2024-01-31T00:00:00Z'));
		expect(parseDateInput('2024-01-31', 'end')).toBe(Date.parse('2024-02-01T00:00:00Z') - 1);
	});

	test('luxon DateTimes and JS Dates from expressions', () => {
		const luxonLike = { toISO: () => '2024-03-01T00:00:00.000+01:00' };
		expect(parseDateInput(luxonLike, 'start')).toBe(Date.parse('2024-02-29T23:00:00Z'));
		expect(parseDateInput(new Date('2024-03-01T00:00:00Z'), 'start')).toBe(
			Date.parse('2024-03-01T00:00:00Z'),
		);
	});

	test('anything else is not a date', () => {
		for (const value of [
			'yesterday',
			'2024-13-45',
			'31/01/2024',
			'',
			20240131,
			{},
			new Date('x'),
			null,
		]) {
			expect(parseDateInput(value, 'start')).toBeUndefined();
		}
	});
});
