import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { describeValue, isPontoId } from '../helpers/validation';

/**
 * Parameter readers that validate before any request leaves: a bad value becomes a
 * NodeOperationError naming the parameter and what it held.
 */

function invalid(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/** A Ponto id from a resource locator or a plain string parameter. */
export function getPontoId(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const value = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const text = typeof value === 'string' ? value.trim() : value;
	if (!isPontoId(text)) {
		throw invalid(
			this,
			itemIndex,
			`${label}: ${describeValue(value)} is not a valid Ponto ID`,
			`Ponto IDs are UUIDs such as 8804e34f-12b0-4b70-86bf-265f013ca232. Pick the ${label.toLowerCase()} from the list or check the expression that fills it.`,
		);
	}
	return text.toLowerCase();
}

/** returnAll/limit as "how many records are wanted" (Infinity for all). */
export function getWantedCount(this: IExecuteFunctions, itemIndex: number): number {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as unknown;
	if (typeof returnAll !== 'boolean') {
		throw invalid(this, itemIndex, `Return All: ${describeValue(returnAll)} is not true or false`, 'Use true or false.');
	}
	if (returnAll) return Infinity;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw invalid(
			this,
			itemIndex,
			`Limit: ${describeValue(limit)} is not a whole number of at least 1`,
			'Set Limit to 1 or more, or turn on Return All.',
		);
	}
	return limit;
}

/**
 * A collection parameter (filters, options). n8n itself drops keys the description does not
 * declare, so only the shape needs checking (an expression can still hand over anything).
 */
export function getCollection(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): IDataObject {
	const value = this.getNodeParameter(name, itemIndex, {}) as unknown;
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw invalid(this, itemIndex, `${label}: ${describeValue(value)} is not a set of fields`, `Set ${label} in the node.`);
	}
	return value as IDataObject;
}

export function getBooleanOption(
	this: IExecuteFunctions,
	options: IDataObject,
	key: string,
	label: string,
	fallback: boolean,
	itemIndex: number,
): boolean {
	const value = options[key];
	if (value === undefined) return fallback;
	if (typeof value !== 'boolean') {
		throw invalid(this, itemIndex, `${label}: ${describeValue(value)} is not true or false`, 'Use true or false.');
	}
	return value;
}

/** The Options collection of an operation, and its Raw JSON:API Resource switch. */
export function getOutputOptions(
	this: IExecuteFunctions,
	itemIndex: number,
): { options: IDataObject; raw: boolean } {
	const options = getCollection.call(this, 'options', 'Options', itemIndex);
	const raw = getBooleanOption.call(this, options, 'rawResource', 'Raw JSON:API Resource', false, itemIndex);
	return { options, raw };
}

export { invalid as invalidParameter };
