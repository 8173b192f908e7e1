// Reads an n8n dateTime parameter as an instant (epoch ms).
//
// n8n hands dateTime values over as ISO strings (the picker gives `2024-01-31T00:00:00`, no
// zone), as luxon DateTimes or JS Dates (expressions). Values with an explicit zone or offset
// are exact instants. Values without one are read as UTC, the zone Ponto's own dates are in
// (bank days arrive as UTC midnight), so "until 2024-01-31" includes the 31st. A date with no
// time at all (`2024-01-31`) used as an upper bound covers the whole day.
export type DateBound = 'start' | 'end';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

interface DateLike {
	toISO?: () => string | null;
	toISOString?: () => string;
}

export function parseDateInput(value: unknown, bound: DateBound): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (value !== null && typeof value === 'object') {
		const dateLike = value as DateLike;
		const iso =
			typeof dateLike.toISO === 'function'
				? dateLike.toISO()
				: typeof dateLike.toISOString === 'function'
					? dateLike.toISOString()
					: null;
		return typeof iso === 'string' ? parseDateInput(iso, bound) : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (DATE_ONLY.test(text)) {
		const day = Date.parse(`${text}T00:00:00.000Z`);
		if (Number.isNaN(day)) return undefined;
		return bound === 'end' ? day + 86_400_000 - 1 : day;
	}
	if (!ISO_LIKE.test(text)) return undefined;
	const normalized = text.replace(' ', 'T');
	const at = Date.parse(HAS_ZONE.test(normalized) ? normalized : `${normalized}Z`);
	return Number.isNaN(at) ? undefined : at;
}
