// Hostile responses: what a broken Ponto, a proxy or a captive portal might send instead of the
// answer. Each is built from the response the route really produced (same records, same links),
// then corrupted in one way. Pure; server.ts writes the result (and handles neverAnswers and
// loopingNext, which need the connection and the fault queue).
import { randomBytes } from 'node:crypto';

import { JSON_API, type ApiResponse } from './http';

export const HOSTILE_MODES = [
	'truncatedJson',
	'htmlErrorPage',
	'wrongContentType',
	'missingData',
	'repeatingNext',
	'loopingNext',
	'oversizedPage',
	'missingIds',
	'numbersAsStrings',
	'hugeJson',
	'hugeGarbage',
	'neverAnswers',
] as const;

export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface HostileOptions {
	/** repeatingNext: where links.next points (default: the current page, as requested). */
	nextTo?: string;
	/** hugeJson / hugeGarbage: body size in bytes (default 40 MiB). */
	bytes?: number;
}

export interface RawResponse {
	status: number;
	contentType: string;
	payload: string | Buffer;
}

export const HUGE_BODY_BYTES = 40 * 1024 * 1024;

type Resource = { id?: unknown; attributes?: Record<string, unknown> } & Record<string, unknown>;
type Document = { data?: Resource | Resource[] | null; links?: Record<string, unknown> } & Record<
	string,
	unknown
>;

const HTML_PAGE =
	'<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1><p>The proxy received an invalid response from an upstream server.</p></body></html>\n';

/** `requestUrl`: the absolute URL of this request, query included. */
export function hostileResponse(
	mode: HostileMode,
	response: ApiResponse,
	requestUrl: string,
	options: HostileOptions = {},
): RawResponse {
	const document = structuredClone((response.body ?? {}) as Document);
	const json = (body: unknown, contentType = response.contentType ?? JSON_API): RawResponse => ({
		status: response.status,
		contentType,
		payload: JSON.stringify(body),
	});
	const records = Array.isArray(document.data)
		? document.data
		: document.data
			? [document.data]
			: [];
	switch (mode) {
		case 'truncatedJson': {
			const text = JSON.stringify(document);
			return {
				status: response.status,
				contentType: JSON_API,
				payload: text.slice(0, Math.floor(text.length / 2)),
			};
		}
		case 'htmlErrorPage':
			return { status: 200, contentType: 'text/html; charset=utf-8', payload: HTML_PAGE };
		case 'wrongContentType':
			return json(document, 'text/plain; charset=utf-8');
		case 'missingData': {
			const { data: _data, ...rest } = document;
			return json(rest);
		}
		case 'repeatingNext':
			return json({
				...document,
				links: { ...document.links, next: options.nextTo ?? requestUrl },
			});
		case 'oversizedPage':
			return json({ ...document, data: oversized(records, limitOf(requestUrl)) });
		case 'missingIds': {
			const last = records[records.length - 1];
			if (last) delete last.id;
			return json(document);
		}
		case 'numbersAsStrings':
			for (const record of records) {
				for (const [key, value] of Object.entries(record.attributes ?? {})) {
					if (typeof value === 'number') record.attributes![key] = String(value);
				}
			}
			return json(document);
		case 'hugeJson':
			return {
				status: response.status,
				contentType: JSON_API,
				payload: hugeJson(document, options.bytes ?? HUGE_BODY_BYTES),
			};
		case 'hugeGarbage':
			return {
				status: response.status,
				contentType: JSON_API,
				payload: randomBytes(options.bytes ?? HUGE_BODY_BYTES),
			};
		case 'loopingNext':
		case 'neverAnswers':
			return json(document);
	}
}

function limitOf(requestUrl: string): number {
	const params = new URL(requestUrl).searchParams;
	const limit = Number(params.get('page[limit]') ?? params.get('limit') ?? 10);
	return Number.isFinite(limit) && limit > 0 ? limit : 10;
}

/** More records than asked for: the page's own records, then renamed copies of them. */
function oversized(records: Resource[], limit: number): Resource[] {
	const out = [...records];
	for (let index = 0; records.length > 0 && out.length <= limit; index++) {
		const source = records[index % records.length];
		out.push({ ...source, id: `${String(source.id)}-extra-${index}` });
	}
	return out;
}

/**
 * A valid JSON:API document of about `bytes`: a list grows by copies of its records, a single
 * resource by a padded description.
 */
function hugeJson(document: Document, bytes: number): string {
	if (!Array.isArray(document.data)) {
		const data = { ...(document.data ?? { type: 'unknown', id: 'huge' }) };
		data.attributes = { ...data.attributes, description: 'x'.repeat(bytes) };
		return JSON.stringify({ ...document, data });
	}
	const records = document.data.length
		? document.data
		: [{ type: 'unknown', id: 'huge', attributes: {} }];
	const parts: string[] = [];
	let size = 0;
	for (let index = 0; size < bytes; index++) {
		const source = records[index % records.length];
		const text = JSON.stringify({ ...source, id: `${String(source.id)}-copy-${index}` });
		parts.push(text);
		size += text.length + 1;
	}
	const { data: _data, ...rest } = document;
	const tail = JSON.stringify(rest).slice(1);
	return `{"data":[${parts.join(',')}]${tail === '}' ? '' : ','}${tail}`;
}
