import {
	batchKey,
	isSubMinuteCron,
	withBatch,
	withoutBatch,
} from '../../../nodes/PontoTrigger/batches';
import type { PendingBatch } from '../../../nodes/PontoTrigger/batches';

const item = (account: string, id: string) => ({
	id,
	accountId: account,
	idempotencyKey: `ponto:${account}:${id}`,
});

describe('batchKey: the deduplication key n8n stores with the execution', () => {
	const a = item('acc-1', 'tx-1');
	const b = item('acc-2', 'tx-2');

	test('the same records give the same key, in any order', () => {
		expect(batchKey('wf', 'node', [a, b])).toBe(batchKey('wf', 'node', [b, a]));
		expect(batchKey('wf', 'node', [a, b])).toMatch(/^ponto:wf:node:[0-9a-f]{40}$/);
	});

	test('other records, another workflow or another node give another key', () => {
		const key = batchKey('wf', 'node', [a, b]);
		expect(batchKey('wf', 'node', [a])).not.toBe(key);
		expect(batchKey('wf2', 'node', [a, b])).not.toBe(key);
		expect(batchKey('wf', 'node2', [a, b])).not.toBe(key);
	});

	test('a booked and a pending transaction with the same id are different records', () => {
		const pending = { ...a, idempotencyKey: 'ponto:acc-1:pending:tx-1' };
		expect(batchKey('wf', 'node', [pending])).not.toBe(batchKey('wf', 'node', [a]));
	});

	test("fits n8n's column (varchar 255) whatever the ids", () => {
		expect(batchKey('w'.repeat(500), 'n'.repeat(500), [a]).length).toBeLessThanOrEqual(255);
	});
});

describe('pending batches', () => {
	const batch = (key: string, at: number): PendingBatch => ({ key, items: [], at });

	test('a batch is added once and keeps its place; a confirmed one leaves', () => {
		const first = withBatch(undefined, batch('k1', 1));
		const both = withBatch(first, batch('k2', 2));
		expect(withBatch(both, batch('k1', 1)).map((b) => b.key)).toEqual(['k1', 'k2']);
		expect(withoutBatch(both, 'k1').map((b) => b.key)).toEqual(['k2']);
		expect(withoutBatch(undefined, 'k1')).toEqual([]);
	});
});

describe('isSubMinuteCron', () => {
	test.each([
		['*/10 * * * * *', true],
		['* * * * * *', true],
		['0-30 * * * * *', true],
		['17 * * * * *', false],
		['5 */5 * * * *', false],
		['*/5 * * * *', false],
	])('%s: %s', (expression, expected) => {
		expect(isSubMinuteCron(expression)).toBe(expected);
	});
});
