import { nextPageUrl } from '../../../nodes/Ponto/transport/paging';

const BASE = 'https://api.myponto.com';

describe('nextPageUrl', () => {
	test('keeps the link as sent and only sets its page size', () => {
		expect(
			nextPageUrl(`${BASE}/accounts/a/transactions?page[limit]=100&page[after]=x`, BASE, 34),
		).toEqual({
			url: `${BASE}/accounts/a/transactions?page[limit]=34&page[after]=x`,
		});
		expect(nextPageUrl(`${BASE}/accounts?page%5Bafter%5D=x&page%5Blimit%5D=10`, BASE, 100)).toEqual(
			{
				url: `${BASE}/accounts?page%5Bafter%5D=x&page%5Blimit%5D=100`,
			},
		);
	});

	test("adds the limit in the link's own spelling when it has none (SDK fixture style)", () => {
		expect(nextPageUrl(`${BASE}/accounts/a/transactions?after=dbf7`, BASE, 100)).toEqual({
			url: `${BASE}/accounts/a/transactions?after=dbf7&limit=100`,
		});
		expect(nextPageUrl(`${BASE}/accounts?page[after]=x`, BASE, 50)).toEqual({
			url: `${BASE}/accounts?page[after]=x&page[limit]=50`,
		});
	});

	test('resolves relative links against the base URL', () => {
		expect(nextPageUrl('/accounts?after=x&limit=10', 'http://127.0.0.1:4010', 20)).toEqual({
			url: 'http://127.0.0.1:4010/accounts?after=x&limit=20',
		});
	});

	test('refuses links to another origin (the bearer token would go there) and garbage', () => {
		expect(nextPageUrl('https://evil.example/accounts?after=x', BASE, 10)).toEqual({
			problem: 'the next-page link points to another host (https://evil.example)',
		});
		expect(nextPageUrl('http://[::1', BASE, 10)).toEqual({
			problem: 'the next-page link is not a valid URL',
		});
	});
});
