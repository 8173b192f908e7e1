// Searches the secret-hygiene spool: every known secret against everything visible, in one pass
// (an Aho-Corasick automaton over the first PREFIX bytes of each secret, so thousands of secrets
// cost no more than one; a prefix found is then confirmed with the whole secret).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 24;

export interface Secret {
	kind: string;
	value: string;
}

export interface Hit {
	kind: string;
	source: string;
	/** The first characters of the secret only, enough to find it, not to use it. */
	hint: string;
}

/** All patterns found in a haystack, by index. */
export class SecretMatcher {
	private readonly delta: Int32Array[] = [];
	private readonly output: number[][] = [];

	constructor(patterns: Buffer[]) {
		const goto: Array<Map<number, number>> = [new Map()];
		this.output.push([]);
		patterns.forEach((pattern, index) => {
			let state = 0;
			for (const byte of pattern) {
				let next = goto[state].get(byte);
				if (next === undefined) {
					next = goto.length;
					goto.push(new Map());
					this.output.push([]);
					goto[state].set(byte, next);
				}
				state = next;
			}
			this.output[state].push(index);
		});
		// Breadth first: each state's full transition table from its failure state's table.
		const fail = new Int32Array(goto.length);
		this.delta = goto.map(() => new Int32Array(256));
		const queue: number[] = [];
		for (const [byte, next] of goto[0]) {
			this.delta[0][byte] = next;
			queue.push(next);
		}
		for (let head = 0; head < queue.length; head++) {
			const state = queue[head];
			this.output[state].push(...this.output[fail[state]]);
			this.delta[state].set(this.delta[fail[state]]);
			for (const [byte, next] of goto[state]) {
				fail[next] = this.delta[fail[state]][byte];
				this.delta[state][byte] = next;
				queue.push(next);
			}
		}
	}

	/** Indexes of the patterns occurring in `haystack`. */
	find(haystack: Buffer): Set<number> {
		const found = new Set<number>();
		const { delta, output } = this;
		let state = 0;
		for (let i = 0; i < haystack.length; i++) {
			state = delta[state][haystack[i]];
			if (output[state].length) for (const index of output[state]) found.add(index);
		}
		return found;
	}
}

export interface ScanResult {
	secrets: Secret[];
	/** Records and files searched, per source. */
	sources: Record<string, number>;
	bytes: number;
	hits: Hit[];
}

function jsonLines<T>(file: string): T[] {
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => JSON.parse(line) as T);
}

/** Reads the spool written by test/support/secretSpool.ts and searches it. */
export function scanSpool(dir: string): ScanResult {
	const files = readdirSync(dir);
	const unique = new Map<string, Secret>();
	for (const file of files.filter((name) => name.startsWith('secrets-'))) {
		for (const secret of jsonLines<Secret>(join(dir, file))) unique.set(secret.value, secret);
	}
	const secrets = [...unique.values()];
	const matcher = new SecretMatcher(
		secrets.map((secret) => Buffer.from(secret.value.slice(0, PREFIX))),
	);
	const result: ScanResult = { secrets, sources: {}, bytes: 0, hits: [] };
	const search = (source: string, haystack: Buffer): void => {
		result.sources[source] = (result.sources[source] ?? 0) + 1;
		result.bytes += haystack.length;
		for (const index of matcher.find(haystack)) {
			if (!haystack.includes(secrets[index].value)) continue;
			result.hits.push({
				kind: secrets[index].kind,
				source,
				hint: `${secrets[index].value.slice(0, 4)}…`,
			});
		}
	};
	for (const file of files.filter((name) => name.startsWith('visible-'))) {
		for (const record of jsonLines<{ source: string; text: string }>(join(dir, file))) {
			search(record.source, Buffer.from(record.text));
		}
	}
	const raw = join(dir, 'raw');
	for (const file of files.includes('raw') ? readdirSync(raw) : []) {
		search(file.split('-')[0], readFileSync(join(raw, file)));
	}
	return result;
}
