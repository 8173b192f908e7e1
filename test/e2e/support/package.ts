import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { runCommand, tail } from './process';

const ROOT = resolve(__dirname, '../../..');
let packed: Promise<string> | undefined;

/** `npm pack` of the built package (what npm would publish), once per test run. */
export function packPackage(): Promise<string> {
	packed ??= (async () => {
		if (!existsSync(join(ROOT, 'dist/nodes/Ponto/Ponto.node.js'))) {
			throw new Error('dist/ is missing: run `npm run build` first (npm run test:e2e does it).');
		}
		const destination = mkdtempSync(join(tmpdir(), 'ponto-pack-'));
		const result = await runCommand('npm', ['pack', '--pack-destination', destination, '--ignore-scripts'], {
			cwd: ROOT,
			env: process.env,
			timeoutMs: 120_000,
		});
		if (result.code !== 0) throw new Error(`npm pack failed:\n${tail(result.stderr)}`);
		const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
		return join(destination, `n8n-nodes-ponto-${version}.tgz`);
	})();
	return packed;
}

/**
 * A workflow or credential file of the repository, with {{PLACEHOLDERS}} (inside JSON strings)
 * filled in, escaped for JSON so multi-line values such as PEM keys fit.
 */
export function fixture<T>(relativePath: string, values: Record<string, string> = {}): T {
	const text = readFileSync(join(ROOT, relativePath), 'utf8').replace(/\{\{([A-Z_0-9]+)\}\}/g, (match, key: string) =>
		key in values ? JSON.stringify(values[key]).slice(1, -1) : match,
	);
	return JSON.parse(text) as T;
}
