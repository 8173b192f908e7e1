import { createHash } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { TlsMaterial } from '../Ponto/helpers/pem';
import {
	MAX_WEBHOOK_BODY_BYTES,
	readWebhookHeader,
	verifyWebhookSignature,
} from '../Ponto/helpers/webhookJwt';
import { connectBaseUrl, tlsMaterial } from '../Ponto/transport/connectCredential';
import {
	jwksFetcher,
	lookupWebhookKey,
	webhookKeysUrl,
	WebhookKeysUnavailable,
} from '../Ponto/transport/webhookKeys';
import { readTriggerSettings } from './settings';
import type { TriggerSettings } from './settings';

// Verifying a request to the trigger's URL before anything else happens (docs/ponto-api.md
// §6.2): a refused one gets a bare 401, never the token, the body or the reason, which goes to
// the n8n log instead. receive.ts decides what a verified delivery starts.

export const LOG_PREFIX = 'Ponto Connect Trigger';

export function logMeta(context: IWebhookFunctions): IDataObject {
	return { node: context.getNode().name, workflowId: context.getWorkflow().id };
}

function refuse(context: IWebhookFunctions, reason: string): IWebhookResponseData {
	context.logger.warn(`${LOG_PREFIX}: refused a webhook request: ${reason}`, logMeta(context));
	context.getResponseObject().status(401).send('Unauthorized');
	return { noWebhookResponse: true };
}

/** The request may be genuine but n8n cannot check it (settings, key endpoint): not the sender's fault. */
function cannotVerify(
	context: IWebhookFunctions,
	status: 500 | 503,
	problem: string,
): IWebhookResponseData {
	context.logger.error(
		`${LOG_PREFIX}: cannot verify webhook requests: ${problem}`,
		logMeta(context),
	);
	context
		.getResponseObject()
		.status(status)
		.send(status === 503 ? 'Service Unavailable' : 'Internal Server Error');
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
	if (
		!Buffer.isBuffer(request.rawBody) &&
		typeof request.readRawBody === 'function' &&
		request.readableEnded === false
	) {
		await request.readRawBody();
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/**
 * The credential's TLS material, checked (certificate and key parsed, the key decrypted), per
 * content: parsing costs about ten times a refused request, so it is done once per credential
 * content, not for every delivery. A problem is kept as its message.
 */
const TLS_CACHE_SIZE = 16;
const tlsByContent = new Map<string, TlsMaterial | string>();

function checkedTlsMaterial(credentials: ICredentialDataDecryptedObject): TlsMaterial | string {
	const content = createHash('sha256');
	for (const field of ['certificate', 'privateKey', 'passphrase', 'ca'])
		content.update(`${String(credentials[field] ?? '')}\u0000`);
	const key = content.digest('hex');
	let checked = tlsByContent.get(key);
	if (checked === undefined) {
		try {
			checked = tlsMaterial(credentials);
		} catch (error) {
			checked = (error as Error).message;
		}
		if (tlsByContent.size >= TLS_CACHE_SIZE)
			tlsByContent.delete(tlsByContent.keys().next().value as string);
		tlsByContent.set(key, checked);
	}
	return checked;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** A verified delivery: its bytes and the trigger's settings. */
export interface VerifiedDelivery {
	rawBody: Buffer;
	settings: TriggerSettings;
}

/**
 * Checks one request: size, signature header, the trigger's settings, the credential's
 * Application ID, the signing key (fetched over mTLS only when due) and the RS512 signature with
 * its digest, issuer, audience and times. Returns the verified delivery, or the answer already
 * sent (401 for the sender's fault, 500/503 when n8n cannot check).
 */
export async function verifyDelivery(
	context: IWebhookFunctions,
): Promise<VerifiedDelivery | { answered: IWebhookResponseData }> {
	// Local checks first: a request refused here costs no key fetch and no credential read.
	const rawBody = await rawBodyOf(context);
	if (rawBody === 'tooLarge')
		return {
			answered: refuse(
				context,
				`body larger than the ${MAX_WEBHOOK_BODY_BYTES}-byte limit (Content-Length)`,
			),
		};
	if (!rawBody)
		return {
			answered: refuse(
				context,
				'the raw request body is not available, so the digest cannot be checked',
			),
		};
	if (rawBody.length > MAX_WEBHOOK_BODY_BYTES)
		return {
			answered: refuse(
				context,
				`body of ${rawBody.length} bytes exceeds the ${MAX_WEBHOOK_BODY_BYTES}-byte limit`,
			),
		};
	const signature = context.getHeaderData().signature;
	const reading = readWebhookHeader(signature);
	if (!reading.ok) return { answered: refuse(context, reading.reason) };
	let settings: TriggerSettings;
	try {
		settings = readTriggerSettings.call(context);
	} catch (error) {
		return {
			answered: cannotVerify(
				context,
				500,
				`a parameter of the trigger is invalid: ${(error as Error).message}`,
			),
		};
	}

	const credentials = await context.getCredentials('pontoConnectOAuth2Api');
	const audience = text(credentials.applicationId);
	if (!audience) {
		return {
			answered: cannotVerify(
				context,
				500,
				'the Ponto Connect credential has no Application ID. Copy the application ID from the Ponto developer portal into the credential: it is the audience Ponto signs webhooks for.',
			),
		};
	}
	const keysUrl = webhookKeysUrl(connectBaseUrl(credentials));
	// The TLS material is read only when a key fetch is due, and parsed once per content.
	let tlsProblem: string | undefined;
	const fetchJwks = async () => {
		const tls = checkedTlsMaterial(credentials);
		if (typeof tls === 'string') {
			tlsProblem = tls;
			throw new WebhookKeysUnavailable(tls);
		}
		return await jwksFetcher(context.helpers, keysUrl, tls)();
	};
	let lookup: Awaited<ReturnType<typeof lookupWebhookKey>>;
	try {
		lookup = await lookupWebhookKey(keysUrl, reading.header.kid, fetchJwks);
	} catch (error) {
		if (tlsProblem !== undefined)
			return {
				answered: cannotVerify(
					context,
					500,
					`the TLS material of the credential is not usable to fetch the signing keys (${tlsProblem})`,
				),
			};
		const problem = error instanceof WebhookKeysUnavailable ? error.problem : 'unexpected error';
		return {
			answered: cannotVerify(
				context,
				503,
				`the signing keys could not be fetched from ${keysUrl}: ${problem}`,
			),
		};
	}
	if (lookup.refreshProblem) {
		context.logger.warn(
			`${LOG_PREFIX}: refreshing the signing keys from ${keysUrl} failed (${lookup.refreshProblem}); the cached keys were used`,
			logMeta(context),
		);
	}
	const verification = verifyWebhookSignature({
		signature,
		rawBody,
		keys: (kid) => (kid === reading.header.kid ? lookup.key : undefined),
		expectedIssuer: settings.expectedIssuer,
		expectedAudience: audience,
		now: Date.now() / 1000,
	});
	if (!verification.ok) return { answered: refuse(context, verification.reason) };
	return { rawBody, settings };
}
