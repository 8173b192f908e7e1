// startEmulator: the request pipeline (log -> clock -> faults -> route -> auth -> handler ->
// latency -> response) and the Emulator handle.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBearer, type IssuedToken } from './auth';
import { authorizationPage } from './connect/authorize';
import { createConnectHandle } from './connect/handle';
import type { ConnectOptions } from './connect/options';
import {
	acceptsUserToken,
	checkClientCertificate,
	checkSignature,
	withIdempotency,
} from './connect/pipeline';
import { CONNECT_ROOT_ROUTES, CONNECT_ROUTES } from './connect/routes';
import { faultError, pathMatches } from './faults';
import { hostileResponse } from './hostile';
import {
	apiError,
	closeListener,
	createListener,
	createRequestIdFactory,
	HOST,
	listen,
	readBody,
	writePayload,
	writeResponse,
	type ApiResponse,
	type Listener,
} from './http';
import { addToAccount } from './ledger';
import type { ConnectEmulator, Emulator, EmulatorOptions, RequestLogEntry } from './options';
import { matchRoute, type RequestContext } from './router';
import { ROUTES } from './routes';
import { EmulatorState } from './state';
import { createTlsListener } from './tls';

/** Query keys whose values never reach the log. */
const SECRET_KEYS = new Set([
	'client_secret',
	'access_token',
	'refresh_token',
	'token',
	'code',
	'code_verifier',
	'client_assertion',
	'password',
]);

function redactQuery(params: URLSearchParams, state: EmulatorState): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of params) {
		const secret =
			SECRET_KEYS.has(key) ||
			state.secrets.has(value) ||
			state.tokens.find(value) !== undefined ||
			Boolean(state.connect?.isSecret(value));
		out[key] = secret ? '[redacted]' : value;
	}
	return out;
}

/** The custom-integration flavour, or with `connect` the Ponto Connect flavour (see connect/). */
export function startEmulator(
	options: EmulatorOptions & { connect: ConnectOptions },
): Promise<ConnectEmulator>;
export function startEmulator(options?: EmulatorOptions): Promise<Emulator>;
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const state = new EmulatorState(options);
	const nextRequestId = createRequestIdFactory();
	const sleepers = new Map<NodeJS.Timeout, () => void>();
	let closed = false;
	let seq = 0;
	let url = '';

	const sleep = (ms: number): Promise<void> =>
		new Promise((resolve) => {
			if (ms <= 0 || closed) return resolve();
			const timer = setTimeout(() => {
				sleepers.delete(timer);
				resolve();
			}, ms);
			sleepers.set(timer, resolve);
		});

	function dispatch(
		req: IncomingMessage,
		method: string,
		path: string,
		searchParams: URLSearchParams,
		body: Buffer,
		requestId: string,
		entry: RequestLogEntry,
	): ApiResponse {
		const nowMs = state.nowMs();
		state.syncs.advance(nowMs);
		const basePath = state.options.basePath;
		const connect = state.connect;
		const mounted = !basePath || path === basePath || path.startsWith(`${basePath}/`);
		// Ponto Connect: /webhooks/keys lives at the host root, outside basePath.
		const root = connect ? matchRoute(CONNECT_ROOT_ROUTES, method, path) : null;
		const relative = root ? path : path.slice(basePath.length) || '/';
		const match =
			root ?? (mounted ? matchRoute(connect ? CONNECT_ROUTES : ROUTES, method, relative) : null);
		// ASSUMPTION: the body of a 404 for an unknown route is not documented; JSON:API like the rest.
		if (!match)
			return apiError(requestId, 404, 'routeNotFound', `No route matches ${method} ${path}.`);
		let token: IssuedToken | null = null;
		if (match.route.auth) {
			const presented = parseBearer(req.headers.authorization);
			const known = presented ? state.tokens.find(presented) : undefined;
			if (known) entry.tokenSeq = known.seq;
			token = presented
				? state.tokens.authenticate(presented, nowMs, state.options.expireTokensEveryRequests)
				: null;
			// Ponto Connect: only tokens of an active user grant (client tokens are for partner endpoints).
			if (!token || (connect && !acceptsUserToken(connect, token))) {
				const response = apiError(
					requestId,
					401,
					'invalidAccessToken',
					'Your access token is invalid.',
				);
				return { ...response, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
			}
			entry.authenticated = true;
		}
		const ctx: RequestContext = {
			method,
			path: root ? path : path.slice(basePath.length),
			params: match.params,
			query: Object.fromEntries(searchParams),
			searchParams,
			headers: req.headers,
			body,
			requestId,
			nowMs,
			base: `${url}${basePath}`,
			state,
			entry,
			...(token ? { token } : {}),
		};
		const run = (): ApiResponse => match.route.handler(ctx);
		return connect && match.route.auth ? withIdempotency(connect, ctx, run) : run();
	}

	/** Every request, on either listener, goes into the log first (its query redacted). */
	function logRequest(
		req: IncomingMessage,
		server?: RequestLogEntry['server'],
	): { parsed: URL; method: string; entry: RequestLogEntry } {
		const parsed = new URL(req.url ?? '/', 'http://emulator.invalid');
		const method = (req.method ?? 'GET').toUpperCase();
		const entry: RequestLogEntry = {
			seq: ++seq,
			at: state.options.now().toISOString(),
			method,
			path: parsed.pathname,
			query: redactQuery(parsed.searchParams, state),
			status: 0,
			authenticated: false,
			...(server ? { server } : {}),
		};
		state.log.push(entry);
		return { parsed, method, entry };
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const requestId = nextRequestId();
		const { parsed, method, entry } = logRequest(req);
		if (state.connect) {
			entry.server = 'api';
			const certificate = checkClientCertificate(state.connect, req, entry, requestId);
			if (certificate === 'reset') {
				req.socket.destroy();
				return;
			}
			if (certificate !== 'ok') {
				entry.status = certificate.status;
				writeResponse(res, certificate, requestId);
				return;
			}
		}
		const fault = state.faults.take(method, parsed.pathname);
		if (fault) entry.fault = fault.label;
		if (fault?.kind === 'drop') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'delay') await sleep(fault.delayMs);
		const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
		if (closed) return;
		// The request was read; the connection stays open without a byte until the client gives
		// up or close() destroys it.
		if (fault?.kind === 'hostile' && fault.mode === 'neverAnswers') return;
		let response: ApiResponse;
		if (fault?.kind === 'status') {
			const { code, detail } = faultError(fault.status);
			response = apiError(requestId, fault.status, code, detail);
			if (fault.retryAfter !== undefined)
				response.headers = { 'retry-after': String(fault.retryAfter) };
		} else {
			try {
				const refused = state.connect
					? checkSignature(
							state.connect,
							req,
							body,
							entry,
							requestId,
							state.nowMs(),
							state.options.basePath,
						)
					: null;
				response =
					refused ??
					dispatch(req, method, parsed.pathname, parsed.searchParams, body, requestId, entry);
				// Handled (and remembered under its idempotency key), yet the client hears a failure.
				if (fault?.kind === 'afterHandling')
					response = apiError(
						requestId,
						fault.status,
						faultError(fault.status).code,
						faultError(fault.status).detail,
					);
			} catch (error) {
				response = apiError(
					requestId,
					500,
					'internalServerError',
					`Emulator error: ${(error as Error).message}`,
				);
			}
		}
		const { latencyMs, jitterMs } = state.options;
		await sleep(latencyMs + (jitterMs > 0 ? Math.floor(state.jitter.next() * jitterMs) : 0));
		if (closed) return;
		entry.status = response.status;
		if (fault?.kind !== 'hostile') return writeResponse(res, response, requestId);
		const requestUrl = `${url}${req.url ?? '/'}`;
		// loopingNext: this page is served intact, the next one on this path links back to it. A
		// last page has no next one: nothing is queued that would hit an unrelated later request.
		const hasNext =
			typeof (response.body as { links?: { next?: unknown } } | undefined)?.links?.next ===
			'string';
		if (fault.mode === 'loopingNext' && hasNext)
			state.faults.enqueueFirst({
				match: parsed.pathname,
				method,
				hostile: 'repeatingNext',
				nextTo: requestUrl,
			});
		const raw = hostileResponse(fault.mode, response, requestUrl, fault.options);
		entry.status = raw.status;
		writePayload(res, raw.status, raw.contentType, raw.payload, requestId);
	}

	const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
		handle(req, res).catch(() => {
			if (!res.headersSent && !res.destroyed) res.destroy();
		});
	};
	const connect = state.connect;
	const connectOptions = options.connect;
	const listener =
		connect && connectOptions
			? createTlsListener(
					connectOptions.tls,
					connectOptions.clientCertificateFailure ?? 'handshake',
					onRequest,
					(error) => {
						connect.tlsRejections.push({
							at: state.options.now().toISOString(),
							reason: error.code ?? error.message,
						});
					},
				)
			: createListener(onRequest);
	const port = await listen(listener, options.port ?? 0);
	url = `${connect ? 'https' : 'http'}://${HOST}:${port}`;
	// The authorization host of Ponto Connect: plain HTTP on a port of its own.
	let authListener: Listener | undefined;
	if (connect) {
		authListener = createListener((req, res) => {
			const { parsed, method, entry } = logRequest(req, 'authorization');
			const page = authorizationPage(state, method, parsed, state.nowMs());
			entry.status = page.status;
			res.writeHead(page.status, {
				...page.headers,
				'content-length': String(Buffer.byteLength(page.body)),
			});
			res.end(method === 'HEAD' ? undefined : page.body);
		});
		const authPort = await listen(authListener, connectOptions?.authorizationPort ?? 0);
		connect.authorizationOrigin = `http://${HOST}:${authPort}`;
	}
	const connectHandle = connect ? createConnectHandle(state, connect, url) : undefined;

	const emulator: Emulator = {
		url,
		port,
		get dataset() {
			return state.dataset;
		},
		log: state.log,
		clearLog: () => {
			state.log.length = 0;
		},
		requestsTo: (pattern, method) =>
			state.log.filter(
				(e) => pathMatches(pattern, e.path) && (!method || e.method === method.toUpperCase()),
			),
		queueFaults: (...faults) => state.faults.enqueue(faults),
		expireAllTokens: () => state.tokens.expireAll(),
		addTransactions: (accountId, txs, opts) => {
			const account = state.requireAccount(accountId);
			state.syncs.advance(state.nowMs());
			const added = addToAccount(
				state.dataset,
				account,
				state.rng,
				'booked',
				txs,
				state.nowMs(),
				opts?.atTop ?? true,
			);
			// Ponto only learns of bookings by synchronizing: the account shows it did.
			if (
				state.syncs.recordScheduled(
					accountId,
					added.map((t) => t.id),
					state.nowMs(),
				)
			)
				return added;
			const at = new Date(state.nowMs()).toISOString();
			account.syncMeta.account = { ...account.syncMeta.account, synchronizedAt: at };
			account.syncMeta.transactions = { ...account.syncMeta.transactions, synchronizedAt: at };
			return added;
		},
		queueBankTransactions: (accountId, txs) => {
			state.requireAccount(accountId).bankQueue.transactions.push(...txs.map((t) => ({ ...t })));
		},
		queueBankPendingTransactions: (accountId, txs) => {
			state
				.requireAccount(accountId)
				.bankQueue.pendingTransactions.push(...txs.map((t) => ({ ...t })));
		},
		failNextSynchronization: (accountId, errors) => {
			state.requireAccount(accountId);
			state.syncs.failNext(
				accountId,
				errors.map((e) => ({ code: e.code, detail: e.detail, meta: { ...(e.meta ?? {}) } })),
			);
		},
		settleSynchronizations: () => state.syncs.advance(state.nowMs()),
		setOptions: (partial) => state.apply(partial),
		...(connectHandle
			? {
					connect: connectHandle,
					authorizationUrl: connectHandle.authorizationUrl,
					postWebhook: connectHandle.postWebhook,
				}
			: {}),
		close: async () => {
			if (closed) return;
			closed = true;
			for (const [timer, resolve] of sleepers) {
				clearTimeout(timer);
				resolve();
			}
			sleepers.clear();
			await Promise.all([
				closeListener(listener),
				authListener ? closeListener(authListener) : undefined,
			]);
		},
	};
	return emulator;
}
