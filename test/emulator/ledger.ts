// Keeps an account's booked list, pending list and balances consistent when data changes.
import { fromCents, toCents } from './banking';
import { ensureCreationOrder } from './paging';
import type { Random } from './prng';
import { TransactionFactory } from './transactions';
import type { AccountRecord, Dataset, TransactionAttributes, TransactionResource } from './types';

/**
 * currentBalance = opening balance + sum of booked amounts, computed in integer cents;
 * currentBalanceReferenceDate = latest executionDate (unchanged when there are none).
 * availableBalance mirrors it (pending items do not reserve funds in the emulator).
 */
export function recomputeBalance(account: AccountRecord, observedAtIso?: string): void {
	let sum = 0;
	let latestExecution = '';
	for (const t of account.transactions) {
		sum += toCents(t.attributes.amount);
		if (t.attributes.executionDate > latestExecution) latestExecution = t.attributes.executionDate;
	}
	const a = account.attributes;
	const balance = fromCents(account.openingBalanceCents + sum);
	if (balance !== a.currentBalance && observedAtIso) {
		a.currentBalanceChangedAt = a.availableBalanceChangedAt = observedAtIso;
		a.currentBalanceVariationObservedAt = a.availableBalanceVariationObservedAt = observedAtIso;
	}
	a.currentBalance = a.availableBalance = balance;
	if (latestExecution)
		a.currentBalanceReferenceDate = a.availableBalanceReferenceDate = latestExecution;
}

export function factoryFor(
	dataset: Dataset,
	account: AccountRecord,
	rng: Random,
): TransactionFactory {
	const fi = dataset.financialInstitutions.find((f) => f.id === account.financialInstitutionId);
	return new TransactionFactory(
		rng,
		account.attributes.currency,
		fi ? fi.attributes.country : 'BE',
	);
}

/** Materializes caller data into resources created at createdAtMs, listed before older ones. */
export function addToAccount(
	dataset: Dataset,
	account: AccountRecord,
	rng: Random,
	kind: 'booked' | 'pending',
	partials: Partial<TransactionAttributes>[],
	createdAtMs: number,
	atTop = true,
): TransactionResource[] {
	const factory = factoryFor(dataset, account, rng);
	const type = kind === 'booked' ? 'transaction' : 'pendingTransaction';
	const created = partials.map((p) => {
		// atTop:false backfills history: created when booked, so it sorts among its date peers.
		const at = atTop
			? createdAtMs
			: Date.parse(p.executionDate ?? new Date(createdAtMs).toISOString()) + 6 * 3_600_000;
		return factory.complete(
			type,
			{ currency: account.attributes.currency, ...p },
			Math.min(at, createdAtMs),
		);
	});
	const list = kind === 'booked' ? account.transactions : account.pendingTransactions;
	list.unshift(...created);
	ensureCreationOrder(list);
	if (kind === 'booked') recomputeBalance(account, new Date(createdAtMs).toISOString());
	return created;
}
