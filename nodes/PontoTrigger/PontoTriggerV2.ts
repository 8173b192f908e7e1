import { NodeApiError, NodeOperationError, cronNodeOptions, toCronExpression } from 'n8n-workflow';
import type {
	IDataObject,
	INodeProperties,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IRun,
	ITriggerFunctions,
	ITriggerResponse,
	TriggerTime,
} from 'n8n-workflow';

import { loadOptions, readSettings, versionDescription } from './description';
import {
	DEFAULT_BUDGET_MS,
	executionExisted,
	readNewTransactions,
	sampleTransactions,
} from './poll';
import type { PollSettings } from './poll';
import { batchKey, isSubMinuteCron, MAX_PENDING_BATCHES, withBatch, withoutBatch } from './batches';
import type { PendingBatch } from './batches';
import type { TriggerState } from './state';

/** The same schedule field n8n gives its polling nodes (v1 of this trigger has n8n's own). */
const pollTimes: INodeProperties = {
	displayName: 'Poll Times',
	name: 'pollTimes',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Poll Time' },
	default: { item: [{ mode: 'everyMinute' }] },
	description: 'Time at which polling should occur',
	placeholder: 'Add Poll Time',
	options: cronNodeOptions,
};

/** What one active trigger keeps in memory between its polls. */
interface Runtime {
	/** Keys of the batches emitted by this instance whose execution has not settled yet. */
	inFlight: Set<string>;
	/** Keys of the batches n8n failed to store in this instance: retried before any new read. */
	failed: Set<string>;
	/** A poll is running: a tick that comes meanwhile is skipped, not run beside it. */
	polling: boolean;
	closed: boolean;
}

/**
 * Hands one batch to n8n with its deduplication key and a done promise. Confirmed (the
 * execution ran, or n8n refused the key as already stored, or the run was cancelled), the batch
 * leaves the state; not stored, it stays and the next poll emits it again. n8n 1.x has no key,
 * and its emit leaves the done promise of a run it failed to create unsettled (without one it
 * logs the failure): there the batch is handed over once, without a done promise, and was never
 * put in the state, so a restart cannot run it twice.
 */
function deliver(
	context: ITriggerFunctions,
	state: TriggerState,
	batch: PendingBatch,
	runtime: Runtime,
	deduplicates: boolean,
): void {
	const items = batch.items.map((json) => ({ json }));
	if (!deduplicates) return context.emit([items]);
	runtime.inFlight.add(batch.key);
	const done = context.helpers.createDeferredPromise<IRun>();
	const confirmed = () => {
		runtime.inFlight.delete(batch.key);
		runtime.failed.delete(batch.key);
		state.pending = withoutBatch(state.pending, batch.key);
	};
	done.promise.then(confirmed, (error: unknown) => {
		if (executionExisted(error)) return confirmed();
		runtime.inFlight.delete(batch.key);
		runtime.failed.add(batch.key);
		state.pending = withBatch(state.pending, batch);
		context.logger.warn(
			`Ponto Trigger: n8n did not store the execution of ${batch.items.length} transactions; the next poll emits them again`,
		);
	});
	context.emit([items], undefined, done, batch.key);
}

/**
 * One scheduled poll: batches n8n has not confirmed are emitted again first (after a restart,
 * all those in the saved state); then, unless one of them is a batch n8n failed to store in
 * this instance (it goes first, so the state stays bounded while n8n cannot store), Ponto is
 * read and the new records are emitted as a new batch, which n8n saves in the state before it
 * creates the execution. The saved cursors already hold the waiting batches' records, so a read
 * beside them finds only newer ones.
 */
async function poll(
	context: ITriggerFunctions,
	settings: PollSettings,
	runtime: Runtime,
	deduplicates: boolean,
): Promise<void> {
	const state = context.getWorkflowStaticData('node') as TriggerState;
	const waiting = (state.pending ?? []).filter((batch) => !runtime.inFlight.has(batch.key));
	const retrying = waiting.some((batch) => runtime.failed.has(batch.key));
	for (const batch of waiting)
		if (!runtime.closed) deliver(context, state, batch, runtime, deduplicates);
	if (retrying || runtime.inFlight.size >= MAX_PENDING_BATCHES) return;

	const { items } = await readNewTransactions.call(context, settings, DEFAULT_BUDGET_MS);
	if (!items.length || runtime.closed) return;
	const json = items.map((item) => item.json as IDataObject);
	const batch: PendingBatch = {
		key: batchKey(context.getWorkflow().id ?? '', context.getNode().id, json),
		items: json,
		at: Date.now(),
	};
	if (deduplicates) state.pending = withBatch(state.pending, batch);
	deliver(context, state, batch, runtime, deduplicates);
}

/** A scheduled poll's failure as n8n records it (a failed execution of the trigger). */
function toNodeError(
	context: ITriggerFunctions,
	error: unknown,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error instanceof Error ? error : String(error));
}

export class PontoTriggerV2 implements INodeType {
	description: INodeTypeDescription;

	constructor(base: INodeTypeBaseDescription) {
		this.description = versionDescription(base, 2, {}, [pollTimes]);
	}

	methods = { loadOptions };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const settings = readSettings.call(this);
		if (this.getMode() === 'manual') {
			return {
				manualTriggerFunction: async () => {
					this.emit(await sampleTransactions.call(this, settings));
				},
			};
		}
		const times = (this.getNodeParameter('pollTimes', {}) as { item?: TriggerTime[] }).item ?? [];
		const expressions = times.map((time) => toCronExpression(time));
		if (!expressions.length || expressions.some((expression) => isSubMinuteCron(expression))) {
			throw new NodeOperationError(
				this.getNode(),
				expressions.length
					? 'Poll Times: polling more often than once a minute is not possible'
					: 'Poll Times: add at least one poll time',
				{
					description:
						'Add a poll time of at most once a minute (every minute is usual: an idle poll costs one request to Ponto).',
				},
			);
		}
		// n8n's emit takes a deduplication key from the release that stores one with each
		// execution (2.41.1 tested); 1.x's emit takes three arguments (docs/n8n-notes.md §4.3).
		const deduplicates = this.emit.length >= 4;
		const runtime: Runtime = {
			inFlight: new Set(),
			failed: new Set(),
			polling: false,
			closed: false,
		};
		const tick = async (): Promise<void> => {
			if (runtime.polling || runtime.closed) return;
			runtime.polling = true;
			try {
				await poll(this, settings, runtime, deduplicates);
			} finally {
				runtime.polling = false;
			}
		};
		// The tick's promise is returned so a caller that awaits it (a test) sees the poll end.
		const scheduled = async (): Promise<void> => {
			try {
				await tick();
			} catch (error) {
				const failure = toNodeError(this, error);
				if (typeof this.saveFailedExecution === 'function') this.saveFailedExecution(failure);
				else this.logger.error(`Ponto Trigger: ${failure.message}`);
			}
		};
		for (const expression of expressions) this.helpers.registerCron({ expression }, scheduled);
		// The first poll runs while n8n activates the workflow, as n8n does for polling nodes: its
		// failure fails the activation (n8n retries it), and n8n saves the state it set up.
		try {
			await tick();
		} catch (error) {
			runtime.closed = true;
			throw toNodeError(this, error);
		}
		return {
			closeFunction: async () => {
				runtime.closed = true;
			},
		};
	}
}
