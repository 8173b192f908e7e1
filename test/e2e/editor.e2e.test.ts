import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { INodePropertyOptions } from 'n8n-workflow';
import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';

import { DEFAULT_CLIENT, DEMO_BANK_ACTIVITY, demoDataset, startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { Ponto } from '../../nodes/Ponto/Ponto.node.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from './support/chromium';
import { N8nInstance } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';
import { executionItems, OWNER, ownerEnvironment, RunningN8n } from './support/server';

// The no-code journey in the real editor: n8n 2.41.1 with the package installed, driven in
// headless Chromium (Debian's chromium, installed by scripts/install-chromium.sh) through
// playwright-core. The nodes panel lists every Ponto action once under its resource; clicking
// an action gives a node set to that resource and operation; the Ponto OAuth2 API credential
// tests itself on save (wrong secret: failure, right one: success); the account picker
// searches; the demo's examples show something on their first run. Screenshots of the nodes
// panel and the credential dialog go to docs/screenshots/ (the README shows them).
const ROOT = resolve(__dirname, '../..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const START_WORKFLOW = 'e2eEditorStart1';
const EMPTY_WORKFLOW = 'e2eEditorEmpty1';
const STEP_MS = 60_000;

/** The Ponto actions as n8n's nodes panel builds them: heading (resource name) and label, in order. */
function expectedActions(): Array<{
	heading: string;
	label: string;
	resource: string;
	operation: string;
	resourceName: string;
	operationName: string;
	/** n8n saves a parameter only when it differs from its default. */
	saved: string;
}> {
	const { properties } = new Ponto().description;
	const resourceProperty = properties.find((property) => property.name === 'resource')!;
	const resources = resourceProperty.options as INodePropertyOptions[];
	return resources.flatMap((resource) => {
		const operation = properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(resource.value),
		)!;
		return (operation.options as INodePropertyOptions[]).map((option) => ({
			heading: `${resource.name} Actions`,
			label: option.action ?? option.name,
			resource: String(resource.value),
			operation: String(option.value),
			resourceName: resource.name,
			operationName: option.name,
			saved: `${resource.value === resourceProperty.default ? '' : String(resource.value)}.${option.value === operation.default ? '' : String(option.value)}`,
		}));
	});
}

let emulator: Emulator;
let n8n: RunningN8n;
let context: BrowserContext;
let page: Page;
let profile: string;

/** The editor's own REST calls need the session cookie and the browser id the page stored. */
async function rest<T>(method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> {
	const browserId = await page.evaluate(() =>
		(
			globalThis as unknown as { localStorage: { getItem(key: string): string | null } }
		).localStorage.getItem('n8n-browserId'),
	);
	const response = await page.request.fetch(`${n8n.instance.url}/rest${path}`, {
		method,
		data,
		headers: { 'browser-id': browserId ?? '' },
	});
	if (!response.ok())
		throw new Error(`${method} /rest${path}: HTTP ${response.status()} ${await response.text()}`);
	return ((await response.json()) as { data: T }).data;
}

/** Polls until `read` gives a value `accept` takes (the editor updates asynchronously); returns the last value read. */
async function settled<T>(
	read: () => Promise<T>,
	accept: (value: T) => boolean,
	timeoutMs = STEP_MS,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!accept(value) && Date.now() < deadline) {
		await page.waitForTimeout(250);
		value = await read();
	}
	return value;
}

async function openWorkflow(id: string): Promise<void> {
	// A fresh page each time: no node panel or nodes panel left open by the test before.
	await page.goto('about:blank');
	await page.goto(`${n8n.instance.url}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: STEP_MS });
}

/** "What happens next?" after the start node, searched for a text. */
async function searchNodesPanel(text: string): Promise<Locator> {
	const creator = page.locator('[data-test-id="node-creator"]');
	const search = page.locator('[data-test-id="node-creator-search-bar"]');
	if (!(await search.isVisible())) {
		// Back out of a node's detail view, or open the panel.
		for (let i = 0; i < 3 && (await creator.isVisible()); i++) await page.keyboard.press('Escape');
		await creator.waitFor({ state: 'hidden' });
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
	}
	await search.waitFor({ timeout: STEP_MS });
	await search.fill(text);
	return creator;
}

const entry = (creator: Locator, name: string) =>
	creator.locator('[data-test-id="item-iterator-item"]').filter({
		has: page.locator('[data-test-id="node-creator-item-name"]', {
			hasText: new RegExp(`^\\s*${name}\\s*$`),
		}),
	});

/** The Actions category of the open node entry: each action with the heading above it. */
async function listedActions(creator: Locator): Promise<Array<{ heading: string; label: string }>> {
	const actions = creator.locator('[data-category-collapsed="false"]').filter({
		has: page.locator('[data-test-id="node-creator-category-item"]', { hasText: /^Actions \(/ }),
	});
	await actions.locator('[data-keyboard-nav-type="action"]').first().waitFor({ timeout: STEP_MS });
	return await actions.locator('[data-test-id="item-iterator-item"]').evaluateAll((items) => {
		const listed: Array<{ heading: string; label: string }> = [];
		let heading = '';
		for (const item of items) {
			const name = item
				.querySelector('[data-test-id="node-creator-item-name"]')
				?.textContent?.trim();
			if (item.getAttribute('data-keyboard-nav-type') === 'action')
				listed.push({ heading, label: name ?? '' });
			else heading = item.textContent?.trim() ?? '';
		}
		return listed;
	});
}

/** The displayed value of a select parameter in the open node panel. */
async function shownValue(parameter: string): Promise<string> {
	return await page
		.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"] input`)
		.first()
		.inputValue();
}

async function closeNodePanel(): Promise<void> {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: STEP_MS });
}

beforeAll(async () => {
	await ensureChromium();
	const install = await provisionN8n(2);
	emulator = await startEmulator({ dataset: demoDataset(), bankActivity: DEMO_BANK_ACTIVITY });
	const instance = await N8nInstance.create(install, await packPackage());
	mkdirSync('/tmp/ponto-statements', { recursive: true });
	Object.assign(instance.env, ownerEnvironment(install), {
		N8N_RESTRICT_FILE_ACCESS_TO: '/tmp/ponto-statements',
	});
	await instance.importCredentials(
		fixture<ImportedCredential[]>('examples/credentials.json', { EMULATOR_URL: emulator.url }),
	);
	const examples = readdirSync(join(ROOT, 'examples')).filter(
		(file) => file !== 'credentials.json',
	);
	await instance.importWorkflows([
		{
			id: START_WORKFLOW,
			name: 'Editor test',
			active: false,
			settings: { executionOrder: 'v1' },
			connections: {},
			nodes: [
				{
					id: 'start',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
			],
		},
		{
			id: EMPTY_WORKFLOW,
			name: 'Editor test: first step',
			active: false,
			settings: { executionOrder: 'v1' },
			connections: {},
			nodes: [],
		},
		...examples.map((file) => fixture<Record<string, unknown>>(`examples/${file}`)),
	]);
	n8n = await RunningN8n.start(instance, join(instance.userFolder, 'n8n.log'));

	profile = mkdtempSync(join(tmpdir(), 'ponto-e2e-chromium-'));
	context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1440, height: 900 },
		args: CHROMIUM_ARGS,
	});
	page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(STEP_MS);
	// "Leave without saving?" when a test moves on from an unsaved workflow: leave.
	page.on('dialog', (dialog) => void dialog.accept());
	await page.goto(`${n8n.instance.url}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email, { timeout: 120_000 });
	await page.locator('input[name="password"]').fill(OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((target) => !target.pathname.startsWith('/signin'), { timeout: STEP_MS });
	mkdirSync(SCREENSHOTS, { recursive: true });
}, 45 * 60_000);

afterAll(async () => {
	await context?.close();
	if (profile) rmSync(profile, { recursive: true, force: true });
	await n8n?.stop();
	n8n?.instance.dispose();
	await emulator?.close();
});

/** The editor as each test left it, in the temp folder: what to look at when one fails. */
afterEach(async () => {
	const state = expect.getState();
	if (page && state.currentTestName) {
		await page
			.screenshot({
				path: join(tmpdir(), `ponto-editor-e2e-${state.currentTestName.replace(/\W+/g, '-')}.png`),
			})
			.catch(() => undefined);
	}
});

describe('n8n 2.41.1 editor in headless Chromium', () => {
	test('the nodes panel lists every Ponto action once, under its own resource', async () => {
		await openWorkflow(START_WORKFLOW);
		const creator = await searchNodesPanel('Ponto');
		const ponto = entry(creator, 'Ponto');
		await ponto.waitFor();
		// One Ponto entry (the node, merged with its polling trigger) and the webhook trigger under its own name.
		expect(await entry(creator, 'Ponto Connect Webhook').count()).toBe(1);
		expect(await entry(creator, 'Ponto Connect').count()).toBe(0);
		await ponto.click();
		const expected = expectedActions();
		await expect(
			creator
				.locator('[data-test-id="node-creator-category-item"]', { hasText: /^Actions \(/ })
				.innerText(),
		).resolves.toMatch(new RegExp(`^Actions \\(${expected.length}\\)`));
		const listed = await listedActions(creator);
		expect(listed).toEqual(expected.map(({ heading, label }) => ({ heading, label })));
		await page.screenshot({ path: join(SCREENSHOTS, 'nodes-panel-actions.png') });
	});

	test('the nodes panel search finds Ponto for bank statement, CAMT, CODA, OFX and Odoo', async () => {
		await openWorkflow(START_WORKFLOW);
		for (const term of ['bank statement', 'CAMT', 'CODA', 'OFX', 'Odoo']) {
			const creator = await searchNodesPanel(term);
			expect({
				term,
				found: await settled(
					() => entry(creator, 'Ponto').count(),
					(count) => count === 1,
				),
			}).toEqual({ term, found: 1 });
		}
	});

	test('clicking an action adds a Ponto node set to that resource and operation', async () => {
		await openWorkflow(START_WORKFLOW);
		const expected = expectedActions();
		for (const action of expected) {
			const creator = await searchNodesPanel('Ponto');
			await entry(creator, 'Ponto').click();
			await creator
				.locator('[data-test-id="item-iterator-item"][data-keyboard-nav-type="action"]')
				.filter({ hasText: new RegExp(`^\\s*${action.label}\\s*$`) })
				.click();
			await page.locator('[data-test-id="ndv"]').waitFor();
			expect({
				label: action.label,
				resource: await shownValue('resource'),
				operation: await shownValue('operation'),
			}).toEqual({
				label: action.label,
				resource: action.resourceName,
				operation: action.operationName,
			});
			await closeNodePanel();
		}
		// What the editor saves: every node with the resource and operation of its action.
		await page.keyboard.press('Control+s');
		const wanted = expected.map((action) => action.saved);
		const saved = await settled(
			async () => {
				const workflow = await rest<{
					nodes: Array<{ type: string; parameters: Record<string, unknown> }>;
				}>('GET', `/workflows/${START_WORKFLOW}`);
				return workflow.nodes
					.filter((node) => node.type === 'n8n-nodes-ponto.ponto')
					.map(
						(node) =>
							`${String(node.parameters.resource ?? '')}.${String(node.parameters.operation ?? '')}`,
					);
			},
			(nodes) => nodes.length === wanted.length,
		);
		expect(saved).toEqual(wanted);
	});

	test('the Ponto Trigger added as a first step is version 2, with Poll Times, fetches a test event and saves as such', async () => {
		await page.goto('about:blank');
		await page.goto(`${n8n.instance.url}/workflow/${EMPTY_WORKFLOW}`);
		await page.locator('[data-test-id="canvas-add-button"]').first().click();
		const creator = page.locator('[data-test-id="node-creator"]');
		await page.locator('[data-test-id="node-creator-search-bar"]').fill('Ponto');
		await entry(creator, 'Ponto').click();
		// The trigger is listed under the Ponto entry; n8n names it after the node's subtitle or name.
		const triggers = creator.locator('[data-keyboard-nav-type="action"]');
		await triggers.first().waitFor({ timeout: STEP_MS });
		const labels = await triggers.allInnerTexts();
		await triggers
			.filter({ hasText: /transaction|Ponto Trigger/i })
			.first()
			.click();
		const panel = page.locator('[data-test-id="ndv"]');
		await panel.waitFor();
		await expect(panel.getByText('Poll Times').count()).resolves.toBeGreaterThan(0);
		const inputs = () =>
			panel
				.locator('input')
				.evaluateAll((all) => all.map((input) => (input as unknown as { value: string }).value));
		await expect(inputs()).resolves.toContain('Every Minute');
		// "Test this trigger": the trigger in n8n's manual mode fetches a few recent transactions.
		await panel.getByText('Test this trigger').click();
		const output = await settled(
			() => panel.innerText(),
			(text) => /idempotencyKey/.test(text),
		);
		expect(output).toMatch(/idempotencyKey/);
		await closeNodePanel();
		await page.keyboard.press('Control+s');
		const saved = await settled(
			async () =>
				(
					await rest<{ nodes: Array<{ type: string; typeVersion: number }> }>(
						'GET',
						`/workflows/${EMPTY_WORKFLOW}`,
					)
				).nodes.filter((node) => node.type === 'n8n-nodes-ponto.pontoTrigger'),
			(nodes) => nodes.length === 1,
		);
		expect({ labels, saved }).toEqual({
			labels: expect.arrayContaining([expect.stringMatching(/transaction|Ponto Trigger/i)]),
			saved: [{ type: 'n8n-nodes-ponto.pontoTrigger', typeVersion: 2 }].map((node) =>
				expect.objectContaining(node),
			),
		});
	});

	test('a Connect-only action with the custom-integration credential says how to pick Ponto Connect', async () => {
		await openWorkflow(START_WORKFLOW);
		const creator = await searchNodesPanel('Ponto');
		await entry(creator, 'Ponto').click();
		await creator
			.locator('[data-keyboard-nav-type="action"]')
			.filter({ hasText: /^\s*Get an authorization link\s*$/ })
			.click();
		const panel = page.locator('[data-test-id="ndv"]');
		await panel.waitFor();
		expect(await shownValue('resource')).toBe('Organization');
		expect(await shownValue('operation')).toBe('Get Authorization Link');
		await expect(
			panel.getByText(/This operation needs the Ponto Connect credential/).count(),
		).resolves.toBe(1);
		await expect(
			panel
				.getByText(
					/switch the selector at the top right of the dialog to Ponto Connect \(OAuth2, Client Certificate\)/,
				)
				.count(),
		).resolves.toBe(1);
		await closeNodePanel();
	});

	test('the Ponto OAuth2 API credential test fails with a wrong secret and passes with the right one', async () => {
		await openWorkflow(START_WORKFLOW);
		const creator = await searchNodesPanel('Ponto');
		await entry(creator, 'Ponto').click();
		await creator
			.locator('[data-keyboard-nav-type="action"]')
			.filter({ hasText: /^\s*Get many accounts\s*$/ })
			.click();
		await page.locator('[data-test-id="ndv"]').waitFor();
		await page.locator('[data-test-id="node-credentials-select"]').click();
		await page.locator('[data-test-id="node-credentials-select-item-new"]').click();
		const dialog = page.locator('[data-test-id="editCredential-modal"]');
		await dialog.waitFor();
		const field = (name: string) =>
			dialog.locator(`[data-test-id="parameter-input-${name}"] input`).first();
		await field('clientId').fill(DEFAULT_CLIENT.clientId);
		await field('clientSecret').fill('not-the-secret');
		await field('baseUrl').fill(emulator.url);
		emulator.clearLog();
		await dialog.locator('[data-test-id="credential-save-button"]').click();
		const failure = dialog.getByText(/Couldn.t connect with these settings/);
		await failure.waitFor();
		expect(emulator.requestsTo('/oauth2/token', 'POST').length).toBeGreaterThan(0);
		await page.screenshot({ path: join(SCREENSHOTS, 'credential-test-failed.png') });

		await field('clientSecret').fill(DEFAULT_CLIENT.clientSecret);
		await dialog.locator('[data-test-id="credential-save-button"]').click();
		// n8n closes the dialog once the saved credential passes its test; opened again, it says so.
		await dialog.waitFor({ state: 'hidden' });
		await page.locator('[data-test-id="credential-edit-button"]').click();
		await dialog.getByText(/Connection tested successfully/).waitFor();
		expect(await failure.count()).toBe(0);
		expect(emulator.requestsTo('/accounts').length).toBeGreaterThan(0);
		await page.screenshot({ path: join(SCREENSHOTS, 'credential-dialog.png') });
	});

	test('the account picker lists the accounts and searches them', async () => {
		await openWorkflow(START_WORKFLOW);
		const creator = await searchNodesPanel('Ponto');
		await entry(creator, 'Ponto').click();
		await creator
			.locator('[data-keyboard-nav-type="action"]')
			.filter({ hasText: /^\s*Get many transactions\s*$/ })
			.click();
		await page.locator('[data-test-id="ndv"]').waitFor();
		await page.locator('[data-test-id="node-credentials-select"]').click();
		await page.locator('[data-test-id="node-credentials-select-item-pontoDemoCred01"]').click();
		await page.locator('[data-test-id="rlc-input"]').click();
		const items = page.locator('[data-test-id="rlc-item"]');
		const accounts = emulator.dataset.accounts.length;
		expect(
			await settled(
				() => items.count(),
				(count) => count === accounts,
			),
		).toBe(accounts);
		await page.locator('input[data-test-id="rlc-search"]').fill('Savings');
		const found = await settled(
			async () => (await items.allInnerTexts()).map((text) => text.trim()),
			(texts) => texts.length === 1,
		);
		expect(found).toEqual([expect.stringMatching(/Savings/)]);
		await page.screenshot({ path: join(SCREENSHOTS, 'account-picker.png') });
		await items.first().click();
		expect(
			await settled(
				() => page.locator('input[data-test-id="rlc-input"]').inputValue(),
				(value) => /Savings/.test(value),
			),
		).toMatch(/Savings/);
		await closeNodePanel();
	});

	test('the demo examples show something on their first run: new transactions after a synchronization, Odoo with pinned output', async () => {
		for (const [workflowId, lastNode] of [
			['pontoDemoSync01', 'New and changed transactions'],
			['pontoDemoOdoo01', 'Create bank statement lines in Odoo'],
		]) {
			await openWorkflow(workflowId);
			await page.locator('[data-test-id="execute-workflow-button"]').click();
			const [execution] = await settled(
				() => n8n.executions(workflowId),
				([last]) => ['success', 'error', 'crashed'].includes(String(last?.status)),
				2 * STEP_MS,
			);
			expect({ workflowId, status: execution?.status }).toEqual({ workflowId, status: 'success' });
			expect({ workflowId, items: executionItems(execution, lastNode).length }).toEqual({
				workflowId,
				items: expect.any(Number),
			});
			expect(executionItems(execution, lastNode).length).toBeGreaterThan(0);
		}
	});
});
