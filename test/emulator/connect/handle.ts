// emulator.connect: what tests may inspect and drive in the Ponto Connect flavour.
import type { EmulatorState } from '../state';
import {
	buildWebhookRequest,
	postWebhookRequest,
	webhookEvent,
	type WebhookEvent,
	type WebhookEventType,
	type WebhookRequest,
} from '../webhooks';
import { CONNECT_BASE_PATH, type ConnectHandle, type GrantInfo } from './options';
import { decide } from './payments';
import type { ConnectState } from './state';

function snapshot(grant: GrantInfo): GrantInfo {
	const {
		id,
		clientId,
		organizationId,
		scopes,
		status,
		revokedBy,
		createdAt,
		refreshCount,
		refreshReuseCount,
	} = grant;
	return {
		id,
		clientId,
		organizationId,
		scopes: [...scopes],
		status,
		...(revokedBy ? { revokedBy } : {}),
		createdAt,
		refreshCount,
		refreshReuseCount,
	};
}

export function createConnectHandle(
	state: EmulatorState,
	connect: ConnectState,
	apiUrl: string,
): ConnectHandle {
	const requireGrant = (grantId?: string) => {
		const grant = connect.grants.grant(grantId);
		if (!grant) throw new Error(grantId ? `unknown grant ${grantId}` : 'no grant yet');
		return grant;
	};
	const eventFor = (event: WebhookEvent | WebhookEventType): WebhookEvent =>
		typeof event === 'string' ? handle.webhookEvent(event) : event;
	const signing = () => ({
		key: connect.signingKey(),
		applicationId: connect.options.applicationId,
		issuer: connect.options.webhookIssuer,
	});

	const handle: ConnectHandle = {
		get authorizationUrl() {
			return `${connect.authorizationOrigin}/oauth2/auth`;
		},
		apiBaseUrl: `${apiUrl}${state.options.basePath || CONNECT_BASE_PATH}`,
		get applicationId() {
			return connect.options.applicationId;
		},
		get grants() {
			return connect.grants.grants.map(snapshot);
		},
		get refreshCount() {
			return connect.grants.refreshCount;
		},
		tlsRejections: connect.tlsRejections,
		webhookDeliveries: connect.webhookDeliveries,
		currentRefreshToken: (grantId) => connect.grants.currentRefreshToken(grantId),
		seedGrant: (opts = {}) => {
			const clientId = opts.clientId ?? connect.options.clients[0].clientId;
			const nowMs = state.nowMs();
			const grant = connect.grants.createGrant(
				clientId,
				opts.scopes ?? ['ai', 'pi', 'name', 'offline_access'],
				nowMs,
			);
			const result = connect.grants.issueTokens(
				grant,
				state.tokens,
				state.options.tokenLifetimeSeconds,
				nowMs,
			);
			const body = result.body as { access_token: string; refresh_token?: string };
			return {
				grantId: grant.id,
				accessToken: body.access_token,
				...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
			};
		},
		denyNextConsent: (error = 'access_denied') => {
			connect.consentDenials.push(error);
		},
		revokeGrant: (grantId) => connect.grants.revoke(requireGrant(grantId), 'handle'),
		sandboxAccountId: (accountId) => {
			state.requireAccount(accountId);
			return connect.sandbox.fiAccountId(accountId);
		},
		setOptions: (partial) => connect.apply(partial),
		setWebhookKeys: (keys) => {
			connect.webhookKeys = keys.map((k) => ({ ...k }));
		},
		rotateWebhookKey: (key, opts = {}) => {
			const kept =
				opts.keepOld === false ? [] : connect.webhookKeys.filter((k) => k.kid !== key.kid);
			connect.webhookKeys = [{ ...key }, ...kept];
		},
		webhookEvent: (type, input = {}) => {
			const account = state.dataset.accounts[0];
			const sync = [...state.dataset.synchronizations]
				.reverse()
				.find((s) => !account || s.attributes.resourceId === account.id);
			return webhookEvent(type, {
				organizationId: state.dataset.organizationId,
				accountId: account?.id,
				synchronizationId: sync?.id,
				createdAt: state.options.now().toISOString(),
				...input,
			});
		},
		buildWebhook: (event, opts = {}) =>
			buildWebhookRequest(eventFor(event), signing(), {
				nowSeconds: Math.floor(state.nowMs() / 1000),
				...opts,
			}),
		get payments() {
			return [...connect.payments.records.values()].map(
				(r) => JSON.parse(JSON.stringify(r)) as typeof r,
			);
		},
		decidePayment: (id, decision) =>
			JSON.parse(JSON.stringify(decide(state, connect, id, decision))) as ReturnType<
				ConnectHandle['decidePayment']
			>,
		postWebhook: async (url, event, opts = {}) => {
			const { replay, ca, ...build } = opts;
			let request: WebhookRequest;
			if (replay === 'last') {
				const last = connect.webhookDeliveries[connect.webhookDeliveries.length - 1];
				if (!last) throw new Error('no earlier webhook delivery to replay');
				request = last.request;
			} else request = replay ?? handle.buildWebhook(event, build);
			const response = await postWebhookRequest(url, request, ca ? { ca } : {});
			connect.webhookDeliveries.push({ url, request, status: response.status });
			return { ...response, request };
		},
	};
	return handle;
}
