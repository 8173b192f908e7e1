// Mutable state shared by the request pipeline and the Emulator handle.
import { TokenStore, type ClientCredentials } from './auth';
import { CONNECT_BASE_PATH } from './connect/options';
import { ConnectState } from './connect/state';
import { defaultDataset } from './dataset';
import { FaultInjector } from './faults';
import {
	DEFAULT_CLIENT,
	DEFAULT_TOKEN_LIFETIME_SECONDS,
	type EmulatorOptions,
	type RequestLogEntry,
} from './options';
import type { NextLinkStyle } from './paging';
import { Random } from './prng';
import {
	DEFAULT_SYNCHRONIZATION_SETTINGS,
	SynchronizationEngine,
	type BankActivity,
	type SynchronizationSettings,
} from './synchronizations';
import type { AccountRecord, Dataset } from './types';
import { spoolSecret } from '../support/secretSpool';

export interface ResolvedOptions {
	clients: ClientCredentials[];
	tokenLifetimeSeconds: number;
	expireTokensEveryRequests?: number;
	latencyMs: number;
	jitterMs: number;
	nextLinkStyle: NextLinkStyle;
	ignoredFilters: string[];
	synchronization: SynchronizationSettings;
	bankActivity?: BankActivity;
	now: () => Date;
	basePath: string;
}

function normalizeBasePath(value: string | undefined): string {
	if (!value || value === '/') return '';
	return `/${value.replace(/^\/+|\/+$/g, '')}`;
}

export class EmulatorState {
	options: ResolvedOptions;
	dataset: Dataset;
	readonly tokens = new TokenStore();
	readonly faults: FaultInjector;
	readonly syncs: SynchronizationEngine;
	/** Ids and generated attributes at run time: deterministic for a dataset seed. */
	readonly rng: Random;
	readonly jitter = new Random(7);
	readonly log: RequestLogEntry[] = [];
	/** Every client secret ever configured, so the log can never echo one. */
	readonly secrets = new Set<string>();
	/** The Ponto Connect flavour's state (undefined for the custom integration). */
	readonly connect?: ConnectState;

	constructor(options: EmulatorOptions) {
		this.dataset = options.dataset ?? defaultDataset();
		this.rng = new Random((this.dataset.seed * 31 + 7) >>> 0);
		this.options = {
			clients: [DEFAULT_CLIENT],
			tokenLifetimeSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS,
			latencyMs: 0,
			jitterMs: 0,
			nextLinkStyle: 'prefixed',
			ignoredFilters: [],
			synchronization: { ...DEFAULT_SYNCHRONIZATION_SETTINGS },
			now: () => new Date(),
			basePath: '',
		};
		this.faults = new FaultInjector();
		this.syncs = new SynchronizationEngine(
			() => this.dataset,
			() => this.options.synchronization,
			this.rng,
			() => this.options.bankActivity,
		);
		if (options.connect) {
			this.connect = new ConnectState(options.connect, () => this.dataset, this.rng);
			this.options.basePath = CONNECT_BASE_PATH;
			for (const c of this.connect.options.clients) this.addSecret(c.clientSecret);
		}
		this.apply(options);
	}

	private addSecret(secret: string): void {
		this.secrets.add(secret);
		spoolSecret('emulator.clientSecret', secret);
	}

	apply(partial: Partial<EmulatorOptions>): void {
		const o = this.options;
		if (partial.dataset) this.dataset = partial.dataset;
		if (partial.clients) o.clients = partial.clients.map((c) => ({ ...c }));
		for (const c of o.clients) this.addSecret(c.clientSecret);
		if (partial.tokenLifetimeSeconds !== undefined)
			o.tokenLifetimeSeconds = partial.tokenLifetimeSeconds;
		if ('expireTokensEveryRequests' in partial)
			o.expireTokensEveryRequests = partial.expireTokensEveryRequests;
		if (partial.latencyMs !== undefined) o.latencyMs = partial.latencyMs;
		if (partial.jitterMs !== undefined) o.jitterMs = partial.jitterMs;
		if ('faults' in partial) this.faults.setRandom(partial.faults);
		if (partial.nextLinkStyle) o.nextLinkStyle = partial.nextLinkStyle;
		if (partial.ignoredFilters) o.ignoredFilters = [...partial.ignoredFilters];
		if (partial.synchronization)
			o.synchronization = { ...o.synchronization, ...partial.synchronization };
		if ('bankActivity' in partial)
			o.bankActivity = partial.bankActivity && { ...partial.bankActivity };
		if (partial.now) o.now = partial.now;
		if (partial.basePath !== undefined) o.basePath = normalizeBasePath(partial.basePath);
		if (partial.connect && this.connect) this.connect.apply(partial.connect);
	}

	nowMs(): number {
		return this.options.now().getTime();
	}

	account(id: string): AccountRecord | undefined {
		return this.dataset.accounts.find((a) => a.id === id);
	}

	requireAccount(id: string): AccountRecord {
		const account = this.account(id);
		if (!account) throw new Error(`unknown account ${id}`);
		return account;
	}
}
