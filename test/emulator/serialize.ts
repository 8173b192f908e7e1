// JSON:API resource objects, exactly in the shapes of test/fixtures/ponto-samples/*.json.
import type {
	AccountRecord,
	FinancialInstitutionRecord,
	SyncMeta,
	SynchronizationRecord,
	TransactionResource,
} from './types';

/** `base` = emulator URL + basePath, e.g. 'http://127.0.0.1:4010' or '.../ponto-connect'. */
export function serializeInstitution(fi: FinancialInstitutionRecord): object {
	return { type: 'financialInstitution', id: fi.id, attributes: { ...fi.attributes } };
}

/** The form used inside meta.latestSynchronization (no relationships), as in account-get.json. */
export function synchronizationSummary(sync: SynchronizationRecord): object {
	return { type: 'synchronization', id: sync.id, attributes: synchronizationAttributes(sync) };
}

function synchronizationAttributes(sync: SynchronizationRecord): object {
	const { customerIpAddress, ...rest } = sync.attributes;
	return customerIpAddress === undefined
		? { ...rest, errors: [...rest.errors] }
		: { ...rest, errors: [...rest.errors], customerIpAddress };
}

export function serializeSynchronization(base: string, sync: SynchronizationRecord): object {
	const related = `${base}/synchronizations/${sync.id}`;
	return {
		type: 'synchronization',
		id: sync.id,
		attributes: synchronizationAttributes(sync),
		relationships: {
			updatedTransactions: {
				links: { related: `${related}/updated-transactions`, meta: { type: 'transaction' } },
			},
			updatedPendingTransactions: {
				links: {
					related: `${related}/updated-pending-transactions`,
					meta: { type: 'pendingTransaction' },
				},
			},
		},
	};
}

export function syncMetaObject(meta: SyncMeta): {
	synchronizedAt: string | null;
	latestSynchronization: object | null;
} {
	return {
		synchronizedAt: meta.synchronizedAt,
		latestSynchronization: meta.latestSynchronization
			? synchronizationSummary(meta.latestSynchronization)
			: null,
	};
}

export function serializeAccount(base: string, account: AccountRecord): object {
	return {
		type: 'account',
		id: account.id,
		attributes: { ...account.attributes },
		relationships: {
			transactions: {
				links: {
					related: `${base}/accounts/${account.id}/transactions`,
					meta: { type: 'transaction' },
				},
			},
			financialInstitution: {
				links: { related: `${base}/financial-institutions/${account.financialInstitutionId}` },
				data: { type: 'financialInstitution', id: account.financialInstitutionId },
			},
		},
		meta: { ...syncMetaObject(account.syncMeta.account), availability: account.availability },
	};
}

export function serializeTransaction(
	base: string,
	accountId: string,
	tx: TransactionResource,
): object {
	return {
		type: tx.type,
		id: tx.id,
		attributes: { ...tx.attributes },
		relationships: {
			account: {
				links: { related: `${base}/accounts/${accountId}` },
				data: { type: 'account', id: accountId },
			},
		},
	};
}
