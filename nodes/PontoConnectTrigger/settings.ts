import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { describeValue } from '../Ponto/helpers/validation';
import { PONTO_WEBHOOK_ISSUER } from '../Ponto/helpers/webhookJwt';
import { ALL_EVENT_TYPES } from './events';

export interface TriggerSettings {
	events: string[];
	emitTransactions: boolean;
	expectedIssuer: string;
}

/**
 * The trigger's parameters, checked when the workflow is activated (so a bad value stops the
 * activation with a message naming it) and again on each delivery, before any request.
 */
export function readTriggerSettings(this: IHookFunctions | IWebhookFunctions): TriggerSettings {
	const refuse = (message: string, description: string) => new NodeOperationError(this.getNode(), message, { description });
	const events = this.getNodeParameter('events', ALL_EVENT_TYPES) as unknown;
	if (!Array.isArray(events)) throw refuse(`Events: ${describeValue(events)} is not a list of events`, 'Choose the events in the node.');
	const unknown = (events as unknown[]).find((type) => typeof type !== 'string' || !ALL_EVENT_TYPES.includes(type));
	if (unknown !== undefined) {
		throw refuse(`Events: ${describeValue(unknown)} is not a Ponto Connect event`, `Ponto Connect sends ${ALL_EVENT_TYPES.join(', ')}.`);
	}
	const emitTransactions = this.getNodeParameter('emitTransactions', false) as unknown;
	if (typeof emitTransactions !== 'boolean') {
		throw refuse(`Emit Transactions: ${describeValue(emitTransactions)} is not true or false`, 'Use true or false.');
	}
	const issuer = (this.getNodeParameter('options', {}) as IDataObject).expectedIssuer ?? '';
	if (typeof issuer !== 'string') {
		throw refuse(`Expected Issuer: ${describeValue(issuer)} is not text`, `Leave it at ${PONTO_WEBHOOK_ISSUER} unless an emulator signs with another issuer.`);
	}
	return { events: events as string[], emitTransactions, expectedIssuer: issuer.trim() || PONTO_WEBHOOK_ISSUER };
}
