import { canonical, paymentIdempotencyKey } from '../../../../nodes/Ponto/helpers/payments';

const ACCOUNT = 'e10e5c1c-eb02-46d3-8042-00b349280717';
const body = (attributes: Record<string, unknown>) => ({ data: { type: 'payment', attributes } });
const PAYMENT = {
	amount: 12.5,
	currency: 'EUR',
	creditorName: 'Alex Creditor',
	creditorAccountReference: 'BE68539007547034',
	creditorAccountReferenceType: 'IBAN',
	endToEndId: 'BILL-1',
};

describe('payment idempotency key', () => {
	test('a UUID that depends on the content, not on property order or the run', () => {
		const key = paymentIdempotencyKey('payment', ACCOUNT, body(PAYMENT));
		expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		const reordered = Object.fromEntries(Object.entries(PAYMENT).reverse());
		expect(paymentIdempotencyKey('payment', ACCOUNT, body(reordered))).toBe(key);
		expect(canonical({ b: 1, a: [{ d: 1, c: 2 }] })).toEqual({ a: [{ c: 2, d: 1 }], b: 1 });
		expect(JSON.stringify(canonical({ b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
	});

	test.each([
		['another amount', 'payment', ACCOUNT, body({ ...PAYMENT, amount: 12.51 }), ''],
		['another end-to-end id', 'payment', ACCOUNT, body({ ...PAYMENT, endToEndId: 'BILL-2' }), ''],
		['another account', 'payment', '8804e34f-12b0-4b70-86bf-265f013ca232', body(PAYMENT), ''],
		['another kind', 'paymentRequest', ACCOUNT, body(PAYMENT), ''],
		["the user's own key", 'payment', ACCOUNT, body(PAYMENT), 'bill-17'],
	])('%s gives another key', (_what, kind, account, content, userKey) => {
		expect(paymentIdempotencyKey(kind, account, content, userKey)).not.toBe(
			paymentIdempotencyKey('payment', ACCOUNT, body(PAYMENT)),
		);
	});
});
