import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { PontoConnectOAuth2Api } from '../../credentials/PontoConnectOAuth2Api.credentials';
import { PontoOAuth2Api } from '../../credentials/PontoOAuth2Api.credentials';
import { PontoConnectTrigger } from '../../nodes/PontoConnectTrigger/PontoConnectTrigger.node.ts';
import { TestCredentialsHelper } from './credentials';
import { HARNESS_EXECUTION } from './n8n';
import type { StoredCredential } from './credentials';
import { spoolCredentialSecrets, spoolVisible } from '../support/secretSpool';

/**
 * Serves the Ponto Connect Trigger on a local HTTP port the way n8n's webhook server does:
 * the body is read into `rawBody` (and parsed into `body`), the request and an Express-like
 * response go into n8n-core's real WebhookContext, the node's webhook() runs, and the answer
 * follows n8n's rules for responseMode onReceived. Only the credential store is a test double.
 */
export const PONTO_CONNECT_TRIGGER_TYPE = 'n8n-nodes-ponto.pontoConnectTrigger';

const trigger = new PontoConnectTrigger();
const nodeTypes: INodeTypes = {
	getByName: () => trigger as INodeType,
	getByNameAndVersion: () => trigger as INodeType,
	getKnownTypes: () => ({}),
} as INodeTypes;

export interface Delivery {
	status: number;
	/** What the node returned (undefined when it threw). */
	result?: IWebhookResponseData;
	/** The items of the workflow run it started (empty: no run). */
	items: IDataObject[];
	error?: Error;
}

export interface LogLine {
	level: string;
	message: string;
	meta?: unknown;
}

let credentialCount = 0;

export class WebhookHarness {
	readonly credentials = new TestCredentialsHelper(
		[new PontoOAuth2Api(), new PontoConnectOAuth2Api()],
		nodeTypes,
	);

	readonly deliveries: Delivery[] = [];

	readonly logs: LogLine[] = [];

	/** Simulates a server that did not keep the raw body. */
	omitRawBody = false;

	/**
	 * How many of the next runs n8n fails to start: it then answers 500 as n8n 2.41 does when
	 * it cannot create the execution (a SQLite write-lock timeout under load).
	 */
	failRunStarts = 0;

	private readonly credentialId = `connect-cred-${++credentialCount}`;

	/**
	 * The workflow's static data as n8n's database holds it: loaded for every request, saved
	 * back when the request ended without error (n8n's live webhooks save it in their response
	 * callback, which a run n8n failed to start never reaches). Harnesses given the same store
	 * act as webhook instances sharing one database.
	 */
	store: { staticData: IDataObject } = { staticData: {} };

	url = '';

	private server?: http.Server;

	constructor(
		credentialData: Record<string, unknown>,
		public parameters: INodeParameters = {},
	) {
		spoolCredentialSecrets(credentialData);
		this.credentials.add({
			id: this.credentialId,
			name: 'Ponto Connect (test)',
			type: 'pontoConnectOAuth2Api',
			data: credentialData as StoredCredential['data'],
		});
	}

	get storedCredential(): StoredCredential['data'] {
		return this.credentials.store.get(this.credentialId)!.data;
	}

	/** Items of every run started so far. */
	get startedRuns(): IDataObject[][] {
		return this.deliveries.filter((d) => d.items.length > 0).map((d) => d.items);
	}

	async start(): Promise<string> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => void this.handle(req, res, Buffer.concat(chunks)));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook/test-webhook-id/ponto`;
		return this.url;
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	private node(): INode {
		return {
			id: 'connect-trigger',
			name: 'Ponto Connect Trigger',
			type: PONTO_CONNECT_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'test-webhook-id',
			parameters: structuredClone(this.parameters),
			credentials: {
				pontoConnectOAuth2Api: { id: this.credentialId, name: 'Ponto Connect (test)' },
			},
		};
	}

	private contextParts(request?: http.IncomingMessage, response?: http.ServerResponse) {
		const node = this.node();
		const staticData = structuredClone(this.store.staticData);
		const workflow = new Workflow({
			id: 'test-workflow',
			name: 'webhook test',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData,
		});
		const additionalData = {
			credentialsHelper: this.credentials,
			...HARNESS_EXECUTION,
			httpRequest: request,
			httpResponse: response,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: 'ponto',
			webhookDescription: trigger.description.webhooks![0],
			workflowId: 'test-workflow',
			workflowExecuteAdditionalData: additionalData,
			webhookId: 'test-webhook-id',
		};
		return { node, workflow, additionalData, webhookData };
	}

	/** Captures what the node logs (n8n's logger otherwise), for the secrecy checks. */
	private captureLogs(context: object): void {
		const log = (level: string) => (message: string, meta?: unknown) => {
			this.logs.push({ level, message, meta });
			spoolVisible('webhook', { level, message, meta });
		};
		Object.defineProperty(context, 'logger', {
			value: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') },
		});
	}

	/** One of webhookMethods.default, through n8n-core's HookContext (activation). */
	async lifecycle(method: 'checkExists' | 'create' | 'delete'): Promise<boolean> {
		const { node, workflow, additionalData, webhookData } = this.contextParts();
		const context = new HookContext(
			workflow,
			node,
			additionalData,
			'trigger',
			'activate',
			webhookData,
		);
		return await trigger.webhookMethods.default[method].call(context);
	}

	private async handle(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		raw: Buffer,
	): Promise<void> {
		const request = req as http.IncomingMessage & Record<string, unknown>;
		if (!this.omitRawBody) request.rawBody = raw;
		try {
			request.body = JSON.parse(raw.toString('utf8')) as unknown;
		} catch {
			request.body = {};
		}
		request.params = {};
		request.query = {};
		const response = res as http.ServerResponse & Record<string, unknown>;
		response.status = (code: number) => {
			res.statusCode = code;
			return response;
		};
		response.send = (body: unknown) => {
			if (!res.writableEnded) res.end(typeof body === 'string' ? body : JSON.stringify(body));
			return response;
		};
		const { node, workflow, additionalData, webhookData } = this.contextParts(req, res);
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		this.captureLogs(context);
		const delivery: Delivery = { status: 0, items: [] };
		this.deliveries.push(delivery);
		try {
			delivery.result = await trigger.webhook.call(context);
		} catch (error) {
			delivery.error = error as Error;
		}
		const { result } = delivery;
		spoolVisible('webhook', { result, error: delivery.error });
		if (delivery.error) {
			// n8n answers a failing webhook() without the error's details.
			if (!res.writableEnded)
				res.writeHead(500).end('Workflow Webhook Error: Workflow could not be started!');
		} else if (result?.noWebhookResponse) {
			if (!res.writableEnded) res.writeHead(599).end('the node claimed to answer but did not');
		} else if (result?.workflowData && this.failRunStarts > 0) {
			this.failRunStarts--;
			if (!res.writableEnded)
				res
					.writeHead(500, { 'content-type': 'application/json' })
					.end(JSON.stringify({ code: 0, message: 'There was a problem executing the workflow' }));
		} else if (result?.workflowData) {
			delivery.items = result.workflowData[0].map((item) => item.json);
			res
				.writeHead(200, { 'content-type': 'application/json' })
				.end(JSON.stringify({ message: 'Workflow was started' }));
		} else {
			const body = result?.webhookResponse ?? { message: 'Webhook call received' };
			res.writeHead(200).end(typeof body === 'string' ? body : JSON.stringify(body));
		}
		delivery.status = res.statusCode;
		if (!delivery.error && res.statusCode < 300) {
			const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			delete saved.__dataChanged;
			this.store.staticData = saved;
		}
	}
}
