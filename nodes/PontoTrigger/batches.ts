import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * The v2 trigger's hand-over (docs/reliability.md): each poll's new records form a batch that
 * stays in the node's state until n8n confirms it stored the batch's execution. n8n saves the
 * state when the trigger emits, before it creates the execution, so a batch n8n never stored
 * (insert failed, n8n killed in between) is still in the saved state and is emitted again. Each
 * batch is emitted with a deduplication key derived from its records, which n8n (releases whose
 * trigger emit takes one, 2.41.1 tested) stores with the execution under a unique index: a
 * batch emitted again after n8n did store it is refused by n8n and runs once.
 */
export interface PendingBatch {
	/** The deduplication key: the same records under the same trigger give the same key. */
	key: string;
	/** The items' JSON, as emitted. */
	items: IDataObject[];
	/** When the batch was first emitted (ms since epoch). */
	at: number;
}

/**
 * At most this many batches wait at once (emitted, not yet confirmed): a poll finding new
 * records while as many are pending leaves them in Ponto for a later poll. Bounds the state.
 */
export const MAX_PENDING_BATCHES = 10;

/**
 * n8n's deduplication key (execution_entity.deduplicationKey, varchar 255, unique across the
 * instance): the workflow and node, and a digest of the records' idempotency keys, so the same
 * records give the same key whichever poll emits them again, and no two triggers share one.
 */
export function batchKey(workflowId: string, nodeId: string, items: IDataObject[]): string {
	const records = items.map((item) => String(item.idempotencyKey ?? item.id ?? '')).sort();
	const digest = createHash('sha256').update(records.join('\n')).digest('hex').slice(0, 40);
	return `ponto:${workflowId.slice(0, 60)}:${nodeId.slice(0, 60)}:${digest}`;
}

/** The batches still waiting, without the one n8n confirmed (stored, or refused as a duplicate). */
export function withoutBatch(pending: PendingBatch[] | undefined, key: string): PendingBatch[] {
	return (pending ?? []).filter((batch) => batch.key !== key);
}

/** The batches with `batch` added once (a batch emitted again keeps its place). */
export function withBatch(
	pending: PendingBatch[] | undefined,
	batch: PendingBatch,
): PendingBatch[] {
	return [...withoutBatch(pending, batch.key), batch].sort((a, b) => a.at - b.at);
}

/**
 * Whether a cron expression fires more than once a minute (a seconds field that is not one
 * number), which n8n refuses for polling too: Ponto's rate limits and the bank's would suffer.
 */
export function isSubMinuteCron(expression: string): boolean {
	const fields = expression.trim().split(/\s+/);
	return fields.length === 6 && !/^\d+$/.test(fields[0]);
}
