import { N8nHarness } from '../harness/n8n';
import { useEmulator } from './context';

/**
 * The Ponto OAuth2 API credential (custom integration) tests itself when saved, as n8n's
 * credential test runs it: a cheap real call (one account) through n8n's OAuth2 client.
 */
const ctx = useEmulator({ seed: 5, accounts: [{ transactions: 1 }, { transactions: 1 }] });

describe('Ponto OAuth2 API credential test', () => {
	test('the right Client ID and Secret: connection successful, with one account read', async () => {
		const n8n = new N8nHarness({ baseUrl: ctx.emulator.url });
		ctx.emulator.clearLog();
		expect(await n8n.testCredential()).toEqual({ status: 'OK', message: 'Connection successful!' });
		const reads = ctx.emulator.requestsTo('/accounts', 'GET');
		expect(reads).toHaveLength(1);
		expect(reads[0].query).toMatchObject({ 'page[limit]': '1' });
	});

	test("a wrong Client Secret: the test fails on save with Ponto's answer", async () => {
		const n8n = new N8nHarness({ baseUrl: ctx.emulator.url, clientSecret: 'not-the-secret' });
		const result = await n8n.testCredential();
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Failed to acquire OAuth2 access token: Client authentication failed/,
		);
		expect(result.message).not.toContain('not-the-secret');
	});
});
