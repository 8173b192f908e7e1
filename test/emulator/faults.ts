// Fault injection: one-shot queued faults (FIFO per match) and a seeded random fault mode.
// Bodies of injected errors are JSON:API errors; Ponto's real 429/5xx bodies are not
// documented (docs/ponto-api.md §5.4), so the codes used here are assumptions.
import type { HostileMode, HostileOptions } from './hostile';
import { Random } from './prng';

export type PathMatch = RegExp | string;

export type QueuedFault = { match?: PathMatch; method?: string } & (
	| { status: 429; retryAfter?: number }
	| { status: 500 | 502 | 503 }
	/** The request is handled (e.g. a payment created), then the answer is replaced by this status. */
	| { acceptThenFail: 500 | 502 | 503 }
	| { drop: true }
	| { delayMs: number }
	| ({ hostile: HostileMode } & HostileOptions)
);

export interface RandomFaults {
	seed: number;
	rate500?: number;
	rate429?: number;
	rateDrop?: number;
	/** Retry-After (seconds) on random 429s. Default 1. */
	retryAfterSeconds?: number;
	/** Only requests whose path matches are candidates (default: every request). */
	match?: PathMatch;
}

export type AppliedFault =
	| { kind: 'status'; status: number; retryAfter?: number; label: string }
	| { kind: 'afterHandling'; status: number; label: string }
	| { kind: 'drop'; label: string }
	| { kind: 'delay'; delayMs: number; label: string }
	| { kind: 'hostile'; mode: HostileMode; options: HostileOptions; label: string };

/** A string matches the exact path (query excluded); a RegExp is tested against the path. */
export function pathMatches(match: PathMatch | undefined, path: string): boolean {
	if (match === undefined) return true;
	return typeof match === 'string' ? match === path : match.test(path);
}

function toApplied(fault: QueuedFault, origin: string): AppliedFault {
	if ('drop' in fault) return { kind: 'drop', label: `${origin}:drop` };
	if ('acceptThenFail' in fault)
		return {
			kind: 'afterHandling',
			status: fault.acceptThenFail,
			label: `${origin}:accepted-then-${fault.acceptThenFail}`,
		};
	if ('delayMs' in fault)
		return { kind: 'delay', delayMs: fault.delayMs, label: `${origin}:delay` };
	if ('hostile' in fault) {
		return {
			kind: 'hostile',
			mode: fault.hostile,
			options: { nextTo: fault.nextTo, bytes: fault.bytes },
			label: `${origin}:${fault.hostile}`,
		};
	}
	const retryAfter = fault.status === 429 ? fault.retryAfter : undefined;
	return { kind: 'status', status: fault.status, retryAfter, label: `${origin}:${fault.status}` };
}

export class FaultInjector {
	private queue: QueuedFault[] = [];
	private random: RandomFaults | undefined;
	private rng: Random | undefined;

	constructor(random?: RandomFaults) {
		this.setRandom(random);
	}

	/** Replaces the random mode and restarts its sequence from the seed. */
	setRandom(random: RandomFaults | undefined): void {
		this.random = random;
		this.rng = random ? new Random(random.seed) : undefined;
	}

	enqueue(faults: QueuedFault[]): void {
		this.queue.push(...faults);
	}

	/** Jumps the queue: the next matching request gets this fault (loopingNext's second half). */
	enqueueFirst(fault: QueuedFault): void {
		this.queue.unshift(fault);
	}

	pending(): number {
		return this.queue.length;
	}

	/**
	 * The fault for this request, if any: the oldest matching queued fault first, otherwise one
	 * draw of the random mode (exactly one draw per candidate request, so a seed always yields
	 * the same sequence for the same request order).
	 */
	take(method: string, path: string): AppliedFault | null {
		const index = this.queue.findIndex(
			(f) =>
				(f.method === undefined || f.method.toUpperCase() === method) && pathMatches(f.match, path),
		);
		if (index >= 0) return toApplied(this.queue.splice(index, 1)[0], 'queued');
		const random = this.random;
		if (!random || !this.rng || !pathMatches(random.match, path)) return null;
		const roll = this.rng.next();
		const drop = random.rateDrop ?? 0;
		const r429 = random.rate429 ?? 0;
		const r500 = random.rate500 ?? 0;
		if (roll < drop) return { kind: 'drop', label: 'random:drop' };
		if (roll < drop + r429)
			return {
				kind: 'status',
				status: 429,
				retryAfter: random.retryAfterSeconds ?? 1,
				label: 'random:429',
			};
		if (roll < drop + r429 + r500) return { kind: 'status', status: 500, label: 'random:500' };
		return null;
	}
}

const FAULT_ERRORS: Record<number, { code: string; detail: string }> = {
	429: { code: 'tooManyRequests', detail: 'Too many requests, please retry later.' },
	500: { code: 'internalServerError', detail: 'An unexpected error occurred.' },
	502: {
		code: 'badGateway',
		detail: 'The server received an invalid response from an upstream server.',
	},
	503: { code: 'serviceUnavailable', detail: 'The service is temporarily unavailable.' },
};

export function faultError(status: number): { code: string; detail: string } {
	return FAULT_ERRORS[status] ?? { code: 'error', detail: `Injected HTTP ${status}.` };
}
