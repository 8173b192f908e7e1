import { NewTransactionScan } from '../../../nodes/Ponto/helpers/newTransactions';
import type { TransactionCursor } from '../../../nodes/Ponto/helpers/newTransactions';
import type { JsonApiResource } from '../../../nodes/Ponto/helpers/interfaces';

/**
 * A seeded simulation of the polling trigger's core against an in-memory Ponto list: inserts
 * of every awkward kind between polls, polls that fail part-way, state serialized and reloaded
 * between polls. Every inserted booked transaction must be emitted exactly once.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;

function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Row {
	id: string;
	date: number;
	created: number;
	seq: number;
}

type Ordering = 'creation' | 'date';

class SimulatedAccount {
	private rows: Row[] = [];
	private seq = 0;

	constructor(private readonly ordering: Ordering) {}

	insert(date: number, created: number): string {
		const id = `tx-${++this.seq}`;
		this.rows.push({ id, date, created, seq: this.seq });
		return id;
	}

	/** Newest first, by creation (docs/ponto-api.md §5.2's reading) or by date (the other reading). */
	pages(size: number): Array<() => JsonApiResource[]> {
		const key = (row: Row) => (this.ordering === 'creation' ? row.created : row.date);
		const sorted = [...this.rows].sort((a, b) => key(b) - key(a) || b.seq - a.seq);
		const pages: Array<() => JsonApiResource[]> = [];
		for (let i = 0; i < sorted.length; i += size) {
			pages.push(() =>
				sorted.slice(i, i + size).map((row) => ({
					type: 'transaction',
					id: row.id,
					attributes: {
						executionDate: new Date(row.date).toISOString(),
						valueDate: new Date(row.date).toISOString(),
						createdAt: new Date(row.created).toISOString(),
						amount: 12.5,
						remittanceInformation: 'same text for twins',
					},
				})),
			);
		}
		return pages;
	}
}

interface Outcome {
	inserted: string[];
	emitted: string[];
	polls: number;
	failedPolls: number;
	requests: number;
	maxState: number;
}

function simulate(seed: number, ordering: Ordering, polls = 220, history = 600): Outcome {
	const random = prng(seed);
	const account = new SimulatedAccount(ordering);
	let now = Date.parse('2026-01-01T00:00:00Z');
	// History before the trigger starts: booked on its date, known to Ponto hours to days later.
	for (let i = 0; i < history; i++) {
		const date = now - Math.floor(random() * 400) * DAY;
		account.insert(date, Math.min(now, date + Math.floor(random() * 72) * HOUR));
	}
	const overlapMs = 7 * DAY;
	let cursor: TransactionCursor | undefined;
	const inserted: string[] = [];
	const emitted: string[] = [];
	let failedPolls = 0;
	let requests = 0;
	let maxState = 0;

	for (let poll = 0; poll < polls; poll++) {
		// Bookings count from the first poll that completed: that poll starts the watching.
		if (cursor) {
			const inserts = Math.floor(random() * 25);
			for (let i = 0; i < inserts; i++) {
				const kind = random();
				// Back-dating beyond the overlap only exists in the creation-order reading; with a
				// date-ordered list a booking that old would sit below the window (documented limit).
				const maxBack = ordering === 'creation' ? 90 : 6;
				let date = now - Math.floor(random() * 2 * DAY);
				if (kind < 0.15)
					date = now - Math.floor((2 + random() * (maxBack - 2)) * DAY); // back-dated
				else if (kind < 0.3) date = now - Math.floor(random() * 6) * DAY; // listed late
				inserted.push(account.insert(date, now));
				if (kind > 0.9) inserted.push(account.insert(date, now)); // legit twin
			}
			now += Math.floor(random() * 30 * HOUR) + HOUR;
		}
		const scan = new NewTransactionScan(cursor, {
			field: 'executionDate',
			overlapMs,
			now,
			maxSeen: 400,
		});
		// The last poll completes, so what was inserted before it is due.
		const failAt = poll < polls - 1 && random() < 0.1 ? Math.floor(random() * 3) : -1;
		let failed = false;
		const pages = account.pages(100);
		for (let index = 0; scan.wantsMore; index++) {
			requests++;
			if (index === failAt) {
				failed = true;
				break;
			}
			if (index >= pages.length) {
				scan.finish();
				break;
			}
			scan.acceptPage(pages[index]());
			if (index === pages.length - 1) scan.finish();
		}
		if (failed) {
			failedPolls++;
			continue; // a failed poll emits nothing and keeps the old state
		}
		const result = scan.result();
		if (!cursor) expect(result.emitted).toEqual([]);
		emitted.push(...result.emitted.map((transaction) => transaction.id));
		const stored = JSON.stringify(result.cursor);
		maxState = Math.max(maxState, stored.length);
		cursor = JSON.parse(stored) as TransactionCursor;
	}
	return { inserted, emitted, polls, failedPolls, requests, maxState };
}

describe('new transactions across polls: exactly once', () => {
	const seeds = [1, 2, 3, 7, 42, 1234, 99991];
	test.each(seeds)('list ordered by creation, seed %i', (seed) => {
		const outcome = simulate(seed, 'creation');
		expect([...outcome.emitted].sort()).toEqual([...outcome.inserted].sort());
		expect(new Set(outcome.emitted).size).toBe(outcome.emitted.length);
		expect(outcome.maxState).toBeLessThan(60_000);
		expect(outcome.failedPolls).toBeGreaterThan(0);
		process.stdout.write(
			`seed ${seed} (creation order): ${outcome.polls} polls, ${outcome.failedPolls} failed, ${outcome.inserted.length} inserted = emitted, ${outcome.requests} page reads, max state ${outcome.maxState} bytes\n`,
		);
	});

	test.each(seeds)('list ordered by date, back-dating within the overlap, seed %i', (seed) => {
		const outcome = simulate(seed, 'date');
		expect([...outcome.emitted].sort()).toEqual([...outcome.inserted].sort());
	});

	test.each(seeds)(
		'an account empty when the trigger started, list ordered by creation, seed %i',
		(seed) => {
			const outcome = simulate(seed, 'creation', 220, 0);
			expect([...outcome.emitted].sort()).toEqual([...outcome.inserted].sort());
			expect(new Set(outcome.emitted).size).toBe(outcome.emitted.length);
			expect(outcome.maxState).toBeLessThan(60_000);
		},
	);

	test.each(seeds)(
		'an account empty when the trigger started, list ordered by date, seed %i',
		(seed) => {
			const outcome = simulate(seed, 'date', 220, 0);
			expect([...outcome.emitted].sort()).toEqual([...outcome.inserted].sort());
		},
	);

	test('first run with a back-fill emits what is dated inside it, then only what is new', () => {
		const account = new SimulatedAccount('creation');
		const now = Date.parse('2026-03-10T12:00:00Z');
		const recent = account.insert(now - 2 * DAY, now - 2 * DAY);
		account.insert(now - 40 * DAY, now - 40 * DAY);
		const scan = new NewTransactionScan(undefined, {
			field: 'executionDate',
			overlapMs: 7 * DAY,
			now,
			backfillSince: now - 5 * DAY,
		});
		for (const page of account.pages(100)) scan.acceptPage(page());
		scan.finish();
		const { emitted, cursor } = scan.result();
		expect(emitted.map((transaction) => transaction.id)).toEqual([recent]);
		const next = new NewTransactionScan(cursor, {
			field: 'executionDate',
			overlapMs: 7 * DAY,
			now: now + HOUR,
		});
		for (const page of account.pages(100)) if (next.wantsMore) next.acceptPage(page());
		expect(next.result().emitted).toEqual([]);
	});
});

/** Polls the account once from `cursor`: what it emits and the cursor to keep (serialized and reloaded). */
function pollOnce(
	account: SimulatedAccount,
	cursor: TransactionCursor | undefined,
	now: number,
): { emitted: string[]; cursor: TransactionCursor; pages: number } {
	const scan = new NewTransactionScan(cursor, { field: 'executionDate', overlapMs: 7 * DAY, now });
	const pages = account.pages(100);
	let read = 0;
	for (; scan.wantsMore && read < pages.length; read++) scan.acceptPage(pages[read]());
	scan.finish();
	const result = scan.result();
	return {
		emitted: result.emitted.map((transaction) => transaction.id),
		cursor: JSON.parse(JSON.stringify(result.cursor)) as TransactionCursor,
		pages: read,
	};
}

describe('new transactions at the edges of the horizon', () => {
	const start = Date.parse('2026-05-04T09:00:00Z');

	test('an account empty at the first poll: a booking dated 40 days back, listed later, is emitted once', () => {
		const account = new SimulatedAccount('creation');
		let { cursor } = pollOnce(account, undefined, start);
		expect(pollOnce(account, cursor, start + HOUR).emitted).toEqual([]);
		({ cursor } = pollOnce(account, cursor, start + HOUR));
		const backDated = account.insert(start - 40 * DAY, start + 2 * HOUR);
		const second = pollOnce(account, cursor, start + 3 * HOUR);
		expect(second.emitted).toEqual([backDated]);
		const third = pollOnce(account, second.cursor, start + 30 * DAY);
		expect(third.emitted).toEqual([]);
	});

	test('an account empty at the first poll: a first listing of 250 bookings of any date is emitted whole, once', () => {
		const account = new SimulatedAccount('date');
		const first = pollOnce(account, undefined, start);
		const inserted: string[] = [];
		for (let i = 0; i < 250; i++)
			inserted.push(account.insert(start - (i % 120) * DAY, start + HOUR));
		const second = pollOnce(account, first.cursor, start + 2 * HOUR);
		expect([...second.emitted].sort()).toEqual([...inserted].sort());
		expect(second.pages).toBe(3);
		const third = pollOnce(account, second.cursor, start + 3 * HOUR);
		expect(third.emitted).toEqual([]);
		expect(JSON.stringify(third.cursor).length).toBeLessThan(60_000);
	});

	test('a burst of 350 back-dated bookings on an account with history is emitted whole, however far the anchor is', () => {
		const account = new SimulatedAccount('creation');
		for (let i = 0; i < 150; i++)
			account.insert(start - (i + 1) * DAY, start - (i + 1) * DAY + HOUR);
		const first = pollOnce(account, undefined, start);
		const burst: string[] = [];
		for (let i = 0; i < 350; i++)
			burst.push(account.insert(start - (30 + (i % 200)) * DAY, start + HOUR));
		const second = pollOnce(account, first.cursor, start + 2 * HOUR);
		expect([...second.emitted].sort()).toEqual([...burst].sort());
		const third = pollOnce(account, second.cursor, start + 3 * HOUR);
		expect(third.emitted).toEqual([]);
	});

	test('an idle account with history costs one page per poll', () => {
		const account = new SimulatedAccount('creation');
		for (let i = 0; i < 450; i++)
			account.insert(start - (i + 20) * DAY, start - (i + 20) * DAY + HOUR);
		const first = pollOnce(account, undefined, start);
		const second = pollOnce(account, first.cursor, start + HOUR);
		expect(second.emitted).toEqual([]);
		expect(second.pages).toBe(1);
	});
});
