import { existsSync } from 'node:fs';
import http from 'node:http';
import type { ErrorDocument } from '../../emulator/client';
import { emu, token, boot, get, firstAccount, postToken, SAMPLES } from './context';

describe('faults', () => {
	beforeEach(() => boot());

	it('plays queued faults FIFO for matching requests only', async () => {
		const accounts = '/accounts';
		emu.queueFaults(
			{ match: accounts, status: 429, retryAfter: 7 },
			{ match: accounts, status: 500 },
			{ match: /transactions$/, method: 'GET', status: 503 },
		);
		const other = await get(`/accounts/${firstAccount()}`);
		expect(other.status).toBe(200);
		const limited = await get<ErrorDocument>(accounts);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(limited.body.errors[0].meta.requestId).toBe(limited.headers.get('ibanity-request-id'));
		expect((await get(accounts)).status).toBe(500);
		expect((await get(accounts)).status).toBe(200);
		expect((await get(`/accounts/${firstAccount()}/transactions`)).status).toBe(503);
		expect(emu.log.map((e) => e.fault).filter(Boolean)).toEqual([
			'queued:429',
			'queued:500',
			'queued:503',
		]);
	});

	it('drops connections and delays responses', async () => {
		emu.queueFaults({ drop: true }, { delayMs: 150 });
		await expect(get('/accounts')).rejects.toThrow();
		const started = Date.now();
		expect((await get('/accounts')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		emu.setOptions({ latencyMs: 60 });
		const slow = Date.now();
		await get('/accounts');
		expect(Date.now() - slow).toBeGreaterThanOrEqual(55);
	});

	it('random faults are deterministic for a seed', async () => {
		const run = async (): Promise<string[]> => {
			await emu.close();
			await boot({
				faults: {
					seed: 99,
					rate429: 0.2,
					rate500: 0.2,
					rateDrop: 0.1,
					retryAfterSeconds: 2,
					match: /^\/accounts/,
				},
			});
			const outcomes: string[] = [];
			for (let i = 0; i < 40; i++)
				outcomes.push(
					await get('/accounts').then(
						(r) => String(r.status),
						() => 'drop',
					),
				);
			return outcomes;
		};
		const first = await run();
		expect(await run()).toEqual(first);
		expect(new Set(first)).toEqual(new Set(['200', '429', '500', 'drop']));
	});
});
describe('log and lifecycle', () => {
	it('never logs the client secret or an access token', async () => {
		await boot();
		await postToken(
			'grant_type=client_credentials&client_id=test-client-id&client_secret=test-client-secret',
		);
		await postToken(
			'',
			{},
			'?grant_type=client_credentials&client_id=test-client-id&client_secret=test-client-secret',
		);
		await get(`/accounts?access_token=${token}`);
		await get('/accounts', 'wrong-token');
		const text = JSON.stringify(emu.log);
		expect(text).not.toContain('test-client-secret');
		expect(text).not.toContain(token);
		expect(text).not.toContain('wrong-token');
		expect(emu.log[2].query.client_secret).toBe('[redacted]');
		expect(emu.log.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
		emu.clearLog();
		expect(emu.log).toHaveLength(0);
	});

	it('close() releases the port and every socket, even with keep-alive clients', async () => {
		const baseline = process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
		await boot();
		const agent = new http.Agent({ keepAlive: true });
		await new Promise<void>((resolve, reject) => {
			http
				.get(
					`${emu.url}/accounts`,
					{ agent, headers: { authorization: `Bearer ${token}` } },
					(res) => {
						res.resume();
						res.on('end', resolve);
					},
				)
				.on('error', reject);
		});
		await emu.close();
		agent.destroy();
		await expect(fetch(`${emu.url}/accounts`)).rejects.toThrow();
		for (
			let i = 0;
			i < 50 &&
			process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length > baseline;
			i++
		) {
			await new Promise((r) => setTimeout(r, 20));
		}
		expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap')).toHaveLength(0);
		expect(
			process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length,
		).toBeLessThanOrEqual(baseline);
		expect(existsSync(SAMPLES)).toBe(true);
	});
});
