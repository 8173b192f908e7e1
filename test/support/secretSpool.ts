// The secret-hygiene spool (issue 8). With PONTO_SECRET_SPOOL=<dir>, the test suites write two
// things there: every secret they create or hand out (client secrets, access and refresh
// tokens, authorization codes, private keys, passphrases) and everything a user or an operator
// could see (output items, error messages and descriptions, log lines, n8n's logs and database
// with its execution records). test/secrets/secretHygiene.test.ts then searches the second for
// the first. Without the variable every function here does nothing.
import { createHash } from 'node:crypto';
import {
	appendFileSync,
	copyFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	statSync,
} from 'node:fs';
import { basename, join } from 'node:path';

const dir = process.env.PONTO_SECRET_SPOOL;
const written = new Set<string>();
let rawFiles = 0;

export function spoolEnabled(): boolean {
	return dir !== undefined && dir !== '';
}

function append(file: string, line: string): void {
	if (!dir) return;
	mkdirSync(dir, { recursive: true });
	appendFileSync(join(dir, `${file}-${process.pid}.jsonl`), `${line}\n`);
}

/** A secret the suites must never show. PEM keys are split into their base64 lines. */
export function spoolSecret(kind: string, value: unknown): void {
	if (!dir || typeof value !== 'string') return;
	const parts = value.includes('-----BEGIN')
		? value.split(/\r?\n/).filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line))
		: [value];
	for (const part of parts) {
		if (part.length < 8 || written.has(`s:${part}`)) continue;
		written.add(`s:${part}`);
		append('secrets', JSON.stringify({ kind, value: part }));
	}
}

/** The secret-looking fields of a credential's data (as a user would type them into n8n). */
export function spoolCredentialSecrets(data: Record<string, unknown>): void {
	for (const [name, value] of Object.entries(data)) {
		if (/secret|passphrase|privateKey|token|key$/i.test(name))
			spoolSecret(`credential.${name}`, value);
	}
}

/** Something a user or operator sees; identical records are written once. */
export function spoolVisible(source: string, value: unknown): void {
	if (!dir) return;
	const text = typeof value === 'string' ? value : safeJson(value);
	const digest = createHash('sha1').update(source).update(text).digest('hex');
	if (written.has(digest)) return;
	written.add(digest);
	append('visible', JSON.stringify({ source, text }));
}

/** Copies a file as it is (n8n logs, its SQLite database) for the scan. */
export function spoolFile(source: string, path: string): void {
	if (!dir || !existsSync(path) || !statSync(path).isFile()) return;
	const target = join(dir, 'raw');
	mkdirSync(target, { recursive: true });
	copyFileSync(path, join(target, `${source}-${process.pid}-${++rawFiles}-${basename(path)}`));
}

/** n8n's logs and database files under a user folder (node_modules skipped). */
export function spoolN8nFolder(source: string, folder: string): void {
	if (!dir || !existsSync(folder)) return;
	const walk = (path: string): void => {
		for (const entry of readdirSync(path, { withFileTypes: true })) {
			const full = join(path, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== 'node_modules') walk(full);
			} else if (
				/\.(log|out|sqlite|sqlite-wal|sqlite-journal)$|database\.sqlite/.test(entry.name)
			) {
				spoolFile(source, full);
			}
		}
	};
	walk(folder);
}

function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value, errorFields) ?? String(value);
	} catch {
		return String(value);
	}
}

/** Errors serialise their message, description and context too, not just own enumerable fields. */
function errorFields(this: unknown, _key: string, value: unknown): unknown {
	if (value instanceof Error) {
		const error = value as Error & { description?: unknown; context?: unknown };
		return {
			...error,
			name: error.name,
			message: error.message,
			description: error.description,
			context: error.context,
		};
	}
	return value;
}
