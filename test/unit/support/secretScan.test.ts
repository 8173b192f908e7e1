import { SecretMatcher } from '../../support/secretScan';

const matcher = new SecretMatcher(
	['he', 'she', 'his', 'hers', 'token-abc'].map((pattern) => Buffer.from(pattern)),
);
const found = (text: string) => [...matcher.find(Buffer.from(text))].sort();

describe('SecretMatcher (Aho-Corasick over bytes)', () => {
	test('finds every pattern, overlapping ones and ones ending inside others', () => {
		expect(found('ushers')).toEqual([0, 1, 3]);
		expect(found('this')).toEqual([2]);
	});

	test('finds a pattern at the very start and the very end', () => {
		expect(found('token-abc and more')).toEqual([4]);
		expect(found('xx token-ab token-abc')).toEqual([4]);
	});

	test('finds nothing in text without the patterns', () => {
		expect(found('token-ab, tokenabc, TOKEN-ABC')).toEqual([]);
		expect(found('')).toEqual([]);
	});
});
