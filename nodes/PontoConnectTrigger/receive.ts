import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { flattenResource } from '../Ponto/helpers/flatten';
import type { JsonApiResource } from '../Ponto/helpers/interfaces';
import { isPontoId } from '../Ponto/helpers/validation';
import {
	MAX_WEBHOOK_BODY_BYTES,
	readWebhookHeader,
	verifyWebhookSignature,
} from '../Ponto/helpers/webhookJwt';
import { MAX_PAGE_SIZE, PontoClient } from '../Ponto/transport';
import { connectBaseUrl, tlsMaterial } from '../Ponto/transport/connectCredential';
import { jwksFetcher, lookupWebhookKey, webhookKeysUrl, WebhookKeysUnavailable } from '../Ponto/transport/webhookKeys';
import { bookedTransactionKey, eventKey, pendingTransactionKey } from '../Ponto/helpers/idempotency';
import { flattenEvent, parseEvent, relatedId, transactionFeedOf } from './events';
import { forgetDelivery, isFirstDelivery } from './replay';
import { readTriggerSettings } from './settings';
import type { TriggerSettings } from './settings';

/**
 * What the trigger does with each request to its URL. Every request is verified before
 * anything else happens (docs/ponto-api.md §6.2); a refused one gets a bare 401, never the
 * token, the body or the reason, which goes to the n8n log instead.
 */
const RECEIVED = 'Webhook received.';
const LOG_PREFIX = 'Ponto Connect Trigger';

function logMeta(context: IWebhookFunctions): IDataObject {
	return { node: context.getNode().name, workflowId: context.getWorkflow().id };
}

function refuse(context: IWebhookFunctions, reason: string): IWebhookResponseData {
	context.logger.warn(`${LOG_PREFIX}: refused a webhook request: ${reason}`, logMeta(context));
	context.getResponseObject().status(401).send('Unauthorized');
	return { noWebhookResponse: true };
}

/** The request may be genuine but n8n cannot check it (settings, key endpoint): not the sender's fault. */
function cannotVerify(context: IWebhookFunctions, status: 500 | 503, problem: string): IWebhookResponseData {
	context.logger.error(`${LOG_PREFIX}: cannot verify webhook requests: ${problem}`, logMeta(context));
	context.getResponseObject().status(status).send(status === 503 ? 'Service Unavailable' : 'Internal Server Error');
	return { noWebhookResponse: true };
}

/**
 * The body bytes as received. n8n reads them into `rawBody` before the node runs; if a
 * request arrives unread, n8n's own reader is used, after a Content-Length check.
 */
async function rawBodyOf(context: IWebhookFunctions): Promise<Buffer | undefined | 'tooLarge'> {
	const request = context.getRequestObject() as unknown as {
		rawBody?: unknown;
		readRawBody?: () => Promise<void>;
		readableEnded?: boolean;
		headers: Record<string, unknown>;
	};
	if (Number(request.headers['content-length']) > MAX_WEBHOOK_BODY_BYTES) return 'tooLarge';
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function' && request.readableEnded === false) {
		await request.readRawBody();
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** The synchronization's updated (pending) transactions, one item each, with the event named. */
async function transactionItems(context: IWebhookFunctions, event: JsonApiResource, feed: string): Promise<IDataObject[] | undefined> {
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
				const accountId = typeof flat.accountId === 'string' ? flat.accountId : (relatedId(event, 'account') ?? '');
				const idempotencyKey =
					transaction.type === 'pendingTransaction' ? pendingTransactionKey(accountId, transaction.id) : bookedTransactionKey(accountId, transaction.id);
				items.push({ ...flat, eventId: event.id, eventType: event.type, idempotencyKey });
			}
			return MAX_PAGE_SIZE;
		},
		{ resource: 'synchronization' },
	);
	return items;
}

export async function receiveWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	// Local checks first: a request refused here costs no key fetch and no credential read.
	const rawBody = await rawBodyOf(this);
	if (rawBody === 'tooLarge') return refuse(this, `body larger than the ${MAX_WEBHOOK_BODY_BYTES}-byte limit (Content-Length)`);
	if (!rawBody) return refuse(this, 'the raw request body is not available, so the digest cannot be checked');
	if (rawBody.length > MAX_WEBHOOK_BODY_BYTES) return refuse(this, `body of ${rawBody.length} bytes exceeds the ${MAX_WEBHOOK_BODY_BYTES}-byte limit`);
	const signature = this.getHeaderData().signature;
	const reading = readWebhookHeader(signature);
	if (!reading.ok) return refuse(this, reading.reason);
	let settings: TriggerSettings;
	try {
		settings = readTriggerSettings.call(this);
	} catch (error) {
		return cannotVerify(this, 500, `a parameter of the trigger is invalid: ${(error as Error).message}`);
	}

	const credentials = await this.getCredentials('pontoConnectOAuth2Api');
	const audience = text(credentials.applicationId);
	if (!audience) {
		return cannotVerify(this, 500, 'the Ponto Connect credential has no Application ID. Copy the application ID from the Ponto developer portal into the credential: it is the audience Ponto signs webhooks for.');
	}
	let tls: ReturnType<typeof tlsMaterial>;
	try {
		tls = tlsMaterial(credentials);
	} catch (error) {
		return cannotVerify(this, 500, `the TLS material of the credential is not usable to fetch the signing keys (${(error as Error).message})`);
	}
	const keysUrl = webhookKeysUrl(connectBaseUrl(credentials));
	let lookup: Awaited<ReturnType<typeof lookupWebhookKey>>;
	try {
		lookup = await lookupWebhookKey(keysUrl, reading.header.kid, jwksFetcher(this.helpers, keysUrl, tls));
	} catch (error) {
		const problem = error instanceof WebhookKeysUnavailable ? error.problem : 'unexpected error';
		return cannotVerify(this, 503, `the signing keys could not be fetched from ${keysUrl}: ${problem}`);
	}
	if (lookup.refreshProblem) {
		this.logger.warn(`${LOG_PREFIX}: refreshing the signing keys from ${keysUrl} failed (${lookup.refreshProblem}); the cached keys were used`, logMeta(this));
	}
	const verification = verifyWebhookSignature({
		signature,
		rawBody,
		keys: (kid) => (kid === reading.header.kid ? lookup.key : undefined),
		expectedIssuer: settings.expectedIssuer,
		expectedAudience: audience,
		now: Date.now() / 1000,
	});
	if (!verification.ok) return refuse(this, verification.reason);

	// Verified: from here on the request is Ponto's.
	const event = parseEvent(rawBody);
	if (!event) {
		this.logger.warn(`${LOG_PREFIX}: a verified webhook body is not a Ponto event (no data.type/data.id)`, logMeta(this));
		this.getResponseObject().status(400).send('Bad Request');
		return { noWebhookResponse: true };
	}
	if (!settings.events.includes(event.type)) return { webhookResponse: RECEIVED };
	// The same event twice (a replay of its token, a redelivery signed anew, after a restart or
	// on another instance) starts one execution only (replay.ts).
	const deliveryKey = `${this.getWorkflow().id ?? ''}/${this.getNode().id}/${event.id}`;
	const deliveries = this.getWorkflowStaticData('node');
	if (!isFirstDelivery(deliveryKey, event.id, deliveries)) {
		this.logger.info(`${LOG_PREFIX}: event ${event.id} was delivered before; no second execution`, logMeta(this));
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
		this.logger.error(`${LOG_PREFIX}: the transactions of verified event ${event.id} (${event.type}) could not be fetched: ${message}`, logMeta(this));
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
