import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { flattenResource } from '../Ponto/helpers/flatten';
import type { JsonApiResource } from '../Ponto/helpers/interfaces';
import { isPontoId } from '../Ponto/helpers/validation';
import { MAX_PAGE_SIZE, PontoClient } from '../Ponto/transport';
import {
	bookedTransactionKey,
	eventKey,
	pendingTransactionKey,
} from '../Ponto/helpers/idempotency';
import { flattenEvent, parseEvent, relatedId, transactionFeedOf } from './events';
import { forgetDelivery, isFirstDelivery } from './replay';
import { LOG_PREFIX, logMeta, verifyDelivery } from './verify';

// What a verified delivery starts: the event (or its synchronization's transactions) once, as
// the trigger's settings say. verify.ts has checked the request before.

const RECEIVED = 'Webhook received.';

/** The synchronization's updated (pending) transactions, one item each, with the event named. */
async function transactionItems(
	context: IWebhookFunctions,
	event: JsonApiResource,
	feed: string,
): Promise<IDataObject[] | undefined> {
	const synchronizationId = relatedId(event, 'synchronization');
	if (!isPontoId(synchronizationId)) return undefined;
	const client = await PontoClient.create(context, 'pontoConnectOAuth2Api');
	const items: IDataObject[] = [];
	await client.paginate(
		`/synchronizations/${synchronizationId}/${feed}`,
		MAX_PAGE_SIZE,
		(page) => {
			for (const transaction of page) {
				const flat = flattenResource(transaction);
				const accountId =
					typeof flat.accountId === 'string' ? flat.accountId : (relatedId(event, 'account') ?? '');
				const idempotencyKey =
					transaction.type === 'pendingTransaction'
						? pendingTransactionKey(accountId, transaction.id)
						: bookedTransactionKey(accountId, transaction.id);
				items.push({ ...flat, eventId: event.id, eventType: event.type, idempotencyKey });
			}
			return MAX_PAGE_SIZE;
		},
		{ resource: 'synchronization' },
	);
	return items;
}

export async function receiveWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const delivery = await verifyDelivery(this);
	if ('answered' in delivery) return delivery.answered;
	const { rawBody, settings } = delivery;

	const event = parseEvent(rawBody);
	if (!event) {
		this.logger.warn(
			`${LOG_PREFIX}: a verified webhook body is not a Ponto event (no data.type/data.id)`,
			logMeta(this),
		);
		this.getResponseObject().status(400).send('Bad Request');
		return { noWebhookResponse: true };
	}
	if (!settings.events.includes(event.type)) return { webhookResponse: RECEIVED };
	// The same event twice (a replay of its token, a redelivery signed anew, after a restart or
	// on another instance) starts one execution only (replay.ts).
	const deliveryKey = `${this.getWorkflow().id ?? ''}/${this.getNode().id}/${event.id}`;
	const deliveries = this.getWorkflowStaticData('node');
	if (!isFirstDelivery(deliveryKey, event.id, deliveries)) {
		this.logger.info(
			`${LOG_PREFIX}: event ${event.id} was delivered before; no second execution`,
			logMeta(this),
		);
		return { webhookResponse: RECEIVED };
	}
	let items: IDataObject[] | undefined;
	try {
		const feed = transactionFeedOf(event.type);
		if (settings.emitTransactions && feed) items = await transactionItems(this, event, feed);
	} catch (error) {
		// Said in the log and answered 500, so a redelivery (which is then not a replay) may succeed.
		forgetDelivery(deliveryKey, event.id, deliveries);
		const message = error instanceof Error ? error.message : 'unknown error';
		this.logger.error(
			`${LOG_PREFIX}: the transactions of verified event ${event.id} (${event.type}) could not be fetched: ${message}`,
			logMeta(this),
		);
		this.getResponseObject().status(500).send('Internal Server Error');
		return { noWebhookResponse: true };
	}
	items ??= [{ ...flattenEvent(event), idempotencyKey: eventKey(event.id) }];
	if (items.length === 0) return { webhookResponse: RECEIVED };
	// n8n starts the execution after this returns and only then answers: 200 once it is started,
	// 500 when it could not start it (under load, SQLite's write lock can time out). A delivery
	// n8n failed stays redeliverable: the same token then counts as new, not as a replay.
	const response = this.getResponseObject();
	response.once('finish', () => {
		if (response.statusCode >= 300) forgetDelivery(deliveryKey, event.id, deliveries);
	});
	return { workflowData: [this.helpers.returnJsonArray(items)] };
}
