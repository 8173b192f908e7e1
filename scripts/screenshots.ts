// npm run screenshots: starts the demo, drives headless Chromium (Debian's chromium package,
// installed by scripts/install-chromium.sh when missing) through the n8n editor (log in, open
// an example workflow, run it, open the Ponto node's output) and writes the pictures the
// README shows into docs/screenshots/.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from '../test/e2e/support/chromium';
import { freePort } from '../test/e2e/support/n8n';
import { killGroup, tail } from '../test/e2e/support/process';
import { OWNER } from '../test/e2e/support/server';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'docs', 'screenshots');

/** Starts `npm run demo` on free ports and resolves with its editor URL once it is ready. */
async function startDemo(): Promise<{ url: string; stop: () => void }> {
	const port = await freePort();
	const child = spawn(
		'npm',
		['run', 'demo', '--', '--port', String(port), '--emulator-port', String(await freePort())],
		{
			cwd: ROOT,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let output = '';
	return await new Promise((resolveDemo, reject) => {
		const timer = setTimeout(() => {
			killGroup(child.pid);
			reject(new Error(`The demo was not ready within 20 minutes:\n${tail(output)}`));
		}, 20 * 60_000);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			if (/is ready after/.test(output)) {
				clearTimeout(timer);
				resolveDemo({
					url: `http://127.0.0.1:${port}`,
					stop: () => killGroup(child.pid, 'SIGINT'),
				});
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`The demo exited (code ${code}):\n${tail(output)}`));
		});
	});
}

async function logIn(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email, { timeout: 120_000 });
	await page.locator('input[name="password"]').fill(OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((target) => !target.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/** Opens a workflow, runs it from the editor, then opens a node's output panel. */
async function runAndCapture(
	page: Page,
	url: string,
	workflowId: string,
	nodeName: string,
	file: string,
): Promise<void> {
	await page.goto(`${url}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	await node.waitFor({ timeout: 120_000 });
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	await node.locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 120_000 });
	await page.waitForTimeout(500);
	await page.screenshot({ path: join(OUT, `${file}-canvas.png`) });
	await node.dblclick();
	await page
		.getByText(/^\d+ items?$/)
		.first()
		.waitFor({ timeout: 30_000 });
	await page.waitForTimeout(1_000);
	await page.screenshot({ path: join(OUT, `${file}-output.png`) });
	await page.keyboard.press('Escape');
}

async function main(): Promise<void> {
	await ensureChromium();
	mkdirSync(OUT, { recursive: true });
	const demo = await startDemo();
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: CHROMIUM_ARGS,
	});
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		await logIn(page, demo.url);
		await runAndCapture(
			page,
			demo.url,
			'pontoDemoMonth1',
			"Last month's transactions",
			'last-month-transactions',
		);
		await runAndCapture(page, demo.url, 'pontoDemoBanks1', 'Accounts', 'list-banks-and-accounts');
		process.stdout.write(`Screenshots written to ${OUT}\n`);
	} finally {
		await browser.close();
		demo.stop();
	}
}

main().catch((error: Error) => {
	process.stderr.write(`screenshots: ${error.message}\n`);
	process.exit(1);
});
