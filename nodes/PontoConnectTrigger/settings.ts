import { NodeOperationError } from 'n8n-workflow';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { getBoolean, getCollection, readParameter } from '../Ponto/actions/parameters';
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
	const refuse = (message: string, description: string) =>
		new NodeOperationError(this.getNode(), message, { description });
	const events = readParameter(this, 'events', undefined, ALL_EVENT_TYPES);
	if (!Array.isArray(events))
		throw refuse(
			`Events: ${describeValue(events)} is not a list of events`,
			'Choose the events in the node.',
		);
	const unknown = (events as unknown[]).find(
		(type) => typeof type !== 'string' || !ALL_EVENT_TYPES.includes(type),
	);
	if (unknown !== undefined) {
		throw refuse(
			`Events: ${describeValue(unknown)} is not a Ponto Connect event`,
			`Ponto Connect sends ${ALL_EVENT_TYPES.join(', ')}.`,
		);
	}
	const emitTransactions = getBoolean.call(
		this,
		'emitTransactions',
		'Emit Transactions',
		false,
		undefined,
	);
	const issuer = getCollection.call(this, 'options', 'Options', undefined).expectedIssuer ?? '';
	if (typeof issuer !== 'string') {
		throw refuse(
			`Expected Issuer: ${describeValue(issuer)} is not text`,
			`Leave it at ${PONTO_WEBHOOK_ISSUER} unless an emulator signs with another issuer.`,
		);
	}
	return {
		events: events as string[],
		emitTransactions,
		expectedIssuer: issuer.trim() || PONTO_WEBHOOK_ISSUER,
	};
}
