import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenResource } from '../../helpers/flatten';
import { describeValue } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { invalidParameter } from '../parameters';

export function activationProperties(operation: string): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['organization'], operation: [operation] } }, [
		{
			displayName: 'Redirect URI',
			name: 'redirectUri',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://example.com/payments-activated',
			description: 'Where Ponto sends the organization once the activation is requested',
		},
	]);
}

/** POST an activation request (docs/ponto-api.md §3) and return the link the organization follows. */
export async function requestActivation(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
	path: string,
	type: string,
	what: string,
): Promise<IDataObject[]> {
	const redirectUri = this.getNodeParameter('redirectUri', itemIndex) as unknown;
	if (typeof redirectUri !== 'string' || !/^https?:\/\/\S+$/i.test(redirectUri.trim())) {
		throw invalidParameter(
			this,
			itemIndex,
			`Redirect URI: ${describeValue(redirectUri)} is not a web address`,
			'Enter an address starting with https://.',
		);
	}
	const document = await client.post(
		path,
		{ data: { type, attributes: { redirectUri: redirectUri.trim() } } },
		{ itemIndex },
	);
	const request = flattenResource(client.resourceOf(document, itemIndex));
	return [
		{
			...request,
			activationUrl: request.redirectUrl ?? null,
			nextStep: `Open activationUrl as the organization's administrator and complete the ${what} activation in Ponto (the bank may ask for an approval). Organization > Get User Info then shows it as activated.`,
		},
	];
}

export const description = activationProperties('requestPaymentActivation');

/** The link the organization follows to activate payments (needed before live payments). */
export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await requestActivation.call(
		this,
		client,
		itemIndex,
		'/payment-activation-requests',
		'paymentActivationRequest',
		'payment',
	);
}
