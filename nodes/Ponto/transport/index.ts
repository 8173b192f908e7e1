import { randomUUID } from 'node:crypto';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';

import { describeFailure, describeMalformed, failureToJson } from '../helpers/errors';
import type { PontoFailure } from '../helpers/errors';
import type { JsonApiDocument, JsonApiResource, PontoCredentialType } from '../helpers/interfaces';
import { connectBaseUrl, storedTokensRotated } from './connectCredential';
import { problemInPage, problemInResource, readResponseBody } from '../helpers/responseShape';
import type { ResponseBody } from '../helpers/responseShape';
import { failureFromError, header, isRetryable, NO_REDIRECTS } from './failure';
import { nextPageUrl, pageKey } from './paging';
import { pause } from './pause';

export { pause };

/**
 * The only door to the Ponto API: URLs, authentication (through n8n's credential helpers),
 * cursor paging, retries and error mapping live here and nowhere else.
 */
export type PontoContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| ITriggerFunctions
	| IWebhookFunctions;

/** Ponto's maximum page size (`page[limit]` 1-100, docs/ponto-api.md §5.2). */
export const MAX_PAGE_SIZE = 100;
/** Idle time without a byte from Ponto before a request is given up (axios socket timeout). */
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_RETRIES = 4;
/** A server that does not answer is tried twice, not five times: about a minute, not three. */
const MAX_TIMEOUT_RETRIES = 1;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
/** A Retry-After beyond this is not waited out inside an execution; the error says so. */
const MAX_RETRY_AFTER_S = 60;

export interface RequestOptions {
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** Resource name for "not found" messages. */
	resource?: string;
	/** What a 4xx refusal means for this call, for the advice in the error. */
	refusal?: PontoFailure['refusal'];
	/** Ponto Connect POST: this Ibanity-Idempotency-Key instead of a fresh one (payments derive it from their content). */
	idempotencyKey?: string;
}

/**
 * Called with every page; returns how many records the next page should hold (0 stops).
 * Returning the remaining wanted count keeps `limit` requests at ceil(limit / 100).
 */
export type PageHandler = (page: JsonApiResource[], document: JsonApiDocument) => number;

export interface ClientHooks {
	/** Ponto answered 429: callers can slow down (fewer items in parallel). */
	onRateLimited?: () => void;
}

export function normalizeBaseUrl(value: unknown): string {
	const text =
		typeof value === 'string' && value.trim() !== '' ? value.trim() : 'https://api.myponto.com';
	return text.replace(/\/+$/, '');
}

function isHttpUrl(text: string): boolean {
	try {
		return ['http:', 'https:'].includes(new URL(text).protocol);
	} catch {
		return false;
	}
}

export class PontoClient {
	private constructor(
		private readonly context: PontoContext,
		readonly credentialType: PontoCredentialType,
		readonly baseUrl: string,
		private readonly hooks: ClientHooks,
	) {}

	static async create(
		context: PontoContext,
		credentialType: PontoCredentialType = 'pontoOAuth2Api',
		hooks: ClientHooks = {},
	): Promise<PontoClient> {
		const credentials = await context.getCredentials(credentialType);
		const baseUrl =
			credentialType === 'pontoConnectOAuth2Api'
				? `${connectBaseUrl(credentials)}/ponto-connect`
				: normalizeBaseUrl(credentials.baseUrl);
		if (!isHttpUrl(baseUrl)) {
			throw new NodeOperationError(
				context.getNode(),
				`The API Base URL of the Ponto credential is not a web address: "${baseUrl.slice(0, 100)}"`,
				{
					description:
						'Open the credential and set API Base URL to https://api.myponto.com (or the URL of your Ponto emulator or proxy).',
				},
			);
		}
		return new PontoClient(context, credentialType, baseUrl, hooks);
	}

	async get(path: string, options: RequestOptions = {}): Promise<JsonApiDocument> {
		return await this.request('GET', path, options);
	}

	async post(
		path: string,
		body: IDataObject,
		options: RequestOptions = {},
	): Promise<JsonApiDocument> {
		return await this.request('POST', path, { ...options, body });
	}

	async delete(path: string, options: RequestOptions = {}): Promise<JsonApiDocument> {
		return await this.request('DELETE', path, options);
	}

	/** Ponto Connect: whether the credential is the Connect app (its operations need it). */
	get isConnect(): boolean {
		return this.credentialType === 'pontoConnectOAuth2Api';
	}

	/** One resource by path; a missing `data` object is an API fault, not an empty result. */
	async getResource(path: string, options: RequestOptions = {}): Promise<JsonApiResource> {
		return this.resourceOf(await this.get(path, options), options.itemIndex);
	}

	/** The single resource of a document (GET one, or what a POST created). */
	resourceOf(document: JsonApiDocument, itemIndex?: number): JsonApiResource {
		const data = document.data;
		if (!data || Array.isArray(data))
			throw this.malformed('a single resource was expected', itemIndex);
		const problem = problemInResource(data);
		if (problem !== undefined) throw this.malformed(problem, itemIndex);
		return data;
	}

	/**
	 * One page of a collection. `pathOrNextLink` is a path for the first page or a
	 * `links.next` value for a later one (checked to stay on the API's origin).
	 */
	async listPage(
		pathOrNextLink: string,
		pageSize: number,
		options: RequestOptions = {},
	): Promise<{ page: JsonApiResource[]; document: JsonApiDocument; next?: string; url: string }> {
		const size = clampPageSize(pageSize) || 1;
		let url: string;
		let qs: IDataObject | undefined;
		if (pathOrNextLink.startsWith('/')) {
			url = this.url(pathOrNextLink);
			qs = { ...options.qs, 'page[limit]': size };
		} else {
			const following = nextPageUrl(pathOrNextLink, this.baseUrl, size);
			if ('problem' in following) throw this.malformed(following.problem, options.itemIndex);
			url = following.url;
		}
		url = withQuery(url, qs);
		const document = await this.request('GET', url, { ...options, qs: undefined });
		if (!Array.isArray(document.data)) {
			throw this.malformed('a list of resources was expected', options.itemIndex);
		}
		const problem = problemInPage(document.data, size);
		if (problem !== undefined) throw this.malformed(problem, options.itemIndex);
		const next = document.links?.next;
		return {
			page: document.data,
			document,
			next: typeof next === 'string' && next !== '' ? next : undefined,
			url,
		};
	}

	/**
	 * Walks a collection by following `links.next` (never rebuilt, only its page size adjusted)
	 * until the handler wants no more or Ponto has no further page. A link back to any page
	 * already read (the first one included) is an error, not an endless walk.
	 */
	async paginate(
		path: string,
		firstPageSize: number,
		onPage: PageHandler,
		options: RequestOptions = {},
	): Promise<void> {
		let link = path;
		let pageSize = clampPageSize(firstPageSize);
		const visited = new Set<string>();
		// The key of a page read through a next link is the key of that link (the key ignores
		// the page size, the only thing listPage changes): each link is parsed once.
		let key: string | undefined;
		while (pageSize > 0) {
			const { page, document, next, url } = await this.listPage(link, pageSize, options);
			visited.add(key ?? pageKey(url, this.baseUrl));
			pageSize = clampPageSize(onPage(page, document));
			if (pageSize === 0 || next === undefined) return;
			key = pageKey(next, this.baseUrl);
			if (visited.has(key)) {
				throw this.malformed(
					'the next-page link leads back to a page already read',
					options.itemIndex,
				);
			}
			link = next;
		}
	}

	private url(pathOrUrl: string): string {
		return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
	}

	private async request(
		method: IHttpRequestMethods,
		pathOrUrl: string,
		{ qs, body, itemIndex, resource, refusal, idempotencyKey }: RequestOptions,
	): Promise<JsonApiDocument> {
		// The query goes into the URL and a body is sent as text: what is signed (Ponto Connect)
		// is then byte for byte what is sent.
		const headers: Record<string, string> = { Accept: 'application/vnd.api+json' };
		if (body) headers['Content-Type'] = 'application/json';
		// Ponto Connect deduplicates a POST by its idempotency key, which makes it safe to retry.
		const idempotent =
			method === 'GET' || method === 'DELETE' || (method === 'POST' && this.isConnect);
		if (method === 'POST' && this.isConnect)
			headers['Ibanity-Idempotency-Key'] = idempotencyKey ?? randomUUID();
		const requestOptions: IHttpRequestOptions = {
			method,
			url: withQuery(this.url(pathOrUrl), qs),
			body: body ? JSON.stringify(body) : undefined,
			json: true,
			returnFullResponse: true,
			timeout: REQUEST_TIMEOUT_MS,
			headers,
			...NO_REDIRECTS,
		};
		const response = await this.send(method, requestOptions, idempotent, {
			itemIndex,
			resource,
			refusal,
		});
		const reading = readResponseBody(responseBodyOf(response));
		if ('problem' in reading) throw this.malformed(reading.problem, itemIndex);
		return reading.document;
	}

	/** Sends with retries (backoff, Retry-After); returns n8n's full response or throws a worded error. */
	private async send(
		method: IHttpRequestMethods,
		requestOptions: IHttpRequestOptions,
		idempotent: boolean,
		{ itemIndex, resource, refusal }: RequestOptions,
	): Promise<unknown> {
		// Once per request: Ponto refused the refresh token because another n8n process rotated it.
		let rereadRotated = false;
		for (let attempt = 0; ; attempt++) {
			try {
				return await this.context.helpers.httpRequestWithAuthentication.call(
					this.context,
					this.credentialType,
					{ ...requestOptions, headers: { ...requestOptions.headers } },
				);
			} catch (error) {
				if (isNodeOperationError(error))
					throw new NodeOperationError(this.context.getNode(), error as Error);
				const failure = { ...failureFromError(error), timeoutSeconds: REQUEST_TIMEOUT_MS / 1000 };
				if (failure.credential) {
					if (
						this.isConnect &&
						!rereadRotated &&
						(await storedTokensRotated(this.context, error))
					) {
						rereadRotated = true;
						continue;
					}
					throw new NodeOperationError(this.context.getNode(), failure.credential.message, {
						description: failure.credential.description,
						itemIndex,
					});
				}
				if (failure.status === 429) this.hooks.onRateLimited?.();
				const delay = retryDelayMs(failure, method, attempt, idempotent);
				if (delay === undefined) throw this.apiError({ ...failure, resource, refusal }, itemIndex);
				await pause(delay, abortSignalOf(this.context));
			}
		}
	}

	private apiError(failure: PontoFailure, itemIndex?: number): NodeApiError {
		const { message, description } = describeFailure(failure);
		return new NodeApiError(this.context.getNode(), failureToJson(failure) as JsonObject, {
			message,
			description,
			httpCode: failure.status !== undefined ? String(failure.status) : undefined,
			itemIndex,
		});
	}

	private malformed(problem: string, itemIndex?: number): NodeApiError {
		return new NodeApiError(
			this.context.getNode(),
			{ code: MALFORMED },
			{ ...describeMalformed(problem), itemIndex },
		);
	}
}

/**
 * Errors n8n already shaped for the user (e.g. "credential needs to be reconnected"). A
 * NodeApiError from n8n's helpers is not one of them: it wraps the HTTP error as `cause`,
 * which failureFromError reads so retries and Ponto's own wording still apply.
 */
function isNodeOperationError(error: unknown): boolean {
	const name = (error as Error | undefined)?.constructor?.name;
	return error instanceof NodeOperationError || name === 'NodeOperationError';
}

/** Appends query parameters, encoded, to a URL (brackets as %5B %5D, stable once sent). */
export function withQuery(url: string, qs?: IDataObject): string {
	const entries = Object.entries(qs ?? {}).filter(
		([, value]) => value !== undefined && value !== null && value !== '',
	);
	if (!entries.length) return url;
	const query = entries
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
		.join('&');
	return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

function clampPageSize(size: number): number {
	if (!Number.isFinite(size)) return MAX_PAGE_SIZE;
	return Math.max(0, Math.min(MAX_PAGE_SIZE, Math.floor(size)));
}

const MALFORMED = 'MALFORMED_RESPONSE';

/** The body and the headers that matter of n8n's full response (`returnFullResponse`). */
function responseBodyOf(response: unknown): ResponseBody {
	const full = response as {
		body?: unknown;
		headers?: Record<string, unknown>;
		statusCode?: unknown;
	} | null;
	if (full === null || typeof full !== 'object' || typeof full.statusCode !== 'number')
		return { body: response };
	const length = Number(header(full.headers, 'content-length'));
	return {
		body: full.body,
		contentType: header(full.headers, 'content-type'),
		contentLength: Number.isFinite(length) && length >= 0 ? length : undefined,
	};
}

/** Backoff with jitter that honours Retry-After; undefined = give up now. */
export function retryDelayMs(
	failure: PontoFailure,
	method: string,
	attempt: number,
	idempotent = method === 'GET',
): number | undefined {
	if (attempt >= MAX_RETRIES || !isRetryable(failure, method, idempotent)) return undefined;
	if (failure.networkCode === 'ETIMEDOUT' && attempt >= MAX_TIMEOUT_RETRIES) return undefined;
	if (failure.retryAfterSeconds !== undefined) {
		return failure.retryAfterSeconds > MAX_RETRY_AFTER_S
			? undefined
			: failure.retryAfterSeconds * 1000;
	}
	const exponential = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
	return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

function abortSignalOf(context: PontoContext): AbortSignal | undefined {
	const withSignal = context as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	return typeof withSignal.getExecutionCancelSignal === 'function'
		? withSignal.getExecutionCancelSignal()
		: undefined;
}
