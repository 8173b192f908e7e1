import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';

import { describeValue } from '../helpers/validation';
import { getWantedCount, invalidParameter } from './parameters';

/**
 * The Ponto node as an AI agent's tool (n8n's `pontoTool` variant, from `usableAsTool`, under an
 * AI Agent or an MCP Server Trigger): results capped, simplified by default, and errors that
 * tell the agent which call to make next. In the normal node none of this changes anything.
 */

/** The most records one tool call returns: beyond it an agent's context fills with data. */
export const TOOL_MAX_RECORDS = 100;

/**
 * Whether this run is a tool call. n8n 2.x says so (isToolExecution); n8n 1.x runs the tool
 * variant, whose type name ends in "Tool", without that method.
 */
export function isToolUse(context: IExecuteFunctions): boolean {
	const probe = (context as Partial<Pick<IExecuteFunctions, 'isToolExecution'>>).isToolExecution;
	if (typeof probe === 'function') return probe.call(context) === true;
	return context.getNode().type.endsWith('Tool');
}

/**
 * n8n's Simplify switch: on by default in the tool variant (`@tool`), off in the normal node so
 * saved workflows keep their output. Shown above Options like n8n's own nodes.
 */
export const simplifyProperties: INodeProperties[] = [
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: { show: { '@tool': [false] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: { show: { '@tool': [true] } },
	},
];

/** The Simplify switch as set, or its default for where the node runs. */
export function getSimplify(this: IExecuteFunctions, itemIndex: number, tool: boolean): boolean {
	const value = this.getNodeParameter('simplify', itemIndex, tool) as unknown;
	if (typeof value !== 'boolean') {
		throw invalidParameter(
			this,
			itemIndex,
			`Simplify: ${describeValue(value)} is not true or false`,
			'Use true or false.',
		);
	}
	return value;
}

export interface Wanted {
	/** How many records to read (one more than the cap when Return All runs as a tool). */
	wanted: number;
	/** Return All as a tool: more than TOOL_MAX_RECORDS found is an error, not a cut. */
	capped: boolean;
}

/**
 * returnAll/limit. As a tool, a limit above TOOL_MAX_RECORDS is refused before any request, and
 * Return All reads at most one record more than the cap, to tell "all" from "too many".
 */
export function getWantedRecords(
	this: IExecuteFunctions,
	itemIndex: number,
	tool: boolean,
	narrow: string,
): Wanted {
	if (!tool) return { wanted: getWantedCount.call(this, itemIndex), capped: false };
	if (this.getNodeParameter('returnAll', itemIndex, false) === true)
		return { wanted: TOOL_MAX_RECORDS + 1, capped: true };
	const limit = this.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw invalidParameter(
			this,
			itemIndex,
			`Limit: ${describeValue(limit)} is not a whole number from 1 to ${TOOL_MAX_RECORDS}`,
			`Call again with a limit from 1 to ${TOOL_MAX_RECORDS}.`,
		);
	}
	if (limit > TOOL_MAX_RECORDS) {
		throw invalidParameter(
			this,
			itemIndex,
			`Limit: ${limit} is more than the ${TOOL_MAX_RECORDS} records one tool call returns`,
			`Ask for a smaller window: ${narrow}, or a limit of at most ${TOOL_MAX_RECORDS}.`,
		);
	}
	return { wanted: limit, capped: false };
}

/** The records of a capped read, or the error that asks for a smaller window. */
export function withinCap(
	this: IExecuteFunctions,
	itemIndex: number,
	records: IDataObject[],
	what: string,
	narrow: string,
): IDataObject[] {
	if (records.length <= TOOL_MAX_RECORDS) return records;
	throw invalidParameter(
		this,
		itemIndex,
		`More than ${TOOL_MAX_RECORDS} ${what} match, more than one tool call returns`,
		`Ask for a smaller window: ${narrow}.`,
	);
}

/** What an agent should do about a parameter, by the label that starts its error message. */
export interface AgentAdvice {
	/** Error message prefix (a parameter label such as "Account") to the call to make instead. */
	parameters: Record<string, string>;
	/** For "not found" answers of Ponto (HTTP 404) about the resource in the path. */
	notFound?: string;
}

/** An error as the agent should read it: the same error, or one whose description names the next call. */
function forAgent(
	context: IExecuteFunctions,
	itemIndex: number,
	error: unknown,
	advice: AgentAdvice,
): NodeApiError | NodeOperationError {
	const node = context.getNode();
	if (error instanceof NodeApiError) {
		if (error.httpCode === '404' && advice.notFound) {
			return new NodeOperationError(node, error.message, {
				itemIndex,
				description: advice.notFound,
			});
		}
		return new NodeApiError(node, error as unknown as JsonObject);
	}
	if (error instanceof NodeOperationError) {
		const label = Object.keys(advice.parameters).find((prefix) => error.message.startsWith(prefix));
		if (label !== undefined)
			return new NodeOperationError(node, error.message, {
				itemIndex,
				description: advice.parameters[label],
			});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * Runs an operation; as a tool, rewrites its parameter errors and Ponto's "not found" into
 * errors whose description names the next call (n8n hands "message\n\nDetails: description"
 * to the agent). In the normal node errors pass unchanged, in the editor's wording.
 */
export async function withAgentAdvice<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	tool: boolean,
	advice: AgentAdvice,
	run: () => Promise<T>,
): Promise<T> {
	if (!tool) return await run();
	try {
		return await run();
	} catch (error) {
		throw forAgent(context, itemIndex, error, advice);
	}
}

/** Advice shared by the operations that read one account's transactions. */
export const ACCOUNT_ID_ADVICE =
	'Pass the id of an account returned by the Get many accounts tool (Ponto Account > Get Many), a UUID such as 8804e34f-12b0-4b70-86bf-265f013ca232.';
export const ACCOUNT_NOT_FOUND_ADVICE =
	'No account with this id is shared with the integration. Call Get many accounts (Ponto Account > Get Many) and use one of the ids it returns.';
export const DATE_ADVICE =
	'Pass since and until as ISO dates such as 2026-01-31 (UTC) or date-times such as 2026-01-31T12:00:00Z, since not after until; an empty string leaves that end of the window open.';
