// Mutable state of the Ponto Connect flavour: options, grants, idempotency keys, sandbox
// accounts, webhook keys, TLS rejections. Owned by EmulatorState.connect.
import type { Random } from '../prng';
import type { TlsRejection } from '../tls';
import type { Dataset } from '../types';
import type { WebhookSigningKey } from '../webhooks';
import { GrantStore } from './grants';
import { IdempotencyStore } from './idempotency';
import {
	DEFAULT_APPLICATION_ID,
	DEFAULT_CONNECT_CLIENT,
	DEFAULT_INTEGRATION_ID,
	DEFAULT_USERINFO,
	type ConnectClient,
	type ConnectOptions,
	type UserInfoSettings,
	type WebhookDelivery,
} from './options';
import { PaymentStore } from './payments';
import { SandboxStore } from './sandbox';

export interface ResolvedConnectOptions extends Omit<
	ConnectOptions,
	'clients' | 'userinfo' | 'webhooks'
> {
	clients: ConnectClient[];
	applicationId: string;
	integrationId: string;
	codeLifetimeSeconds: number;
	userinfo: UserInfoSettings;
	webhookIssuer: string;
}

export class ConnectState {
	readonly options: ResolvedConnectOptions;
	readonly grants: GrantStore;
	readonly idempotency = new IdempotencyStore();
	readonly sandbox: SandboxStore;
	/** Payments, bulk payments, payment requests and activation requests. */
	readonly payments = new PaymentStore();
	readonly tlsRejections: TlsRejection[] = [];
	readonly webhookDeliveries: WebhookDelivery[] = [];
	webhookKeys: WebhookSigningKey[];
	/** POST /accounts/{id}/reauthorization-requests, by id. */
	readonly reauthorizations = new Map<
		string,
		{ accountId: string; redirectUri: string; createdAt: string; completedAt?: string }
	>();
	/** Accounts removed with DELETE /accounts/{id}. */
	readonly revokedAccountIds: string[] = [];
	/** Errors the next consents answer with (FIFO). */
	readonly consentDenials: string[] = [];
	/** 'http://127.0.0.1:<port2>', set once the authorization listener is up. */
	authorizationOrigin = '';

	constructor(options: ConnectOptions, dataset: () => Dataset, rng: Random) {
		const { clients, userinfo, webhooks, ...rest } = options;
		this.options = {
			...rest,
			clients: (clients ?? [DEFAULT_CONNECT_CLIENT]).map((c) => ({
				...c,
				redirectUris: [...c.redirectUris],
			})),
			applicationId: options.applicationId ?? DEFAULT_APPLICATION_ID,
			integrationId: options.integrationId ?? DEFAULT_INTEGRATION_ID,
			codeLifetimeSeconds: options.codeLifetimeSeconds ?? 600,
			userinfo: { ...DEFAULT_USERINFO, ...userinfo },
			webhookIssuer: webhooks?.issuer ?? 'https://api.ibanity.com',
		};
		this.webhookKeys = (webhooks?.keys ?? []).map((k) => ({ ...k }));
		this.grants = new GrantStore({
			organizationId: () => dataset().organizationId,
			revokeGrantOnRefreshReuse: () => Boolean(this.options.revokeGrantOnRefreshReuse),
			refreshRevokesAccessTokens: () => Boolean(this.options.refreshRevokesAccessTokens),
			refreshTokenLifetimeSeconds: () => this.options.refreshTokenLifetimeSeconds,
			newId: () => rng.uuid(),
		});
		this.sandbox = new SandboxStore(dataset, rng);
	}

	apply(partial: Partial<ConnectOptions>): void {
		const {
			clients: _c,
			userinfo,
			webhooks,
			tls: _t,
			authorizationPort: _p,
			clientCertificateFailure: _f,
			...rest
		} = partial;
		Object.assign(this.options, rest);
		if (userinfo) this.options.userinfo = { ...this.options.userinfo, ...userinfo };
		if (webhooks) {
			this.webhookKeys = webhooks.keys.map((k) => ({ ...k }));
			if (webhooks.issuer) this.options.webhookIssuer = webhooks.issuer;
		}
	}

	/** Values the request log must never show. */
	isSecret(value: string): boolean {
		return (
			this.grants.isSecret(value) || this.options.clients.some((c) => c.clientSecret === value)
		);
	}

	client(clientId: string | undefined): ConnectClient | undefined {
		return clientId === undefined
			? undefined
			: this.options.clients.find((c) => c.clientId === clientId);
	}

	signingKey(): WebhookSigningKey {
		const key = this.webhookKeys.find((k) => k.privateKey);
		if (!key)
			throw new Error('no webhook signing key: pass connect.webhooks.keys with a privateKey');
		return key;
	}
}
