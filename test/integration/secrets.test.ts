import type { IDataObject } from 'n8n-workflow';

import { N8nHarness } from '../harness/n8n';
import { RL, useEmulator } from './context';

const ctx = useEmulator({ seed: 23, accounts: [{ transactions: 150 }] });

/** Everything a user or a log could see from a run: items, error message, description, JSON. */
function visibleText(run: Awaited<ReturnType<N8nHarness['run']>>): string {
	const error = run.error as (Error & { description?: string; context?: IDataObject }) | undefined;
	return JSON.stringify([
		run.items,
		error?.message,
		error?.description,
		error ? JSON.parse(JSON.stringify(error)) : null,
		error?.context,
	]);
}

describe('No secret reaches an output, an error or the request log', () => {
	test('successful runs, refused credentials, API errors and retries carry no secret or token', async () => {
		const seen: string[] = [];
		const account = ctx.emulator.dataset.accounts[0];
		ctx.emulator.setOptions({ expireTokensEveryRequests: 2 });
		ctx.emulator.queueFaults({ match: /\/transactions$/, status: 500 });
		seen.push(
			visibleText(
				await ctx.run({
					resource: 'transaction',
					operation: 'getAll',
					accountId: RL(account.id),
					returnAll: true,
				}),
			),
		);
		ctx.emulator.setOptions({ expireTokensEveryRequests: undefined });
		seen.push(
			visibleText(
				await ctx.run({
					resource: 'account',
					operation: 'get',
					accountId: RL('00000000-0000-4000-8000-000000000000'),
				}),
			),
		);
		seen.push(
			visibleText(
				await ctx.run(
					{ resource: 'account', operation: 'getAll', returnAll: true },
					{ continueOnFail: true },
				),
			),
		);

		const wrongSecret = 'wrong-secret-9c1f4d7e';
		const intruder = new N8nHarness({ baseUrl: ctx.emulator.url, clientSecret: wrongSecret });
		const refused = await intruder.run({
			resource: 'account',
			operation: 'getAll',
			returnAll: true,
		});
		expect(refused.error?.message).toBe('Ponto refused the token request (invalid_client)');
		expect(refused.error?.description).toMatch(/Client ID and Client Secret/);
		seen.push(visibleText(refused));

		const token = (ctx.n8n.storedCredential.oauthTokenData as IDataObject).access_token as string;
		expect(token).toEqual(expect.any(String));
		const secrets = [
			'test-client-secret',
			wrongSecret,
			token,
			Buffer.from(`test-client-id:test-client-secret`).toString('base64'),
		];
		const haystack = seen.join('\n') + JSON.stringify(ctx.emulator.log);
		for (const secret of secrets) expect(haystack).not.toContain(secret);
	});
});

describe('Credential problems are explained before any request', () => {
	test('an API Base URL that is not a web address', async () => {
		const broken = new N8nHarness({ baseUrl: 'api.myponto.com' });
		const run = await broken.run({ resource: 'account', operation: 'getAll', returnAll: true });
		expect(run.error?.message).toBe(
			'The API Base URL of the Ponto credential is not a web address: "api.myponto.com"',
		);
		expect(run.error?.description).toMatch(/https:\/\/api\.myponto\.com/);
	});

	test('an emulator that is not running: could not reach Ponto', async () => {
		const nowhere = new N8nHarness({ baseUrl: 'http://127.0.0.1:9' });
		const run = await nowhere.run({ resource: 'account', operation: 'getAll', returnAll: true });
		expect(run.error?.message).toBe('Could not reach Ponto');
		expect(run.error?.description).toMatch(/\(ECONNREFUSED\).*API Base URL/);
	});
});
