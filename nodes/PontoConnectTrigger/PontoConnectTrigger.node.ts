import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { PONTO_WEBHOOK_ISSUER } from '../Ponto/helpers/webhookJwt';
import { ALL_EVENT_TYPES, EVENT_OPTIONS } from './events';
import { receiveWebhook } from './receive';
import { readTriggerSettings } from './settings';

export class PontoConnectTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ponto Connect Webhook Trigger',
		name: 'pontoConnectTrigger',
		icon: { light: 'file:../Ponto/ponto.svg', dark: 'file:../Ponto/ponto.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["emitTransactions"] ? "Events, transactions emitted" : "Events" }}',
		description:
			'Starts the workflow on each webhook event Ponto Connect sends (new or changed transactions, accounts added or revoked, synchronizations), signature checked',
		defaults: { name: 'Ponto Connect Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pontoConnectOAuth2Api', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'ponto' }],
		properties: [
			{
				displayName:
					"Ponto webhooks are configured in the Ponto developer portal, not through the API: copy this trigger's Production URL there and choose the events; n8n shows the URL above. The credential's Application ID must be set: every event is checked against it.",
				name: 'portalNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_OPTIONS,
				default: [...ALL_EVENT_TYPES],
				description: 'The events that start the workflow; others are acknowledged and ignored',
			},
			{
				displayName: 'Emit Transactions',
				name: 'emitTransactions',
				type: 'boolean',
				default: false,
				description:
					'Whether to emit the transactions themselves instead of the event: for the (pending) transactions created or updated events, the transactions of the synchronization are fetched and emitted one item each',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Expected Issuer',
						name: 'expectedIssuer',
						type: 'string',
						default: PONTO_WEBHOOK_ISSUER,
						description:
							'The iss claim Ponto signs with. Change only for a Ponto emulator that signs with another issuer.',
					},
				],
			},
		],
	};

	// Ponto webhooks are registered per application in the Ponto developer portal; Ponto has no
	// API to create, list or delete them. So there is nothing to check, create or delete here:
	// each method says so by returning true. checkExists only checks the parameters.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Bad parameters stop the activation here, with a message naming them.
				readTriggerSettings.call(this);
				// Reported as existing so n8n does not expect create() to register anything.
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				// The user pastes the Production URL into the developer portal (see the notice).
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// The subscription lives in the portal; the user removes it there if wanted.
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook.call(this);
	}
}
