const LIMIT_PARAMETER = /([?&])(page(?:\[|%5B)limit(?:\]|%5D)|limit)=[^&]*/i;

/**
 * The URL of the next page: Ponto's `links.next` as sent, with only its page size set to what
 * is still wanted. Links have been seen both as `?page[after]=…&page[limit]=…` and as the bare
 * `?after=…` without any limit (the SDK fixture), which would fall back to 10 per page; the
 * limit is added in the link's own spelling then (docs/ponto-api.md §5.2).
 *
 * A link to another origin is refused: following it would send the bearer token elsewhere.
 */
export function nextPageUrl(
	next: string,
	baseUrl: string,
	pageSize: number,
): { url: string } | { problem: string } {
	let resolved: URL;
	try {
		resolved = new URL(next, `${baseUrl}/`);
	} catch {
		return { problem: 'the next-page link is not a valid URL' };
	}
	if (resolved.origin !== new URL(baseUrl).origin) {
		return { problem: `the next-page link points to another host (${resolved.origin})` };
	}
	const url = /^https?:\/\//i.test(next) ? next : resolved.toString();
	if (LIMIT_PARAMETER.test(url)) {
		const sized = url.replace(
			LIMIT_PARAMETER,
			(_match, separator: string, name: string) => `${separator}${name}=${pageSize}`,
		);
		return { url: sized };
	}
	const bracketStyle = /[?&]page(\[|%5B)/i.test(url);
	const separator = url.includes('?') ? '&' : '?';
	return { url: `${url}${separator}${bracketStyle ? 'page[limit]' : 'limit'}=${pageSize}` };
}

/**
 * What identifies a page whatever its size and spelling: path and query without the limit,
 * brackets decoded, parameters sorted. Two links with the same key read the same page.
 */
export function pageKey(link: string, baseUrl: string): string {
	let url: URL;
	try {
		url = new URL(link, `${baseUrl}/`);
	} catch {
		return link;
	}
	const query = [...url.searchParams]
		.filter(([name]) => !/^(page\[limit\]|limit)$/i.test(name))
		.map(([name, value]) => `${name}=${value}`)
		.sort();
	return `${url.pathname}?${query.join('&')}`;
}
