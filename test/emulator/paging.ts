// Cursor pagination as described in docs/ponto-api.md §5.2.
//
// ORDER. Lists are served in the order the array holds them. For transaction lists that is
// newest CREATED first (createdAt desc, ties keep their position): Ponto lists by creation,
// only approximately by executionDate. A back-dated transaction (old executionDate, created
// now) therefore shows up at the top, and same-day transactions are interleaved with their
// neighbours; an importer that stops at the first executionDate older than "since" loses data.
// ensureCreationOrder keeps that invariant when tests mutate the arrays directly.

export interface PageRequest {
	limit: number;
	before: string | null;
	after: string | null;
}

export type PagingParse =
	{ ok: true; page: PageRequest } | { ok: false; attribute: string; detail: string };

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

/** page[limit], page[before], page[after]; the un-prefixed limit/before/after are accepted too. */
export function parsePaging(query: Record<string, string>): PagingParse {
	const rawLimit = query['page[limit]'] ?? query.limit;
	const before = query['page[before]'] ?? query.before ?? null;
	const after = query['page[after]'] ?? query.after ?? null;
	let limit = DEFAULT_LIMIT;
	if (rawLimit !== undefined) {
		if (!/^-?\d+$/.test(rawLimit.trim()))
			return { ok: false, attribute: 'page[limit]', detail: 'Page limit must be an integer.' };
		limit = Number(rawLimit);
		if (limit < 1)
			return {
				ok: false,
				attribute: 'page[limit]',
				detail: 'Page limit must be greater than or equal to 1.',
			};
		// Values above the maximum are clamped, not refused (assumption: the spec only says "1-100").
		limit = Math.min(limit, MAX_LIMIT);
	}
	if (before && after)
		return {
			ok: false,
			attribute: 'page[before]',
			detail: 'Use either page[before] or page[after], not both.',
		};
	return { ok: true, page: { limit, before: before || null, after: after || null } };
}

export interface PageSlice<T> {
	items: T[];
	hasNext: boolean;
	hasPrev: boolean;
}

/**
 * Position of an id in a list. Lists of 100,000 transactions are paged through a thousand
 * times in the benchmarks, so the index is kept per list and rebuilt when the list changes
 * (its length, or the id found at the cached position).
 */
const positions = new WeakMap<
	readonly { id: string }[],
	{ length: number; index: Map<string, number> }
>();

function positionOf(list: readonly { id: string }[], id: string): number {
	let cached = positions.get(list);
	if (!cached || cached.length !== list.length) {
		cached = { length: list.length, index: new Map(list.map((item, at) => [item.id, at])) };
		positions.set(list, cached);
	}
	const at = cached.index.get(id);
	if (at !== undefined && list[at]?.id === id) return at;
	positions.delete(list);
	return list.findIndex((item) => item.id === id);
}

/** Slices a list by cursor; null when the cursor id is not in the list. */
export function paginate<T extends { id: string }>(
	list: readonly T[],
	page: PageRequest,
): PageSlice<T> | null {
	let start = 0;
	let end: number;
	if (page.after) {
		const at = positionOf(list, page.after);
		if (at < 0) return null;
		start = at + 1;
		end = Math.min(list.length, start + page.limit);
	} else if (page.before) {
		const at = positionOf(list, page.before);
		if (at < 0) return null;
		end = at;
		start = Math.max(0, end - page.limit);
	} else {
		end = Math.min(list.length, page.limit);
	}
	return { items: list.slice(start, end), hasNext: end < list.length, hasPrev: start > 0 };
}

export type NextLinkStyle = 'prefixed' | 'unprefixed';

export interface PagingDocument {
	links: { first: string; prev?: string; next?: string };
	meta: { paging: { limit: number; before: string | null; after: string | null } };
}

/**
 * links and meta.paging. 'prefixed': ?page[limit]=L&page[after]=<id>. 'unprefixed' is the
 * fixture style (transactions-list.json): ?after=<id> WITHOUT the limit, so a client that
 * follows links.next verbatim gets the default page size from then on. Other query
 * parameters (filters) are carried over in both styles.
 */
export function pagingDocument<T extends { id: string }>(
	url: string,
	page: PageRequest,
	slice: PageSlice<T>,
	style: NextLinkStyle,
	carried: Array<[string, string]> = [],
): PagingDocument {
	const extra = carried.map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
	const build = (cursor?: [string, string]): string => {
		const parts: string[] = [];
		if (style === 'prefixed') parts.push(`page[limit]=${page.limit}`);
		if (cursor)
			parts.push(
				style === 'prefixed' ? `page[${cursor[0]}]=${cursor[1]}` : `${cursor[0]}=${cursor[1]}`,
			);
		parts.push(...extra);
		return parts.length ? `${url}?${parts.join('&')}` : url;
	};
	const first = slice.items[0];
	const last = slice.items[slice.items.length - 1];
	const links: PagingDocument['links'] = { first: build() };
	if (slice.hasPrev && first) links.prev = build(['before', first.id]);
	if (slice.hasNext && last) links.next = build(['after', last.id]);
	return {
		links,
		meta: {
			paging: {
				limit: page.limit,
				before: slice.hasPrev && first ? first.id : null,
				after: slice.hasNext && last ? last.id : null,
			},
		},
	};
}

/** Lists already checked, by length: the O(n) check runs again only when the list changed. */
const checkedLength = new WeakMap<object, number>();

/** Restores newest-created-first order if a caller pushed items out of order (O(n) when sorted). */
export function ensureCreationOrder<T extends { attributes: { createdAt: string } }>(
	list: T[],
): void {
	if (checkedLength.get(list) === list.length) return;
	checkedLength.set(list, list.length);
	for (let i = 1; i < list.length; i++) {
		if (list[i - 1].attributes.createdAt < list[i].attributes.createdAt) {
			list.sort((a, b) =>
				a.attributes.createdAt < b.attributes.createdAt
					? 1
					: a.attributes.createdAt > b.attributes.createdAt
						? -1
						: 0,
			);
			return;
		}
	}
}
