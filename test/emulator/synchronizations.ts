// Synchronization lifecycle (docs/ponto-api.md §3, §4.5, §5.3, §5.4). A synchronization is pending for
// pendingMs, running for runningMs, then ends in success or error. Time is evaluated lazily
// against the emulator clock (advance() runs before every request), so there are no timers
// to leak and a fake clock works.
import { isIP } from 'node:net';
import { addToAccount, recomputeBalance } from './ledger';
import type { Random } from './prng';
import type {
	Dataset,
	SynchronizationError,
	SynchronizationRecord,
	SynchronizationSubtype,
	TransactionAttributes,
} from './types';

export const SYNCHRONIZATION_SUBTYPES: readonly SynchronizationSubtype[] = [
	'accountDetails',
	'accountTransactions',
	'accountTransactionsWithUnsettled',
];

export interface SynchronizationSettings {
	pendingMs: number;
	runningMs: number;
	/** Same account + subtype again within this window -> 400. */
	minIntervalMs: number;
	/** Syncs without customerIpAddress allowed per account per rolling 24 h. */
	unattendedPerDay: number;
	/**
	 * What moves the ACCOUNT's meta.synchronizedAt (docs/ponto-api.md §4.2 leaves it open; the
	 * sample account-get.json shows it equal to an accountDetails synchronization's updatedAt):
	 * - 'everySynchronization' (default): every successful synchronization, whatever its subtype;
	 * - 'accountDetailsOnly': only accountDetails synchronizations. A transactions-only
	 *   synchronization then moves the transactions collection's meta.synchronizedAt but not the
	 *   account's; the account's meta.latestSynchronization is the most recent finished one of
	 *   any subtype (§4.2), so it does show it.
	 */
	accountSynchronizedAt: 'everySynchronization' | 'accountDetailsOnly';
}

/**
 * A bank that keeps booking, for the demo: Ponto learns of new bookings only by synchronizing
 * (docs/ponto-api.md §5.4: Ponto itself refreshes linked accounts several times a day). Off
 * unless set; tests queue exact bank data instead.
 */
export interface BankActivity {
	/** New booked transactions the bank has for each successful transaction synchronization: [min, max]. */
	perSynchronization: [number, number];
	/**
	 * Ponto's own scheduled refresh, compressed: every this many ms (emulator clock) every account
	 * that can synchronize gets perSynchronization new bookings. 0 = never.
	 */
	refreshEveryMs: number;
}

export const DEFAULT_SYNCHRONIZATION_SETTINGS: SynchronizationSettings = {
	pendingMs: 150,
	runningMs: 350,
	minIntervalMs: 10_000,
	unattendedPerDay: 4,
	accountSynchronizedAt: 'everySynchronization',
};

// ASSUMPTION: OCA saw HTTP 400 for a synchronization "probably recently done already"; the
// error code is not documented anywhere reachable (docs/ponto-api.md §5.3/§5.4). These codes are ours.
export const TOO_FREQUENT_CODE = 'synchronizationTooFrequent';
export const UNATTENDED_LIMIT_CODE = 'unattendedSynchronizationLimitReached';

export type SynchronizationRefusal = {
	status: number;
	code: string;
	detail: string;
	meta: Record<string, unknown>;
};
export type CreateResult =
	{ ok: true; sync: SynchronizationRecord } | ({ ok: false } & SynchronizationRefusal);

const DAY_MS = 86_400_000;

function invalid(attribute: string, detail: string): CreateResult {
	return { ok: false, status: 400, code: 'validationError', detail, meta: { attribute } };
}

export class SynchronizationEngine {
	private readonly plannedFailures = new Map<string, SynchronizationError[]>();
	/** When Ponto's scheduled refresh last ran (bank activity only); set on the first advance. */
	private lastRefreshMs?: number;

	constructor(
		private readonly dataset: () => Dataset,
		private readonly settings: () => SynchronizationSettings,
		private readonly rng: Random,
		private readonly activity: () => BankActivity | undefined = () => undefined,
	) {}

	failNext(accountId: string, errors: SynchronizationError[]): void {
		this.plannedFailures.set(accountId, errors);
	}

	/** POST /synchronizations with the parsed JSON body. */
	create(body: unknown, nowMs: number): CreateResult {
		const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
		if (!data || typeof data !== 'object')
			return invalid('data', 'The request body must be a JSON:API document with a data object.');
		const { type, attributes } = data as { type?: unknown; attributes?: unknown };
		if (type !== 'synchronization') return invalid('type', 'Type must be synchronization.');
		const attrs = (attributes && typeof attributes === 'object' ? attributes : {}) as Record<
			string,
			unknown
		>;
		if (attrs.resourceType !== 'account')
			return invalid('resourceType', 'Resource type must be account.');
		if (typeof attrs.resourceId !== 'string' || !attrs.resourceId)
			return invalid('resourceId', 'Resource id is required.');
		if (
			typeof attrs.subtype !== 'string' ||
			!(SYNCHRONIZATION_SUBTYPES as readonly string[]).includes(attrs.subtype)
		) {
			return invalid('subtype', `Subtype must be one of ${SYNCHRONIZATION_SUBTYPES.join(', ')}.`);
		}
		const ip = attrs.customerIpAddress;
		if (ip !== undefined && ip !== null && (typeof ip !== 'string' || !isIP(ip))) {
			return invalid('customerIpAddress', 'Customer IP address must be a valid IP address.');
		}
		const subtype = attrs.subtype as SynchronizationSubtype;
		const accountId = attrs.resourceId;
		const dataset = this.dataset();
		if (!dataset.accounts.some((a) => a.id === accountId)) {
			return {
				ok: false,
				status: 404,
				code: 'resourceNotFound',
				detail: 'The requested resource was not found.',
				meta: { resource: 'account' },
			};
		}
		const settings = this.settings();
		const own = dataset.synchronizations.filter((s) => s.attributes.resourceId === accountId);
		const recent = own.find(
			(s) =>
				s.attributes.subtype === subtype &&
				nowMs - Date.parse(s.attributes.createdAt) < settings.minIntervalMs,
		);
		if (recent) {
			const retryAfterSeconds = Math.ceil(
				(Date.parse(recent.attributes.createdAt) + settings.minIntervalMs - nowMs) / 1000,
			);
			return {
				ok: false,
				status: 400,
				code: TOO_FREQUENT_CODE,
				detail:
					'A synchronization of this type was requested for this account too recently. Try again later.',
				meta: { resource: 'synchronization', retryAfterSeconds },
			};
		}
		const unattended = typeof ip !== 'string';
		if (unattended) {
			const lastDay = own.filter(
				(s) => s.unattended && nowMs - Date.parse(s.attributes.createdAt) < DAY_MS,
			).length;
			if (lastDay >= settings.unattendedPerDay) {
				return {
					ok: false,
					status: 400,
					code: UNATTENDED_LIMIT_CODE,
					detail: `The account reached its limit of ${settings.unattendedPerDay} unattended synchronizations per 24 hours. Provide customerIpAddress when the customer is present.`,
					meta: { resource: 'synchronization', limit: settings.unattendedPerDay },
				};
			}
		}
		const iso = new Date(nowMs).toISOString();
		const sync: SynchronizationRecord = {
			id: this.rng.uuid(),
			attributes: {
				resourceType: 'account',
				resourceId: accountId,
				subtype,
				status: 'pending',
				errors: [],
				createdAt: iso,
				updatedAt: iso,
			},
			updatedTransactionIds: [],
			updatedPendingTransactionIds: [],
			unattended,
			finished: false,
		};
		if (!unattended) sync.attributes.customerIpAddress = ip as string;
		const planned = this.plannedFailures.get(accountId);
		if (planned) {
			sync.plannedErrors = planned;
			this.plannedFailures.delete(accountId);
		}
		dataset.synchronizations.push(sync);
		return { ok: true, sync };
	}

	/** Moves every unfinished synchronization along the clock and applies finished ones. */
	advance(nowMs: number): void {
		this.scheduledRefresh(nowMs);
		const { pendingMs, runningMs } = this.settings();
		for (const sync of this.dataset().synchronizations) {
			if (sync.finished) continue;
			const runningAt = Date.parse(sync.attributes.createdAt) + pendingMs;
			const doneAt = runningAt + runningMs;
			if (nowMs >= doneAt) this.finish(sync, doneAt);
			else if (nowMs >= runningAt && sync.attributes.status === 'pending') {
				sync.attributes.status = 'running';
				sync.attributes.updatedAt = new Date(runningAt).toISOString();
			}
		}
	}

	/** New bookings the bank has, when bank activity is on: a few random transactions. */
	private bankBookings(): Array<Partial<TransactionAttributes>> {
		const activity = this.activity();
		if (!activity) return [];
		const [min, max] = activity.perSynchronization;
		return Array.from({ length: this.rng.int(min, max) }, () => ({}));
	}

	/**
	 * Ponto's own refresh (bank activity only): once per elapsed interval, at most once per
	 * request, every account the bank answers for gets its new bookings, as a synchronization would.
	 */
	private scheduledRefresh(nowMs: number): void {
		const every = this.activity()?.refreshEveryMs ?? 0;
		if (every <= 0) return;
		if (this.lastRefreshMs === undefined) this.lastRefreshMs = nowMs;
		if (nowMs - this.lastRefreshMs < every) return;
		this.lastRefreshMs = nowMs;
		const dataset = this.dataset();
		const iso = new Date(nowMs).toISOString();
		for (const account of dataset.accounts) {
			const expires = account.attributes.authorizationExpirationExpectedAt;
			if (this.implicitErrors(dataset, account.financialInstitutionId, expires, nowMs).length)
				continue;
			const queued = [...account.bankQueue.transactions.splice(0), ...this.bankBookings()];
			addToAccount(dataset, account, this.rng, 'booked', queued, nowMs);
			account.syncMeta.account = { ...account.syncMeta.account, synchronizedAt: iso };
			account.syncMeta.transactions = { ...account.syncMeta.transactions, synchronizedAt: iso };
		}
	}

	private finish(sync: SynchronizationRecord, doneAtMs: number): void {
		const dataset = this.dataset();
		const account = dataset.accounts.find((a) => a.id === sync.attributes.resourceId);
		const iso = new Date(doneAtMs).toISOString();
		sync.finished = true;
		sync.attributes.updatedAt = iso;
		if (!account) {
			sync.attributes.status = 'error';
			sync.attributes.errors = [
				{ code: 'resourceNotFound', detail: 'The account no longer exists.', meta: {} },
			];
			return;
		}
		const errors =
			sync.plannedErrors ??
			this.implicitErrors(
				dataset,
				account.financialInstitutionId,
				account.attributes.authorizationExpirationExpectedAt,
				doneAtMs,
			);
		const subtype = sync.attributes.subtype;
		const touchesTransactions = subtype !== 'accountDetails';
		const withPending = subtype === 'accountTransactionsWithUnsettled';
		if (errors.length) {
			sync.attributes.status = 'error';
			sync.attributes.errors = errors;
			account.syncMeta.account.latestSynchronization = sync;
			if (touchesTransactions) account.syncMeta.transactions.latestSynchronization = sync;
			if (withPending) account.syncMeta.pendingTransactions.latestSynchronization = sync;
			return;
		}
		sync.attributes.status = 'success';
		const movesAccount =
			subtype === 'accountDetails' ||
			this.settings().accountSynchronizedAt === 'everySynchronization';
		account.syncMeta.account = {
			synchronizedAt: movesAccount ? iso : account.syncMeta.account.synchronizedAt,
			latestSynchronization: sync,
		};
		if (touchesTransactions) {
			const queued = [...account.bankQueue.transactions.splice(0), ...this.bankBookings()];
			const added = addToAccount(dataset, account, this.rng, 'booked', queued, doneAtMs);
			sync.updatedTransactionIds = added.map((t) => t.id);
			account.syncMeta.transactions = { synchronizedAt: iso, latestSynchronization: sync };
		} else {
			recomputeBalance(account, iso);
		}
		if (withPending) {
			const queued = account.bankQueue.pendingTransactions.splice(0);
			addToAccount(dataset, account, this.rng, 'pending', queued, doneAtMs);
			// Every pending item is re-read from the bank, so every one counts as updated.
			for (const p of account.pendingTransactions) p.attributes.updatedAt = iso;
			sync.updatedPendingTransactionIds = account.pendingTransactions.map((p) => p.id);
			account.syncMeta.pendingTransactions = { synchronizedAt: iso, latestSynchronization: sync };
		}
	}

	/**
	 * Bookings Ponto learned of by a transactions synchronization nobody asked for through the
	 * API (Ponto's own schedule): a finished accountTransactions synchronization is recorded and
	 * the metas move as the accountSynchronizedAt reading says. Returns false when the default
	 * reading keeps the older shortcut (only the synchronizedAt fields move, no record).
	 */
	recordScheduled(accountId: string, updatedTransactionIds: string[], nowMs: number): boolean {
		if (this.settings().accountSynchronizedAt === 'everySynchronization') return false;
		const account = this.dataset().accounts.find((a) => a.id === accountId);
		if (!account) return false;
		const iso = new Date(nowMs).toISOString();
		const sync: SynchronizationRecord = {
			id: this.rng.uuid(),
			attributes: {
				resourceType: 'account',
				resourceId: accountId,
				subtype: 'accountTransactions',
				status: 'success',
				errors: [],
				createdAt: iso,
				updatedAt: iso,
			},
			updatedTransactionIds,
			updatedPendingTransactionIds: [],
			unattended: false,
			finished: true,
		};
		this.dataset().synchronizations.push(sync);
		account.syncMeta.account = { ...account.syncMeta.account, latestSynchronization: sync };
		account.syncMeta.transactions = { synchronizedAt: iso, latestSynchronization: sync };
		return true;
	}

	/**
	 * Errors the bank side causes by itself. ASSUMPTIONS (codes not confirmed for Ponto Connect):
	 * an expired authorization fails with authorizationInvalid (the XS2A fixture's code), an
	 * institution in maintenance with financialInstitutionMaintenance.
	 */
	private implicitErrors(
		dataset: Dataset,
		fiId: string,
		authorizationExpiresAt: string,
		atMs: number,
	): SynchronizationError[] {
		if (Date.parse(authorizationExpiresAt) < atMs) {
			return [
				{
					code: 'authorizationInvalid',
					detail:
						'The authorization is invalid, you should ask the customer to reauthorize the account',
					meta: {},
				},
			];
		}
		const fi = dataset.financialInstitutions.find((f) => f.id === fiId)?.attributes;
		if (fi?.maintenanceType) {
			const from = fi.maintenanceFrom ? Date.parse(fi.maintenanceFrom) : -Infinity;
			const to = fi.maintenanceTo ? Date.parse(fi.maintenanceTo) : Infinity;
			if (atMs >= from && atMs <= to) {
				return [
					{
						code: 'financialInstitutionMaintenance',
						detail: `${fi.name} is under maintenance; try again later.`,
						meta: { maintenanceTo: fi.maintenanceTo },
					},
				];
			}
		}
		return [];
	}
}
