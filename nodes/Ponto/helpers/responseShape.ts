import { redactSecrets } from './errors';
import type { JsonApiDocument } from './interfaces';

/**
 * Checks that what came back is Ponto data the node can use: a JSON object body, and JSON:API
 * resources with a string id and type whose money fields are JSON numbers. Each function
 * returns a short problem ("the JSON body is cut off") or undefined; the transport turns a
 * problem into an error. Cheap by design: it runs on every page of 100,000-record fetches.
 */

/** A page of 100 transactions is about 150 KB; a body of this size is not Ponto data. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Money fields the node and the statements read as numbers, per resource type (docs/ponto-api.md §4). */
const MONEY_FIELDS: Record<string, readonly string[]> = {
	transaction: ['amount', 'fee'],
	pendingTransaction: ['amount', 'fee'],
	financialInstitutionTransaction: ['amount', 'fee'],
	account: ['currentBalance', 'availableBalance'],
};
/** Long runs of token characters are cut out of excerpts of foreign text: they may be keys or tokens. */
const TOKEN_LIKE = /[A-Za-z0-9._~+/=-]{24,}/g;
/** A transaction without an amount would silently count as 0 in a statement. */
const REQUIRED_FIELDS = new Set(['amount']);

export interface ResponseBody {
	body: unknown;
	contentType?: string;
	contentLength?: number;
}

export type BodyReading = { document: JsonApiDocument } | { problem: string };

/** The body as a JSON:API document; an empty body (e.g. 204) is an empty document. */
export function readResponseBody({ body, contentType, contentLength }: ResponseBody): BodyReading {
	const size = contentLength ?? (typeof body === 'string' ? body.length : undefined);
	if (size !== undefined && size > MAX_RESPONSE_BYTES) {
		return {
			problem: `the response is ${(size / 1024 / 1024).toFixed(1)} MB, far more than any Ponto answer`,
		};
	}
	const type = contentType?.split(';')[0].trim().toLowerCase() || undefined;
	const text = typeof body === 'string' ? body : undefined;
	if (type?.includes('html') || (text !== undefined && /^\s*<(!doctype html|html)/i.test(text))) {
		return { problem: `an HTML page came back instead of JSON${titleOf(text)}` };
	}
	if (type !== undefined && !type.includes('json'))
		return { problem: `the content type is ${shortText(type)}, not JSON` };
	if (text !== undefined) {
		if (text.trim() === '') return { document: {} };
		try {
			return readResponseBody({ body: JSON.parse(text) as unknown });
		} catch {
			return /^\s*[[{]/.test(text)
				? { problem: `the JSON body is cut off or broken (${text.length} bytes)` }
				: { problem: `the body is not JSON (it starts with "${safeText(text)}")` };
		}
	}
	if (body === undefined || body === null) return { document: {} };
	if (typeof body !== 'object' || Array.isArray(body))
		return { problem: 'the body is not a JSON object' };
	return { document: body as JsonApiDocument };
}

/** One resource: an object with a string id and type, money fields as numbers. */
export function problemInResource(record: unknown, where = 'the resource'): string | undefined {
	if (record === null || typeof record !== 'object' || Array.isArray(record))
		return `${where} is not an object`;
	const { id, type, attributes } = record as { id?: unknown; type?: unknown; attributes?: unknown };
	if (typeof id !== 'string' || id === '') return `${where} has no id`;
	if (typeof type !== 'string' || type === '') return `${where} (${shortText(id)}) has no type`;
	const fields = MONEY_FIELDS[type];
	if (!fields) return undefined;
	const values = (attributes ?? {}) as Record<string, unknown>;
	for (const field of fields) {
		const value = values[field];
		if (value === undefined || value === null) {
			if (REQUIRED_FIELDS.has(field)) return `${type} ${shortText(id)} has no ${field}`;
		} else if (typeof value !== 'number' || !Number.isFinite(value)) {
			const kind = typeof value === 'string' ? 'text' : typeof value;
			return `${field} of ${type} ${shortText(id)} is ${kind}, not a number`;
		}
	}
	return undefined;
}

/** A page of a list: no more records than asked for, each a usable resource. */
export function problemInPage(records: readonly unknown[], pageSize: number): string | undefined {
	if (records.length > pageSize) {
		return `the page holds ${records.length} records where at most ${pageSize} were asked for`;
	}
	for (let index = 0; index < records.length; index++) {
		const problem = problemInResource(records[index], `record ${index + 1} of the page`);
		if (problem !== undefined) return problem;
	}
	return undefined;
}

function titleOf(html: string | undefined): string {
	const title =
		html === undefined ? undefined : /<title[^>]*>([^<]{1,200})</i.exec(html.slice(0, 4096))?.[1];
	return title && title.trim() ? ` (page title "${safeText(title)}")` : '';
}

/** How much of a foreign text is looked at for an excerpt. */
const EXCERPT_WINDOW = 1024;

/**
 * A short, printable, redacted excerpt of text Ponto (or whatever answered) sent: never more
 * of a foreign body than this. Authorization values and long runs of token characters (keys,
 * tokens) are cut out before it is shortened, and a run cut off at the end of the window is
 * dropped, so no part of a secret survives whatever precedes it.
 */
export function safeText(text: string, max = 40): string {
	return excerpt(text, max, true);
}

/**
 * An id or a header value, for a message: printable, short, Authorization values cut out; not
 * token-like runs, which a UUID or "application/x-www-form-urlencoded" is.
 */
function shortText(text: string): string {
	return excerpt(text, 40, false);
}

function excerpt(text: string, max: number, redactTokens: boolean): string {
	let window = text.slice(0, EXCERPT_WINDOW);
	if (text.length > EXCERPT_WINDOW) window = window.replace(/[A-Za-z0-9._~+/=-]+$/, '');
	let printable = redactSecrets(
		window
			.replace(/[^\x20-\x7e]+/g, ' ')
			.replace(/\s+/g, ' ')
			.trim(),
	);
	if (redactTokens) printable = printable.replace(TOKEN_LIKE, '[…]');
	return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
