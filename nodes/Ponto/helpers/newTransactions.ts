import type { JsonApiResource, TransactionDateField } from './interfaces';

/**
 * Finding the transactions of an account that are new since the last poll, exactly once.
 *
 * Ponto lists newest first by creation, only roughly by date, and has no date filter
 * (docs/ponto-api.md §5.2; docs/ponto-api.md §8: importers that stop on dates lose rows). A cursor
 * therefore keeps three things:
 * - `cutoff`: a date horizon (the latest date seen minus an overlap window). Every unseen
 *   transaction dated on or after it is new.
 * - `seen`: the ids known on or after the cutoff (emitted, or there before the trigger
 *   started), with their dates, so the overlap never emits twice; bounded in size.
 * - `anchors`: the ids at the top of the list at the last poll. An unseen transaction listed
 *   above an anchor was created since, however old its date (a back-dated or late-listed
 *   booking), so it is new too; unseen ones below the anchors and older than the cutoff are
 *   history the trigger started after. The search for an anchor goes on until one is found
 *   or the list ends, so a burst of back-dated bookings of any size is not cut off.
 * An account that listed nothing at the last poll has no anchor and no history: everything it
 * lists now was listed after the trigger started, so all of it is new, whatever its dates.
 * Legit twins (same amount, date and text) have different ids and are both emitted.
 */
export interface TransactionCursor {
	v: 1;
	/** Epoch ms: unseen transactions dated on or after this are new. */
	cutoff: number;
	/** Latest transaction date seen (epoch ms). */
	latest: number;
	/** id -> date (epoch ms) of known transactions dated on or after the cutoff. */
	seen: Record<string, number>;
	/** Ids at the top of the list at the last poll. */
	anchors: string[];
}

export interface ScanOptions {
	field: TransactionDateField;
	overlapMs: number;
	now: number;
	/** First run only: emit what is dated on or after this (a back-fill); otherwise nothing. */
	backfillSince?: number;
	/** Upper bound of `seen`; the cutoff moves up to keep it. */
	maxSeen?: number;
}

const ANCHORS = 20;
const DEFAULT_MAX_SEEN = 5_000;

function dateOf(resource: JsonApiResource, field: TransactionDateField): number {
	const value = Date.parse(String(resource.attributes?.[field] ?? ''));
	return Number.isNaN(value) ? 0 : value;
}

/** Latest of a transaction's dates: what decides whether a page is past the window. */
function latestDate(resource: JsonApiResource): number {
	return Math.max(
		...['executionDate', 'valueDate', 'createdAt'].map((field) => {
			const value = Date.parse(String(resource.attributes?.[field] ?? ''));
			return Number.isNaN(value) ? 0 : value;
		}),
	);
}

/** Feed pages in list order; `wantsMore` says whether to read the next one. */
export class NewTransactionScan {
	private readonly emitted: JsonApiResource[] = [];
	private readonly read = new Map<string, number>();
	private readonly topIds: string[] = [];
	private candidates: JsonApiResource[] = [];
	private anchorFound = false;
	private done = false;
	private readonly known: Set<string>;
	private readonly cutoff: number;
	/** The account listed nothing at the last poll: whatever it lists now is new. */
	private readonly wasEmpty: boolean;

	constructor(
		private readonly cursor: TransactionCursor | undefined,
		private readonly options: ScanOptions,
	) {
		this.known = new Set([...Object.keys(cursor?.seen ?? {}), ...(cursor?.anchors ?? [])]);
		this.cutoff = cursor
			? cursor.cutoff
			: Math.min(options.now - options.overlapMs, options.backfillSince ?? Infinity);
		this.wasEmpty = cursor !== undefined && this.known.size === 0;
	}

	get wantsMore(): boolean {
		return !this.done;
	}

	acceptPage(page: JsonApiResource[]): void {
		for (const transaction of page) {
			if (this.topIds.length < ANCHORS) this.topIds.push(transaction.id);
			const date = dateOf(transaction, this.options.field);
			this.read.set(transaction.id, date);
			if (!this.cursor) {
				if (this.options.backfillSince !== undefined && date >= this.options.backfillSince)
					this.emitted.push(transaction);
				continue;
			}
			if (this.wasEmpty) {
				this.emitted.push(transaction);
			} else if (this.known.has(transaction.id)) {
				this.anchorFound = true;
				this.emitted.push(...this.candidates);
				this.candidates = [];
			} else if (date >= this.cutoff) {
				this.emitted.push(transaction);
			} else if (!this.anchorFound) {
				this.candidates.push(transaction);
			}
		}
		const pastWindow =
			page.length === 0 || page.every((transaction) => latestDate(transaction) < this.cutoff);
		// Unconfirmed candidates keep the walk going until an anchor (or the end of the list).
		const anchorSettled = !this.cursor || this.anchorFound || this.candidates.length === 0;
		if (page.length === 0 || (pastWindow && anchorSettled && !this.wasEmpty)) this.done = true;
	}

	/** The list ended (no next page). */
	finish(): void {
		this.done = true;
	}

	/** New transactions in list order, and the cursor to store once they are in hand. */
	result(): { emitted: JsonApiResource[]; cursor: TransactionCursor } {
		// Candidates never confirmed by an anchor stay unemitted: without an anchor below
		// them they cannot be told from history (only when every anchor disappeared).
		const seen: Record<string, number> = {};
		let latest = this.cursor?.latest ?? 0;
		for (const [id, date] of Object.entries(this.cursor?.seen ?? {})) seen[id] = date;
		for (const [id, date] of this.read) {
			seen[id] = date;
			latest = Math.max(latest, date);
		}
		if (!this.cursor) latest = Math.max(latest, this.options.now - this.options.overlapMs);
		let cutoff = Math.max(
			this.cursor?.cutoff ?? 0,
			Math.min(latest, this.options.now) - this.options.overlapMs,
		);
		const maxSeen = this.options.maxSeen ?? DEFAULT_MAX_SEEN;
		let kept = Object.entries(seen).filter(([, date]) => date >= cutoff);
		if (kept.length > maxSeen) {
			// Keep the newest; the cutoff moves just past the newest dropped date, so nothing
			// dropped can count as new again (ties with it are dropped too).
			kept.sort((a, b) => b[1] - a[1]);
			cutoff = kept[maxSeen][1] + 1;
			kept = kept.filter(([, date]) => date >= cutoff);
		}
		const anchors = this.topIds.length ? this.topIds : (this.cursor?.anchors ?? []);
		return {
			emitted: this.emitted,
			cursor: { v: 1, cutoff, latest, seen: Object.fromEntries(kept), anchors },
		};
	}
}
