import { createHash } from 'node:crypto';

/**
 * The Ibanity-Idempotency-Key of a payment, derived from what it pays.
 *
 * Why content and not the execution: n8n gives every run a new execution id, and a retry of
 * the node, a rerun of a failed execution or a re-executed workflow would then each create a
 * new payment. The key is a UUID made from the account, the exact request body (amount,
 * creditor, IBAN, BIC, remittance, end-to-end id, execution date, redirect URI; for a bulk
 * payment all of its payments) and, when the user gives one, their own key (e.g. the bill
 * number). Not the workflow or node: the same transfer sent by a copied node or a second
 * workflow is far more likely a duplicate than intent. To pay the very same transfer again on
 * purpose, give it another end-to-end id. How long Ponto remembers a key is not documented.
 */
export function paymentIdempotencyKey(
	kind: string,
	accountId: string,
	body: unknown,
	userKey = '',
): string {
	const hash = createHash('sha256')
		.update(JSON.stringify(['n8n-nodes-ponto', 1, kind, accountId, userKey, canonical(body)]))
		.digest('hex');
	// UUID layout (version 5-like nibble and RFC 4122 variant), as Ponto's examples use UUIDs.
	return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${((parseInt(hash[16], 16) & 0x3) | 0x8).toString(16)}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

/** JSON with object keys sorted, so the key does not depend on property order. */
export function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value as object)
				.sort()
				.map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
		);
	}
	return value;
}
