import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { PontoClient } from '../../transport';

/**
 * Payments exist only in Ponto Connect (a custom integration has no payment scope): refused
 * before any request, whatever the router checks first.
 */
export function requireConnect(context: IExecuteFunctions, client: PontoClient, what: string, itemIndex: number): void {
	if (client.isConnect) return;
	throw new NodeOperationError(context.getNode(), `${what} needs the Ponto Connect credential`, {
		itemIndex,
		description: 'Ponto offers payments only to Ponto Connect apps (a custom integration has no payment scope). Set Authentication to Ponto Connect.',
	});
}
