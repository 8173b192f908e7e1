import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
	closeSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { N8nInstall } from './provision';
import { killGroup, runCommand, tail } from './process';
import { spoolCredentialSecrets, spoolN8nFolder } from '../../support/secretSpool';

/** A free TCP port on 127.0.0.1 (n8n needs one for its task broker even for `execute`). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** The environment that runs n8n headless, offline and quiet in one user folder. */
export function n8nEnvironment(
	userFolder: string,
	ports: { http: number; broker: number },
	major: number,
): NodeJS.ProcessEnv {
	return {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		TZ: 'UTC',
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-ponto-e2e-key',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'Europe/Brussels',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(ports.http),
		N8N_RUNNERS_BROKER_PORT: String(ports.broker),
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_LOG_LEVEL: 'warn',
		// 2.x only (1.x refuses the unknown module): its start-up calls to api.n8n.io (MCP
		// registry) only print errors on an offline machine.
		...(major >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
	};
}

/**
 * Installs the packed package the way n8n 2.x installs a community package: the tarball
 * unpacked into <user folder>/.n8n/nodes/node_modules/<name>, its dev, peer and optional
 * dependencies dropped from its package.json, `npm install` run inside it with n8n's flags,
 * and the package listed in .n8n/nodes/package.json. Node types are then `n8n-nodes-ponto.*`.
 */
export async function installCommunityPackage(userFolder: string, tarball: string): Promise<void> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const packageDir = join(nodesDir, 'node_modules', 'n8n-nodes-ponto');
	mkdirSync(packageDir, { recursive: true });
	const untar = await runCommand(
		'tar',
		['-xzf', tarball, '-C', packageDir, '--strip-components=1'],
		{ timeoutMs: 60_000 },
	);
	if (untar.code !== 0) throw new Error(`Could not unpack ${tarball}: ${untar.stderr}`);
	const manifestPath = join(packageDir, 'package.json');
	const {
		devDependencies: _dev,
		peerDependencies: _peer,
		optionalDependencies: _optional,
		...manifest
	} = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	const npm = await runCommand(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--offline',
		],
		{ cwd: packageDir, env: process.env, timeoutMs: 120_000 },
	);
	if (npm.code !== 0) throw new Error(`npm install of the package failed:\n${tail(npm.stderr)}`);
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify(
			{
				name: 'installed-nodes',
				private: true,
				dependencies: { 'n8n-nodes-ponto': manifest.version },
			},
			null,
			2,
		),
	);
}

export interface ImportedCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** One n8n user folder with the package installed, driven through n8n's own CLI. */
export class N8nInstance {
	private constructor(
		readonly install: N8nInstall,
		readonly userFolder: string,
		readonly env: NodeJS.ProcessEnv,
	) {}

	/** A fresh, throw-away user folder with the package installed (one per test run). */
	static async create(install: N8nInstall, tarball: string): Promise<N8nInstance> {
		const userFolder = mkdtempSync(join(tmpdir(), `ponto-e2e-n8n${install.major}-`));
		await installCommunityPackage(userFolder, tarball);
		const env = n8nEnvironment(
			userFolder,
			{ http: await freePort(), broker: await freePort() },
			install.major,
		);
		return new N8nInstance(install, userFolder, env);
	}

	/** A lasting user folder (the demo's), with extra environment such as the owner account. */
	static open(
		install: N8nInstall,
		userFolder: string,
		ports: { http: number; broker: number },
		extraEnv: NodeJS.ProcessEnv = {},
	): N8nInstance {
		return new N8nInstance(install, userFolder, {
			...n8nEnvironment(userFolder, ports, install.major),
			...extraEnv,
		});
	}

	get url(): string {
		return `http://127.0.0.1:${String(this.env.N8N_PORT)}`;
	}

	/**
	 * `n8n start` in its own process group, output appended to `logFile`. Resolves once
	 * /healthz/readiness answers; rejects with the log's tail if n8n exits or is not up in time.
	 */
	async start(logFile: string, timeoutMs = 180_000): Promise<ChildProcess> {
		const log = openSync(logFile, 'a');
		const child = spawn(this.install.command, ['start'], {
			env: this.env,
			detached: true,
			stdio: ['ignore', log, log],
		});
		closeSync(log);
		const exited = new Promise<never>((_resolve, reject) =>
			child.once('exit', (code) =>
				reject(
					new Error(
						`n8n exited (code ${code}) while starting:\n${tail(readFileSync(logFile, 'utf8'))}`,
					),
				),
			),
		);
		const deadline = Date.now() + timeoutMs;
		const ready = (async () => {
			while (Date.now() < deadline) {
				try {
					// /healthz answers before the migrations finish; readiness does not.
					if ((await fetch(`${this.url}/healthz/readiness`)).ok) return;
				} catch {
					// not listening yet
				}
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			killGroup(child.pid);
			throw new Error(
				`n8n did not answer on ${this.url} within ${timeoutMs / 1000} s:\n${tail(readFileSync(logFile, 'utf8'))}`,
			);
		})();
		await Promise.race([ready, exited]);
		child.removeAllListeners('exit');
		return child;
	}

	async cli(args: string[], timeoutMs = 180_000): Promise<string> {
		const result = await runCommand(this.install.command, args, { env: this.env, timeoutMs });
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`,
			);
		}
		return result.stdout;
	}

	private async importFile(kind: 'credentials' | 'workflow', content: unknown): Promise<void> {
		const file = join(this.userFolder, `import-${kind}-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(content));
		try {
			await this.cli([`import:${kind}`, `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	async importCredentials(credentials: ImportedCredential[]): Promise<void> {
		for (const credential of credentials) spoolCredentialSecrets(credential.data);
		await this.importFile('credentials', credentials);
	}

	async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void> {
		await this.importFile('workflow', workflows);
	}

	/** The stored credential, decrypted, as n8n persisted it (`export:credentials --decrypted`). */
	async exportCredential(id: string): Promise<ImportedCredential> {
		const file = join(this.userFolder, `export-${id}-${Date.now()}.json`);
		try {
			await this.cli(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]);
			const [credential] = JSON.parse(readFileSync(file, 'utf8')) as ImportedCredential[];
			return credential;
		} finally {
			rmSync(file, { force: true });
		}
	}

	/**
	 * `n8n execute --id --rawOutput`: the run data n8n returned, parsed. The run data decides
	 * success, not the exit code: n8n 2.41.1 sometimes crashes in a V8 thread while exiting,
	 * after printing the complete run (exit 139; see scripts/README-provision.md).
	 */
	async execute(workflowId: string): Promise<N8nRun> {
		const started = Date.now();
		// `execute` prints the run through n8n's logger at level info, pretty-printed: from a
		// line "{" to the next line "}" (also when the workflow failed, then exit code 1).
		const result = await runCommand(
			this.install.command,
			['execute', `--id=${workflowId}`, '--rawOutput'],
			{
				env: { ...this.env, N8N_LOG_LEVEL: 'info' },
				timeoutMs: 300_000,
				stdoutFile: join(this.userFolder, `execute-${workflowId}-${Date.now()}.out`),
			},
		);
		const match = /^\{\n[\s\S]*?\n\}$/m.exec(result.stdout);
		let run: N8nRun['run'];
		try {
			run = JSON.parse(match?.[0] ?? '') as N8nRun['run'];
		} catch {
			throw new Error(
				`n8n execute ${workflowId} gave no run data (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`,
			);
		}
		return {
			run,
			exitCode: result.code,
			wallMs: Date.now() - started,
			output: result.stdout + result.stderr,
		};
	}

	/** Removes the user folder, after handing its logs and database to the secret-hygiene spool. */
	dispose(): void {
		spoolN8nFolder('n8n', this.userFolder);
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

export interface N8nTask {
	executionTime: number;
	executionStatus?: string;
	data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }> | null> };
	error?: { message: string; description?: string; name?: string };
}

export interface N8nRun {
	run: {
		status?: string;
		finished?: boolean;
		data: { resultData: { runData: Record<string, N8nTask[]>; error?: { message: string } } };
	};
	exitCode: number | null;
	wallMs: number;
	output: string;
}

/** The items one node output in a run (all runs of that node, in order). */
export function nodeItems(result: N8nRun, nodeName: string): Array<Record<string, unknown>> {
	const tasks = result.run.data.resultData.runData[nodeName];
	if (!tasks) {
		throw new Error(
			`Node "${nodeName}" did not run. Run error: ${result.run.data.resultData.error?.message ?? 'none'}\n${tail(result.output, 20)}`,
		);
	}
	return tasks.flatMap((task) => task.data?.main[0] ?? []).map((item) => item.json);
}
