import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	INodeExecutionData,
	IPollFunctions,
	IRun,
	ITriggerFunctions,
} from 'n8n-workflow';

import { flattenResource } from '../Ponto/helpers/flatten';
import { bookedTransactionKey, pendingTransactionKey } from '../Ponto/helpers/idempotency';
import type { JsonApiResource, PontoCredentialType } from '../Ponto/helpers/interfaces';
import { NewTransactionScan } from '../Ponto/helpers/newTransactions';
import { createSynchronization, waitForSynchronization } from '../Ponto/common/synchronization';
import { MAX_PAGE_SIZE, PontoClient } from '../Ponto/transport';
import { recentSynchronizations } from './state';
import type { AccountState, TriggerState } from './state';

/** A poll of either version of the trigger: n8n's poll context (v1) or trigger context (v2). */
export type PollContext = IPollFunctions | ITriggerFunctions;

const DAY_MS = 86_400_000;
/** Without a budget from n8n (1.x, and the v2 trigger) a poll stops itself after this. */
export const DEFAULT_BUDGET_MS = 4 * 60_000;
const SYNC_WAIT_MS = 60_000;
/**
 * Idle polls cost one request: an account whose synchronization mark (see synchronizationMark)
 * did not move since it was last read has nothing new (Ponto learns of bookings only by
 * synchronizing). As a safety net, in case a synchronization ever left both unchanged, every
 * account is read in full at least this often.
 */
export const FULL_CHECK_MS = 60 * 60_000;

/**
 * Version 1 (the polling node) under n8n's durable poll cursors (2.37+,
 * N8N_POLLER_DURABLE_CURSORS_ENABLED): n8n runs one poll when a workflow is published and does
 * not keep its state when it emits nothing (docs/reliability.md), so the first scheduled poll
 * would start from nothing again and take whatever was listed in
 * between as history. The state of a poll that started from nothing is therefore remembered in
 * this n8n instance for a day, and the next poll that starts from nothing continues from it.
 * Bounded: one entry per trigger node, consumed once a poll starts from a kept state.
 */
const FIRST_POLL_MEMORY_MS = 24 * 60 * 60_000;
const FIRST_POLL_MEMORY_ENTRIES = 500;
const firstPollStates = new Map<string, { state: string; at: number }>();

function rememberFirstPoll(key: string, state: TriggerState, now: number): void {
	for (const [k, entry] of firstPollStates)
		if (now - entry.at >= FIRST_POLL_MEMORY_MS) firstPollStates.delete(k);
	firstPollStates.delete(key);
	while (firstPollStates.size >= FIRST_POLL_MEMORY_ENTRIES)
		firstPollStates.delete(firstPollStates.keys().next().value as string);
	firstPollStates.set(key, { state: JSON.stringify(state), at: now });
}

function recallFirstPoll(key: string, event: TriggerEvent, now: number): TriggerState | undefined {
	const entry = firstPollStates.get(key);
	if (!entry || now - entry.at >= FIRST_POLL_MEMORY_MS) return undefined;
	const state = JSON.parse(entry.state) as TriggerState;
	return state.event === event ? state : undefined;
}

/** Tests: a restarted n8n instance remembers nothing. */
export function forgetFirstPolls(): void {
	firstPollStates.clear();
}

export type TriggerEvent = 'transaction' | 'pendingTransaction';

export interface PollSettings {
	authentication: PontoCredentialType;
	event: TriggerEvent;
	accountIds?: string[];
	backfillDays: number;
	overlapDays: number;
	synchronize: boolean;
	maxSynchronizationsPerDay: number;
}

async function listAccounts(client: PontoClient): Promise<JsonApiResource[]> {
	const accounts: JsonApiResource[] = [];
	await client.paginate('/accounts', MAX_PAGE_SIZE, (page) => {
		accounts.push(...page);
		return MAX_PAGE_SIZE;
	});
	return accounts;
}

function watchedAccounts(
	this: PollContext,
	all: JsonApiResource[],
	ids?: string[],
): JsonApiResource[] {
	if (!ids) return all;
	const missing = ids.filter((id) => !all.some((account) => account.id === id));
	if (missing.length) {
		throw new NodeOperationError(
			this.getNode(),
			`Account ${missing.join(', ')} is not shared with this integration`,
			{
				description:
					'Pick the accounts again: an account disappears when it is no longer shared with the integration in Ponto.',
			},
		);
	}
	return all.filter((account) => ids.includes(account.id));
}

/**
 * What says an account may have new data: its meta.synchronizedAt and its
 * meta.latestSynchronization (id, status time). Whether the account's synchronizedAt moves with a
 * transactions-only synchronization is not documented (the sample shows it with an
 * accountDetails one, docs/ponto-api.md §4.2); latestSynchronization is the most recent finished
 * synchronization of any subtype, so together they move with every synchronization in both
 * readings, and an idle poll stays one request (the account list).
 */
export function synchronizationMark(account: JsonApiResource): string | undefined {
	const meta = account.meta ?? {};
	const at = typeof meta.synchronizedAt === 'string' ? meta.synchronizedAt : '';
	const latest = meta.latestSynchronization as
		{ id?: unknown; attributes?: IDataObject } | null | undefined;
	const latestId = typeof latest?.id === 'string' ? latest.id : '';
	const latestAt =
		typeof latest?.attributes?.updatedAt === 'string' ? latest.attributes.updatedAt : '';
	return at || latestId ? `${at}|${latestId}|${latestAt}` : undefined;
}

function toItem(
	transaction: JsonApiResource,
	account: JsonApiResource,
	extra: IDataObject,
): INodeExecutionData {
	const idempotencyKey =
		transaction.type === 'pendingTransaction'
			? pendingTransactionKey(account.id, transaction.id)
			: bookedTransactionKey(account.id, transaction.id);
	return {
		json: {
			...flattenResource(transaction),
			accountId: account.id,
			accountReference: account.attributes?.reference ?? null,
			...extra,
			idempotencyKey,
		},
	};
}

/**
 * Asks Ponto to fetch fresh data from the bank, unless this account already had the user's
 * daily maximum of unattended synchronizations (PSD2 allows few). Never fails the poll: a
 * refused or failed synchronization is reported on the items and the data read as it is.
 */
async function synchronize(
	this: PollContext,
	client: PontoClient,
	account: JsonApiResource,
	settings: PollSettings,
	state: AccountState,
	now: number,
): Promise<{ note: IDataObject; synchronizations: number[] }> {
	const recent = recentSynchronizations(state, now);
	if (recent.length >= settings.maxSynchronizationsPerDay) {
		return {
			note: {
				status: 'skipped',
				reason: `daily maximum of ${settings.maxSynchronizationsPerDay} synchronizations reached for this account`,
			},
			synchronizations: recent,
		};
	}
	const subtype =
		settings.event === 'pendingTransaction'
			? 'accountTransactionsWithUnsettled'
			: 'accountTransactions';
	let created: JsonApiResource;
	try {
		created = await createSynchronization(client, { accountId: account.id, subtype });
	} catch (error) {
		return {
			note: { status: 'refused', reason: (error as Error).message },
			synchronizations: recent,
		};
	}
	const { synchronization } = await waitForSynchronization(client, created, {
		timeoutMs: SYNC_WAIT_MS,
	});
	const errors = (synchronization.attributes?.errors as IDataObject[] | undefined) ?? [];
	return {
		note: {
			status: synchronization.attributes?.status,
			id: synchronization.id,
			...(errors.length ? { errors } : {}),
		},
		synchronizations: [...recent, now],
	};
}

/** Manual "fetch test event": a few real recent records, state untouched. */
export async function sampleTransactions(
	this: PollContext,
	settings: PollSettings,
): Promise<INodeExecutionData[][]> {
	const client = await PontoClient.create(this, settings.authentication);
	const accounts = watchedAccounts.call(this, await listAccounts(client), settings.accountIds);
	const collection =
		settings.event === 'pendingTransaction' ? 'pending-transactions' : 'transactions';
	for (const account of accounts) {
		const { page } = await client.listPage(`/accounts/${account.id}/${collection}`, 3);
		if (page.length) return [page.map((transaction) => toItem(transaction, account, {}))];
	}
	throw new NodeOperationError(
		this.getNode(),
		`No ${settings.event === 'pendingTransaction' ? 'pending ' : ''}transactions in the watched accounts yet`,
		{
			description:
				'Once the bank reports one, it will show here. Check that the accounts are shared with the integration and synchronized in Ponto.',
		},
	);
}

/** What one poll found: the new records, and the accounts' state before the poll advanced it. */
export interface PollResult {
	items: INodeExecutionData[];
	previous: Record<string, AccountState>;
}

/**
 * One poll: every watched account read newest first until what it already knows, and the state
 * (the node's workflow static data) advanced only once all new records are in hand; the caller
 * hands them to n8n. A poll that fails part-way throws: nothing is emitted and nothing moves. A
 * poll running out of its time budget stops between accounts; the rest waits for the next tick.
 */
export async function readNewTransactions(
	this: PollContext,
	settings: PollSettings,
	budget: number,
): Promise<PollResult> {
	const client = await PontoClient.create(this, settings.authentication);
	const accounts = watchedAccounts.call(this, await listAccounts(client), settings.accountIds);
	const state = this.getWorkflowStaticData('node') as TriggerState;
	const started = Date.now();
	const previous = state.event === settings.event ? (state.accounts ?? {}) : {};
	const collection =
		settings.event === 'pendingTransaction' ? 'pending-transactions' : 'transactions';
	const first = accounts.length ? (state.next ?? 0) % accounts.length : 0;
	const order = [...accounts.slice(first), ...accounts.slice(0, first)];
	const updates: Record<string, AccountState> = {};
	const items: INodeExecutionData[] = [];
	const fullCheck =
		started - (state.event === settings.event ? (state.fullCheckAt ?? 0) : 0) >= FULL_CHECK_MS;
	let processed = 0;

	for (const account of order) {
		if (processed > 0 && Date.now() - started > budget * 0.5) break;
		const now = Date.now();
		const accountState = previous[account.id] ?? {};
		const mark = synchronizationMark(account);
		const unchanged =
			accountState.cursor && mark !== undefined && mark === accountState.synchronizationMark;
		if (unchanged && !fullCheck && !settings.synchronize) {
			processed++;
			continue;
		}
		let extra: IDataObject = {};
		let synchronizations = recentSynchronizations(accountState, now);
		// The first poll of an account only starts watching: no bank access spent on it.
		if (settings.synchronize && accountState.cursor) {
			const result = await synchronize.call(this, client, account, settings, accountState, now);
			extra = { synchronization: result.note };
			synchronizations = result.synchronizations;
		}
		const scan = new NewTransactionScan(accountState.cursor, {
			field: 'executionDate',
			overlapMs: settings.overlapDays * DAY_MS,
			now,
			backfillSince: settings.backfillDays > 0 ? now - settings.backfillDays * DAY_MS : undefined,
		});
		// paginate: a next-page link back to a page already read is an error, not pages twice.
		await client.paginate(`/accounts/${account.id}/${collection}`, MAX_PAGE_SIZE, (page) => {
			scan.acceptPage(page);
			return scan.wantsMore ? MAX_PAGE_SIZE : 0;
		});
		scan.finish();
		const { emitted, cursor } = scan.result();
		updates[account.id] = { cursor, synchronizations, synchronizationMark: mark };
		for (const transaction of emitted) items.push(toItem(transaction, account, extra));
		processed++;
	}

	// Everything is in hand: advance the state (n8n saves it with the emitted items).
	const kept: Record<string, AccountState> = {};
	for (const account of accounts)
		if (previous[account.id] || updates[account.id])
			kept[account.id] = updates[account.id] ?? previous[account.id];
	state.v = 1;
	state.event = settings.event;
	state.accounts = kept;
	state.next = accounts.length ? (first + processed) % accounts.length : 0;
	if (fullCheck && processed === accounts.length) state.fullCheckAt = started;
	return { items, previous };
}

/** One poll of the v1 (n8n polling) trigger: read, then hand the new records to n8n. */
export async function pollNewTransactions(
	this: IPollFunctions,
	settings: PollSettings,
): Promise<INodeExecutionData[][] | null> {
	if (this.getMode() === 'manual') return await sampleTransactions.call(this, settings);
	// Durable poll cursors only (see FIRST_POLL_MEMORY_MS): a poll that starts from nothing
	// continues from the state of the poll that did so before it in this instance.
	const state = this.getWorkflowStaticData('node') as TriggerState;
	const started = Date.now();
	const memoryKey = `${this.getWorkflow().id ?? ''}/${this.getNode().id}`;
	const fromNothing =
		state.event !== settings.event || Object.keys(state.accounts ?? {}).length === 0;
	if (fromNothing) {
		const recalled = recallFirstPoll(memoryKey, settings.event, started);
		if (recalled) Object.assign(state, recalled);
	} else firstPollStates.delete(memoryKey);
	const budget =
		typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : DEFAULT_BUDGET_MS;
	const { items, previous } = await readNewTransactions.call(this, settings, budget);
	if (fromNothing) rememberFirstPoll(memoryKey, state, started);
	if (!items.length) return null;
	return handOver.call(this, items, state, previous);
}

/** Whether a rejected run had an execution (cancelled, gone): then its items were handed over. */
export function executionExisted(error: unknown): boolean {
	const e = (error ?? {}) as {
		reason?: unknown;
		extra?: { executionId?: unknown };
		message?: unknown;
	};
	return (
		typeof e.reason === 'string' ||
		e.extra?.executionId !== undefined ||
		/no active execution/i.test(String(e.message ?? ''))
	);
}

/**
 * Hands the items to n8n. On n8n 2.x the trigger starts the run itself with a done promise
 * (what n8n does with a returned result, plus the outcome): n8n 2.41 saves the advanced state
 * first and then creates the execution, and only logs a failure of that insert (database busy
 * or full, a constraint). When the insert fails, this poll's cursors are put back in memory, so
 * the next poll emits the same bookings again (and n8n saves that state with it), instead of
 * losing them. The state n8n saved is the advanced one: an n8n that dies before the next poll
 * still loses them; n8n's durable poll cursors close that (docs/reliability.md). On 1.x, whose
 * poll emit leaves a failed run's done promise unsettled, the items are returned as before.
 */
function handOver(
	this: IPollFunctions,
	items: INodeExecutionData[],
	state: TriggerState,
	previous: Record<string, AccountState>,
): INodeExecutionData[][] | null {
	if (
		typeof this.getPollBudgetMs !== 'function' ||
		typeof this.helpers.createDeferredPromise !== 'function'
	)
		return [items];
	const handOverId = (state.handOvers ?? 0) + 1;
	state.handOvers = handOverId;
	const done = this.helpers.createDeferredPromise<IRun | undefined>();
	done.promise.then(
		() => undefined,
		(error: unknown) => {
			if (executionExisted(error)) return;
			if (state.handOvers !== handOverId) {
				this.logger.error(
					`Ponto Trigger: n8n did not store the execution of ${items.length} transactions and a later poll already ran; they cannot be emitted again`,
					{
						ids: items.map((item) => item.json.id),
					},
				);
				return;
			}
			const accounts = state.accounts ?? {};
			for (const [id, account] of Object.entries(accounts)) {
				const before = previous[id];
				accounts[id] = before
					? { ...account, cursor: before.cursor, synchronizationMark: before.synchronizationMark }
					: {};
			}
			state.accounts = accounts;
			this.logger.warn(
				`Ponto Trigger: n8n did not store the execution of ${items.length} transactions; the next poll emits them again`,
			);
		},
	);
	this.__emit([items], undefined, done);
	return null;
}
