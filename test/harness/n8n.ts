// tsx resolves `X.node` to the codex X.node.json first, hence the explicit .ts below.
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	RoutingNode,
	TriggerContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	ManualExecutionCancelledError,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialTestRequest,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IRunExecutionData,
	ITriggerResponse,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { PontoConnectOAuth2Api } from '../../credentials/PontoConnectOAuth2Api.credentials';
import { PontoOAuth2Api } from '../../credentials/PontoOAuth2Api.credentials';
import { Ponto } from '../../nodes/Ponto/Ponto.node.ts';
import { PontoTrigger } from '../../nodes/PontoTrigger/PontoTrigger.node.ts';
import { spoolCredentialSecrets, spoolVisible } from '../support/secretSpool';
import { TestCredentialsHelper } from './credentials';
import type { StoredCredential } from './credentials';

/**
 * Runs the Ponto node inside n8n-core's real execution engine (WorkflowExecute, real
 * execution contexts, real expression resolution, real request helpers and OAuth2 client over
 * real sockets). Only the credential store is a test double.
 */
export const PONTO_TYPE = 'n8n-nodes-ponto.ponto';
export const PONTO_TRIGGER_TYPE = 'n8n-nodes-ponto.pontoTrigger';
const START_TYPE = 'test.start';

/** Emits the test's input items, like a Manual Trigger followed by a Code node would. */
class StartNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const nodeTypeMap: Record<string, INodeType | IVersionedNodeType> = {
	[PONTO_TYPE]: new Ponto(),
	[PONTO_TRIGGER_TYPE]: new PontoTrigger(),
	[START_TYPE]: new StartNode(),
};

/** The node type of one version, as n8n resolves it (the trigger has two). */
const nodeType = (type: string, version?: number): INodeType =>
	nodeTypeMap[type] && NodeHelpers.getVersionedNodeType(nodeTypeMap[type], version);

const nodeTypes: INodeTypes = {
	getByName: (type: string) => nodeTypeMap[type],
	getByNameAndVersion: (type: string, version?: number) => nodeType(type, version),
	getKnownTypes: () => ({}),
} as INodeTypes;

export interface HarnessCredential {
	baseUrl: string;
	clientId?: string;
	clientSecret?: string;
}

export interface RunOptions {
	items?: IDataObject[];
	continueOnFail?: boolean;
}

export interface NodeRun {
	/** Output items of the Ponto node (empty when it failed without Continue On Fail). */
	items: INodeExecutionData[];
	/** The node's error when the execution failed. */
	error?: ExecutionError;
	run: IRun;
}

export type CredentialTypeName = 'pontoOAuth2Api' | 'pontoConnectOAuth2Api';

/**
 * n8n-core serialises OAuth2 token refreshes per credential id in a process-wide map, as real
 * n8n does per stored credential: each harness is a distinct credential, so it gets its own id.
 */
let credentialCount = 0;

/** What n8n's additionalData says about the instance: local URLs, one execution and user. */
export const HARNESS_EXECUTION = {
	executionId: 'test-execution',
	restApiUrl: 'http://127.0.0.1/rest',
	instanceBaseUrl: 'http://127.0.0.1/',
	webhookBaseUrl: 'http://127.0.0.1/webhook',
	webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
	webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
	formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
	variables: {},
	userId: 'test-user',
};

export class N8nHarness {
	readonly credentials: TestCredentialsHelper;

	readonly credentialId = `cred-${++credentialCount}`;

	readonly credentialType: CredentialTypeName;

	/** A custom-integration credential (pontoOAuth2Api) by default. */
	constructor(
		credential: HarnessCredential,
		type: CredentialTypeName = 'pontoOAuth2Api',
		data?: Record<string, unknown>,
	) {
		this.credentialType = type;
		spoolCredentialSecrets({ clientSecret: credential.clientSecret, ...data });
		this.credentials = new TestCredentialsHelper(
			[new PontoOAuth2Api(), new PontoConnectOAuth2Api()],
			nodeTypes,
		);
		this.credentials.add({
			id: this.credentialId,
			name: 'Ponto (test)',
			type,
			data: (data ?? {
				baseUrl: credential.baseUrl,
				clientId: credential.clientId ?? 'test-client-id',
				clientSecret: credential.clientSecret ?? 'test-client-secret',
			}) as StoredCredential['data'],
		});
	}

	/** A Ponto Connect credential with the given fields. */
	static connect(data: Record<string, unknown>): N8nHarness {
		return new N8nHarness({ baseUrl: String(data.baseUrl) }, 'pontoConnectOAuth2Api', data);
	}

	/** The stored credential data, as n8n would have persisted it. */
	get storedCredential(): StoredCredential['data'] {
		return this.credentials.store.get(this.credentialId)!.data;
	}

	private node(
		parameters: INodeParameters,
		continueOnFail = false,
		type = PONTO_TYPE,
		typeVersion = 1,
	): INode {
		return {
			id: 'ponto',
			name: 'Ponto',
			type,
			typeVersion,
			position: [200, 0],
			parameters: { authentication: this.credentialType, ...parameters },
			credentials: { [this.credentialType]: { id: this.credentialId, name: 'Ponto (test)' } },
			...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		};
	}

	private additionalData(
		hooks: ExecutionLifecycleHooks,
		parameters?: INodeParameters,
	): IWorkflowExecuteAdditionalData {
		return {
			hooks,
			credentialsHelper: this.credentials,
			...HARNESS_EXECUTION,
			currentNodeParameters: parameters,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/** Runs Start -> Ponto with the given Ponto parameters and input items. */
	async run(parameters: INodeParameters, options: RunOptions = {}): Promise<NodeRun> {
		const start: INode = {
			id: 'start',
			name: 'Start',
			type: START_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({
			id: 'test-workflow',
			nodes: [start, this.node(parameters, options.continueOnFail)],
			connections: {
				Start: { main: [[{ node: 'Ponto', type: NodeConnectionTypes.Main, index: 0 }]] },
			},
			active: false,
			nodeTypes,
		});
		const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
			id: 'test-workflow',
			name: 'test',
			nodes: [],
			connections: {},
			active: false,
		} as never);
		let finished!: (run: IRun) => void;
		const done = new Promise<IRun>((resolve) => (finished = resolve));
		hooks.addHandler('workflowExecuteAfter', (run: IRun) => finished(run));
		const input = (options.items ?? [{}]).map((json) => ({ json }));
		const runData: IRunExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: start, data: { main: [input] }, source: null }],
			},
		});
		try {
			await new WorkflowExecute(
				this.additionalData(hooks),
				'manual',
				runData,
			).processRunExecutionData(workflow);
		} catch (error) {
			// n8n refuses to start a workflow whose nodes have issues (e.g. a resource locator
			// value failing its validation), as the editor does.
			spoolVisible('harness', error);
			return { items: [], error: error as ExecutionError, run: undefined as unknown as IRun };
		}
		const run = await done;
		spoolVisible('harness', run.data.resultData);
		const task = run.data.resultData.runData.Ponto?.[0];
		return {
			items: task?.data?.main?.[0] ?? [],
			error: (task?.error ?? run.data.resultData.error) as ExecutionError | undefined,
			run,
		};
	}

	/**
	 * One poll of the Ponto Trigger through n8n-core's PollContext: `staticData` is the node's
	 * workflow static data, kept by the caller between polls as n8n keeps it.
	 */
	async poll(
		parameters: INodeParameters,
		options: {
			staticData: IDataObject;
			mode?: 'trigger' | 'manual';
			budgetMs?: number;
			/**
			 * What becomes of the run the poll hands over: stored (default); not stored (n8n 2.41's
			 * insert into execution_entity failed); or stored, then cancelled.
			 */
			outcome?: 'stored' | 'notStored' | 'cancelled';
		},
	): Promise<{ items: INodeExecutionData[]; error?: Error }> {
		const node = this.node(parameters, false, PONTO_TRIGGER_TYPE);
		const workflow = new Workflow({
			id: 'test-workflow',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
		});
		const hooks = new ExecutionLifecycleHooks('trigger', 'test-execution', {} as never);
		let emitted: INodeExecutionData[] = [];
		let settled: Promise<unknown> = Promise.resolve();
		// n8n 2.41's poll emit: the run is created, then the done promise settles (rejects when
		// the execution could not be stored).
		const emit = (
			data: INodeExecutionData[][],
			_response?: unknown,
			done?: { resolve: (run: IRun | undefined) => void; reject: (error: Error) => void },
		) => {
			emitted = data[0] ?? [];
			settled = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
				options.outcome === 'notStored'
					? done?.reject(new Error('SQLITE_CONSTRAINT: insert into execution_entity refused'))
					: options.outcome === 'cancelled'
						? done?.reject(new ManualExecutionCancelledError('test-execution'))
						: done?.resolve(undefined),
			);
		};
		const context = new PollContext(
			workflow,
			node,
			this.additionalData(hooks),
			options.mode ?? 'trigger',
			'activate',
			emit,
			undefined,
			undefined,
			undefined,
			() => options.staticData,
			() => options.budgetMs ?? 5 * 60_000,
		);
		try {
			const result = await nodeType(PONTO_TRIGGER_TYPE, 1).poll!.call(context);
			await settled;
			await new Promise<void>((resolve) => setImmediate(resolve));
			const items = result?.[0] ?? emitted;
			spoolVisible('harness', items);
			return { items };
		} catch (error) {
			spoolVisible('harness', error);
			return { items: [], error: error as Error };
		}
	}

	/**
	 * Activates version 2 of the Ponto Trigger through n8n-core's TriggerContext, with an n8n
	 * double that behaves as n8n 2.41.1 does around the trigger's emit: it saves the workflow's
	 * static data (a copy in `store.saved`) when the trigger emits and after activation, then
	 * stores the execution unless `store.failInsert` (the done promise rejects), and refuses a
	 * deduplication key it already holds (the done promise resolves without a run). With
	 * `withoutDeduplication` the emit takes three arguments and leaves the done promise of a run
	 * it failed to create unsettled, as n8n 1.x's does. A restart is a new activation from a copy of `store.saved`.
	 */
	async activateTrigger(
		parameters: INodeParameters,
		options: { staticData: IDataObject; store: TriggerStore; mode?: 'trigger' | 'manual' },
	): Promise<ActiveTrigger> {
		const { store } = options;
		const node = this.node(parameters, false, PONTO_TRIGGER_TYPE, 2);
		const workflow = new Workflow({
			id: 'test-workflow',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: { [`node:${node.name}`]: options.staticData },
		});
		const save = () => {
			// n8n stores it as JSON (and the values are its change-tracking proxies).
			store.saved = JSON.parse(JSON.stringify(options.staticData)) as IDataObject;
		};
		const settling: Array<Promise<void>> = [];
		const execute = (
			data: INodeExecutionData[][],
			done?: { resolve: (run: IRun | undefined) => void; reject: (error: Error) => void },
			key?: string,
		) => {
			save();
			const items = JSON.parse(JSON.stringify(data[0] ?? [])) as INodeExecutionData[];
			store.emits.push({ items, key, done: done !== undefined });
			spoolVisible('harness', items);
			settling.push(
				new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
					if (store.failInsert) {
						// n8n 1.x leaves the done promise of a run it failed to create unsettled.
						if (!store.withoutDeduplication)
							done?.reject(new Error('SQLITE_CONSTRAINT: insert into execution_entity refused'));
					} else if (key !== undefined && store.executions.some((run) => run.key === key)) {
						done?.resolve(undefined);
					} else {
						store.executions.push({ items, key });
						done?.resolve({} as IRun);
					}
				}),
			);
		};
		const emit = store.withoutDeduplication
			? (data: INodeExecutionData[][], _response?: unknown, done?: Parameters<typeof execute>[1]) =>
					execute(data, done)
			: (
					data: INodeExecutionData[][],
					_response?: unknown,
					done?: Parameters<typeof execute>[1],
					key?: string,
				) => execute(data, done, key);
		const ticks: Array<(at: Date) => unknown> = [];
		const context = new TriggerContext(
			workflow,
			node,
			this.additionalData(new ExecutionLifecycleHooks('trigger', 'test-execution', {} as never)),
			options.mode ?? 'trigger',
			'activate',
			emit as TriggerContext['emit'],
			undefined,
			undefined,
			{ registerCron: (_cron, onTick) => void ticks.push(onTick) },
		);
		const settle = async () => {
			while (settling.length) await settling.shift();
			await new Promise<void>((resolve) => setImmediate(resolve));
		};
		let response: ITriggerResponse | undefined;
		let error: Error | undefined;
		try {
			response = await nodeType(PONTO_TRIGGER_TYPE, 2).trigger!.call(context);
			save();
		} catch (caught) {
			error = caught as Error;
			spoolVisible('harness', error);
		}
		await settle();
		return {
			error,
			schedules: ticks.length,
			tick: async () => {
				await ticks[0]?.(new Date());
				await settle();
			},
			manual: async () => {
				await response?.manualTriggerFunction?.();
				await settle();
			},
			close: async () => {
				await response?.closeFunction?.();
			},
		};
	}

	/**
	 * The editor's credential test (POST /rest/credentials/test) as n8n's CredentialsTester runs
	 * it: the credential type's `test` request sent by n8n-core's RoutingNode from a temporary
	 * node, with the stored credential, and the same mapping of failures to the message shown.
	 */
	async testCredential(): Promise<{ status: 'OK' | 'Error'; message: string }> {
		const type = [new PontoOAuth2Api(), new PontoConnectOAuth2Api()].find(
			(candidate) => candidate.name === this.credentialType,
		)!;
		const test = (type as { test?: ICredentialTestRequest }).test!;
		const testNodeType: INodeType = {
			description: {
				displayName: 'No Operation, do nothing',
				name: 'noOp',
				group: ['organization'],
				version: 1,
				description: 'No Operation',
				defaults: { name: 'No Operation, do nothing' },
				inputs: [NodeConnectionTypes.Main],
				outputs: [NodeConnectionTypes.Main],
				credentials: [{ name: this.credentialType, required: true }],
				properties: [
					{
						displayName: 'Temp',
						name: 'temp',
						type: 'string',
						routing: { request: test.request },
						default: '',
					},
				],
			},
		};
		const node: INode = {
			id: 'temp',
			parameters: {},
			name: 'Temp-Node',
			type: 'noOp',
			typeVersion: 1,
			position: [0, 0],
			credentials: { [this.credentialType]: { id: this.credentialId, name: 'Ponto (test)' } },
		};
		const testTypes = {
			getByName: () => testNodeType,
			getByNameAndVersion: () => testNodeType,
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: testTypes,
		});
		const hooks = new ExecutionLifecycleHooks('internal', 'test-execution', {} as never);
		const additionalData = this.additionalData(hooks, node.parameters);
		const data = await this.credentials.getDecrypted(
			additionalData,
			{ id: this.credentialId, name: 'Ponto (test)' },
			this.credentialType,
			'internal',
		);
		const context = new ExecuteContext(
			workflow,
			node,
			additionalData,
			'internal',
			createRunExecutionData(),
			0,
			[],
			{ main: [[{ json: {} }]] },
			{ node, data: {}, source: null },
			[],
		);
		try {
			await new RoutingNode(context, testNodeType, {
				id: this.credentialId,
				name: 'Ponto (test)',
				type: this.credentialType,
				data,
			}).runNode();
		} catch (thrown) {
			const error = thrown as {
				message?: unknown;
				cause?: { response?: { status: number; statusText?: string }; code?: unknown };
			};
			spoolVisible('harness', error);
			const response = error.cause?.response;
			if (response)
				return {
					status: 'Error',
					message: response.statusText || `Received HTTP status code: ${response.status}`,
				};
			if (error.cause?.code) return { status: 'Error', message: String(error.cause.code) };
			return { status: 'Error', message: String(error.message) };
		}
		return { status: 'OK', message: 'Connection successful!' };
	}

	/** Calls one of the node's listSearch methods the way the editor does. */
	async listSearch(
		method: 'searchAccounts' | 'searchFinancialInstitutions',
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		const parameters: INodeParameters = {
			authentication: this.credentialType,
			resource: 'account',
			operation: 'get',
		};
		const node = this.node(parameters);
		const workflow = new Workflow({
			id: 'test-workflow',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes,
		});
		const hooks = new ExecutionLifecycleHooks('internal', 'test-execution', {} as never);
		const context = new LoadOptionsContext(
			workflow,
			node,
			this.additionalData(hooks, parameters),
			'parameters.accountId',
		);
		const search = (nodeType(PONTO_TYPE).methods?.listSearch ?? {})[method];
		const result = await search.call(context, filter, paginationToken);
		spoolVisible('harness', result);
		return result;
	}
}

/** What the n8n double of activateTrigger() saw and stored. */
export interface TriggerStore {
	/** Every emit: the items, the deduplication key and whether a done promise was passed. */
	emits: Array<{ items: INodeExecutionData[]; key?: string; done: boolean }>;
	/** The executions stored (a refused duplicate or a failed insert is not one). */
	executions: Array<{ items: INodeExecutionData[]; key?: string }>;
	/** The static data as n8n last saved it (at each emit and after activation). */
	saved?: IDataObject;
	/** Inserting an execution fails, as with n8n's database refusing the insert. */
	failInsert?: boolean;
	/** n8n 1.x: the emit takes no deduplication key. */
	withoutDeduplication?: boolean;
}

export interface ActiveTrigger {
	/** Why activation failed (the trigger function threw). */
	error?: Error;
	/** How many schedules the trigger registered. */
	schedules: number;
	/** One scheduled poll, awaited with the executions it started. */
	tick(): Promise<void>;
	/** The editor's "Fetch test event". */
	manual(): Promise<void>;
	close(): Promise<void>;
}

export const newTriggerStore = (options: Partial<TriggerStore> = {}): TriggerStore => ({
	emits: [],
	executions: [],
	...options,
});
