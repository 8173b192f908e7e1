import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IGetNodeParameterOptions,
	IHookFunctions,
	INodeProperties,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { DateBound } from '../helpers/dates';
import {
	describeValue,
	isPontoId,
	isWholeNumberIn,
	MAX_LIMIT,
	readDate,
} from '../helpers/validation';

/**
 * Parameter readers that validate before any request leaves: a bad value becomes a
 * NodeOperationError naming the parameter and what it held. The Ponto node reads them per item;
 * the triggers (no items) pass `undefined` as the item index.
 */

/** Where parameters come from: the node's execution (per item) or a trigger's poll or webhook. */
export type ParameterContext =
	IExecuteFunctions | IPollFunctions | ITriggerFunctions | IHookFunctions | IWebhookFunctions;

function isExecution(context: ParameterContext): context is IExecuteFunctions {
	return 'getInputData' in context;
}

/** A raw parameter value, whichever context reads it. */
export function readParameter(
	context: ParameterContext,
	name: string,
	itemIndex: number | undefined,
	fallback: unknown,
	options?: IGetNodeParameterOptions,
): unknown {
	if (isExecution(context))
		return context.getNodeParameter(name, itemIndex ?? 0, fallback, options);
	return context.getNodeParameter(name, fallback, options);
}

function invalid(
	context: ParameterContext,
	itemIndex: number | undefined,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/** A Ponto id from a resource locator or a plain string parameter. */
export function getPontoId(
	this: ParameterContext,
	name: string,
	label: string,
	itemIndex: number | undefined,
): string {
	const value = readParameter(this, name, itemIndex, '', { extractValue: true });
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
	if (getBoolean.call(this, 'returnAll', 'Return All', false, itemIndex)) return Infinity;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw invalid(
			this,
			itemIndex,
			`Limit: ${describeValue(limit)} is not a whole number of at least 1`,
			'Set Limit to 1 or more, or turn on Return All.',
		);
	}
	if (limit > MAX_LIMIT) {
		throw invalid(
			this,
			itemIndex,
			`Limit: ${describeValue(limit)} is more than ${MAX_LIMIT}`,
			'Turn on Return All to get every record.',
		);
	}
	return limit;
}

/**
 * A collection parameter (filters, options). n8n itself drops keys the description does not
 * declare, so only the shape needs checking (an expression can still hand over anything).
 */
export function getCollection(
	this: ParameterContext,
	name: string,
	label: string,
	itemIndex: number | undefined,
): IDataObject {
	const value = readParameter(this, name, itemIndex, {});
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw invalid(
			this,
			itemIndex,
			`${label}: ${describeValue(value)} is not a set of fields`,
			`Set ${label} in the node.`,
		);
	}
	return value as IDataObject;
}

export function getBooleanOption(
	this: ParameterContext,
	options: IDataObject,
	key: string,
	label: string,
	fallback: boolean,
	itemIndex: number | undefined,
): boolean {
	const value = options[key];
	if (value === undefined) return fallback;
	if (typeof value !== 'boolean') {
		throw invalid(
			this,
			itemIndex,
			`${label}: ${describeValue(value)} is not true or false`,
			'Use true or false.',
		);
	}
	return value;
}

/** The Options collection of an operation, and its Raw JSON:API Resource switch. */
export function getOutputOptions(
	this: IExecuteFunctions,
	itemIndex: number,
): { options: IDataObject; raw: boolean } {
	const options = getCollection.call(this, 'options', 'Options', itemIndex);
	const raw = getBooleanOption.call(
		this,
		options,
		'rawResource',
		'Raw JSON:API Resource',
		false,
		itemIndex,
	);
	return { options, raw };
}

/** A boolean parameter. */
export function getBoolean(
	this: ParameterContext,
	name: string,
	label: string,
	fallback: boolean,
	itemIndex: number | undefined,
): boolean {
	return getBooleanOption.call(
		this,
		{ [name]: readParameter(this, name, itemIndex, fallback) as IDataObject[string] },
		name,
		label,
		fallback,
		itemIndex,
	);
}

/** A list parameter (multiOptions, an expression): one value from an expression is a list of one. */
export function getList(
	this: ParameterContext,
	name: string,
	itemIndex: number | undefined,
): unknown[] {
	const value = readParameter(this, name, itemIndex, []);
	return Array.isArray(value) ? (value as unknown[]) : [value];
}

/** A text parameter; a required one must not be blank. */
export function getText(
	this: ParameterContext,
	name: string,
	label: string,
	itemIndex: number | undefined,
	required = false,
): string {
	const value = readParameter(this, name, itemIndex, '');
	if (typeof value !== 'string')
		throw invalid(
			this,
			itemIndex,
			`${label}: ${describeValue(value)} is not text`,
			`Enter ${label} as text, or convert the expression's result with .toString().`,
		);
	if (required && value.trim() === '')
		throw invalid(this, itemIndex, `${label} is empty`, `${label} is required.`);
	return value;
}

/** An options parameter, checked against the values its own description offers. */
export function getOption(
	this: ParameterContext,
	property: INodeProperties,
	itemIndex: number | undefined,
): string {
	const value = readParameter(this, property.name, itemIndex, property.default);
	const allowed = ((property.options ?? []) as Array<{ value: unknown }>).map(
		(option) => option.value,
	);
	if (typeof value !== 'string' || !allowed.includes(value)) {
		throw invalid(
			this,
			itemIndex,
			`${property.displayName}: ${describeValue(value)} is not one of the choices`,
			`Use one of ${allowed.join(', ')}.`,
		);
	}
	return value;
}

/** A number parameter, a whole number within its description's minValue and maxValue. */
export function checkWholeNumber(
	this: ParameterContext,
	property: INodeProperties,
	value: unknown,
	itemIndex: number | undefined,
): number {
	const { minValue = 0, maxValue = Number.MAX_SAFE_INTEGER } = property.typeOptions ?? {};
	if (!isWholeNumberIn(value, minValue, maxValue)) {
		throw invalid(
			this,
			itemIndex,
			`${property.displayName}: ${describeValue(value)} is not a whole number from ${minValue} to ${maxValue}`,
			property.description ?? `Use a whole number from ${minValue} to ${maxValue}.`,
		);
	}
	return value;
}

/** A dateTime value as an instant; see readDate for what is refused. */
export function checkDate(
	this: ParameterContext,
	value: unknown,
	label: string,
	bound: DateBound,
	itemIndex: number | undefined,
): number {
	const date = readDate(value, bound);
	if ('problem' in date) {
		throw invalid(
			this,
			itemIndex,
			`${label}: ${describeValue(value)} ${date.problem}`,
			'Use an ISO date such as 2024-01-31 or 2024-01-31T00:00:00Z, or a date expression such as {{ $now.minus({ days: 7 }) }}.',
		);
	}
	return date.at;
}

export { invalid as invalidParameter };
