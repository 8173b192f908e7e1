import { generateDataset, startEmulator } from '../emulator';
import type { DatasetSpec, Emulator, EmulatorOptions } from '../emulator';
import { N8nHarness } from '../harness/n8n';
import type { NodeRun, RunOptions } from '../harness/n8n';
import type { INodeParameters } from 'n8n-workflow';

/** One emulator + one n8n harness per test file, started on 127.0.0.1 by the test itself. */
export interface TestContext {
	emulator: Emulator;
	n8n: N8nHarness;
	/** Runs the Ponto node with a clean request log. */
	run(parameters: INodeParameters, options?: RunOptions): Promise<NodeRun>;
	/** Requests made to a path (regexp or exact), ignoring the token endpoint. */
	calls(path: RegExp | string, method?: string): number;
}

export function useEmulator(
	spec: DatasetSpec = { seed: 7 },
	options: EmulatorOptions = {},
): TestContext {
	const context = {} as TestContext;
	beforeAll(async () => {
		context.emulator = await startEmulator({ dataset: generateDataset(spec), ...options });
		context.n8n = new N8nHarness({ baseUrl: context.emulator.url });
	});
	afterAll(async () => {
		await context.emulator?.close();
	});
	context.run = async (parameters, runOptions) => {
		context.emulator.clearLog();
		return await context.n8n.run(parameters, runOptions);
	};
	context.calls = (path, method = 'GET') => context.emulator.requestsTo(path, method).length;
	return context;
}

export const jsonOf = (run: NodeRun) => run.items.map((item) => item.json);

export const RL = (value: string, mode: 'id' | 'list' = 'id') => ({ __rl: true, mode, value });
