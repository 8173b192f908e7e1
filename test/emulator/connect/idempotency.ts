// Ibanity-Idempotency-Key (docs/ponto-api.md §2.2: sent on POST/PATCH, signed when present).
// [infer] Ponto's exact semantics are not documented. The emulator follows the common pattern:
// the same key with the same method, path and body within 24 h gets the first response again
// (nothing happens twice); the same key with a different request is refused with 409
// `idempotencyKeyReused`. Only successful (2xx) answers are remembered: a refused request (4xx)
// had no effect and a 5xx may be retried, so the same key may act later (Stripe's rule too).
import { createHash } from 'node:crypto';
import type { ApiResponse } from '../http';

export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
export const IDEMPOTENCY_HEADER = 'ibanity-idempotency-key';

interface Remembered {
	fingerprint: string;
	response: ApiResponse;
	atMs: number;
}

export type IdempotencyLookup =
	{ kind: 'new' } | { kind: 'replay'; response: ApiResponse } | { kind: 'conflict' };

export function requestFingerprint(method: string, path: string, body: Buffer): string {
	return createHash('sha256').update(`${method} ${path}\n`).update(body).digest('hex');
}

export class IdempotencyStore {
	private readonly entries = new Map<string, Remembered>();

	lookup(key: string, fingerprint: string, nowMs: number): IdempotencyLookup {
		const found = this.entries.get(key);
		if (!found || nowMs - found.atMs >= IDEMPOTENCY_WINDOW_MS) return { kind: 'new' };
		if (found.fingerprint !== fingerprint) return { kind: 'conflict' };
		return { kind: 'replay', response: found.response };
	}

	remember(key: string, fingerprint: string, response: ApiResponse, nowMs: number): void {
		if (response.status < 200 || response.status >= 300) return;
		this.entries.set(key, {
			fingerprint,
			response: JSON.parse(JSON.stringify(response)) as ApiResponse,
			atMs: nowMs,
		});
	}

	get size(): number {
		return this.entries.size;
	}
}
