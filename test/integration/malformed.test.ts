import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { QueuedFault } from '../emulator';
import type { HostileMode } from '../emulator/hostile';
import type { NodeRun } from '../harness/n8n';
import { RL, useEmulator } from './context';

/**
 * Issue 8, malformed responses: every hostile mode of the emulator against real node
 * operations in n8n-core. Each ends in a clear error naming the problem, with nothing output
 * as if complete, a bounded number of requests and a bounded time. Time bounds here only catch
 * hangs; speed belongs to the bench.
 */
const ctx = useEmulator({ seed: 88, accounts: [{ transactions: 250 }, { transactions: 5 }] });

const MALFORMED = 'Ponto sent a response the node cannot use: ';
/** Generous: these runs take a few seconds at most (the 40 MB bodies); a hang takes 30 s or forever. */
const HANG_BOUND_MS = 20_000;
/** 250 transactions at 100 a page. */
const PAGES = 3;

const account = () => ctx.emulator.dataset.accounts[0];
const listPath = () => `/accounts/${account().id}/transactions`;
const transaction = () => account().transactions[7];
const getAll = (): INodeParameters => ({
	resource: 'transaction',
	operation: 'getAll',
	accountId: RL(account().id),
	returnAll: true,
});
const getOne = (): INodeParameters => ({
	resource: 'transaction',
	operation: 'get',
	accountId: RL(account().id),
	transactionId: transaction().id,
});

/** The fault on the n-th request to `match` (1-based): the ones before are let through untouched. */
function onRequest(n: number, match: RegExp | string, fault: QueuedFault): QueuedFault[] {
	return [...Array.from({ length: n - 1 }, () => ({ match, delayMs: 0 })), { ...fault, match }];
}

/** The faults the emulator served on a path, in order. */
const faultsServed = (path: string) =>
	ctx.emulator.requestsTo(path).flatMap((entry) => (entry.fault ? [entry.fault] : []));

interface Timed<T> {
	result: T;
	ms: number;
}

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
	const started = Date.now();
	const result = await work();
	return { result, ms: Date.now() - started };
}

/** The error of a failed run, with what the user sees. */
function failure(run: NodeRun): { name: string; message: string; description: string } {
	const error = run.error as (Error & { description?: string }) | undefined;
	expect(error).toBeDefined();
	return {
		name: error?.name ?? '',
		message: error?.message ?? '',
		description: error?.description ?? '',
	};
}

/** Every text the user or a log could see of a run. */
const seen: string[] = [];
function record(run: NodeRun): NodeRun {
	const error = run.error as (Error & { description?: string; context?: IDataObject }) | undefined;
	seen.push(
		JSON.stringify([
			run.items,
			error?.message,
			error?.description,
			error ? JSON.parse(JSON.stringify(error)) : null,
			error?.context,
		]),
	);
	return run;
}

type Expectation = {
	/** The problem named in the list's error (after "Ponto sent a response the node cannot use: "). */
	list: RegExp;
	/** The problem for a single get; undefined: the mode does not apply to one resource (the get succeeds). */
	single?: RegExp;
};

const EXPECTED: Record<Exclude<HostileMode, 'neverAnswers'>, Expectation> = {
	truncatedJson: {
		list: /^the JSON body is cut off or broken \(\d+ bytes\)$/,
		single: /^the JSON body is cut off or broken \(\d+ bytes\)$/,
	},
	htmlErrorPage: {
		list: /^an HTML page came back instead of JSON \(page title "502 Bad Gateway"\)$/,
		single: /^an HTML page came back instead of JSON \(page title "502 Bad Gateway"\)$/,
	},
	wrongContentType: {
		list: /^the content type is text\/plain, not JSON$/,
		single: /^the content type is text\/plain, not JSON$/,
	},
	missingData: {
		list: /^a list of resources was expected$/,
		single: /^a single resource was expected$/,
	},
	repeatingNext: { list: /^the next-page link leads back to a page already read$/ },
	loopingNext: { list: /^the next-page link leads back to a page already read$/ },
	oversizedPage: {
		list: /^the page holds 101 records where at most 100 were asked for$/,
		single: /^a single resource was expected$/,
	},
	missingIds: { list: /^record \d+ of the page has no id$/, single: /^the resource has no id$/ },
	numbersAsStrings: {
		list: /^amount of transaction [0-9a-f-]{36} is text, not a number$/,
		single: /^amount of transaction [0-9a-f-]{36} is text, not a number$/,
	},
	hugeJson: {
		list: /^the response is 40\.0 MB, far more than any Ponto answer$/,
		single: /^the response is 40\.0 MB, far more than any Ponto answer$/,
	},
	hugeGarbage: {
		list: /^the response is 40\.0 MB, far more than any Ponto answer$/,
		single: /^the response is 40\.0 MB, far more than any Ponto answer$/,
	},
};
const MODES = Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>;

/** A run that ended in the malformed-response error naming `problem`, with nothing output. */
function expectMalformed(run: NodeRun, problem: RegExp): void {
	const error = failure(run);
	expect(error.name).toBe('NodeApiError');
	expect(error.message.startsWith(MALFORMED)).toBe(true);
	expect(error.message.slice(MALFORMED.length)).toMatch(problem);
	expect(error.description).toMatch(/^Nothing was output for this request\./);
	expect(run.items).toEqual([]);
}

describe.each(MODES)('%s', (mode) => {
	const expected = EXPECTED[mode];
	// loopingNext on the last page has no next page to loop from (tested on its own below).
	const pages = mode === 'loopingNext' ? [1, 2] : [1, 2, PAGES];

	test.each(pages)(
		'get many (return all), the fault on page %i of 3: a clear error, nothing output',
		async (page) => {
			ctx.emulator.queueFaults(...onRequest(page, listPath(), { hostile: mode }));
			const { result: run, ms } = await timed(async () => record(await ctx.run(getAll())));
			expectMalformed(run, expected.list);
			// The pages up to the fault (and, for a loop, the page that links back), never a walk.
			const loop = mode === 'loopingNext' ? ['queued:repeatingNext'] : [];
			expect(faultsServed(listPath())).toEqual([
				...Array<string>(page - 1).fill('queued:delay'),
				`queued:${mode}`,
				...loop,
			]);
			expect(ctx.calls(listPath())).toBe(page + loop.length);
			expect(ms).toBeLessThan(HANG_BOUND_MS);
		},
	);

	const single = expected.single;
	test(`get one transaction: ${single ? 'a clear error' : 'not a list, so the mode does not apply'}`, async () => {
		const path = `${listPath()}/${transaction().id}`;
		ctx.emulator.queueFaults({ match: path, hostile: mode });
		const { result: run, ms } = await timed(async () => record(await ctx.run(getOne())));
		if (single) expectMalformed(run, single);
		else expect(run.items.map((item) => item.json.id)).toEqual([transaction().id]);
		expect(faultsServed(path)).toEqual([`queued:${mode}`]);
		expect(ctx.calls(path)).toBe(1);
		expect(ms).toBeLessThan(HANG_BOUND_MS);
	});

	test('trigger poll with back-fill, the fault on page 2: the poll fails, nothing emitted, the state untouched', async () => {
		const state: IDataObject = {};
		ctx.emulator.clearLog();
		ctx.emulator.queueFaults(...onRequest(2, listPath(), { hostile: mode }));
		const parameters: INodeParameters = {
			event: 'transaction',
			accountsToWatch: 'selected',
			accountIds: [account().id],
			options: { backfillDays: 400 },
		};
		const { result: poll, ms } = await timed(
			async () => await ctx.n8n.poll(parameters, { staticData: state }),
		);
		seen.push(
			JSON.stringify([
				poll.items,
				poll.error?.message,
				(poll.error as { description?: string } | undefined)?.description,
			]),
		);
		expect(poll.error?.name).toBe('NodeApiError');
		expect(poll.error?.message.startsWith(MALFORMED)).toBe(true);
		expect(poll.error?.message.slice(MALFORMED.length)).toMatch(expected.list);
		expect(poll.items).toEqual([]);
		expect(state).toEqual({});
		const loop = mode === 'loopingNext' ? ['queued:repeatingNext'] : [];
		expect(faultsServed(listPath())).toEqual(['queued:delay', `queued:${mode}`, ...loop]);
		expect(ctx.calls(listPath())).toBe(2 + loop.length);
		expect(ms).toBeLessThan(HANG_BOUND_MS);
	});
});

describe('Around the modes', () => {
	test('loopingNext on the last page: no next page to loop from, the fetch is complete, no fault left over', async () => {
		ctx.emulator.queueFaults(...onRequest(PAGES, listPath(), { hostile: 'loopingNext' }));
		const run = await ctx.run(getAll());
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual(
			account().transactions.map((record) => record.id),
		);
		// The next request to the path is served normally.
		expect((await ctx.run(getAll())).items).toHaveLength(250);
		expect(faultsServed(listPath())).toEqual([]);
	});

	test('with Continue On Fail the failed item is one error item, never a partial list; the other item goes on', async () => {
		const other = ctx.emulator.dataset.accounts[1];
		ctx.emulator.queueFaults(...onRequest(2, listPath(), { hostile: 'truncatedJson' }));
		const run = record(
			await ctx.run(
				{
					resource: 'transaction',
					operation: 'getAll',
					accountId: RL('={{ $json.id }}'),
					returnAll: true,
				},
				{ items: [{ id: account().id }, { id: other.id }], continueOnFail: true },
			),
		);
		expect(run.error).toBeUndefined();
		const [failed, ...rest] = run.items;
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(Object.keys(failed.json).sort()).toEqual(['description', 'error']);
		expect(failed.json.error).toMatch(
			/^Ponto sent a response the node cannot use: the JSON body is cut off or broken \(\d+ bytes\)$/,
		);
		expect(rest.map((item) => [item.pairedItem, item.json.id])).toEqual(
			other.transactions.map((record) => [{ item: 1 }, record.id]),
		);
	});

	test('neverAnswers: given up after the 30 s timeout and one retry, well before the 75 s hang bound', async () => {
		ctx.emulator.queueFaults(
			{ match: listPath(), hostile: 'neverAnswers' },
			{ match: listPath(), hostile: 'neverAnswers' },
		);
		const { result: run, ms } = await timed(async () => record(await ctx.run(getAll())));
		const error = failure(run);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe('Ponto did not answer within 30 s');
		expect(run.items).toEqual([]);
		expect(faultsServed(listPath())).toEqual(['queued:neverAnswers', 'queued:neverAnswers']);
		expect(ctx.calls(listPath())).toBe(2);
		expect(ms).toBeGreaterThanOrEqual(2 * 30_000);
		expect(ms).toBeLessThan(75_000);
	}, 120_000);

	test('no secret in any of these errors (messages, descriptions, error JSON), body excerpts included', () => {
		const token = (ctx.n8n.storedCredential.oauthTokenData as IDataObject).access_token as string;
		expect(token).toEqual(expect.any(String));
		const secrets = [
			'test-client-secret',
			token,
			Buffer.from('test-client-id:test-client-secret').toString('base64'),
		];
		// Every mode ran (3 kinds of run each), with its error recorded.
		expect(seen.length).toBeGreaterThanOrEqual(MODES.length * 3);
		const haystack = seen.join('\n');
		for (const secret of secrets) expect(haystack).not.toContain(secret);
	});
});
