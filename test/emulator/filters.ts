// filter[<field>][<op>]=value as sent by the official SDKs (Java FilterHelper, .NET Filter).
// Operators: eq (exact), in (comma list, exact), contains and like (case-insensitive substring;
// '%' in a like value is a wildcard). Which fields Ponto really filters on beyond `name` is
// unconfirmed (docs/ponto-api.md §3, open question 5): the emulator filters on every scalar attribute
// and `id`, and EmulatorOptions.ignoredFilters makes it silently ignore chosen fields instead,
// to emulate the reading where only `name` is filterable.

export type FilterOperator = 'eq' | 'in' | 'contains' | 'like';

export interface Filter {
	field: string;
	op: FilterOperator;
	value: string;
}

export type FilterParse =
	{ ok: true; filters: Filter[] } | { ok: false; attribute: string; detail: string };

const OPERATORS: readonly string[] = ['eq', 'in', 'contains', 'like'];

/** Reads every filter[...] parameter. `filter[field]=v` without an operator means eq. */
export function parseFilters(
	query: Record<string, string>,
	fields: readonly string[],
	ignored: readonly string[],
): FilterParse {
	const filters: Filter[] = [];
	for (const [key, value] of Object.entries(query)) {
		if (!key.startsWith('filter')) continue;
		const m = /^filter\[([A-Za-z]+)\](?:\[([A-Za-z]+)\])?$/.exec(key);
		if (!m) return { ok: false, attribute: key, detail: `Malformed filter parameter ${key}.` };
		const [, field, op = 'eq'] = m;
		if (ignored.includes(field)) continue;
		if (!fields.includes(field))
			return { ok: false, attribute: key, detail: `Filtering on ${field} is not supported.` };
		if (!OPERATORS.includes(op))
			return { ok: false, attribute: key, detail: `Unknown filter operator ${op}.` };
		filters.push({ field, op: op as FilterOperator, value });
	}
	return { ok: true, filters };
}

function asText(value: unknown): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return null;
}

function likeMatcher(pattern: string): (text: string) => boolean {
	const lower = pattern.toLowerCase();
	if (!lower.includes('%')) return (text) => text.toLowerCase().includes(lower);
	const source = lower
		.split('%')
		.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	const re = new RegExp(`^${source}$`);
	return (text) => re.test(text.toLowerCase());
}

export function matchesFilters(
	fieldValue: (field: string) => unknown,
	filters: readonly Filter[],
): boolean {
	return filters.every((f) => {
		const text = asText(fieldValue(f.field));
		switch (f.op) {
			case 'eq':
				return text === f.value || (text === null && f.value === 'null');
			case 'in':
				return f.value.split(',').some((v) => v.trim() === text);
			case 'contains':
			case 'like':
				return text !== null && likeMatcher(f.value)(text);
		}
		return false;
	});
}

/** Query parameters to carry into links.first/next/prev. */
export function filterParameters(query: Record<string, string>): Array<[string, string]> {
	return Object.entries(query).filter(([k]) => k.startsWith('filter['));
}
