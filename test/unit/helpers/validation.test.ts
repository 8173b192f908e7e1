import { describeValue, isIpAddress, isPontoId } from '../../../nodes/Ponto/helpers/validation';

describe('validation helpers', () => {
	test('Ponto ids are UUIDs', () => {
		expect(isPontoId('8804e34f-12b0-4b70-86bf-265f013ca232')).toBe(true);
		expect(isPontoId('8804E34F-12B0-4B70-86BF-265F013CA232')).toBe(true);
		for (const bad of [
			'',
			'8804e34f',
			'8804e34f-12b0-4b70-86bf-265f013ca23',
			'x'.repeat(36),
			42,
			null,
			{},
		]) {
			expect(isPontoId(bad)).toBe(false);
		}
	});

	test('IPv4 and IPv6 addresses', () => {
		for (const ip of [
			'203.0.113.7',
			'0.0.0.0',
			'::1',
			'2001:db8::8a2e:370:7334',
			'fe80::1%eth0',
			'2001:0db8:0000:0000:0000:ff00:0042:8329',
		]) {
			expect(isIpAddress(ip)).toBe(true);
		}
		for (const ip of [
			'999.1.1.1',
			'1.2.3',
			'localhost',
			'1:2:3:4:5:6:7:8:9',
			'2001:db8::1::2',
			'gggg::1',
			'',
		]) {
			expect(isIpAddress(ip)).toBe(false);
		}
	});

	test('describeValue names what a parameter really held', () => {
		expect(describeValue('  ')).toBe('empty');
		expect(describeValue(undefined)).toBe('empty');
		expect(describeValue({ a: 1 })).toBe('an object');
		expect(describeValue([1])).toBe('a list');
		expect(describeValue(0)).toBe('number 0');
		expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(60)}"`);
	});
});
