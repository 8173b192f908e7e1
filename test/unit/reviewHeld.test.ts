import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { isFirstDelivery, KEEP_EVENTS } from '../../nodes/PontoConnectTrigger/replay';
import { keysFromJwks } from '../../nodes/Ponto/helpers/webhookJwt';
import {
	clearWebhookKeyCache,
	jwksFetcher,
	lookupWebhookKey,
	webhookKeysUrl,
} from '../../nodes/Ponto/transport/webhookKeys';

/**
 * Issue 13, "what held": the outside review's findings that the package withstood, kept with
 * tests (those not covered elsewhere: test/unit/helpers/webhookJwt.test.ts, test/integration/*).
 */
const ROOT = resolve(__dirname, '../..');

const rsaJwk = () => {
	const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
		format: 'jwk',
	}) as { n: string; e: string };
	return { kty: 'RSA', use: 'sig', alg: 'RS512', status: 'ACTIVE', n: jwk.n, e: jwk.e };
};

describe('webhook signing keys', () => {
	test('EC keys and keys whose status is not ACTIVE are dropped', () => {
		const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
			format: 'jwk',
		});
		const rsa = rsaJwk();
		const keys = keysFromJwks({
			keys: [
				{ ...ec, kid: 'ec', use: 'sig', alg: 'RS512', status: 'ACTIVE' },
				{ ...rsa, kid: 'ec-labelled-rsa', kty: 'EC' },
				{ ...rsa, kid: 'inactive', status: 'INACTIVE' },
				{ ...rsa, kid: 'active' },
			],
		});
		expect([...keys.keys()]).toEqual(['active']);
	});

	test('10,000 random kids over 100 s fetch the key set twice', async () => {
		clearWebhookKeyCache();
		const jwks = { keys: [{ ...rsaJwk(), kid: 'real' }] };
		let fetches = 0;
		const fetcher = async () => {
			fetches++;
			return jwks;
		};
		const start = 5_000_000;
		for (let i = 0; i < 10_000; i++) {
			const lookup = await lookupWebhookKey(
				'https://keys.test/webhooks/keys',
				randomUUID(),
				fetcher,
				start + i * 10,
			);
			expect(lookup.key).toBeUndefined();
		}
		expect(fetches).toBe(2);
	});

	test('the kid never reaches a URL: the key set is always read from /webhooks/keys of the API', async () => {
		clearWebhookKeyCache();
		const urls: string[] = [];
		const helpers = {
			httpRequest: async (options: { url: string }) => {
				urls.push(options.url);
				return { keys: [] };
			},
		};
		const url = webhookKeysUrl('https://api.ibanity.com/');
		for (const kid of ['../../evil?x=1', 'https://evil.example/keys', '%2e%2e%2fkeys', 'a#b']) {
			await lookupWebhookKey(
				url,
				kid,
				jwksFetcher(helpers, url, { cert: 'c', key: 'k' }),
				9_000_000 + urls.length * 120_000,
			).catch(() => undefined);
		}
		expect(urls).toEqual(Array(4).fill('https://api.ibanity.com/webhooks/keys'));
	});
});

test('the replay memory is bounded: past 10,000 live deliveries the oldest is forgotten; the stored ids keep at most 2,000', () => {
	const now = 1_900_000_000_000;
	const first = `bounded/${randomUUID()}`;
	// A fresh store each time: only the instance memory remembers.
	expect(isFirstDelivery(first, 'event-first', {}, now)).toBe(true);
	expect(isFirstDelivery(first, 'event-first', {}, now)).toBe(false);
	const store: { events?: Record<string, number> } = {};
	for (let i = 0; i < 10_000; i++) isFirstDelivery(`bounded/${i}`, `event-${i}`, store, now);
	expect(isFirstDelivery(first, 'event-first', {}, now)).toBe(true);
	expect(Object.keys(store.events ?? {})).toHaveLength(KEEP_EVENTS);
});

describe('the published package', () => {
	const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
		string,
		unknown
	>;

	test('no runtime dependency and no install script', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.optionalDependencies ?? {}).toEqual({});
		expect(Object.keys(manifest.peerDependencies as object)).toEqual(['n8n-workflow']);
		const scripts = Object.keys((manifest.scripts as object) ?? {});
		for (const hook of [
			'preinstall',
			'install',
			'postinstall',
			'prepare',
			'prepublish',
			'preprepare',
			'postprepare',
		])
			expect(scripts).not.toContain(hook);
		expect(manifest.files).toEqual(['dist']);
	});

	test('npm pack holds only dist/ and the documents, and no key material goes into dist/', () => {
		const [pack] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: ROOT,
				encoding: 'utf8',
			}),
		) as Array<{ files: Array<{ path: string }> }>;
		const outside = pack.files
			.map((file) => file.path)
			.filter(
				(path) =>
					!path.startsWith('dist/') && !/^(package\.json|README\.md|LICENSE\.md)$/.test(path),
			);
		expect(outside).toEqual([]);
		expect(
			pack.files.filter((file) => /\.(pem|key|crt|cer|p12|pfx|jks)$/i.test(file.path)),
		).toEqual([]);
		// dist/ is compiled from nodes/ and credentials/ (plus their icons and codex files).
		const keyMaterial = /-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|CERTIFICATE)-----\s*[A-Za-z0-9+/=]{16}/;
		const walk = (folder: string): string[] =>
			readdirSync(folder).flatMap((name) =>
				statSync(join(folder, name)).isDirectory()
					? walk(join(folder, name))
					: [join(folder, name)],
			);
		const sources = [...walk(join(ROOT, 'nodes')), ...walk(join(ROOT, 'credentials'))];
		expect(sources.length).toBeGreaterThan(20);
		expect(sources.filter((file) => keyMaterial.test(readFileSync(file, 'latin1')))).toEqual([]);
	});
});
