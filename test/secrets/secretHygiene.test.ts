import { scanSpool } from '../support/secretScan';

/**
 * Runs after `npm test` and `npm run test:e2e` were run with PONTO_SECRET_SPOOL set (.ci/run
 * does it; `npm run test:secrets` runs all three). Every client secret, access and refresh
 * token, authorization code, private key and passphrase the suites used is searched for in
 * every output item, error message and description, log line, n8n log file and n8n database
 * (with its execution records) they produced: zero hits.
 */
const spool = process.env.PONTO_SECRET_SPOOL;

test('no secret appears in any output, error, log or execution record of the test suites', () => {
	if (!spool)
		throw new Error(
			'PONTO_SECRET_SPOOL is not set: run the suites with it first (npm run test:secrets)',
		);
	const result = scanSpool(spool);
	const kinds: Record<string, number> = {};
	for (const secret of result.secrets) kinds[secret.kind] = (kinds[secret.kind] ?? 0) + 1;
	console.log(
		[
			`secret hygiene: ${result.secrets.length} secrets searched in ${(result.bytes / 1e6).toFixed(1)} MB`,
			`  secrets: ${Object.entries(kinds)
				.map(([kind, count]) => `${kind} ${count}`)
				.join(', ')}`,
			`  searched: ${Object.entries(result.sources)
				.map(([source, count]) => `${source} ${count}`)
				.join(', ')}`,
			`  hits: ${result.hits.length}`,
		].join('\n'),
	);
	// The search is only worth something if both sides were really collected.
	for (const kind of [
		'emulator.accessToken',
		'emulator.refreshToken',
		'emulator.clientSecret',
		'pki.privateKey',
		'pki.passphrase',
	]) {
		expect(kinds[kind] ?? 0).toBeGreaterThan(0);
	}
	for (const source of ['harness', 'webhook', 'n8n']) {
		expect(result.sources[source] ?? 0).toBeGreaterThan(0);
	}
	expect(result.hits).toEqual([]);
});
