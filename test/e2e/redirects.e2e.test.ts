import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { N8nInstance } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import type { N8nMajor } from './support/provision';

/**
 * Issue 13 finding 1 in a real n8n (2.x and 1.x): n8n's request helpers re-attach the
 * Authorization header on a redirect to another origin unless told not to follow it. A "Ponto"
 * on 127.0.0.1 hands out a token, then answers the API call with a 302 to a second local server,
 * which records what reaches it.
 */
const MAJORS = (process.env.PONTO_E2E_N8N ?? '2,1')
	.split(',')
	.map((major) => Number(major) as N8nMajor);

interface Recorded {
	url: string;
	headers: http.IncomingHttpHeaders;
}

async function listen(
	handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ server: http.Server; url: string }> {
	const server = http.createServer(handler);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.each(MAJORS)('n8n %i.x: a redirect from the API', (major) => {
	let n8n: N8nInstance;
	const reached: Recorded[] = [];
	let foreign: { server: http.Server; url: string };
	let ponto: { server: http.Server; url: string };

	beforeAll(async () => {
		const install = await provisionN8n(major);
		foreign = await listen((req, res) => {
			reached.push({ url: req.url ?? '', headers: req.headers });
			res
				.writeHead(200, { 'content-type': 'application/vnd.api+json' })
				.end('{"data":[],"links":{},"meta":{"paging":{"limit":100}}}');
		});
		ponto = await listen((req, res) => {
			if (req.url === '/oauth2/token') {
				res
					.writeHead(200, { 'content-type': 'application/json' })
					.end(
						'{"access_token":"e2e-redirect-access-7c7c","token_type":"bearer","expires_in":1800}',
					);
				return;
			}
			res.writeHead(302, { location: `${foreign.url}${req.url ?? '/'}` }).end();
		});
		n8n = await N8nInstance.create(install, await packPackage());
		await n8n.importCredentials(
			fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: ponto.url }),
		);
		await n8n.importWorkflows([
			fixture<Record<string, unknown>>('test/e2e/workflows/redirect.json'),
		]);
	}, 45 * 60_000);

	afterAll(async () => {
		n8n?.dispose();
		await Promise.all(
			[foreign, ponto]
				.filter(Boolean)
				.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))),
		);
	});

	test('is reported, never followed: the bearer token stays with Ponto', async () => {
		const result = await n8n.execute('e2eRedirect001');
		expect(reached).toEqual([]);
		const task = result.run.data.resultData.runData.Accounts?.[0];
		// n8n 1.x hands on only the status code of the error, not the Location it named.
		const target = major === 1 ? 'another address' : foreign.url;
		expect(task?.error?.message ?? result.run.data.resultData.error?.message).toBe(
			`Ponto answered with a redirect to ${target}; the node never follows redirects with credentials`,
		);
		expect(result.output).not.toContain('e2e-redirect-access-7c7c');
	});
});
