import { deepCopy, NodeHelpers } from 'n8n-workflow';
import type {
	INode,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

import { TOOL_DESCRIPTIONS } from '../../../nodes/Ponto/actions/toolDescriptions';
import { TOOL_MAX_RECORDS } from '../../../nodes/Ponto/actions/toolUse';
import { Ponto } from '../../../nodes/Ponto/Ponto.node.ts';

/**
 * The tool variant as n8n 2.x derives it from `usableAsTool` (its name gets "Tool"; n8n adds
 * its own description fields only to a node without `toolDescription`), and the parameter
 * values n8n computes for a node with n8n-workflow's own NodeHelpers, as a workflow run does.
 */
const normal = new Ponto().description;
const tool: INodeTypeDescription = { ...deepCopy(normal), name: `${normal.name}Tool` };

function resolved(description: INodeTypeDescription, parameters: INodeParameters): INodeParameters {
	const node: INode = {
		id: 'n',
		name: 'Ponto',
		type: `n8n-nodes-ponto.${description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	return (
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {}
	);
}

/** Every resource and operation the node offers, from its own operation properties. */
function operations(): Array<{ resource: string; operation: string; authentication: string }> {
	const found = new Map<string, { resource: string; operation: string; authentication: string }>();
	for (const property of normal.properties as INodeProperties[]) {
		if (property.name !== 'operation') continue;
		const show = property.displayOptions?.show ?? {};
		const authentication = ((show.authentication as string[] | undefined) ?? [
			'pontoConnectOAuth2Api',
		])[0];
		for (const resource of (show.resource as string[]) ?? []) {
			for (const option of property.options as INodePropertyOptions[]) {
				const operation = String(option.value);
				found.set(`${resource}:${operation}`, { resource, operation, authentication });
			}
		}
	}
	return [...found.values()];
}

describe('tool descriptions', () => {
	test('n8n finds its own toolDescription property, so it adds no generic one', () => {
		expect(tool.properties.some((property) => property.name === 'toolDescription')).toBe(true);
		expect(tool.properties.some((property) => property.name === 'descriptionType')).toBe(false);
	});

	test.each(operations())(
		'$resource > $operation: the agent text in the tool variant, nothing in the normal node',
		({ resource, operation, authentication }) => {
			const parameters = { authentication, resource, operation };
			const description = resolved(tool, parameters).toolDescription;
			expect(typeof description).toBe('string');
			expect((description as string).length).toBeGreaterThan(40);
			if (TOOL_DESCRIPTIONS[`${resource}:${operation}`])
				expect(description).toBe(TOOL_DESCRIPTIONS[`${resource}:${operation}`]);
			expect(resolved(normal, parameters)).not.toHaveProperty('toolDescription');
		},
	);

	test('every text of the table belongs to an operation the node has', () => {
		const known = new Set(
			operations().map(({ resource, operation }) => `${resource}:${operation}`),
		);
		expect(Object.keys(TOOL_DESCRIPTIONS).filter((key) => !known.has(key))).toEqual([]);
	});

	test('what the user writes is kept; the default follows the operation otherwise', () => {
		const parameters = {
			resource: 'transaction',
			operation: 'getAll',
			toolDescription: 'My own words',
		};
		expect(resolved(tool, parameters).toolDescription).toBe('My own words');
		expect(resolved(tool, { resource: 'account', operation: 'getAll' }).toolDescription).toBe(
			TOOL_DESCRIPTIONS['account:getAll'],
		);
	});

	test('the transaction text says the order, the id to pass and where from, the sign, the dates and the cap', () => {
		const text = TOOL_DESCRIPTIONS['transaction:getAll'];
		for (const phrase of [
			'newest first',
			'use an id returned by Get many accounts',
			'negative = money going out',
			'ISO dates',
			`at most ${TOOL_MAX_RECORDS}`,
		]) {
			expect(text).toContain(phrase);
		}
	});
});

describe('Simplify default', () => {
	test.each(['transaction', 'pendingTransaction', 'account', 'financialInstitution'])(
		'%s > Get Many: on in the tool variant, off in the node',
		(resource) => {
			const parameters = { resource, operation: 'getAll' };
			expect(resolved(tool, parameters).simplify).toBe(true);
			expect(resolved(normal, parameters).simplify).toBe(false);
			expect(resolved(tool, { ...parameters, simplify: false }).simplify).toBe(false);
		},
	);

	test('only the list operations have it', () => {
		expect(resolved(tool, { resource: 'transaction', operation: 'get' })).not.toHaveProperty(
			'simplify',
		);
	});
});
