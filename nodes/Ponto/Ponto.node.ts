import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import { authenticationProperty, pontoCredentials } from './actions/common.descriptions';
import * as financialInstitution from './actions/financialInstitution/FinancialInstitution.resource';
import * as organization from './actions/organization/Organization.resource';
import * as pendingTransaction from './actions/pendingTransaction/PendingTransaction.resource';
import { router } from './actions/router';
import { withToolDescriptions } from './actions/toolDescriptions';
import * as sandbox from './actions/sandbox/Sandbox.resource';
import * as statement from './actions/statement/Statement.resource';
import * as synchronization from './actions/synchronization/Synchronization.resource';
import * as transaction from './actions/transaction/Transaction.resource';
import { listSearch } from './methods';
// Payments (Ponto Connect only).
import * as bulkPayment from './actions/bulkPayment/BulkPayment.resource';
import * as payment from './actions/payment/Payment.resource';
import * as paymentRequest from './actions/paymentRequest/PaymentRequest.resource';

export class Ponto implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ponto',
		name: 'ponto',
		icon: { light: 'file:ponto.svg', dark: 'file:ponto.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read banks, accounts, booked and pending transactions from Ponto (Isabel Group) and ask it to synchronize with the bank',
		defaults: { name: 'Ponto' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: pontoCredentials,
		// The per-operation descriptions of the AI tool variant (issue 17): see actions/toolDescriptions.ts.
		properties: withToolDescriptions([
			authenticationProperty,
			{
				displayName:
					'Ponto Connect needs n8n 2.20 or newer: older versions do not send the client certificate Ponto requires',
				name: 'connectNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['pontoConnectOAuth2Api'] } },
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { authentication: ['pontoOAuth2Api'] } },
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Financial Institution', value: 'financialInstitution' },
					{ name: 'Pending Transaction', value: 'pendingTransaction' },
					{ name: 'Statement', value: 'statement' },
					{ name: 'Synchronization', value: 'synchronization' },
					{ name: 'Transaction', value: 'transaction' },
				],
				default: 'transaction',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { authentication: ['pontoConnectOAuth2Api'] } },
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Bulk Payment', value: 'bulkPayment' },
					{ name: 'Financial Institution', value: 'financialInstitution' },
					{ name: 'Organization', value: 'organization' },
					{ name: 'Payment', value: 'payment' },
					{ name: 'Payment Request', value: 'paymentRequest' },
					{ name: 'Pending Transaction', value: 'pendingTransaction' },
					{ name: 'Sandbox', value: 'sandbox' },
					{ name: 'Statement', value: 'statement' },
					{ name: 'Synchronization', value: 'synchronization' },
					{ name: 'Transaction', value: 'transaction' },
				],
				default: 'transaction',
			},
			...account.description,
			...financialInstitution.description,
			...organization.description,
			...pendingTransaction.description,
			...sandbox.description,
			...statement.description,
			...synchronization.description,
			...transaction.description,
			// Payments (Ponto Connect only).
			...payment.description,
			...bulkPayment.description,
			...paymentRequest.description,
		]),
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
