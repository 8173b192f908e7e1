import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { flattenResource } from '../Ponto/helpers/flatten';
import type { JsonApiResource } from '../Ponto/helpers/interfaces';

/**
 * The 15 Ponto Connect webhook events every Ibanity SDK knows (docs/ponto-api.md §6.1),
 * sorted by display name. Events carry ids only; the transaction events point at a
 * synchronization whose updated (pending) transactions can be fetched.
 */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Account Details Updated',
		value: 'pontoConnect.account.detailsUpdated',
		description: 'A synchronization updated the details (e.g. balance) of an account',
	},
	{
		name: 'Account Pending Transactions Created',
		value: 'pontoConnect.account.pendingTransactionsCreated',
		description: 'A synchronization found new pending transactions',
	},
	{
		name: 'Account Pending Transactions Updated',
		value: 'pontoConnect.account.pendingTransactionsUpdated',
		description: 'A synchronization changed pending transactions',
	},
	{
		name: 'Account Reauthorized',
		value: 'pontoConnect.account.reauthorized',
		description: 'The bank access of an account was renewed',
	},
	{
		name: 'Account Transactions Created',
		value: 'pontoConnect.account.transactionsCreated',
		description: 'A synchronization found new booked transactions',
	},
	{
		name: 'Account Transactions Updated',
		value: 'pontoConnect.account.transactionsUpdated',
		description: 'A synchronization changed booked transactions',
	},
	{
		name: 'Integration Account Added',
		value: 'pontoConnect.integration.accountAdded',
		description: 'An account was added to the integration',
	},
	{
		name: 'Integration Account Revoked',
		value: 'pontoConnect.integration.accountRevoked',
		description: 'An account was removed from the integration',
	},
	{
		name: 'Integration Created',
		value: 'pontoConnect.integration.created',
		description: 'An organization linked the app',
	},
	{
		name: 'Integration Revoked',
		value: 'pontoConnect.integration.revoked',
		description: 'An organization unlinked the app',
	},
	{
		name: 'Organization Blocked',
		value: 'pontoConnect.organization.blocked',
		description: 'Ponto blocked an organization',
	},
	{
		name: 'Organization Unblocked',
		value: 'pontoConnect.organization.unblocked',
		description: 'Ponto unblocked an organization',
	},
	{
		name: 'Payment Request Closed',
		value: 'pontoConnect.paymentRequest.closed',
		description: 'A payment request was closed',
	},
	{
		name: 'Synchronization Failed',
		value: 'pontoConnect.synchronization.failed',
		description: 'A synchronization ended in error',
	},
	{
		name: 'Synchronization Succeeded Without Change',
		value: 'pontoConnect.synchronization.succeededWithoutChange',
		description: 'A synchronization found nothing new',
	},
];

export const ALL_EVENT_TYPES = EVENT_OPTIONS.map((option) => String(option.value));

/** Transaction events and the synchronization feed that holds their transactions. */
const TRANSACTION_FEEDS: Record<string, 'updated-transactions' | 'updated-pending-transactions'> = {
	'pontoConnect.account.transactionsCreated': 'updated-transactions',
	'pontoConnect.account.transactionsUpdated': 'updated-transactions',
	'pontoConnect.account.pendingTransactionsCreated': 'updated-pending-transactions',
	'pontoConnect.account.pendingTransactionsUpdated': 'updated-pending-transactions',
};

export function transactionFeedOf(eventType: string): string | undefined {
	return TRANSACTION_FEEDS[eventType];
}

/** The `data` of a webhook body, when it has the JSON:API shape of docs/ponto-api.md §6.1. */
export function parseEvent(rawBody: Buffer): JsonApiResource | undefined {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	const data = (body as { data?: unknown } | null)?.data as Partial<JsonApiResource> | undefined;
	if (
		!data ||
		typeof data !== 'object' ||
		typeof data.type !== 'string' ||
		typeof data.id !== 'string'
	)
		return undefined;
	return data as JsonApiResource;
}

/** id, type, the attributes at top level and `<relationship>Id` (accountId, synchronizationId, ...). */
export function flattenEvent(event: JsonApiResource): IDataObject {
	const { id, ...rest } = flattenResource(event);
	return { id, type: event.type, ...rest };
}

export function relatedId(event: JsonApiResource, relationship: string): string | undefined {
	const id = event.relationships?.[relationship]?.data?.id;
	return typeof id === 'string' ? id : undefined;
}
