import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { newTriggerStore } from '../harness/n8n';
import type { ActiveTrigger, TriggerStore } from '../harness/n8n';
import { useEmulator } from './context';

/**
 * Version 2 of the Ponto Trigger through n8n-core's TriggerContext against the emulator, with an
 * n8n double that saves the static data at each emit, stores executions under a unique
 * deduplication key, and can fail the insert or "die" (a restart from the last saved state).
 */
const DAY = 86_400_000;
const ctx = useEmulator(
	{ seed: 1402, accounts: [{ transactions: 30 }, { transactions: 12 }] },
	{ synchronization: { pendingMs: 30, runningMs: 60, minIntervalMs: 0 } },
);
const params: INodeParameters = {
	pollTimes: { item: [{ mode: 'everyMinute' }] },
	event: 'transaction',
	accountsToWatch: 'all',
};
const day = (offset: number) =>
	`${new Date(Date.now() + offset * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`;
const book = (accountIndex: number, amount: number, offsetDays = 0) =>
	ctx.emulator.addTransactions(ctx.emulator.dataset.accounts[accountIndex].id, [
		{ amount, executionDate: day(offsetDays), valueDate: day(offsetDays) },
	])[0].id;
const executedIds = (store: TriggerStore) =>
	store.executions.flatMap((run) => run.items.map((item) => item.json.id as string));
const pending = (state: IDataObject) => (state.pending as unknown[] | undefined) ?? [];

async function activate(store: TriggerStore, staticData: IDataObject = {}): Promise<ActiveTrigger> {
	const active = await ctx.n8n.activateTrigger(params, { staticData, store });
	expect(active.error?.stack).toBeUndefined();
	return active;
}

describe('Ponto Trigger v2: each booking in exactly one execution', () => {
	test('activation starts watching (saved by n8n), registers the schedule, emits nothing', async () => {
		const store = newTriggerStore();
		const state: IDataObject = {};
		const active = await activate(store, state);
		expect(active.schedules).toBe(1);
		expect(store.emits).toEqual([]);
		expect(Object.keys(store.saved?.accounts as IDataObject)).toHaveLength(2);
		await active.tick();
		expect(store.emits).toEqual([]);
	});

	test('new bookings: one execution with a deduplication key, confirmed and then forgotten', async () => {
		const store = newTriggerStore();
		const state: IDataObject = {};
		const active = await activate(store, state);
		const booked = [book(0, 10), book(1, -20, -40), book(0, 30)];
		await active.tick();
		expect(store.emits).toHaveLength(1);
		expect(store.emits[0].key).toMatch(/^ponto:test-workflow:ponto:[0-9a-f]{40}$/);
		expect(executedIds(store).sort()).toEqual([...booked].sort());
		// n8n saved the batch with the state before it created the execution ...
		expect(pending(store.saved!)).toHaveLength(1);
		// ... and once n8n confirmed the execution, the batch left the state.
		expect(pending(state)).toEqual([]);
		await active.tick();
		expect(store.emits).toHaveLength(1);
	});

	test('n8n fails to store the execution: the same batch again at each poll, stored once', async () => {
		const store = newTriggerStore();
		const state: IDataObject = {};
		const active = await activate(store, state);
		store.failInsert = true;
		const first = [book(0, 41), book(1, 42, -40)];
		await active.tick();
		const later = book(0, 43);
		ctx.emulator.clearLog();
		await active.tick();
		// A waiting batch goes first: no new read until n8n has it.
		expect(ctx.emulator.requestsTo(/\/transactions$/).length).toBe(0);
		expect(store.emits.map((emit) => emit.key)).toEqual([store.emits[0].key, store.emits[0].key]);
		expect(store.executions).toEqual([]);
		expect(pending(state)).toHaveLength(1);
		store.failInsert = false;
		await active.tick();
		expect(executedIds(store).sort()).toEqual([...first].sort());
		await active.tick();
		expect(executedIds(store).sort()).toEqual([...first, later].sort());
		expect(pending(state)).toEqual([]);
	});

	test('n8n dies after saving the state, before storing the execution: the restart emits the batch', async () => {
		const store = newTriggerStore();
		const active = await activate(store, {});
		const booked = [book(0, 51), book(1, 52)];
		store.failInsert = true; // the insert never happens: n8n is killed in between
		await active.tick();
		await active.close();
		store.failInsert = false;
		await activate(store, structuredClone(store.saved!));
		expect(executedIds(store).sort()).toEqual([...booked].sort());
		expect(store.emits.map((emit) => emit.key)).toEqual([store.emits[0].key, store.emits[0].key]);
	});

	test('n8n dies after storing the execution, before saving the confirmation: the restart runs nothing twice', async () => {
		const store = newTriggerStore();
		const active = await activate(store, {});
		const booked = [book(0, 61), book(1, 62)];
		await active.tick();
		await active.close();
		// The last saved state still holds the batch (saved at emit, before the execution).
		expect(pending(store.saved!)).toHaveLength(1);
		const whileDown = book(0, 63);
		const state = structuredClone(store.saved!);
		const restarted = await activate(store, state);
		// Emitted again with the same key: n8n refuses it, the batch is confirmed; the booking
		// made while n8n was down is read in the same first poll, not a minute later.
		expect(store.emits).toHaveLength(3);
		expect(store.emits[1].key).toBe(store.emits[0].key);
		expect(executedIds(store).sort()).toEqual([...booked, whileDown].sort());
		expect(pending(state)).toEqual([]);
		await restarted.tick();
		expect(executedIds(store).sort()).toEqual([...booked, whileDown].sort());
	});

	test('random faults and restarts (seeded): every booking in exactly one execution', async () => {
		let seed = 1402;
		const random = () => {
			seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
			return seed / 2 ** 31;
		};
		const store = newTriggerStore();
		let state: IDataObject = {};
		let active = await activate(store, state);
		const booked: string[] = [];
		let restarts = 0;
		let faults = 0;
		for (let cycle = 0; cycle < 40; cycle++) {
			const count = Math.floor(random() * 3);
			for (let i = 0; i < count; i++)
				booked.push(book(i % 2, cycle * 10 + i, random() < 0.3 ? -40 : 0));
			store.failInsert = random() < 0.3;
			if (store.failInsert) faults++;
			await active.tick();
			if (random() < 0.25) {
				restarts++;
				await active.close();
				store.failInsert = random() < 0.3;
				state = structuredClone(store.saved!);
				active = await ctx.n8n.activateTrigger(params, { staticData: state, store });
				expect(active.error).toBeUndefined();
			}
		}
		store.failInsert = false;
		await active.tick();
		await active.tick();
		const executed = executedIds(store);
		expect(faults).toBeGreaterThan(5);
		expect(restarts).toBeGreaterThan(5);
		expect(booked.length).toBeGreaterThan(20);
		expect([...executed].sort()).toEqual([...booked].sort());
		expect(new Set(store.executions.map((run) => run.key)).size).toBe(store.executions.length);
	});
});

describe('Ponto Trigger v2 on n8n without deduplication keys (1.x)', () => {
	test('each batch is handed over once, without a done promise: a restart runs nothing twice, a failed insert is not retried', async () => {
		const store = newTriggerStore({ withoutDeduplication: true });
		const state: IDataObject = {};
		const active = await activate(store, state);
		const first = book(0, 71);
		await active.tick();
		// No key, and no done promise: n8n 1.x would leave it unsettled if the insert failed.
		expect(store.emits.map(({ key, done }) => ({ key, done }))).toEqual([
			{ key: undefined, done: false },
		]);
		// The batch never went into the state: nothing to emit again after a restart.
		expect(pending(store.saved!)).toEqual([]);
		await active.close();
		const restarted = await activate(store, structuredClone(store.saved!));
		expect(executedIds(store)).toEqual([first]);
		// The documented limit on 1.x: a batch whose execution n8n failed to store is lost.
		store.failInsert = true;
		book(1, 72);
		await restarted.tick();
		store.failInsert = false;
		const third = book(1, 73);
		await restarted.tick();
		expect(executedIds(store)).toEqual([first, third]);
	});
});

describe('Ponto Trigger v2 in the editor', () => {
	test('"Fetch test event" emits recent records without a deduplication key and leaves the state alone', async () => {
		const store = newTriggerStore();
		const state: IDataObject = {};
		const active = await ctx.n8n.activateTrigger(params, {
			staticData: state,
			store,
			mode: 'manual',
		});
		expect(active.error).toBeUndefined();
		expect(active.schedules).toBe(0);
		await active.manual();
		expect(store.emits).toHaveLength(1);
		expect(store.emits[0].key).toBeUndefined();
		expect(store.emits[0].items.length).toBeGreaterThan(0);
		expect(state).toEqual({});
	});

	test('a schedule more often than once a minute is refused at activation', async () => {
		const store = newTriggerStore();
		const active = await ctx.n8n.activateTrigger(
			{ ...params, pollTimes: { item: [{ mode: 'custom', cronExpression: '*/10 * * * * *' }] } },
			{ staticData: {}, store },
		);
		expect(active.error?.message).toMatch(/Poll Times: polling more often than once a minute/);
		expect(active.schedules).toBe(0);
	});
});
