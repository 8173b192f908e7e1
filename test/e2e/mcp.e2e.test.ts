import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { TOOL_DESCRIPTIONS } from '../../nodes/Ponto/actions/toolDescriptions';
import {
	ACCOUNT_FIELDS,
	FINANCIAL_INSTITUTION_FIELDS,
	TRANSACTION_FIELDS,
} from '../../nodes/Ponto/helpers/simplify';
import { generateDataset, startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { idsInWindow } from '../support/expectations';
import { spoolVisible } from '../support/secretSpool';
import { N8nInstance } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { fixture, packPackage } from './support/package';
import { tail } from './support/process';
import { provisionN8n } from './support/provision';
import { ownerEnvironment, RunningN8n } from './support/server';

/**
 * Issue 17: the Ponto node as an AI agent's tool, through n8n 2.x's MCP Server Trigger. The
 * example workflow examples/mcp-server.json (the one docs/ai-agents.md shows) is published in
 * a running n8n, and a real MCP client (the official TypeScript SDK) lists its tools and calls
 * them, over Streamable HTTP and SSE: names, descriptions and argument schemas as designed,
 * results equal to the emulator's data, tool errors that name the next call, no secret.
 * The test adds two tools to the example, transactions and accounts with Simplify off, to
 * measure what Simplify saves.
 */
const WORKFLOW_ID = 'pontoDemoMcp001';
const MCP_PATH = 'ponto';
const RAW_TOOL = 'Get many transactions (not simplified)';
const RAW_ACCOUNTS_TOOL = 'Get many accounts (not simplified)';
const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
const CLIENT_SECRET = 'test-client-secret';
/** The shape of the emulator's access tokens (two base64url halves of 32 bytes). */
const TOKEN_SHAPE = /[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}/;

/**
 * n8n answers /healthz/readiness before it has registered the webhooks of published workflows
 * (its publication outbox does that a few seconds later): until then the MCP URL answers 404
 * "not registered". Retries the MCP handshake for up to two minutes, then fails with the log.
 */
async function connectWhenPublished(n8n: RunningN8n, log: () => string): Promise<Client> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const client = new Client({ name: 'ponto-e2e', version: '1.0.0' });
		try {
			await client.connect(
				new StreamableHTTPClientTransport(new URL(`${n8n.instance.url}/mcp/${MCP_PATH}`)),
			);
			return client;
		} catch (error) {
			await client.close().catch(() => undefined);
			if (!/not registered/.test((error as Error).message) || Date.now() > deadline) {
				throw new Error(
					`MCP connect failed: ${(error as Error).message}\nn8n log:\n${tail(log(), 40)}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 1_000));
		}
	}
}

interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text?: string }>;
}

type Row = Record<string, unknown>;

/** Simplify leaves out fields without a value. */
const orNull = (value: unknown) =>
	value === undefined || value === null || value === '' ? null : value;
/** Simplify writes bank dates at UTC midnight as plain ISO dates. */
const day = (value: string) => value.replace(/T00:00:00(\.0+)?Z$/, '');

describe('the Ponto tool behind an MCP Server Trigger in a running n8n 2.x', () => {
	let emulator: Emulator;
	let n8n: RunningN8n;
	let client: Client;
	const texts: string[] = [];
	const figures: string[] = [];

	const call = async (
		name: string,
		args: Record<string, unknown>,
		on: Client = client,
	): Promise<ToolResult> => {
		const result = (await on.callTool({ name, arguments: args })) as ToolResult;
		for (const part of result.content) if (part.text !== undefined) texts.push(part.text);
		spoolVisible('mcp', result);
		return result;
	};
	const textOf = (result: ToolResult) => result.content.map((part) => part.text ?? '').join('\n');
	const rowsOf = (result: ToolResult): Row[] => {
		expect(result.isError).toBeFalsy();
		const parsed = JSON.parse(textOf(result)) as Row[] | Row;
		return Array.isArray(parsed) ? parsed : [parsed];
	};

	beforeAll(async () => {
		const install = await provisionN8n(2);
		emulator = await startEmulator({
			dataset: generateDataset({
				seed: 17,
				institutions: [
					{ name: 'Scheldt Bank', country: 'BE' },
					{ name: 'Noordzee Bank', country: 'NL', status: 'beta' as const },
				],
				accounts: [
					{
						institution: 0,
						transactions: 300,
						pendingTransactions: 2,
						edgeCases: true,
						description: 'Current account',
					},
					{
						institution: 1,
						transactions: 20,
						description: 'Savings account',
						subtype: 'savings' as const,
					},
				],
			}),
		});
		const instance = await N8nInstance.create(install, await packPackage());
		Object.assign(instance.env, ownerEnvironment(install));
		await instance.importCredentials(
			fixture<ImportedCredential[]>('examples/credentials.json', { EMULATOR_URL: emulator.url }),
		);
		const workflow = fixture<{
			nodes: Array<Record<string, unknown>>;
			connections: Record<string, unknown>;
		}>('examples/mcp-server.json');
		// The same tools with Simplify off, to measure what Simplify saves.
		for (const [source, name] of [
			['Get many transactions', RAW_TOOL],
			['Get many accounts', RAW_ACCOUNTS_TOOL],
		]) {
			const node = workflow.nodes.find((candidate) => candidate.name === source)!;
			workflow.nodes.push({
				...node,
				id: `${String(node.id)}Raw`,
				name,
				parameters: { ...(node.parameters as Row), simplify: false },
			});
			workflow.connections[name] = {
				ai_tool: [[{ node: 'Ponto MCP Server', type: 'ai_tool', index: 0 }]],
			};
		}
		// The AI Agent example of docs/ai-agents.md is imported too: n8n must accept it as it is.
		await instance.importWorkflows([
			workflow,
			fixture<Record<string, unknown>>('examples/ai-agent.json'),
		]);
		await instance.cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
		n8n = await RunningN8n.start(instance, join(instance.userFolder, 'n8n.log'));
		client = await connectWhenPublished(n8n, () =>
			readFileSync(join(instance.userFolder, 'n8n.log'), 'utf8'),
		);
	}, 45 * 60_000);

	afterAll(async () => {
		if (figures.length) process.stdout.write(`MCP e2e: ${figures.join('; ')}\n`);
		await client?.close();
		await n8n?.stop();
		n8n?.instance.dispose();
		await emulator?.close();
	});

	test('tools/list: names, the per-operation descriptions and the $fromAI argument schemas', async () => {
		const { tools } = await client.listTools();
		process.stdout.write(
			`MCP tools/list as the client sees it:\n${JSON.stringify(tools, null, 2)}\n`,
		);
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		expect(Object.keys(byName).sort()).toEqual(
			[
				'Get_many_accounts',
				'Get_many_financial_institutions',
				'Get_many_transactions',
				toolName(RAW_TOOL),
				toolName(RAW_ACCOUNTS_TOOL),
			].sort(),
		);
		expect(byName.Get_many_accounts.description).toBe(TOOL_DESCRIPTIONS['account:getAll']);
		expect(byName.Get_many_transactions.description).toBe(TOOL_DESCRIPTIONS['transaction:getAll']);
		expect(byName.Get_many_financial_institutions.description).toBe(
			TOOL_DESCRIPTIONS['financialInstitution:getAll'],
		);
		for (const text of [
			'newest first',
			'Get many accounts',
			'negative = money going out',
			'ISO dates',
		]) {
			expect(byName.Get_many_transactions.description).toContain(text);
		}

		const schema = byName.Get_many_transactions.inputSchema as {
			properties: Record<string, { type: string; description?: string }>;
			required?: string[];
		};
		expect(Object.keys(schema.properties).sort()).toEqual(['accountId', 'limit', 'since', 'until']);
		expect(schema.properties.accountId).toMatchObject({
			type: 'string',
			description: expect.stringContaining('Get_many_accounts'),
		});
		expect(schema.properties.limit.type).toBe('number');
		expect(schema.properties.since).toMatchObject({
			type: 'string',
			description: expect.stringContaining('ISO date'),
		});
		expect(schema.required ?? []).toContain('accountId');
		expect(
			Object.keys((byName.Get_many_accounts.inputSchema as { properties?: Row }).properties ?? {}),
		).toEqual([]);
		expect(
			Object.keys(
				(byName.Get_many_financial_institutions.inputSchema as { properties: Row }).properties,
			).sort(),
		).toEqual(['bankName', 'country']);
	});

	test("Get many accounts and financial institutions: the emulator's records, simplified", async () => {
		const accounts = rowsOf(await call('Get_many_accounts', {}));
		const data = emulator.dataset.accounts;
		expect(accounts.map((account) => account.id).sort()).toEqual(
			data.map((account) => account.id).sort(),
		);
		for (const account of accounts) {
			const source = data.find((record) => record.id === account.id)!;
			expect(account).toMatchObject({
				description: source.attributes.description,
				reference: source.attributes.reference,
				currency: source.attributes.currency,
				currentBalance: source.attributes.currentBalance,
				availableBalance: source.attributes.availableBalance,
				financialInstitutionId: source.financialInstitutionId,
			});
			expect(
				Object.keys(account).every((key) => (ACCOUNT_FIELDS as readonly string[]).includes(key)),
			).toBe(true);
		}
		const rawAccounts = rowsOf(await call(toolName(RAW_ACCOUNTS_TOOL), {}));
		expect(rawAccounts.map((account) => account.id).sort()).toEqual(
			accounts.map((account) => account.id).sort(),
		);
		expect(rawAccounts[0]).toHaveProperty('latestSynchronization');
		figures.push(
			`${Math.round(JSON.stringify(rawAccounts).length / rawAccounts.length)} characters per account without Simplify, ${Math.round(JSON.stringify(accounts).length / accounts.length)} with Simplify`,
		);

		const dutch = rowsOf(
			await call('Get_many_financial_institutions', { bankName: '', country: 'NL' }),
		);
		const noordzee = emulator.dataset.financialInstitutions.find(
			(bank) => bank.attributes.name === 'Noordzee Bank',
		)!;
		expect(dutch).toEqual([
			{
				id: noordzee.id,
				name: 'Noordzee Bank',
				country: 'NL',
				bic: noordzee.attributes.bic,
				status: 'beta',
			},
		]);
		const all = rowsOf(await call('Get_many_financial_institutions', {}));
		expect(all.map((bank) => bank.name).sort()).toEqual(['Noordzee Bank', 'Scheldt Bank']);
		expect(
			all.every((bank) =>
				Object.keys(bank).every((key) =>
					(FINANCIAL_INSTITUTION_FIELDS as readonly string[]).includes(key),
				),
			),
		).toBe(true);
	});

	test('Get many transactions: newest first, equal to the emulator, within since/until, and its size per transaction', async () => {
		const account = emulator.dataset.accounts[0];
		const rows = rowsOf(await call('Get_many_transactions', { accountId: account.id, limit: 100 }));
		expect(rows.map((row) => row.id)).toEqual(
			account.transactions.slice(0, 100).map((transaction) => transaction.id),
		);
		for (const row of rows) {
			const { attributes } = account.transactions.find((transaction) => transaction.id === row.id)!;
			expect(row.amount).toBe(attributes.amount);
			expect(row.currency).toBe(attributes.currency);
			expect(row.executionDate).toBe(day(attributes.executionDate));
			expect(row.valueDate).toBe(day(attributes.valueDate));
			expect(orNull(row.remittanceInformation)).toBe(orNull(attributes.remittanceInformation));
			expect(orNull(row.counterpartName)).toBe(orNull(attributes.counterpartName));
			expect(orNull(row.counterpartReference)).toBe(orNull(attributes.counterpartReference));
			expect(
				Object.keys(row).every((key) => (TRANSACTION_FIELDS as readonly string[]).includes(key)),
			).toBe(true);
		}
		const raw = rowsOf(await call(toolName(RAW_TOOL), { accountId: account.id, limit: 100 }));
		expect(raw.map((row) => row.id)).toEqual(rows.map((row) => row.id));
		const simplifiedSize = JSON.stringify(rows).length / rows.length;
		const rawSize = JSON.stringify(raw).length / raw.length;
		figures.push(
			`${Math.round(rawSize)} characters per transaction without Simplify, ${Math.round(simplifiedSize)} with Simplify`,
		);
		expect(simplifiedSize).toBeLessThan(rawSize / 2);

		// A window in the middle of the account's history, as an agent passes it: ISO dates.
		const days = account.transactions.map((transaction) =>
			transaction.attributes.executionDate.slice(0, 10),
		);
		const [until, since] = [days[30], days[60]];
		const windowed = rowsOf(
			await call('Get_many_transactions', { accountId: account.id, limit: 100, since, until }),
		);
		const expected = idsInWindow(
			account.transactions,
			'executionDate',
			Date.parse(`${since}T00:00:00.000Z`),
			Date.parse(`${until}T23:59:59.999Z`),
		);
		expect(expected.length).toBeGreaterThan(5);
		expect(windowed.map((row) => row.id).sort()).toEqual([...expected].sort());
	});

	test('bad arguments come back as tool errors that name the next call', async () => {
		const account = emulator.dataset.accounts[0];
		const cases: Array<[Record<string, unknown>, string[]]> = [
			[{ accountId: 'not-an-id', limit: 5 }, ['is not a valid Ponto ID', 'Get many accounts']],
			[
				{ accountId: '00000000-0000-4000-8000-000000000000', limit: 5 },
				['not found', 'Get many accounts'],
			],
			[
				{ accountId: account.id, limit: 500 },
				['more than the 100 records', 'Ask for a smaller window', 'since/until'],
			],
			[
				{ accountId: account.id, limit: 5, since: 'last week' },
				['Since', 'ISO dates such as 2026-01-31'],
			],
			[
				{ accountId: account.id, limit: 5, since: '2026-02-01', until: '2026-01-01' },
				['Since is after Until', 'since not after until'],
			],
		];
		for (const [args, phrases] of cases) {
			const result = await call('Get_many_transactions', args);
			process.stdout.write(`MCP tool error for ${JSON.stringify(args)}:\n${textOf(result)}\n`);
			expect(result.isError).toBe(true);
			for (const phrase of phrases) expect(textOf(result)).toContain(phrase);
		}
		// Arguments the schema refuses never reach the node.
		const wrongType = await call('Get_many_transactions', {
			accountId: account.id,
			limit: 'ten',
		}).catch((error: Error) => ({
			isError: true,
			content: [{ type: 'text', text: error.message }],
		}));
		process.stdout.write(`MCP tool error for limit "ten": ${textOf(wrongType)}\n`);
		expect(wrongType.isError).toBe(true);
	});

	test('the same tools over the SSE transport', async () => {
		const sse = new Client({ name: 'ponto-e2e-sse', version: '1.0.0' });
		await sse.connect(new SSEClientTransport(new URL(`${n8n.instance.url}/mcp/${MCP_PATH}`)));
		try {
			const { tools } = await sse.listTools();
			expect(tools.map((tool) => tool.name)).toContain('Get_many_transactions');
			const accounts = rowsOf(await call('Get_many_accounts', {}, sse));
			expect(accounts).toHaveLength(emulator.dataset.accounts.length);
		} finally {
			await sse.close();
		}
	});

	test('no secret in any tool result', () => {
		expect(texts.length).toBeGreaterThan(10);
		for (const text of texts) {
			expect(text).not.toContain(CLIENT_SECRET);
			expect(text).not.toMatch(TOKEN_SHAPE);
			expect(text.toLowerCase()).not.toContain('bearer ');
		}
	});
});
