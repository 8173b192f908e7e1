import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { N8nInstance } from './n8n';
import { killGroup } from './process';
import type { N8nInstall } from './provision';

/**
 * A running n8n (`n8n start`) with an owner made from the environment (no setup wizard), and
 * its public API reached with an API key created through the owner's session.
 */
export const OWNER = {
	email: 'demo@example.com',
	password: 'PontoDemo2026',
	firstName: 'Demo',
	lastName: 'Accountant',
};

/** The bcrypt hash n8n expects for an owner managed by the environment, made with n8n's own bcryptjs. */
export function ownerPasswordHash(install: N8nInstall, password = OWNER.password): string {
	const bcrypt = require(join(install.prefix, 'node_modules', 'bcryptjs')) as {
		hashSync(text: string, rounds: number): string;
	};
	return bcrypt.hashSync(password, 10);
}

export function ownerEnvironment(install: N8nInstall): NodeJS.ProcessEnv {
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: ownerPasswordHash(install),
	};
}

export interface Execution {
	id: string;
	status?: string;
	mode?: string;
	data?: {
		resultData: {
			runData: Record<
				string,
				Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>
			>;
		};
	};
}

export class RunningN8n {
	private constructor(
		readonly instance: N8nInstance,
		private child: ChildProcess,
		private readonly logFile: string,
		private apiKey?: string,
	) {}

	static async start(instance: N8nInstance, logFile: string): Promise<RunningN8n> {
		return new RunningN8n(instance, await instance.start(logFile), logFile);
	}

	/** Stops n8n (SIGTERM, then SIGKILL after 15 s) and waits until it is gone. */
	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		const exited = new Promise<void>((resolve) => {
			if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
			else this.child.once('exit', () => resolve());
		});
		killGroup(this.child.pid, signal);
		const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000));
		if ((await Promise.race([exited.then(() => 'exited'), timer])) === 'timeout') {
			killGroup(this.child.pid, 'SIGKILL');
			await exited;
		}
	}

	async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		await this.stop(signal);
		this.child = await this.instance.start(this.logFile);
	}

	/** An API key of the owner, created on first use (login, then POST /rest/api-keys with every scope). */
	async publicApiKey(): Promise<string> {
		if (this.apiKey) return this.apiKey;
		const base = this.instance.url;
		const login = await fetch(`${base}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		if (!login.ok) throw new Error(`n8n login failed: HTTP ${login.status} ${await login.text()}`);
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
		const scopes = (await (
			await fetch(`${base}/rest/api-keys/scopes`, { headers: { cookie } })
		).json()) as { data: string[] };
		const created = await fetch(`${base}/rest/api-keys`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie },
			body: JSON.stringify({ label: `e2e-${Date.now()}`, scopes: scopes.data, expiresAt: null }),
		});
		const body = (await created.json()) as { data?: { rawApiKey?: string } };
		if (!body.data?.rawApiKey)
			throw new Error(`n8n refused to create an API key: HTTP ${created.status}`);
		this.apiKey = body.data.rawApiKey;
		return this.apiKey;
	}

	/** Executions of a workflow, newest first, with their data (public API). */
	async executions(workflowId: string): Promise<Execution[]> {
		const response = await fetch(
			`${this.instance.url}/api/v1/executions?workflowId=${workflowId}&includeData=true&limit=100`,
			{
				headers: { 'X-N8N-API-KEY': await this.publicApiKey() },
			},
		);
		if (!response.ok)
			throw new Error(`GET /api/v1/executions: HTTP ${response.status} ${await response.text()}`);
		return ((await response.json()) as { data: Execution[] }).data;
	}
}

/** Items a node output in an execution. */
export function executionItems(
	execution: Execution,
	nodeName: string,
): Array<Record<string, unknown>> {
	const tasks = execution.data?.resultData.runData[nodeName] ?? [];
	return tasks.flatMap((task) => task.data?.main[0] ?? []).map((item) => item.json);
}
