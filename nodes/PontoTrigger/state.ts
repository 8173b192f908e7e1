import type { TransactionCursor } from '../Ponto/helpers/newTransactions';
import type { PendingBatch } from './batches';

/**
 * What the polling trigger keeps in the workflow's static data ('node'): one cursor per
 * account and the times it asked Ponto to synchronize the account (rolling 24 hours), so the
 * user's daily maximum of unattended bank accesses holds across polls. Bounded: cursors are
 * bounded themselves, accounts no longer watched are dropped.
 */
export interface AccountState {
	cursor?: TransactionCursor;
	synchronizations?: number[];
	/** The account's synchronization mark when it was last read: unchanged means nothing new to read. */
	synchronizationMark?: string;
}

export interface TriggerState {
	v?: 1;
	/** The stream this state belongs to; a change of event starts afresh. */
	event?: string;
	accounts?: Record<string, AccountState>;
	/** Where the next poll starts, so a poll cut short by its time budget rotates accounts. */
	next?: number;
	/** When every watched account was last read regardless of synchronizedAt (safety net). */
	fullCheckAt?: number;
	/** Counts the polls that handed items to n8n: a failed hand-over undoes only the latest. */
	handOvers?: number;
	/** v2: the batches emitted and not yet confirmed by n8n, oldest first (batches.ts). */
	pending?: PendingBatch[];
}

const DAY_MS = 86_400_000;

export function recentSynchronizations(account: AccountState | undefined, now: number): number[] {
	return (account?.synchronizations ?? []).filter((at) => now - at < DAY_MS);
}
