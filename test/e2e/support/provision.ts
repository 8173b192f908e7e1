import { resolve } from 'node:path';

import { runCommand, tail } from './process';

export type N8nMajor = 1 | 2;

/** What scripts/provision-n8n.sh reports about an installed n8n (see scripts/README-provision.md). */
export interface N8nInstall {
	major: N8nMajor;
	version: string;
	/** Wrapper that runs n8n on the right Node (Node 24 first on PATH for 2.x). */
	command: string;
	node: string;
	/** Install prefix (its node_modules holds n8n and its dependencies). */
	prefix: string;
}

const ROOT = resolve(__dirname, '../../..');
const installs = new Map<N8nMajor, Promise<N8nInstall>>();

function parseFacts(line: string): Record<string, string> {
	return Object.fromEntries(
		line
			.trim()
			.split(/\s+/)
			.map((pair) => pair.split('='))
			.filter((parts) => parts.length === 2),
	);
}

/**
 * The n8n of a major version, provisioned first when missing (the first install takes minutes
 * and shows progress; later runs reuse the cache outside the repository).
 */
export function provisionN8n(major: N8nMajor): Promise<N8nInstall> {
	let install = installs.get(major);
	if (!install) {
		install = (async () => {
			const result = await runCommand(
				'bash',
				[resolve(ROOT, 'scripts/provision-n8n.sh'), String(major)],
				{
					cwd: ROOT,
					env: process.env,
					timeoutMs: 40 * 60_000,
					echoStderr: true,
				},
			);
			if (result.code !== 0) {
				throw new Error(
					`Provisioning n8n ${major}.x failed (exit ${result.code}):\n${tail(result.stderr)}`,
				);
			}
			const facts = parseFacts(result.stdout.trim().split('\n').pop() ?? '');
			if (!facts.N8N_CMD || !facts.N8N_VERSION)
				throw new Error(`Unexpected provisioning output:\n${tail(result.stdout)}`);
			return {
				major,
				version: facts.N8N_VERSION,
				command: facts.N8N_CMD,
				node: facts.N8N_NODE,
				prefix: facts.N8N_PREFIX,
			};
		})();
		installs.set(major, install);
	}
	return install;
}
