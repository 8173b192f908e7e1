import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { N8nInstance } from './support/n8n';
import type { ImportedCredential } from './support/n8n';
import { fixture, packPackage } from './support/package';
import {
	POLL_WORKFLOWS,
	pollScenarioDataset,
	pollTriggerWorkflows,
	runPollScenario,
} from './support/pollScenario';
import { provisionN8n } from './support/provision';
import { ownerEnvironment, RunningN8n } from './support/server';

/**
 * The polling trigger in a running n8n 1.123.50, both versions side by side: version 2 is a
 * trigger node whose emit has no deduplication key on 1.x, so it hands each batch over once
 * (docs/reliability.md); the same journey as on 2.x (triggers.e2e.test.ts). n8n 1.x has no
 * owner set up from the environment here, so instead of its API each workflow posts what it
 * received, with its execution id, to a collector on 127.0.0.1 started by the test.
 */
function collector(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
	const received: Received[] = [];
	const server = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		request.on('end', () => {
			received.push(JSON.parse(body) as Received);
			response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/received`,
				received,
				close: () => new Promise<void>((done) => server.close(() => done())),
			}),
		),
	);
}

interface Received {
	workflowId: string;
	executionId: string;
	item: Record<string, unknown>;
}

/** The workflow with its "Received" node posting each item to the collector. */
function postingTo(url: string, workflow: Record<string, unknown>): Record<string, unknown> {
	const nodes = workflow.nodes as Array<Record<string, unknown>>;
	return {
		...workflow,
		nodes: nodes.map((node) =>
			node.name === 'Received'
				? {
						...node,
						type: 'n8n-nodes-base.httpRequest',
						typeVersion: 4.2,
						parameters: {
							method: 'POST',
							url,
							sendBody: true,
							specifyBody: 'json',
							jsonBody:
								'={{ JSON.stringify({ workflowId: $workflow.id, executionId: $execution.id, item: $json }) }}',
							options: {},
						},
					}
				: node,
		),
	};
}
describe('the polling trigger in a running n8n 1.x', () => {
	let emulator: Emulator;
	let n8n: RunningN8n;
	let sink: Awaited<ReturnType<typeof collector>>;
	const timings: string[] = [];

	beforeAll(async () => {
		const install = await provisionN8n(1);
		emulator = await startEmulator({ dataset: pollScenarioDataset() });
		sink = await collector();
		const instance = await N8nInstance.create(install, await packPackage());
		Object.assign(instance.env, ownerEnvironment(install));
		await instance.importCredentials(
			fixture<ImportedCredential[]>('test/e2e/credentials.json', { EMULATOR_URL: emulator.url }),
		);
		await instance.importWorkflows(
			pollTriggerWorkflows().map((workflow) => postingTo(sink.url, workflow)),
		);
		for (const id of POLL_WORKFLOWS)
			await instance.cli(['update:workflow', `--id=${id}`, '--active=true']);
		n8n = await RunningN8n.start(instance, join(instance.userFolder, 'n8n.log'));
	}, 45 * 60_000);

	afterAll(async () => {
		if (timings.length)
			process.stdout.write(`n8n 1.x polling trigger e2e: ${timings.join(', ')}\n`);
		await n8n?.stop();
		n8n?.instance.dispose();
		await emulator?.close();
		await sink?.close();
	});

	test('v1 and v2 emit each inserted transaction once, across an n8n restart', async () => {
		const executions = async (workflowId: string) => {
			const byExecution = new Map<string, Array<Record<string, unknown>>>();
			for (const { item, executionId } of sink.received.filter(
				(entry) => entry.workflowId === workflowId,
			))
				byExecution.set(executionId, [...(byExecution.get(executionId) ?? []), item]);
			return [...byExecution.values()];
		};
		await runPollScenario(executions, () => n8n.restart(), emulator, timings);
	});
});
