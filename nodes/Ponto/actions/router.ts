import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import type { PontoCredentialType } from '../helpers/interfaces';
import { describeValue, isWholeNumberIn } from '../helpers/validation';
import { PontoClient } from '../transport';
import { CONNECT_CREDENTIAL, HOW_TO_PICK_CONNECT, isConnectOnly } from './connectOnly';
import { ConcurrencyLimit, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, runInOrder } from './concurrency';
import * as account from './account/Account.resource';
import * as financialInstitution from './financialInstitution/FinancialInstitution.resource';
import * as organization from './organization/Organization.resource';
import * as pendingTransaction from './pendingTransaction/PendingTransaction.resource';
import * as sandbox from './sandbox/Sandbox.resource';
import * as statement from './statement/Statement.resource';
import * as synchronization from './synchronization/Synchronization.resource';
import * as transaction from './transaction/Transaction.resource';
// Payments (Ponto Connect only).
import * as bulkPayment from './bulkPayment/BulkPayment.resource';
import * as payment from './payment/Payment.resource';
import * as paymentRequest from './paymentRequest/PaymentRequest.resource';

type OperationExecute = (
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
) => Promise<IDataObject[]>;

/** Operations that return whole items (JSON with binary files) rather than records. */
type ItemsExecute = (
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
) => Promise<INodeExecutionData[]>;

const itemOperations: Record<string, Record<string, ItemsExecute>> = {
	statement: { create: statement.create.execute },
};

/** Operations that take every input item at once (one request for all of them). */
type BatchExecute = (this: IExecuteFunctions, client: PontoClient) => Promise<INodeExecutionData[]>;

const batchOperations: Record<string, Record<string, BatchExecute>> = {
	bulkPayment: { create: bulkPayment.create.executeAll },
};

const operations: Record<string, Record<string, OperationExecute>> = {
	account: {
		get: account.get.execute,
		getAll: account.getAll.execute,
		requestReauthorization: account.requestReauthorization.execute,
		revoke: account.revoke.execute,
	},
	financialInstitution: {
		get: financialInstitution.get.execute,
		getAll: financialInstitution.getAll.execute,
	},
	organization: {
		getAuthorizationLink: organization.getAuthorizationLink.execute,
		getUserInfo: organization.getUserInfo.execute,
		requestPaymentActivation: organization.requestPaymentActivation.execute,
		requestPaymentRequestActivation: organization.requestPaymentRequestActivation.execute,
	},
	pendingTransaction: {
		get: pendingTransaction.get.execute,
		getAll: pendingTransaction.getAll.execute,
	},
	sandbox: { createTransaction: sandbox.createTransaction.execute },
	synchronization: { create: synchronization.create.execute, get: synchronization.get.execute },
	transaction: {
		get: transaction.get.execute,
		getAll: transaction.getAll.execute,
		getUpdated: transaction.getUpdated.execute,
	},
	// Payments (Ponto Connect only).
	payment: {
		create: payment.create.execute,
		get: payment.get.execute,
		delete: payment.delete.execute,
	},
	bulkPayment: { get: bulkPayment.get.execute, delete: bulkPayment.delete.execute },
	paymentRequest: {
		create: paymentRequest.create.execute,
		get: paymentRequest.get.execute,
		delete: paymentRequest.delete.execute,
	},
};

const CREDENTIAL_TYPES: readonly PontoCredentialType[] = [
	'pontoOAuth2Api',
	'pontoConnectOAuth2Api',
];

/** A node error as n8n shows it; both constructors hand back an error of their own class unchanged. */
function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError)
		return new NodeApiError(context.getNode(), error as unknown as JsonObject);
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function invalidRouting(
	context: IExecuteFunctions,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { description });
}

/** "requestReauthorization" > "Request Reauthorization": the Connect-only names as the node shows them. */
function words(value: string): string {
	return value.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase());
}

function connectOnly(
	context: IExecuteFunctions,
	resource: string,
	operation: string,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`${words(resource)} > ${words(operation)} needs the Ponto Connect credential`,
		{
			description: `Ponto offers this only to Ponto Connect apps. ${HOW_TO_PICK_CONNECT}`,
		},
	);
}

/** A batch operation: all items in, its own items out; with Continue On Fail one error item. */
async function runBatch(
	context: IExecuteFunctions,
	client: PontoClient,
	execute: BatchExecute,
): Promise<INodeExecutionData[]> {
	try {
		return await execute.call(context, client);
	} catch (error) {
		if (!context.continueOnFail()) throw asNodeError(context, error, 0);
		const failure: IDataObject = { error: (error as Error).message };
		const description = (error as { description?: unknown }).description;
		if (typeof description === 'string' && description) failure.description = description;
		return [{ json: failure, pairedItem: context.getInputData().map((_item, item) => ({ item })) }];
	}
}

/**
 * Dispatches every input item to its operation, a few items at a time (Items in Parallel).
 * Each item yields one output item per record, paired with the input item, in input order;
 * with Continue On Fail a failing item yields its error and the others go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const authentication = this.getNodeParameter(
		'authentication',
		0,
		'pontoOAuth2Api',
	) as PontoCredentialType;
	if (!CREDENTIAL_TYPES.includes(authentication)) {
		throw invalidRouting(
			this,
			`Authentication: ${describeValue(authentication)} is not a Ponto credential type`,
			'Choose Ponto Custom Integration or Ponto Connect in the node.',
		);
	}
	const resource = this.getNodeParameter('resource', 0) as string;
	if (!operations[resource] && !itemOperations[resource] && !batchOperations[resource]) {
		throw invalidRouting(
			this,
			`Resource: ${describeValue(resource)} is not a resource of the Ponto node`,
			'Choose the resource again in the node.',
		);
	}
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	const executeItems = itemOperations[resource]?.[operation];
	const executeBatch = batchOperations[resource]?.[operation];
	if (!execute && !executeItems && !executeBatch) {
		throw invalidRouting(
			this,
			`Operation: ${describeValue(operation)} is not supported for resource "${resource}"`,
			'Choose the operation again in the node.',
		);
	}
	if (isConnectOnly(resource, operation) && authentication !== CONNECT_CREDENTIAL)
		throw connectOnly(this, resource, operation);
	const requested = this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY) as unknown;
	if (!isWholeNumberIn(requested, 1, MAX_CONCURRENCY)) {
		throw invalidRouting(
			this,
			`Items in Parallel: ${describeValue(requested)} is not a whole number from 1 to ${MAX_CONCURRENCY}`,
			`Process up to ${MAX_CONCURRENCY} items at a time; ${DEFAULT_CONCURRENCY} suits most workflows.`,
		);
	}
	const limit = new ConcurrencyLimit(requested);
	const client = await PontoClient.create(this, authentication, {
		onRateLimited: () => limit.lower(),
	});
	if (executeBatch) return [await runBatch(this, client, executeBatch)];

	const outcomes = await runInOrder(
		items.length,
		limit,
		async (itemIndex): Promise<INodeExecutionData[]> => {
			try {
				if (executeItems) return await executeItems.call(this, client, itemIndex);
				return (await execute!.call(this, client, itemIndex)).map((json) => ({ json }));
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
				const failure: IDataObject = { error: (error as Error).message };
				const description = (error as { description?: unknown }).description;
				if (typeof description === 'string' && description) failure.description = description;
				return [{ json: failure }];
			}
		},
	);

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < outcomes.length; itemIndex++) {
		const outcome = outcomes[itemIndex];
		if ('error' in outcome) throw outcome.error;
		for (const item of outcome.value) returnData.push({ ...item, pairedItem: { item: itemIndex } });
	}
	return [returnData];
}
