import { generateDataset, startEmulator } from '../test/emulator';
import { N8nInstance, nodeItems } from '../test/e2e/support/n8n';
import type { ImportedCredential, N8nRun } from '../test/e2e/support/n8n';
import { fixture, packPackage } from '../test/e2e/support/package';
import { provisionN8n } from '../test/e2e/support/provision';
import { median, ms, pairedRatio, ratioVerdict, record } from './lib';

/**
 * 10,000 transactions inside a real n8n 2.x: the Ponto node against n8n's HTTP Request node
 * with pagination (the do-it-yourself alternative, using the same credential), both timed by
 * n8n itself (the node's executionTime), and against a raw paging loop in plain Node on the
 * same emulator in the same run.
 *
 * Each `n8n execute` is a fresh process. Its workflow reads the account twice: `Fetch` cold
 * (first use of n8n's and the node's code in that process) and `Again` (executeOnce) warm, as
 * every execution after the first one runs in a long-lived `n8n start`. The warm figures are
 * compared; the cold ones are shown beside them.
 *
 * The compared runs are interleaved: each round runs the Ponto workflow, the HTTP Request
 * workflow and the raw loop once, in an order that rotates from round to round, and the
 * verdict is the median of the per-round ratios, printed with its interquartile range: met when
 * the whole range is within the target, not met when the whole range is beyond it, "within
 * spread" when the range straddles it (lib.ts ratioVerdict). BENCH_ROUNDS sets the number of
 * rounds (default 7).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const COUNT = 10_000;

function workflow(id: string, node: Record<string, unknown>): Record<string, unknown> {
	const credentials = { pontoOAuth2Api: { id: 'pontoEmulator01', name: 'Ponto (emulator)' } };
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{ id: 'fetch', name: 'Fetch', position: [200, 0], credentials, ...node },
			{ id: 'again', name: 'Again', position: [400, 0], credentials, executeOnce: true, ...node },
		],
		connections: {
			Start: { main: [[{ node: 'Fetch', type: 'main', index: 0 }]] },
			Fetch: { main: [[{ node: 'Again', type: 'main', index: 0 }]] },
		},
		pinData: {},
	};
}

/** n8n's HTTP Request node paging a Ponto list with the Ponto credential (the do-it-yourself way). */
export function httpRequestNode(url: string): Record<string, unknown> {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			url,
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
	};
}

/** A paging loop as a script would write it: token, then follow links.next, 100 per page. */
async function rawLoop(
	baseUrl: string,
	accountId: string,
): Promise<{ ms: number; count: number; requests: number }> {
	const started = performance.now();
	const tokenResponse = await fetch(`${baseUrl}/oauth2/token`, {
		method: 'POST',
		headers: {
			Authorization: `Basic ${Buffer.from('test-client-id:test-client-secret').toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: 'grant_type=client_credentials',
	});
	const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
	let url: string | undefined = `${baseUrl}/accounts/${accountId}/transactions?page%5Blimit%5D=100`;
	let count = 0;
	let requests = 0;
	while (url) {
		const page = (await (
			await fetch(url, {
				headers: { Authorization: `Bearer ${token}`, Accept: 'application/vnd.api+json' },
			})
		).json()) as { data: unknown[]; links: { next?: string } };
		requests++;
		count += page.data.length;
		url = page.links.next;
	}
	return { ms: performance.now() - started, count, requests };
}

const executionTime = (result: N8nRun, node: string) =>
	(result.run.data.resultData.runData[node]?.[0] as { executionTime?: number } | undefined)
		?.executionTime ?? NaN;

/**
 * Run twice: with the emulator answering at once (the worst case for any per-request cost)
 * and with 50 ms latency, closer to a real Ponto over the internet.
 */
export async function realN8nTimes(): Promise<void> {
	for (const latencyMs of [0, 50]) await realN8nTimesWith(latencyMs);
}

interface Times {
	warm: number[];
	cold: number[];
	requests: number;
	items: number;
}

async function realN8nTimesWith(latencyMs: number): Promise<void> {
	const install = await provisionN8n(2);
	const emulator = await startEmulator({
		latencyMs,
		dataset: generateDataset({ seed: 9, accounts: [{ transactions: COUNT, historyDays: 400 }] }),
	});
	const n8n = await N8nInstance.create(install, await packPackage());
	if (process.env.BENCH_N8N_ENV)
		Object.assign(n8n.env, JSON.parse(process.env.BENCH_N8N_ENV) as Record<string, string>);
	try {
		const account = emulator.dataset.accounts[0];
		const listPath = `/accounts/${account.id}/transactions`;
		await n8n.importCredentials(
			fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
		);
		await n8n.importWorkflows([
			workflow('benchPontoNode01', {
				type: 'n8n-nodes-ponto.ponto',
				typeVersion: 1,
				parameters: {
					resource: 'transaction',
					operation: 'getAll',
					accountId: { __rl: true, mode: 'id', value: account.id },
					returnAll: true,
				},
			}),
			workflow('benchHttpNode001', httpRequestNode(`${emulator.url}${listPath}`)),
		]);
		const ponto: Times = { warm: [], cold: [], requests: 0, items: 0 };
		const http: Times = { warm: [], cold: [], requests: 0, items: 0 };
		const raws: number[] = [];
		let raw = { ms: 0, count: 0, requests: 0 };
		const execute = async (
			id: string,
			into: Times,
			items: (result: N8nRun, node: string) => number,
		) => {
			emulator.clearLog();
			const result = await n8n.execute(id);
			if (result.run.data.resultData.error)
				throw new Error(`${id}: ${result.run.data.resultData.error.message}`);
			into.cold.push(executionTime(result, 'Fetch'));
			into.warm.push(executionTime(result, 'Again'));
			// Both nodes read the whole account: half the requests are one read.
			into.requests = emulator.requestsTo(listPath).length / 2;
			into.items = Math.min(items(result, 'Fetch'), items(result, 'Again'));
		};
		const steps: Array<() => Promise<void>> = [
			() => execute('benchPontoNode01', ponto, (result, node) => nodeItems(result, node).length),
			() =>
				execute('benchHttpNode001', http, (result, node) =>
					nodeItems(result, node).reduce(
						(total, page) => total + ((page.data as unknown[] | undefined)?.length ?? 0),
						0,
					),
				),
			async () => {
				raw = await rawLoop(emulator.url, account.id);
				raws.push(raw.ms);
			},
		];
		// Same emulator, same rounds: the raw loop (no n8n) is the floor.
		for (let round = 0; round < ROUNDS; round++) {
			for (let step = 0; step < steps.length; step++) await steps[(round + step) % steps.length]();
		}
		const vsRaw = pairedRatio(ponto.warm, raws);
		const vsHttp = pairedRatio(ponto.warm, http.warm);
		const coldVsHttp = pairedRatio(ponto.cold, http.cold);
		const section = `Time: ${COUNT.toLocaleString('en')} transactions in n8n ${install.version}, emulator latency ${latencyMs} ms (${ROUNDS} interleaved rounds, medians)`;
		record({
			section,
			name: 'Ponto node vs raw paging loop',
			value: `${ms(median(ponto.warm))} vs ${ms(median(raws))} = ${vsRaw.text}; cold ${ms(median(ponto.cold))}`,
			target: '<= 1.25x the raw loop',
			met: ponto.items === COUNT ? ratioVerdict(vsRaw, 1.25) : false,
			figures: {
				pontoMs: median(ponto.warm),
				pontoColdMs: median(ponto.cold),
				rawMs: median(raws),
				ratio: vsRaw.median,
				ratioLow: vsRaw.low,
				ratioHigh: vsRaw.high,
				rawRequests: raw.requests,
			},
		});
		record({
			section,
			name: 'Ponto node vs HTTP Request node',
			value:
				`${ms(median(ponto.warm))} (${ponto.requests} req, ${ponto.items} items) vs ${ms(median(http.warm))} (${http.requests} req, ${http.items} tx in pages) = ${vsHttp.text}; ` +
				`cold ${ms(median(ponto.cold))} vs ${ms(median(http.cold))} = ${coldVsHttp.text}`,
			target: 'faster (ratio <= 1), no more requests',
			met: ponto.requests <= http.requests ? ratioVerdict(vsHttp, 1) : false,
			figures: {
				pontoMs: median(ponto.warm),
				httpMs: median(http.warm),
				ratio: vsHttp.median,
				ratioLow: vsHttp.low,
				ratioHigh: vsHttp.high,
				pontoColdMs: median(ponto.cold),
				httpColdMs: median(http.cold),
				coldRatio: coldVsHttp.median,
				pontoRequests: ponto.requests,
				httpRequests: http.requests,
			},
		});
	} finally {
		n8n.dispose();
		await emulator.close();
	}
}
