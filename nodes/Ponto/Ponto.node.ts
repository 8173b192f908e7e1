import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import { subtitleExpression } from './actions/common.descriptions';
import { authenticationProperty, pontoCredentials } from './common/descriptions';
import {
	connectHowToNotice,
	markConnectOnly,
	markConnectOnlyResources,
} from './actions/connectOnly';
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

const operationProperties: INodeProperties[] = markConnectOnly([
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
]);

/** One Resource for both credentials: n8n's nodes panel lists the actions of the first one it meets. */
const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: markConnectOnlyResources(
		[
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
		operationProperties,
	),
	default: 'transaction',
};

export class Ponto implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ponto',
		name: 'ponto',
		icon: { light: 'file:ponto.svg', dark: 'file:ponto.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: subtitleExpression(resourceProperty, operationProperties),
		description:
			'Read bank accounts, booked and pending transactions from Ponto (Isabel Group), synchronize with the bank, build statements (CAMT.053, CODA, OFX, CSV, Odoo)',
		defaults: { name: 'Ponto' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: pontoCredentials,
		// The per-operation descriptions of the AI tool variant (issue 17): see actions/toolDescriptions.ts.
		properties: withToolDescriptions([
			authenticationProperty,
			connectHowToNotice,
			{
				displayName:
					'Ponto Connect needs n8n 2.20 or newer: older versions do not send the client certificate Ponto requires',
				name: 'connectNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['pontoConnectOAuth2Api'] } },
			},
			resourceProperty,
			...operationProperties,
		]),
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
