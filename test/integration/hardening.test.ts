import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

import { clearWebhookKeyCache } from '../../nodes/Ponto/transport/webhookKeys';
import { resetTokenCaches } from '../../nodes/Ponto/transport/tokenRotation';
import {
	buildWebhookRequest,
	generateDataset,
	postWebhookRequest,
	startEmulator,
	webhookEvent,
	webhookJwks,
} from '../emulator';
import { N8nHarness } from '../harness/n8n';
import { WebhookHarness } from '../harness/webhook';
import { generateTestPki } from '../support/pki';
import type { TestPki } from '../support/pki';

/**
 * Issue 13 finding 1: no request of the package follows a redirect. A "Ponto" on 127.0.0.1
 * answers with a 3xx pointing at a second local server (the foreign origin), which records
 * whatever reaches it. Nothing may: no bearer token, no Basic client secret, no refresh token,
 * and no key set the foreign server would supply for the webhooks.
 */
interface Seen {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

interface LocalServer {
	url: string;
	seen: Seen[];
	close(): Promise<void>;
}

type Handler = (req: Seen, res: http.ServerResponse) => void;

async function startServer(
	handler: Handler,
	tls?: { cert: string; key: string },
): Promise<LocalServer> {
	const seen: Seen[] = [];
	const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const entry = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			seen.push(entry);
			handler(entry, res);
		});
	};
	const server = tls
		? https.createServer({ cert: tls.cert, key: tls.key }, listener)
		: http.createServer(listener);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
		seen,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const json = (
	res: http.ServerResponse,
	status: number,
	body: unknown,
	type = 'application/vnd.api+json',
) => {
	res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
};
const EMPTY_PAGE = { data: [], links: {}, meta: { paging: { limit: 100 } } };

/** The foreign origin: answers like Ponto would, so that a followed redirect would succeed. */
async function foreignServer(
	tls?: { cert: string; key: string },
	keys?: unknown,
): Promise<LocalServer> {
	return await startServer((req, res) => {
		if (req.url.includes('oauth2/token'))
			return json(
				res,
				200,
				{
					access_token: 'foreign-access',
					refresh_token: 'foreign-refresh',
					token_type: 'bearer',
					expires_in: 1800,
				},
				'application/json',
			);
		if (req.url.includes('/webhooks/keys'))
			return json(res, 200, keys ?? { keys: [] }, 'application/json');
		json(res, 200, EMPTY_PAGE);
	}, tls);
}

/** Everything that reached the foreign server, as one text to search for secrets. */
const reached = (server: LocalServer) => JSON.stringify(server.seen);

const servers: LocalServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('Custom integration: the API never follows a redirect with the bearer token', () => {
	test.each([302, 307])(
		'a %i from the API is an error naming the target origin; the foreign server receives nothing',
		async (status) => {
			const foreign = await foreignServer();
			servers.push(foreign);
			const ponto = await startServer((req, res) => {
				if (req.url === '/oauth2/token')
					return json(
						res,
						200,
						{ access_token: 'custom-access-6b1e', token_type: 'bearer', expires_in: 1800 },
						'application/json',
					);
				res.writeHead(status, { location: `${foreign.url}${req.url}` }).end();
			});
			servers.push(ponto);
			const n8n = new N8nHarness({ baseUrl: ponto.url, clientSecret: 'custom-secret-77aa' });
			const run = await n8n.run({ resource: 'account', operation: 'getAll', returnAll: true });

			expect(foreign.seen).toHaveLength(0);
			expect(reached(foreign)).not.toContain('custom-access-6b1e');
			expect(run.error?.message).toBe(
				`Ponto answered with a redirect to ${foreign.url}; the node never follows redirects with credentials`,
			);
			expect(run.error?.description).toMatch(/API Base URL/);
			// Not retried: one request for the accounts, after the token.
			expect(ponto.seen.filter((req) => req.url.startsWith('/accounts'))).toHaveLength(1);
		},
	);
});

describe('Custom integration: the token endpoint redirected', () => {
	// The custom integration's token is fetched by n8n's own OAuth2 client (credentials built on
	// oAuth2Api), which follows redirects but drops the Authorization header across origins:
	// the client secret never reaches the other origin, and the API call that follows is refused.
	test('a 307 from the token endpoint: the Basic client secret does not reach the other origin', async () => {
		const foreign = await foreignServer();
		servers.push(foreign);
		const ponto = await startServer((req, res) => {
			res.writeHead(307, { location: `${foreign.url}${req.url}` }).end();
		});
		servers.push(ponto);
		const n8n = new N8nHarness({
			baseUrl: ponto.url,
			clientId: 'custom-client',
			clientSecret: 'custom-secret-9d9d',
		});
		const run = await n8n.run({ resource: 'account', operation: 'getAll', returnAll: true });
		const basic = Buffer.from('custom-client:custom-secret-9d9d').toString('base64');
		for (const secret of ['custom-secret-9d9d', basic])
			expect(reached(foreign)).not.toContain(secret);
		expect(foreign.seen.every((req) => req.headers.authorization === undefined)).toBe(true);
		expect(run.error?.message).toBe(
			`Ponto answered with a redirect to ${foreign.url}; the node never follows redirects with credentials`,
		);
		expect(foreign.seen.filter((req) => !req.url.startsWith('/oauth2/token'))).toEqual([]);
	});
});

describe('Errors never echo a secret (finding 2)', () => {
	test('a 403 whose body echoes the Authorization header puts no token into the run data', async () => {
		const ponto = await startServer((req, res) => {
			if (req.url === '/oauth2/token')
				return json(
					res,
					200,
					{ access_token: 'custom-access-e4c0', token_type: 'bearer', expires_in: 1800 },
					'application/json',
				);
			json(res, 403, {
				errors: [
					{
						code: 'forbidden',
						detail: `Request with Authorization: ${String(req.headers.authorization)} is not allowed`,
						meta: {
							resource: 'account',
							headers: req.headers,
							echo: String(req.headers.authorization).replace('Bearer ', ''),
						},
					},
				],
			});
		});
		servers.push(ponto);
		const n8n = new N8nHarness({ baseUrl: ponto.url });
		const run = await n8n.run({ resource: 'account', operation: 'getAll', returnAll: true });
		expect(ponto.seen.at(-1)?.headers.authorization).toBe('Bearer custom-access-e4c0');
		expect(run.error?.message).toBe(
			'Ponto refused access: forbidden: Request with Authorization: Bearer [redacted] is not allowed',
		);
		const error = run.error as unknown as Record<string, unknown>;
		const visible = JSON.stringify([
			run.run.data.resultData,
			error.message,
			error.description,
			JSON.parse(JSON.stringify(error)),
			error.context,
		]);
		expect(visible).not.toContain('custom-access-e4c0');
	});
});

describe('Finding 7: values from Ponto or the editor never become paths', () => {
	const ACCOUNT_ID = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
	const accountPage = {
		data: [
			{
				type: 'account',
				id: ACCOUNT_ID,
				attributes: { description: 'Main', reference: 'BE68539007547034', currency: 'EUR' },
			},
		],
		links: {},
		meta: { paging: { limit: 100 } },
	};

	async function customPonto(): Promise<LocalServer> {
		const ponto = await startServer((req, res) => {
			if (req.url === '/oauth2/token')
				return json(
					res,
					200,
					{ access_token: 'custom-access-list', token_type: 'bearer', expires_in: 1800 },
					'application/json',
				);
			if (req.url.startsWith('/accounts') || req.url.startsWith('/financial-institutions'))
				return json(res, 200, accountPage);
			json(res, 404, { errors: [{ code: 'resourceNotFound' }] });
		});
		servers.push(ponto);
		return ponto;
	}

	test.each([
		'/../../anything',
		'/anything',
		`{base}/../anything`,
		`{base}/%2e%2e/anything`,
		'https://evil.example/accounts',
		'accounts',
	])('the account search refuses the pagination token %s before any request', async (token) => {
		const ponto = await customPonto();
		const n8n = new N8nHarness({ baseUrl: ponto.url });
		for (const method of ['searchAccounts', 'searchFinancialInstitutions'] as const) {
			await expect(
				n8n.listSearch(method, undefined, token.replace('{base}', ponto.url)),
			).rejects.toThrow('The page token of the list is not a next-page link of the Ponto API');
		}
		expect(ponto.seen.filter((req) => req.url !== '/oauth2/token')).toEqual([]);
	});

	test('a next-page link of the API is still followed', async () => {
		const ponto = await customPonto();
		const n8n = new N8nHarness({ baseUrl: ponto.url });
		const result = await n8n.listSearch(
			'searchAccounts',
			undefined,
			`${ponto.url}/accounts?page%5Bafter%5D=${ACCOUNT_ID}`,
		);
		expect(result.results).toEqual([{ name: 'Main · BE68539007547034 · EUR', value: ACCOUNT_ID }]);
		expect(ponto.seen.at(-1)?.url).toMatch(
			new RegExp(`^/accounts\\?page%5Bafter%5D=${ACCOUNT_ID}&page(\\[|%5B)limit(\\]|%5D)=100$`),
		);
	});

	test('statement file names built from a hostile account reference hold no path', async () => {
		const emulator = await startEmulator({
			dataset: generateDataset({
				seed: 61,
				accounts: [{ transactions: 5, reference: 'ACC/\u2026/../x\u010A..' }],
			}),
		});
		try {
			const n8n = new N8nHarness({ baseUrl: emulator.url });
			const account = emulator.dataset.accounts[0];
			const run = await n8n.run({
				resource: 'statement',
				operation: 'create',
				accountId: { __rl: true, mode: 'id', value: account.id },
				period: 'custom',
				from: '2020-01-01',
				to: '2020-01-31',
				files: ['ofx1', 'camt053'],
			});
			expect(run.error).toBeUndefined();
			const names = Object.values(run.items[0].binary ?? {}).map((file) => file.fileName);
			expect(names.sort()).toEqual([
				'ACC_xC_2020-01-01_2020-01-31_camt053.xml',
				'ACC_xC_2020-01-01_2020-01-31_ofx1.ofx',
			]);
		} finally {
			await emulator.close();
		}
	});
});

describe('Ponto Connect: API calls, the token endpoint and the webhook key set never follow a redirect', () => {
	let pki: TestPki;
	beforeAll(async () => {
		pki = await generateTestPki();
	});
	beforeEach(() => {
		resetTokenCaches();
		clearWebhookKeyCache();
	});

	const tls = () => ({ cert: pki.server.cert, key: pki.server.key });
	const credential = (baseUrl: string, extra: Record<string, unknown> = {}) => ({
		environment: 'sandbox',
		baseUrl,
		clientId: 'connect-client-id',
		clientSecret: 'connect-secret-3f9c',
		redirectUri: 'http://127.0.0.1/callback',
		certificate: pki.client.cert,
		privateKey: pki.client.encryptedKey,
		passphrase: pki.client.passphrase,
		ca: pki.ca.cert,
		applicationId: 'connect-application-id',
		accessToken: '',
		refreshToken: '',
		...extra,
	});

	/** A Ponto Connect host that redirects every request to `target`. */
	async function redirecting(status: number, target: LocalServer): Promise<LocalServer> {
		const server = await startServer((req, res) => {
			res.writeHead(status, { location: `${target.url}${req.url}` }).end();
		}, tls());
		servers.push(server);
		return server;
	}

	describe('Sandbox > Create Transaction validates ids from responses before using them in a URL (finding 7)', () => {
		const ACCOUNT_ID = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
		const INSTITUTION_ID = '7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
		const parameters = {
			resource: 'sandbox',
			operation: 'createTransaction',
			accountId: { __rl: true, mode: 'id', value: ACCOUNT_ID },
			amount: -12.5,
			currency: 'EUR',
			description: 'Wire transfer',
			executionDate: '2026-11-20',
			valueDate: '2026-11-20',
			remittanceInformationType: 'unstructured',
		};

		async function sandboxPonto(
			relationships: unknown,
			sandboxAccountId: string,
		): Promise<LocalServer> {
			const server = await startServer((req, res) => {
				if (req.url === `/ponto-connect/accounts/${ACCOUNT_ID}`) {
					return json(res, 200, {
						data: {
							type: 'account',
							id: ACCOUNT_ID,
							attributes: { reference: 'BE68539007547034' },
							relationships,
						},
					});
				}
				if (
					req.method === 'GET' &&
					req.url.startsWith(
						`/ponto-connect/sandbox/financial-institutions/${INSTITUTION_ID}/financial-institution-accounts`,
					)
				) {
					return json(res, 200, {
						data: [
							{
								type: 'financialInstitutionAccount',
								id: sandboxAccountId,
								attributes: { reference: 'BE68539007547034' },
							},
						],
						links: {},
						meta: { paging: { limit: 100 } },
					});
				}
				json(res, 201, {
					data: {
						type: 'financialInstitutionTransaction',
						id: '8c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
						attributes: {},
					},
				});
			}, tls());
			servers.push(server);
			return server;
		}

		test('an account without a financial institution id: refused, no /sandbox/financial-institutions/undefined call', async () => {
			const ponto = await sandboxPonto(undefined, '9d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a');
			const n8n = N8nHarness.connect(
				credential(ponto.url, {
					accessToken: 'connect-access-sbx1',
					refreshToken: 'connect-refresh-sbx1',
				}),
			);
			const run = await n8n.run(parameters);
			expect(run.error?.message).toBe(
				'Ponto sent a response the node cannot use: the account names no financial institution by a Ponto id',
			);
			expect(ponto.seen.map((req) => `${req.method} ${req.url}`)).toEqual([
				`GET /ponto-connect/accounts/${ACCOUNT_ID}`,
			]);
		});

		test.each(['../../../accounts', '9d4e5f6a/financial-institution-transactions?x=', ''])(
			'a sandbox account id %p from the list: refused, nothing is posted',
			async (hostileId) => {
				const ponto = await sandboxPonto(
					{ financialInstitution: { data: { type: 'financialInstitution', id: INSTITUTION_ID } } },
					hostileId,
				);
				const n8n = N8nHarness.connect(
					credential(ponto.url, {
						accessToken: 'connect-access-sbx2',
						refreshToken: 'connect-refresh-sbx2',
					}),
				);
				const run = await n8n.run(parameters);
				expect(run.error?.message).toMatch(/^Ponto sent a response the node cannot use: /);
				expect(ponto.seen.filter((req) => req.method === 'POST')).toEqual([]);
			},
		);

		test('with Ponto ids the transaction is created where it belongs', async () => {
			const sandboxAccountId = '9d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a';
			const ponto = await sandboxPonto(
				{ financialInstitution: { data: { type: 'financialInstitution', id: INSTITUTION_ID } } },
				sandboxAccountId,
			);
			const n8n = N8nHarness.connect(
				credential(ponto.url, {
					accessToken: 'connect-access-sbx3',
					refreshToken: 'connect-refresh-sbx3',
				}),
			);
			const run = await n8n.run(parameters);
			expect(run.error).toBeUndefined();
			expect(ponto.seen.filter((req) => req.method === 'POST').map((req) => req.url)).toEqual([
				`/ponto-connect/sandbox/financial-institutions/${INSTITUTION_ID}/financial-institution-accounts/${sandboxAccountId}/financial-institution-transactions`,
			]);
		});
	});

	test('an API call answered 302 keeps the Connect bearer token at home', async () => {
		const foreign = await foreignServer(tls());
		servers.push(foreign);
		const ponto = await redirecting(302, foreign);
		const n8n = N8nHarness.connect(
			credential(ponto.url, {
				accessToken: 'connect-access-91d2',
				refreshToken: 'connect-refresh-5e0a',
			}),
		);
		const run = await n8n.run({ resource: 'account', operation: 'getAll', returnAll: true });

		expect(foreign.seen).toHaveLength(0);
		expect(reached(foreign)).not.toContain('connect-access-91d2');
		expect(run.error?.message).toBe(
			`Ponto answered with a redirect to ${foreign.url}; the node never follows redirects with credentials`,
		);
	});

	test('a refresh answered 307 sends neither the refresh token nor the Basic client secret elsewhere', async () => {
		const foreign = await foreignServer(tls());
		servers.push(foreign);
		const ponto = await redirecting(307, foreign);
		const n8n = N8nHarness.connect(credential(ponto.url, { refreshToken: 'connect-refresh-c4b8' }));
		const run = await n8n.run({ resource: 'account', operation: 'getAll', returnAll: true });

		expect(ponto.seen.map((req) => `${req.method} ${req.url}`)).toEqual([
			'POST /ponto-connect/oauth2/token',
		]);
		expect(foreign.seen).toHaveLength(0);
		const basic = Buffer.from('connect-client-id:connect-secret-3f9c').toString('base64');
		for (const secret of ['connect-refresh-c4b8', basic, 'connect-secret-3f9c'])
			expect(reached(foreign)).not.toContain(secret);
		expect(run.error?.message).toBe(
			`The Ponto token endpoint answered with a redirect to ${foreign.url}; the credential never follows redirects`,
		);
		// Nothing from the foreign server was stored either.
		expect(JSON.stringify(n8n.storedCredential)).not.toContain('foreign-');
	});

	test('a key set redirected to a foreign host is not fetched there, and a webhook signed with its key starts nothing', async () => {
		// The foreign host offers its own key (webhook2) and signs a delivery with it.
		const foreign = await foreignServer(
			tls(),
			webhookJwks([{ kid: pki.webhook2.kid, publicKey: pki.webhook2.publicKey }]),
		);
		servers.push(foreign);
		const ponto = await redirecting(302, foreign);
		const receiver = new WebhookHarness(
			credential(ponto.url, {
				accessToken: 'connect-access-0a0a',
				refreshToken: 'connect-refresh-0b0b',
			}),
		);
		await receiver.start();
		try {
			const forged = buildWebhookRequest(webhookEvent('pontoConnect.integration.accountRevoked'), {
				applicationId: 'connect-application-id',
				key: {
					kid: pki.webhook2.kid,
					publicKey: pki.webhook2.publicKey,
					privateKey: pki.webhook2.privateKey,
				},
			});
			const answer = await postWebhookRequest(receiver.url, forged);

			expect(ponto.seen.map((req) => `${req.method} ${req.url}`)).toEqual(['GET /webhooks/keys']);
			expect(foreign.seen).toHaveLength(0);
			expect(answer.status).toBe(503);
			expect(receiver.startedRuns).toHaveLength(0);
			const logged = receiver.logs.map((line) => line.message).join('\n');
			expect(logged).toContain(`a redirect (HTTP 302) to ${foreign.url}, which is never followed`);
		} finally {
			await receiver.close();
		}
	});
});
