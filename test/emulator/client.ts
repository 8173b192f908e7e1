// Tiny HTTP helpers for tests that talk to the emulator (global fetch, no dependencies).
import { DEFAULT_CLIENT } from './options';
import type { ClientCredentials } from './auth';

export interface JsonResponse<T> {
	status: number;
	headers: Headers;
	body: T;
}

/** JSON:API shapes as tests read them. */
export interface ResourceObject {
	type: string;
	id: string;
	attributes: Record<string, unknown>;
	relationships?: Record<
		string,
		{ links?: { related?: string; meta?: { type?: string } }; data?: { type: string; id: string } }
	>;
	meta?: Record<string, unknown>;
	/** e.g. `redirect`: the signing or authorization page (payments, reauthorization requests). */
	links?: Record<string, string>;
}

export interface ListDocument {
	data: ResourceObject[];
	links: { first: string; prev?: string; next?: string };
	meta: {
		paging: { limit: number; before: string | null; after: string | null };
		synchronizedAt?: string | null;
		latestSynchronization?: ResourceObject | null;
	};
}

export interface SingleDocument {
	data: ResourceObject;
}

export interface ErrorDocument {
	errors: Array<{ code: string; detail: string; meta: Record<string, unknown> }>;
}

export function basicAuth(client: ClientCredentials = DEFAULT_CLIENT): string {
	return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
}

/** Any request; the body is parsed as JSON when there is one. */
export async function request<T>(
	url: string,
	init: RequestInit & { token?: string } = {},
): Promise<JsonResponse<T>> {
	const { token, ...rest } = init;
	const headers = new Headers(rest.headers);
	if (token) headers.set('authorization', `Bearer ${token}`);
	if (!headers.has('accept')) headers.set('accept', 'application/vnd.api+json');
	const response = await fetch(url, { ...rest, headers });
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		body: (text ? JSON.parse(text) : undefined) as T,
	};
}

/** client_credentials token with HTTP Basic client authentication. */
export async function fetchToken(
	baseUrl: string,
	client: ClientCredentials = DEFAULT_CLIENT,
): Promise<string> {
	const res = await request<{ access_token: string }>(`${baseUrl}/oauth2/token`, {
		method: 'POST',
		headers: {
			authorization: basicAuth(client),
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: 'grant_type=client_credentials',
	});
	if (res.status !== 200) throw new Error(`token request failed with HTTP ${res.status}`);
	return res.body.access_token;
}

/** Follows links.next until the end; returns every item and the number of requests made. */
export async function collectAll(
	firstUrl: string,
	token: string,
): Promise<{ items: ResourceObject[]; requests: number }> {
	const items: ResourceObject[] = [];
	let url: string | undefined = firstUrl;
	let requests = 0;
	while (url) {
		const res: JsonResponse<ListDocument> = await request<ListDocument>(url, { token });
		requests++;
		if (res.status !== 200) throw new Error(`HTTP ${res.status} on ${url}`);
		items.push(...res.body.data);
		url = res.body.links.next;
	}
	return { items, requests };
}
