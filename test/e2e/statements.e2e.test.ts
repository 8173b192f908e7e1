import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateDataset, startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import {
	describeWithReaders,
	ofxdump,
	parseCodaFiles,
	validateCamtFile,
} from '../support/statementValidators';
import { N8nInstance, nodeItems } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { fixture, packPackage } from './support/package';
import { provisionN8n } from './support/provision';

/**
 * Statement files made by a real n8n 2.x workflow (Ponto node -> n8n's Read/Write Files node),
 * checked with the same independent readers as the writers' own tests; the examples of the
 * README run too (the Odoo node disabled: there is no Odoo here).
 */
describeWithReaders('statements.e2e.test.ts')('statements in a real n8n 2.x', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let output: string;

	beforeAll(async () => {
		const install = await provisionN8n(2);
		emulator = await startEmulator({
			dataset: generateDataset({
				seed: 53,
				institutions: [{ name: 'Scheldt Bank', country: 'BE', bic: 'SCHDBEBB' }],
				accounts: [{ transactions: 600, edgeCases: true }],
			}),
		});
		output = mkdtempSync(join(tmpdir(), 'ponto-statements-'));
		n8n = await N8nInstance.create(install, await packPackage());
		n8n.env.N8N_RESTRICT_FILE_ACCESS_TO = output;
		const examples = ['monthly-camt-coda-files', 'daily-statement-lines-to-odoo'].map((name) => {
			const workflow = JSON.parse(
				JSON.stringify(fixture<Record<string, unknown>>(`examples/${name}.json`)).replace(
					/\/tmp\/ponto-statements/g,
					output,
				),
			) as {
				nodes: Array<Record<string, unknown>>;
			};
			for (const node of workflow.nodes)
				if (node.type === 'n8n-nodes-base.odoo') node.disabled = true;
			return workflow as unknown as Record<string, unknown>;
		});
		await n8n.importCredentials([
			...fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
			...fixture<ImportedCredential[]>('examples/credentials.json', { EMULATOR_URL: emulator.url }),
		]);
		await n8n.importWorkflows([
			fixture<Record<string, unknown>>('test/e2e/workflows/statement-files.json', {
				OUTPUT_DIR: output,
			}),
			...examples,
		]);
	}, 45 * 60_000);

	afterAll(async () => {
		n8n?.dispose();
		await emulator?.close();
		if (output) rmSync(output, { recursive: true, force: true });
	});

	test('a workflow writes every format; each file passes its independent reader', async () => {
		const result = await n8n.execute('e2eStatementFil');
		expect(result.run.data.resultData.error).toBeUndefined();
		const [statement] = nodeItems(result, 'Statement');
		const lines = Number(statement.lineCount);
		expect(lines).toBeGreaterThan(10);
		const files = readdirSync(output);
		const find = (suffix: string) =>
			join(
				output,
				files.find((file) => file.endsWith(suffix))!,
			);
		expect(files).toHaveLength(8);

		expect(validateCamtFile(find('_camt053.xml'))).toEqual({
			status: 0,
			stderr: expect.stringContaining('validates'),
		});
		const camt = readFileSync(find('_camt053.xml'), 'utf8');
		expect((camt.match(/<Ntry>/g) ?? []).length).toBe(lines);

		const coda = parseCodaFiles([find('_coda.cod')]);
		expect(coda.stderr).toBe('');
		const [parsedCoda] = JSON.parse(coda.stdout) as Array<{ moves: unknown[]; new: string }>;
		expect(parsedCoda.moves).toHaveLength(lines);
		expect(Number(parsedCoda.new)).toBeCloseTo(Number(statement.closingBalance), 2);
		expect(
			readFileSync(find('_coda.cod'), 'latin1')
				.split('\r\n')
				.filter(Boolean)
				.every((record) => record.length === 128),
		).toBe(true);

		for (const suffix of ['_ofx1.ofx', '_ofx2.ofx']) {
			const { blocks } = ofxdump(find(suffix));
			expect(blocks.filter((block) => block.kind === 'ofx_proc_transaction')).toHaveLength(lines);
		}
		for (const suffix of [
			'_csv.csv',
			'_csvXero.csv',
			'_csvQuickBooks3.csv',
			'_csvQuickBooks4.csv',
		]) {
			const rows = readFileSync(find(suffix), 'utf8').split('\r\n').filter(Boolean);
			expect(rows.length).toBeGreaterThanOrEqual(lines);
		}
	});

	test("the README's examples run: monthly CAMT + CODA files, daily Odoo lines", async () => {
		for (const file of readdirSync(output)) rmSync(join(output, file));
		const monthly = await n8n.execute('pontoDemoFiles1');
		expect(monthly.run.data.resultData.error).toBeUndefined();
		const files = readdirSync(output);
		expect(files.filter((file) => file.endsWith('_camt053.xml'))).toHaveLength(1);
		expect(files.filter((file) => file.endsWith('_coda.cod'))).toHaveLength(1);
		expect(
			validateCamtFile(
				join(
					output,
					files.find((file) => file.endsWith('.xml'))!,
				),
			).status,
		).toBe(0);
		const daily = await n8n.execute('pontoDemoOdoo01');
		expect(daily.run.data.resultData.error).toBeUndefined();
		const odooLines = nodeItems(daily, "Yesterday's statement lines");
		for (const line of odooLines)
			expect(Object.keys(line).sort()).toEqual([
				'account_number',
				'amount',
				'date',
				'narration',
				'partner_name',
				'payment_ref',
				'unique_import_id',
			]);
	});
});
