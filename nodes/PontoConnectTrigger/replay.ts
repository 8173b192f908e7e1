// Signed deliveries already accepted, until their token expires (plus the clock tolerance):
// a token replayed inside its validity window is recognised and starts no second execution.
// Process memory, bounded; the signature check alone rejects any replay after expiry.
const MAX_ENTRIES = 10_000;
const TOLERANCE_MS = 30_000;
const accepted = new Map<string, number>();

function sweep(now: number): void {
	for (const [key, until] of accepted) if (until <= now) accepted.delete(key);
	while (accepted.size >= MAX_ENTRIES) accepted.delete(accepted.keys().next().value as string);
}

/** Records the delivery; false when the same one was accepted before and has not expired. */
export function isFirstDelivery(key: string, expSeconds: number, now = Date.now()): boolean {
	sweep(now);
	if (accepted.has(key)) return false;
	accepted.set(key, expSeconds * 1000 + TOLERANCE_MS);
	return true;
}

export function forgetDelivery(key: string): void {
	accepted.delete(key);
}
