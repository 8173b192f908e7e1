import {
	MAX_RESPONSE_BYTES,
	problemInPage,
	problemInResource,
	readResponseBody,
	safeText,
} from '../../../nodes/Ponto/helpers/responseShape';
import type { ResponseBody } from '../../../nodes/Ponto/helpers/responseShape';
import { pageKey } from '../../../nodes/Ponto/transport/paging';

const JSON_API = 'application/vnd.api+json';
const ID = '6f1c2a7e-0d55-4d0b-9b7b-3f0c1e2d4a5b';
/** Shaped like an access token: one long run of token characters. */
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQtZm9yLXRlc3Rz.QUJDREVGR0hJSktMTU5PUA';
const transaction = (attributes: Record<string, unknown> = { amount: -12.5, fee: 0 }) => ({
	type: 'transaction',
	id: ID,
	attributes,
});

describe('readResponseBody', () => {
	test.each<[string, ResponseBody, unknown]>([
		['an object n8n already parsed', { body: { data: [] }, contentType: JSON_API }, { data: [] }],
		[
			'JSON text',
			{ body: '{"data":{"type":"account","id":"a"}}', contentType: `${JSON_API}; charset=utf-8` },
			{ data: { type: 'account', id: 'a' } },
		],
		[
			'JSON text under plain application/json',
			{ body: '{"meta":{}}', contentType: 'application/json' },
			{ meta: {} },
		],
		['an empty body (a 204)', { body: '', contentType: undefined }, {}],
		['no body at all', { body: undefined }, {}],
		['null', { body: null, contentType: JSON_API }, {}],
	])('%s is a document', (_name, response, document) => {
		expect(readResponseBody(response)).toEqual({ document });
	});

	test.each<[string, ResponseBody, string]>([
		[
			'a Content-Length over 10 MB, whatever the body',
			{ body: { data: [] }, contentType: JSON_API, contentLength: 40 * 1024 * 1024 },
			'the response is 40.0 MB, far more than any Ponto answer',
		],
		[
			'a text body over 10 MB without a Content-Length',
			{ body: ' '.repeat(MAX_RESPONSE_BYTES + 1), contentType: JSON_API },
			'the response is 10.0 MB, far more than any Ponto answer',
		],
		[
			'an HTML content type',
			{
				body: '<html><head><title>Sign in to the Wi-Fi</title></head></html>',
				contentType: 'text/html; charset=utf-8',
			},
			'an HTML page came back instead of JSON (page title "Sign in to the Wi-Fi")',
		],
		[
			'an HTML page sent as JSON, without a title',
			{ body: '  <!DOCTYPE html><html><body>Bad gateway</body></html>', contentType: JSON_API },
			'an HTML page came back instead of JSON',
		],
		[
			'a content type that is not JSON',
			{ body: '{"data":[]}', contentType: 'Text/Plain; charset=utf-8' },
			'the content type is text/plain, not JSON',
		],
		[
			'a long content type, named in full',
			{ body: 'a=b', contentType: 'application/x-www-form-urlencoded' },
			'the content type is application/x-www-form-urlencoded, not JSON',
		],
		[
			'JSON cut off',
			{ body: '{"data":[{"id":"a","ty', contentType: JSON_API },
			'the JSON body is cut off or broken (22 bytes)',
		],
		[
			'a broken JSON list',
			{ body: '[1, 2,', contentType: JSON_API },
			'the JSON body is cut off or broken (6 bytes)',
		],
		[
			'text that is not JSON',
			{ body: 'Service temporarily down\r\nTry later', contentType: undefined },
			'the body is not JSON (it starts with "Service temporarily down Try later")',
		],
		[
			'a JSON list',
			{ body: [{ id: 'a' }], contentType: JSON_API },
			'the body is not a JSON object',
		],
		[
			'a JSON number as text',
			{ body: '42', contentType: JSON_API },
			'the body is not a JSON object',
		],
	])('%s: a problem', (_name, response, problem) => {
		expect(readResponseBody(response)).toEqual({ problem });
	});

	test('a token in a body that is not JSON is cut out of the excerpt', () => {
		const reading = readResponseBody({
			body: `Invalid token ${TOKEN} for client`,
			contentType: undefined,
		});
		expect(reading).toEqual({
			problem: 'the body is not JSON (it starts with "Invalid token […] for client")',
		});
	});

	test('a token in the title of an HTML page is cut out', () => {
		const reading = readResponseBody({
			body: `<html><title>Denied: ${TOKEN}</title></html>`,
			contentType: 'text/html',
		});
		expect(reading).toEqual({
			problem: 'an HTML page came back instead of JSON (page title "Denied: […]")',
		});
	});
});

describe('problemInResource', () => {
	test.each<[string, unknown, string | undefined]>([
		['a transaction with number amount and fee', transaction(), undefined],
		['a transaction without a fee', transaction({ amount: 3 }), undefined],
		['a transaction with a null fee', transaction({ amount: 3, fee: null }), undefined],
		[
			'an account with balances',
			{ type: 'account', id: ID, attributes: { currentBalance: 10, availableBalance: 0 } },
			undefined,
		],
		['an account without balances', { type: 'account', id: ID, attributes: {} }, undefined],
		[
			'a type without money fields, amounts as text',
			{ type: 'synchronization', id: ID, attributes: { amount: '1' } },
			undefined,
		],
		['null', null, 'the resource is not an object'],
		['a list', [transaction()], 'the resource is not an object'],
		[
			'a resource without id',
			{ type: 'transaction', attributes: { amount: 1 } },
			'the resource has no id',
		],
		[
			'a resource with an empty id',
			{ type: 'transaction', id: '', attributes: { amount: 1 } },
			'the resource has no id',
		],
		[
			'a resource with a numeric id',
			{ type: 'transaction', id: 7, attributes: { amount: 1 } },
			'the resource has no id',
		],
		['a resource without type', { id: ID }, `the resource (${ID}) has no type`],
		['a transaction without amount', transaction({ fee: 0 }), `transaction ${ID} has no amount`],
		[
			'a transaction without attributes',
			{ type: 'transaction', id: ID },
			`transaction ${ID} has no amount`,
		],
		[
			'an amount as text',
			transaction({ amount: '-12.50' }),
			`amount of transaction ${ID} is text, not a number`,
		],
		[
			'a fee as text',
			transaction({ amount: 1, fee: '0.00' }),
			`fee of transaction ${ID} is text, not a number`,
		],
		[
			'an amount as a boolean',
			transaction({ amount: true }),
			`amount of transaction ${ID} is boolean, not a number`,
		],
		[
			'an infinite amount',
			transaction({ amount: Infinity }),
			`amount of transaction ${ID} is number, not a number`,
		],
		[
			'a balance as text',
			{ type: 'account', id: ID, attributes: { currentBalance: '10.00' } },
			`currentBalance of account ${ID} is text, not a number`,
		],
		[
			'a pending transaction amount as text',
			{ type: 'pendingTransaction', id: ID, attributes: { amount: '5' } },
			`amount of pendingTransaction ${ID} is text, not a number`,
		],
	])('%s', (_name, record, problem) => {
		expect(problemInResource(record)).toBe(problem);
	});

	test('names where the resource was found', () => {
		expect(problemInResource({ type: 'transaction' }, 'record 3 of the page')).toBe(
			'record 3 of the page has no id',
		);
	});

	test('an id in a message is kept readable but never carries an Authorization value', () => {
		expect(problemInResource({ id: 'Bearer abc.def', attributes: {} })).toBe(
			'the resource (Bearer [redacted]) has no type',
		);
		expect(problemInResource({ id: `${'x'.repeat(60)}\u0000` })).toBe(
			`the resource (${'x'.repeat(40)}…) has no type`,
		);
	});
});

describe('problemInPage', () => {
	const page = (size: number) =>
		Array.from({ length: size }, (_, index) => ({
			...transaction(),
			id: `${ID.slice(0, -2)}${String(index).padStart(2, '0')}`,
		}));

	test('a page up to the size asked for, every record usable: no problem', () => {
		expect(problemInPage(page(100), 100)).toBeUndefined();
		expect(problemInPage([], 100)).toBeUndefined();
	});

	test('more records than asked for', () => {
		expect(problemInPage(page(101), 100)).toBe(
			'the page holds 101 records where at most 100 were asked for',
		);
		expect(problemInPage(page(11), 10)).toBe(
			'the page holds 11 records where at most 10 were asked for',
		);
	});

	test('the first unusable record, by its place on the page', () => {
		const records: unknown[] = page(5);
		records[2] = { type: 'transaction', attributes: { amount: 1 } };
		records[3] = 'x';
		expect(problemInPage(records, 10)).toBe('record 3 of the page has no id');
	});
});

describe('safeText', () => {
	test('short printable text passes as is', () => {
		expect(safeText('502 Bad Gateway')).toBe('502 Bad Gateway');
	});

	test('control characters and runs of space become one space; long text is cut with an ellipsis', () => {
		expect(safeText('a\u0000\u0001b\r\n\tc   d')).toBe('a b c d');
		expect(safeText('word '.repeat(20))).toBe(`${'word '.repeat(8)}`.slice(0, 40) + '…');
		expect(safeText('abcdef', 3)).toBe('abc…');
	});

	test.each([
		[
			'an Authorization value',
			`Authorization: Bearer ${TOKEN}`,
			'Authorization: Bearer [redacted]',
		],
		['a short bearer token', 'Bearer abc123', 'Bearer [redacted]'],
		['a token in a query', 'GET /x?access_token=abc&y=1', 'GET /x?access_token=[redacted]&y=1'],
		['a client secret in a form', 'client_secret=s3cr3t grant', 'client_secret=[redacted] grant'],
		['a bare token', `token ${TOKEN} expired`, 'token […] expired'],
	])('%s is cut out', (_name, text, expected) => {
		expect(safeText(text)).toBe(expected);
	});

	test('no part of a token survives, wherever it sits in a long body', () => {
		const secret = TOKEN.slice(0, 30);
		for (let junk = 0; junk < 1100; junk += 7) {
			for (const filler of ['\u0000', ' ', '\u00ff']) {
				const body = `${filler.repeat(junk)}${TOKEN}${'z'.repeat(2000)}`;
				const excerpt = safeText(body);
				for (let at = 0; at + 12 <= secret.length; at++)
					expect(excerpt).not.toContain(secret.slice(at, at + 12));
			}
		}
	});
});

describe('pageKey', () => {
	const BASE = 'http://127.0.0.1:4010';

	test('the same page whatever its size, spelling or parameter order', () => {
		const key = pageKey(`${BASE}/accounts/a/transactions?page[after]=t1&page[limit]=100`, BASE);
		expect(key).toBe('/accounts/a/transactions?page[after]=t1');
		for (const link of [
			`${BASE}/accounts/a/transactions?page%5Blimit%5D=10&page%5Bafter%5D=t1`,
			'/accounts/a/transactions?page[after]=t1',
			`${BASE}/accounts/a/transactions?page[after]=t1&PAGE[LIMIT]=3`,
		]) {
			expect(pageKey(link, BASE)).toBe(key);
		}
		expect(pageKey(`${BASE}/accounts?after=x&limit=10`, BASE)).toBe(
			pageKey('/accounts?limit=100&after=x', BASE),
		);
		expect(pageKey(`${BASE}/x?b=2&a=1`, BASE)).toBe(pageKey(`${BASE}/x?a=1&b=2`, BASE));
	});

	test('another cursor, path or filter is another page', () => {
		const key = pageKey('/accounts/a/transactions?page[after]=t1', BASE);
		expect(pageKey('/accounts/a/transactions?page[after]=t2', BASE)).not.toBe(key);
		expect(pageKey('/accounts/a/transactions?page[before]=t1', BASE)).not.toBe(key);
		expect(pageKey('/accounts/b/transactions?page[after]=t1', BASE)).not.toBe(key);
		expect(pageKey('/accounts/a/transactions', BASE)).not.toBe(key);
		expect(pageKey('/accounts/a/transactions?page[after]=t1&filter[x]=1', BASE)).not.toBe(key);
	});

	test('the first page (no cursor) has a key of its own', () => {
		expect(pageKey(`${BASE}/accounts/a/transactions?page%5Blimit%5D=100`, BASE)).toBe(
			'/accounts/a/transactions?',
		);
	});

	test('a link that is not a URL is its own key', () => {
		expect(pageKey('http://[::1', BASE)).toBe('http://[::1');
	});
});
