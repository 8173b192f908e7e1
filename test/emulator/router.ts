// Minimal router: '/accounts/:accountId/transactions' style patterns, mounted under basePath.
import type { IncomingHttpHeaders } from 'node:http';
import type { IssuedToken } from './auth';
import type { ApiResponse } from './http';
import type { RequestLogEntry } from './options';
import type { EmulatorState } from './state';

export interface RequestContext {
	method: string;
	/** Path relative to basePath. */
	path: string;
	params: Record<string, string>;
	query: Record<string, string>;
	searchParams: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: Buffer;
	requestId: string;
	nowMs: number;
	/** Emulator URL + basePath: the base of every link in responses. */
	base: string;
	state: EmulatorState;
	/** This request's log entry (handlers may set tokenSeq). */
	entry: RequestLogEntry;
	/** The valid bearer token of an auth route. */
	token?: IssuedToken;
}

export type Handler = (ctx: RequestContext) => ApiResponse;

export interface Route {
	method: string;
	pattern: string;
	/** Needs a valid bearer token. */
	auth: boolean;
	handler: Handler;
	regex: RegExp;
	keys: string[];
}

export function route(method: string, pattern: string, auth: boolean, handler: Handler): Route {
	const keys: string[] = [];
	const source = pattern
		.split('/')
		.map((segment) => {
			if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			keys.push(segment.slice(1));
			return '([^/]+)';
		})
		.join('/');
	return { method, pattern, auth, handler, regex: new RegExp(`^${source}/?$`), keys };
}

export function matchRoute(
	routes: readonly Route[],
	method: string,
	path: string,
): { route: Route; params: Record<string, string> } | null {
	for (const r of routes) {
		if (r.method !== method) continue;
		const m = r.regex.exec(path);
		if (!m) continue;
		const params: Record<string, string> = {};
		r.keys.forEach((key, i) => {
			params[key] = decodeURIComponent(m[i + 1]);
		});
		return { route: r, params };
	}
	return null;
}
