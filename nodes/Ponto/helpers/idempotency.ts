// Idempotency keys on the triggers' items (docs/reliability.md): one stable string per
// booking, pending transaction or event, the same whichever trigger emits it and however often
// it is emitted, so a workflow can de-duplicate downstream (a unique column, a Remove Duplicates
// node keyed on it) where n8n may run a poll or a delivery twice.

/** A booked transaction: the same from the polling trigger and from webhook transaction events. */
export function bookedTransactionKey(accountId: string, transactionId: string): string {
	return `ponto:${accountId}:${transactionId}`;
}

/** A pending transaction (its booked counterpart gets a new id, hence its own key). */
export function pendingTransactionKey(accountId: string, pendingTransactionId: string): string {
	return `ponto:${accountId}:pending:${pendingTransactionId}`;
}

/** A webhook event emitted as such (not as its transactions). */
export function eventKey(eventId: string): string {
	return `ponto:event:${eventId}`;
}
