import { generateDataset, startEmulator } from '../test/emulator';
import { N8nInstance, nodeItems } from '../test/e2e/support/n8n';
import type { ImportedCredential, N8nRun } from '../test/e2e/support/n8n';
import { fixture, packPackage } from '../test/e2e/support/package';
import { provisionN8n } from '../test/e2e/support/provision';
import { median, ms, record } from './lib';

/**
 * 10,000 transactions inside a real n8n 2.x: the Ponto node against n8n's HTTP Request node
 * with pagination (the do-it-yourself alternative, using the same credential), both timed by
 * n8n itself (the node's executionTime), and against a raw paging loop in plain Node on the
 * same emulator in the same run.
 */
const RUNS = 5;
const COUNT = 10_000;

function workflow(id: string, node: Record<string, unknown>): Record<string, unknown> {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'fetch', name: 'Fetch', position: [200, 0], credentials: { pontoOAuth2Api: { id: 'pontoEmulator01', name: 'Ponto (emulator)' } }, ...node },
		],
		connections: { Start: { main: [[{ node: 'Fetch', type: 'main', index: 0 }]] } },
		pinData: {},
	};
}

/** A paging loop as a script would write it: token, then follow links.next, 100 per page. */
async function rawLoop(baseUrl: string, accountId: string): Promise<{ ms: number; count: number; requests: number }> {
	const started = performance.now();
	const tokenResponse = await fetch(`${baseUrl}/oauth2/token`, {
		method: 'POST',
		headers: { Authorization: `Basic ${Buffer.from('test-client-id:test-client-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
		body: 'grant_type=client_credentials',
	});
	const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
	let url: string | undefined = `${baseUrl}/accounts/${accountId}/transactions?page%5Blimit%5D=100`;
	let count = 0;
	let requests = 0;
	while (url) {
		const page = (await (await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/vnd.api+json' } })).json()) as { data: unknown[]; links: { next?: string } };
		requests++;
		count += page.data.length;
		url = page.links.next;
	}
	return { ms: performance.now() - started, count, requests };
}

const executionTime = (result: N8nRun) => (result.run.data.resultData.runData.Fetch?.[0] as { executionTime?: number } | undefined)?.executionTime ?? NaN;

/**
 * Run twice: with the emulator answering at once (the worst case for any per-request cost)
 * and with 50 ms latency, closer to a real Ponto over the internet.
 */
export async function realN8nTimes(): Promise<void> {
	for (const latencyMs of [0, 50]) await realN8nTimesWith(latencyMs);
}

async function realN8nTimesWith(latencyMs: number): Promise<void> {
	const install = await provisionN8n(2);
	const emulator = await startEmulator({ latencyMs, dataset: generateDataset({ seed: 9, accounts: [{ transactions: COUNT, historyDays: 400 }] }) });
	const n8n = await N8nInstance.create(install, await packPackage());
	if (process.env.BENCH_N8N_ENV) Object.assign(n8n.env, JSON.parse(process.env.BENCH_N8N_ENV) as Record<string, string>);
	try {
		const account = emulator.dataset.accounts[0];
		await n8n.importCredentials(fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }));
		await n8n.importWorkflows([
			workflow('benchPontoNode01', {
				type: 'n8n-nodes-ponto.ponto',
				typeVersion: 1,
				parameters: { resource: 'transaction', operation: 'getAll', accountId: { __rl: true, mode: 'id', value: account.id }, returnAll: true },
			}),
			workflow('benchHttpNode001', {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					url: `${emulator.url}/accounts/${account.id}/transactions`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'pontoOAuth2Api',
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'page[limit]', value: '100' }] },
					options: {
						// Ponto answers application/vnd.api+json, which the node would otherwise take as text.
						response: { response: { responseFormat: 'json' } },
						pagination: {
							pagination: {
								paginationMode: 'responseContainsNextURL',
								nextURL: '={{ $response.body.links.next }}',
								paginationCompleteWhen: 'other',
								completeExpression: '={{ !$response.body.links.next }}',
								limitPagesFetched: false,
							},
						},
					},
				},
			}),
		]);
		const measure = async (id: string, perRun: (result: N8nRun) => number) => {
			const times: number[] = [];
			let requests = 0;
			let items = 0;
			for (let run = 0; run < RUNS; run++) {
				emulator.clearLog();
				const result = await n8n.execute(id);
				if (result.run.data.resultData.error) throw new Error(`${id}: ${result.run.data.resultData.error.message}`);
				times.push(executionTime(result));
				requests = emulator.requestsTo(`/accounts/${account.id}/transactions`).length;
				items = perRun(result);
			}
			return { median: median(times), requests, items };
		};
		const ponto = await measure('benchPontoNode01', (result) => nodeItems(result, 'Fetch').length);
		const http = await measure('benchHttpNode001', (result) =>
			nodeItems(result, 'Fetch').reduce((total, page) => total + ((page.data as unknown[] | undefined)?.length ?? 0), 0),
		);
		// Same emulator, same run, no n8n: the floor.
		const raws: number[] = [];
		let raw = { ms: 0, count: 0, requests: 0 };
		for (let run = 0; run < RUNS; run++) {
			raw = await rawLoop(emulator.url, account.id);
			raws.push(raw.ms);
		}
		const rawMedian = median(raws);
		const section = `Time: ${COUNT.toLocaleString('en')} transactions in n8n ${install.version}, emulator latency ${latencyMs} ms (median of ${RUNS})`;
		record({
			section,
			name: 'Ponto node vs raw paging loop',
			value: `${ms(ponto.median)} vs ${ms(rawMedian)} = ${(ponto.median / rawMedian).toFixed(2)}x`,
			target: '<= 1.25x the raw loop',
			met: ponto.items === COUNT && ponto.median <= 1.25 * rawMedian,
			figures: { pontoMs: ponto.median, rawMs: rawMedian, ratio: ponto.median / rawMedian, rawRequests: raw.requests },
		});
		record({
			section,
			name: 'Ponto node vs HTTP Request node',
			value: `${ms(ponto.median)} (${ponto.requests} req, ${ponto.items} items) vs ${ms(http.median)} (${http.requests} req, ${http.items} tx in pages)`,
			target: 'faster, with no more requests',
			met: ponto.median < http.median && ponto.requests <= http.requests,
			figures: { pontoMs: ponto.median, httpMs: http.median, pontoRequests: ponto.requests, httpRequests: http.requests },
		});
	} finally {
		n8n.dispose();
		await emulator.close();
	}
}
