import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { authenticationProperty } from '../common/descriptions';

export const CONNECT_CREDENTIAL = 'pontoConnectOAuth2Api';

/**
 * The one place that says which operations Ponto offers only to Ponto Connect apps (linking an
 * organization, revoking or re-approving an account, sandbox transactions). The node shows them
 * with both credentials, so the nodes panel lists every operation once, and refuses them at run
 * time, before any request, without the Ponto Connect credential.
 */
export const CONNECT_ONLY_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
	account: ['requestReauthorization', 'revoke'],
	bulkPayment: ['create', 'delete', 'get'],
	organization: [
		'getAuthorizationLink',
		'getUserInfo',
		'requestPaymentActivation',
		'requestPaymentRequestActivation',
	],
	payment: ['create', 'delete', 'get'],
	paymentRequest: ['create', 'delete', 'get'],
	sandbox: ['createTransaction'],
};

export function isConnectOnly(resource: string, operation: string): boolean {
	return CONNECT_ONLY_OPERATIONS[resource]?.includes(operation) ?? false;
}

/** Resources all of whose operations are Connect-only. */
function isConnectOnlyResource(resource: string, operations: INodePropertyOptions[]): boolean {
	return (
		operations.length > 0 &&
		operations.every((option) => isConnectOnly(resource, String(option.value)))
	);
}

const connectOptionName = (authenticationProperty.options as INodePropertyOptions[]).find(
	(option) => option.value === CONNECT_CREDENTIAL,
)!.name;

/**
 * How a user gets to the Ponto Connect credential in the editor: n8n 2.x shows no
 * Authentication field in the node, only a type selector in the new-credential dialog.
 */
export const HOW_TO_PICK_CONNECT = `In Credential, pick a Ponto Connect credential, or choose Create new credential and switch the selector at the top right of the dialog to ${connectOptionName} (n8n 1.x: set Authentication to Ponto Connect).`;

/** Shown with the custom-integration credential: the way to Ponto Connect. */
export const connectHowToNotice: INodeProperties = {
	displayName: `Ponto Connect is for apps that link other organizations' bank accounts (the customer approves a link; payments, revoke, reauthorization, sandbox). ${HOW_TO_PICK_CONNECT}`,
	name: 'connectHowTo',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['pontoOAuth2Api'] } },
};

const CONNECT_ONLY_MARK = 'Ponto Connect only. ';

/**
 * The node's properties with the Connect-only operations marked in their descriptions (the
 * nodes panel shows them), and one notice per Connect-only group, shown with the
 * custom-integration credential.
 */
export function markConnectOnly(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property): INodeProperties[] => {
		const resources = property.displayOptions?.show?.resource;
		if (property.name !== 'operation' || resources?.length !== 1) return [property];
		const resource = String(resources[0]);
		const connectOnly = CONNECT_ONLY_OPERATIONS[resource];
		if (!connectOnly) return [property];
		const options = (property.options as INodePropertyOptions[]).map((option) =>
			isConnectOnly(resource, String(option.value))
				? { ...option, description: CONNECT_ONLY_MARK + (option.description ?? '') }
				: option,
		);
		const notice: INodeProperties = {
			displayName:
				'This operation needs the Ponto Connect credential: Ponto offers it only to Ponto Connect apps (how to pick it: see above).',
			name: `${resource}ConnectOnlyNotice`,
			type: 'notice',
			default: '',
			displayOptions: {
				show: {
					authentication: ['pontoOAuth2Api'],
					resource: [resource],
					operation: [...connectOnly],
				},
			},
		};
		return [{ ...property, options }, notice];
	});
}

/** The resource options with the resources whose operations are all Connect-only marked. */
export function markConnectOnlyResources(
	options: INodePropertyOptions[],
	properties: INodeProperties[],
): INodePropertyOptions[] {
	return options.map((option) => {
		const resource = String(option.value);
		const operationProperty = properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(resource),
		);
		const operations = (operationProperty?.options ?? []) as INodePropertyOptions[];
		return isConnectOnlyResource(resource, operations)
			? { ...option, description: 'Ponto Connect only' }
			: option;
	});
}
