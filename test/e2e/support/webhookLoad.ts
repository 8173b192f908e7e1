import { randomUUID } from 'node:crypto';

import {
	postWebhookRequest,
	signJwt,
	WEBHOOK_EVENT_TYPES,
	WEBHOOK_FORGERIES,
} from '../../emulator';
import type {
	ConnectHandle,
	WebhookEventType,
	WebhookForgery,
	WebhookRequest,
} from '../../emulator';
import { Random } from '../../emulator/prng';
import type { Execution } from './server';

/**
 * The webhook load test's parts: a shuffled plan of valid and forged deliveries, a pool that
 * fires them at a fixed concurrency (each signed when it leaves, so no token expires in the
 * queue), probes that time n8n's health and API endpoints meanwhile, and a paging reader of
 * the executions n8n recorded.
 */

/** Forgeries the trigger must answer 401: the emulator's kinds plus a valid token signed by a key not in the JWKS. */
export type RefusedKind = WebhookForgery | 'wrongKey';
/** 'replay': a byte-identical copy of a valid delivery (same token): acknowledged, no second execution. */
export type DeliveryKind = 'valid' | RefusedKind | 'replay';

export interface PlannedDelivery {
	kind: DeliveryKind;
	eventType: WebhookEventType;
	/** Valid deliveries only: the event id, distinct across the plan. */
	eventId?: string;
}

/**
 * Relative frequencies of Ponto Connect events for a busy agency: mostly synchronization
 * outcomes and new transactions, a sprinkle of integration and payment-request events.
 */
const EVENT_WEIGHTS: Record<WebhookEventType, number> = {
	'pontoConnect.account.transactionsCreated': 30,
	'pontoConnect.account.detailsUpdated': 20,
	'pontoConnect.synchronization.succeededWithoutChange': 20,
	'pontoConnect.account.pendingTransactionsCreated': 8,
	'pontoConnect.account.pendingTransactionsUpdated': 5,
	'pontoConnect.account.transactionsUpdated': 5,
	'pontoConnect.synchronization.failed': 3,
	'pontoConnect.account.reauthorized': 2,
	'pontoConnect.integration.accountAdded': 2,
	'pontoConnect.paymentRequest.closed': 2,
	'pontoConnect.integration.accountRevoked': 1,
	'pontoConnect.integration.created': 1,
	'pontoConnect.integration.revoked': 1,
	'pontoConnect.organization.blocked': 1,
	'pontoConnect.organization.unblocked': 1,
};

export const REFUSED_KINDS: readonly RefusedKind[] = [...WEBHOOK_FORGERIES, 'wrongKey'];

function weightedType(random: Random): WebhookEventType {
	const total = WEBHOOK_EVENT_TYPES.reduce((sum, type) => sum + EVENT_WEIGHTS[type], 0);
	let draw = random.next() * total;
	for (const type of WEBHOOK_EVENT_TYPES) {
		draw -= EVENT_WEIGHTS[type];
		if (draw < 0) return type;
	}
	return WEBHOOK_EVENT_TYPES[0];
}

/**
 * `valid` signed events (every type at least once, then weighted) and `perKind` deliveries of
 * each refused kind and of replays, shuffled with a seed. Replays sit after the first tenth so
 * a valid delivery exists to copy.
 */
export function planDeliveries(valid: number, perKind: number, seed = 2026): PlannedDelivery[] {
	const random = new Random(seed);
	const events: PlannedDelivery[] = Array.from({ length: valid }, (_unused, index) => ({
		kind: 'valid',
		eventType:
			index < WEBHOOK_EVENT_TYPES.length ? WEBHOOK_EVENT_TYPES[index] : weightedType(random),
		eventId: randomUUID(),
	}));
	const forged: PlannedDelivery[] = REFUSED_KINDS.flatMap((kind) =>
		Array.from({ length: perKind }, () => ({ kind, eventType: weightedType(random) })),
	);
	const plan = [...events, ...forged];
	for (let i = plan.length - 1; i > 0; i--) {
		const j = random.int(0, i);
		[plan[i], plan[j]] = [plan[j], plan[i]];
	}
	const replays: PlannedDelivery[] = Array.from({ length: perKind }, () => ({
		kind: 'replay',
		eventType: WEBHOOK_EVENT_TYPES[0],
	}));
	const head = Math.ceil(plan.length / 10);
	for (const replay of replays) plan.splice(random.int(head, plan.length), 0, replay);
	return plan;
}

export interface DeliveryResult {
	kind: DeliveryKind;
	eventType: WebhookEventType;
	eventId?: string;
	/** HTTP status, 0 when the request failed without an answer. */
	status: number;
	body: string;
	error?: string;
	startedAt: number;
	ms: number;
}

export interface Signer {
	connect: ConnectHandle;
	/** PEM private key of a key pair that is not in the JWKS (signs 'wrongKey' under the real kid). */
	foreignPrivateKey: string;
}

/** The request for one planned delivery, signed now. `lastValid` is what a replay copies. */
function buildRequest(
	signer: Signer,
	planned: PlannedDelivery,
	lastValid: WebhookRequest | undefined,
): WebhookRequest {
	const { connect } = signer;
	if (planned.kind === 'replay') {
		if (!lastValid) throw new Error('a replay was planned before any valid delivery');
		return lastValid;
	}
	const event = connect.webhookEvent(
		planned.eventType,
		planned.eventId ? { id: planned.eventId } : {},
	);
	if (planned.kind === 'valid') return connect.buildWebhook(event);
	if (planned.kind === 'wrongKey') {
		const request = connect.buildWebhook(event);
		const token = signJwt(request.header, request.claims, signer.foreignPrivateKey);
		return { ...request, token, headers: { ...request.headers, signature: token } };
	}
	return connect.buildWebhook(event, { forge: planned.kind });
}

/** Fires the plan at `url`, `concurrency` requests in flight, in plan order. */
export async function fireDeliveries(
	url: string,
	plan: readonly PlannedDelivery[],
	signer: Signer,
	concurrency: number,
): Promise<DeliveryResult[]> {
	const results: DeliveryResult[] = new Array<DeliveryResult>(plan.length);
	let next = 0;
	let lastValid: WebhookRequest | undefined;
	const worker = async (): Promise<void> => {
		while (next < plan.length) {
			const index = next++;
			const planned = plan[index];
			const request = buildRequest(signer, planned, lastValid);
			if (planned.kind === 'valid') lastValid = request;
			const startedAt = Date.now();
			const result: DeliveryResult = {
				kind: planned.kind,
				eventType: planned.eventType,
				eventId: planned.eventId,
				status: 0,
				body: '',
				startedAt,
				ms: 0,
			};
			try {
				const response = await postWebhookRequest(url, request);
				result.status = response.status;
				result.body = response.body.slice(0, 200);
			} catch (error) {
				result.error =
					error instanceof Error
						? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`.trim()
						: String(error);
			}
			result.ms = Date.now() - startedAt;
			results[index] = result;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
	return results;
}

export interface ProbeSample {
	at: number;
	ms: number;
	/** 0: no answer (network error or the probe's timeout). */
	status: number;
}

/**
 * GETs `url` every `everyMs` without waiting for the previous probe, so a stalled n8n shows up
 * as probes that take long or never answer, not as fewer probes. A probe gives up after `timeoutMs`.
 */
export function startProbe(
	url: string,
	everyMs: number,
	timeoutMs: number,
	headers: Record<string, string> = {},
): { stop(): Promise<ProbeSample[]> } {
	const samples: ProbeSample[] = [];
	const pending = new Set<Promise<void>>();
	const probe = (): void => {
		const at = Date.now();
		const sample: ProbeSample = { at, ms: 0, status: 0 };
		const done = (async () => {
			try {
				const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
				await response.arrayBuffer();
				sample.status = response.status;
			} catch {
				sample.status = 0;
			}
			sample.ms = Date.now() - at;
			samples.push(sample);
		})();
		pending.add(done);
		void done.finally(() => pending.delete(done));
	};
	probe();
	const timer = setInterval(probe, everyMs);
	return {
		async stop() {
			clearInterval(timer);
			await Promise.all([...pending]);
			return samples.sort((a, b) => a.at - b.at);
		},
	};
}

/** An execution as the public API lists it, with the time n8n stored its end. */
export type RecordedExecution = Execution & { stoppedAt?: string | null };

/** Statuses of an execution that has ended (the API also lists queued 'new' ones). */
const ENDED = new Set(['success', 'error', 'crashed', 'canceled']);

export function hasEnded(execution: RecordedExecution): boolean {
	return ENDED.has(String(execution.status));
}

/**
 * The executions of a workflow n8n recorded, except those still running (public API, 250 a
 * page, following nextCursor).
 */
export async function listExecutions(
	baseUrl: string,
	apiKey: string,
	workflowId: string,
	includeData: boolean,
): Promise<RecordedExecution[]> {
	const all: RecordedExecution[] = [];
	let cursor: string | undefined;
	do {
		const query = new URLSearchParams({
			workflowId,
			includeData: String(includeData),
			limit: '250',
			...(cursor ? { cursor } : {}),
		});
		const response = await fetch(`${baseUrl}/api/v1/executions?${query.toString()}`, {
			headers: { 'X-N8N-API-KEY': apiKey },
		});
		if (!response.ok)
			throw new Error(`GET /api/v1/executions: HTTP ${response.status} ${await response.text()}`);
		const page = (await response.json()) as {
			data: RecordedExecution[];
			nextCursor?: string | null;
		};
		all.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all;
}

/** The p-th percentile (0..100) of the values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Counts of a list by a key, for messages. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}
