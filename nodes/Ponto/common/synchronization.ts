import type { IDataObject } from 'n8n-workflow';

import type { JsonApiResource, SynchronizationSubtype } from '../helpers/interfaces';
import { pause } from '../transport';
import type { PontoClient } from '../transport';

// Asking Ponto to synchronize an account with its bank and waiting for the result: one piece for
// Synchronization > Create and the polling trigger's "Synchronize Before Each Poll".

const FIRST_POLL_MS = 500;
const MAX_POLL_MS = 5_000;

export interface SynchronizationRequest {
	accountId: string;
	subtype: SynchronizationSubtype;
	/** The person's address; without it the synchronization counts as unattended (PSD2). */
	customerIpAddress?: string;
}

/** POST /synchronizations; refusals (too soon, no consent) become the node's synchronization errors. */
export async function createSynchronization(
	client: PontoClient,
	request: SynchronizationRequest,
	itemIndex?: number,
): Promise<JsonApiResource> {
	const attributes: IDataObject = {
		resourceType: 'account',
		resourceId: request.accountId,
		subtype: request.subtype,
	};
	if (request.customerIpAddress) attributes.customerIpAddress = request.customerIpAddress;
	const document = await client.post(
		'/synchronizations',
		{ data: { type: 'synchronization', attributes } },
		{ itemIndex, resource: 'account', refusal: 'synchronization' },
	);
	return client.resourceOf(document, itemIndex);
}

export function isFinished(synchronization: JsonApiResource): boolean {
	const status = synchronization.attributes?.status;
	return status === 'success' || status === 'error';
}

/**
 * Reads GET /synchronizations/{id} with growing pauses until it ends (success or error), the
 * timeout passes or the execution is cancelled. Returns the last state read; `finished` says
 * whether it ended, so each caller decides what a timeout means for it.
 */
export async function waitForSynchronization(
	client: PontoClient,
	created: JsonApiResource,
	options: { timeoutMs: number; signal?: AbortSignal; itemIndex?: number },
): Promise<{ synchronization: JsonApiResource; finished: boolean }> {
	const deadline = Date.now() + options.timeoutMs;
	let synchronization = created;
	let interval = FIRST_POLL_MS;
	while (!isFinished(synchronization)) {
		const left = deadline - Date.now();
		if (left <= 0 || options.signal?.aborted) return { synchronization, finished: false };
		await pause(Math.min(interval, left), options.signal);
		synchronization = await client.getResource(`/synchronizations/${created.id}`, {
			itemIndex: options.itemIndex,
			resource: 'synchronization',
		});
		interval = Math.min(interval * 2, MAX_POLL_MS);
	}
	return { synchronization, finished: true };
}
