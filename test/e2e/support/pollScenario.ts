import { generateDataset } from '../../emulator';
import type { Emulator } from '../../emulator';
import { fixture } from './package';
import { withTriggerVersion } from './pollChaos';
import { executionItems } from './server';
import type { RunningN8n } from './server';

/**
 * The polling trigger's journey in a running n8n, both versions side by side (v1, n8n's polling
 * node; v2, deduplication keys): watching starts, bookings inserted between polls (one
 * back-dated 40 days) come once, then more bookings across a restart of n8n, once.
 */
export const POLL_WORKFLOWS = ['e2ePollTrigger1', 'e2ePollTrigger2'];
const DAY = 86_400_000;

/** The emulator's accounts for the journey. */
export const pollScenarioDataset = () =>
	generateDataset({ seed: 88, accounts: [{ transactions: 120 }, { transactions: 30 }] });

/** test/e2e/workflows/poll-trigger.json at version 1, and a copy at version 2. */
export function pollTriggerWorkflows(): Array<Record<string, unknown>> {
	const pollTrigger = fixture<Record<string, unknown>>('test/e2e/workflows/poll-trigger.json');
	return [
		pollTrigger,
		{
			...withTriggerVersion(pollTrigger, 2),
			id: POLL_WORKFLOWS[1],
			name: `${String(pollTrigger.name)} (v2)`,
		},
	];
}

const booked = (amount: number, daysAgo = 0) => ({
	amount,
	executionDate: `${new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`,
	remittanceInformation: `e2e ${amount}`,
});

/** Probes once a second until it gives a value, or fails naming what it waited for. */
export async function waitFor<T>(
	what: string,
	timeoutMs: number,
	probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
	}
}

/** The items of each successful execution of a workflow (the trigger's output). */
export type ExecutionsOf = (workflowId: string) => Promise<Array<Array<Record<string, unknown>>>>;

/** Through n8n's public API (2.x): each successful execution's trigger output. */
export const executionsFromApi =
	(n8n: RunningN8n): ExecutionsOf =>
	async (workflowId) =>
		(await n8n.executions(workflowId))
			.filter((execution) => execution.status === 'success')
			.map((execution) => executionItems(execution, 'New transaction'));

export async function runPollScenario(
	executions: ExecutionsOf,
	restart: () => Promise<void>,
	emulator: Emulator,
	timings: string[],
): Promise<void> {
	const polls = () => emulator.requestsTo('/accounts', 'GET').length;
	const emittedIds = async (workflowId: string) =>
		(await executions(workflowId)).flat().map((item) => item.id as string);
	/** Each version's executions, once every version has at least `count`. */
	const eachHas = async (count: number) => {
		for (const id of POLL_WORKFLOWS) if ((await executions(id)).length < count) return undefined;
		return true;
	};

	const started = Date.now();
	await waitFor('the first polls', 150_000, () => (polls() >= 2 ? true : undefined));
	timings.push(`first polls after ${Math.round((Date.now() - started) / 1000)} s`);
	for (const id of POLL_WORKFLOWS) expect(await executions(id)).toHaveLength(0);

	const [first, second] = emulator.dataset.accounts;
	const batchA = [
		...emulator.addTransactions(first.id, [booked(11.11), booked(-22.22, 40)]),
		...emulator.addTransactions(second.id, [booked(33.33)]),
	];
	await waitFor('an execution with batch A in each version', 150_000, () => eachHas(1));
	for (const id of POLL_WORKFLOWS) {
		expect({ id, emitted: (await emittedIds(id)).sort() }).toEqual({
			id,
			emitted: batchA.map((transaction) => transaction.id).sort(),
		});
		const item = (await executions(id))[0][0];
		expect(item).toMatchObject({
			accountId: expect.any(String),
			accountReference: expect.any(String),
			idempotencyKey: expect.stringMatching(/^ponto:/),
		});
	}

	const batchB = emulator.addTransactions(second.id, [booked(44.44), booked(44.44)]);
	const restartStarted = Date.now();
	await restart();
	timings.push(`restart ${Math.round((Date.now() - restartStarted) / 1000)} s`);
	await waitFor('an execution with batch B in each version', 180_000, () => eachHas(2));
	const pollsAfterB = polls();
	await waitFor('two more polls', 150_000, () => (polls() > pollsAfterB + 1 ? true : undefined));
	for (const id of POLL_WORKFLOWS) {
		expect({ id, emitted: (await emittedIds(id)).sort() }).toEqual({
			id,
			emitted: [...batchA, ...batchB].map((transaction) => transaction.id).sort(),
		});
	}
	timings.push(
		`whole polling scenario ${Math.round((Date.now() - started) / 1000)} s, ${polls()} polls`,
	);
}
