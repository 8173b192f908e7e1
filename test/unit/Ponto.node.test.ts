import { Workflow } from 'n8n-workflow';
import type {
	INode,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
	INodeTypes,
} from 'n8n-workflow';

// tsx/jest resolve `X.node` to the codex X.node.json first, hence the explicit .ts below.
import { CONNECT_ONLY_OPERATIONS } from '../../nodes/Ponto/actions/connectOnly';
import { Ponto } from '../../nodes/Ponto/Ponto.node.ts';
import { PontoConnectTrigger } from '../../nodes/PontoConnectTrigger/PontoConnectTrigger.node.ts';
import { PontoTrigger } from '../../nodes/PontoTrigger/PontoTrigger.node.ts';
import pontoCodex from '../../nodes/Ponto/Ponto.node.json';
import connectTriggerCodex from '../../nodes/PontoConnectTrigger/PontoConnectTrigger.node.json';
import triggerCodex from '../../nodes/PontoTrigger/PontoTrigger.node.json';

/**
 * The nodes panel's actions of the Ponto node, computed the way n8n 2.x's editor computes them
 * (the facts of its actions generator): every property named `resource` contributes its
 * options; for each, the FIRST property named `operation` whose show.resource holds that value
 * gives the actions; clicking one sets `operation` and the first value of every show condition
 * of that operation property.
 */
interface PanelAction {
	heading: string;
	label: string;
	parameters: Record<string, unknown>;
}

function panelActions(description: INodeTypeDescription): PanelAction[] {
	const actions: PanelAction[] = [];
	for (const resource of description.properties.filter(
		(property) => property.name === 'resource',
	)) {
		for (const option of (resource.options ?? []) as INodePropertyOptions[]) {
			const operation = description.properties.find(
				(property) =>
					property.name === 'operation' &&
					property.displayOptions?.show?.resource?.includes(option.value),
			);
			for (const choice of (operation?.options ?? []) as INodePropertyOptions[]) {
				const conditions = Object.fromEntries(
					Object.entries(operation?.displayOptions?.show ?? {}).map(([key, values]) => [
						key,
						values?.[0],
					]),
				);
				actions.push({
					heading: option.name,
					label: choice.action ?? choice.name,
					parameters: { operation: choice.value, ...conditions },
				});
			}
		}
	}
	return actions;
}

const ponto = new Ponto().description;
const operationProperties = ponto.properties.filter((property) => property.name === 'operation');
const everyOperation = operationProperties.flatMap((property) =>
	((property.options ?? []) as INodePropertyOptions[]).map(
		(option) => `${property.displayOptions?.show?.resource?.[0]}.${option.value}`,
	),
);

describe('Nodes panel: the Ponto actions', () => {
	test('one Resource and one Operation per resource, none tied to the credential', () => {
		expect(ponto.properties.filter((property) => property.name === 'resource')).toHaveLength(1);
		const resources = (
			ponto.properties.find((property) => property.name === 'resource')!
				.options as INodePropertyOptions[]
		).map((option) => option.value);
		for (const resource of resources) {
			const matching = operationProperties.filter((property) =>
				property.displayOptions?.show?.resource?.includes(resource),
			);
			expect({ resource, count: matching.length }).toEqual({ resource, count: 1 });
		}
		for (const property of [
			...operationProperties,
			ponto.properties.find((p) => p.name === 'resource')!,
		]) {
			expect(Object.keys(property.displayOptions?.show ?? {})).not.toContain('authentication');
		}
	});

	test('every operation once, under its own resource; clicking it sets that resource and operation', () => {
		const actions = panelActions(ponto);
		expect(actions).toHaveLength(everyOperation.length);
		expect(everyOperation.length).toBeGreaterThanOrEqual(17);
		const picked = actions.map(
			(action) => `${action.parameters.resource}.${action.parameters.operation}`,
		);
		expect([...picked].sort()).toEqual([...everyOperation].sort());
		expect(new Set(actions.map((action) => action.label)).size).toBe(actions.length);
		const resourceNames = new Map(
			(
				ponto.properties.find((property) => property.name === 'resource')!
					.options as INodePropertyOptions[]
			).map((option) => [option.name, option.value]),
		);
		for (const action of actions) {
			expect({ label: action.label, resource: action.parameters.resource }).toEqual({
				label: action.label,
				resource: resourceNames.get(action.heading),
			});
			expect(Object.keys(action.parameters).sort()).toEqual(['operation', 'resource']);
		}
	});

	test('the Connect-only operations are listed, marked, and the node says how to pick Ponto Connect', () => {
		const actions = panelActions(ponto);
		for (const [resource, operations] of Object.entries(CONNECT_ONLY_OPERATIONS)) {
			for (const operation of operations) {
				expect(
					actions.filter(
						(action) =>
							action.parameters.resource === resource && action.parameters.operation === operation,
					),
				).toHaveLength(1);
				const option = (
					operationProperties.find((p) => p.displayOptions?.show?.resource?.includes(resource))!
						.options as INodePropertyOptions[]
				).find((choice) => choice.value === operation)!;
				expect(option.description).toMatch(/^Ponto Connect only\. /);
			}
			const notice = ponto.properties.find(
				(property) => property.name === `${resource}ConnectOnlyNotice`,
			)!;
			expect(notice.type).toBe('notice');
			expect(notice.displayOptions?.show).toEqual({
				authentication: ['pontoOAuth2Api'],
				resource: [resource],
				operation: [...operations],
			});
		}
		const howTo = ponto.properties.find((property) => property.name === 'connectHowTo')!;
		expect(howTo.displayName).toMatch(
			/In Credential, pick a Ponto Connect credential, or choose Create new credential/,
		);
		expect(howTo.displayName).toContain('Ponto Connect (OAuth2, Client Certificate)');
	});

	test('the actions list, as the panel shows it', () => {
		const listed = panelActions(ponto).map((action) => `${action.heading}: ${action.label}`);
		expect(listed).toEqual([
			'Account: Get an account',
			'Account: Get many accounts',
			'Account: Request reauthorization of an account',
			'Account: Revoke an account',
			'Bulk Payment: Create a bulk payment',
			'Bulk Payment: Delete a bulk payment',
			'Bulk Payment: Get a bulk payment',
			'Financial Institution: Get a financial institution',
			'Financial Institution: Get many financial institutions',
			'Organization: Get an authorization link',
			'Organization: Get user info of the organization',
			'Organization: Request payment activation',
			'Organization: Request payment request activation',
			'Payment: Create a payment',
			'Payment: Delete a payment',
			'Payment: Get a payment',
			'Payment Request: Create a payment request',
			'Payment Request: Delete a payment request',
			'Payment Request: Get a payment request',
			'Pending Transaction: Get a pending transaction',
			'Pending Transaction: Get many pending transactions',
			'Sandbox: Create a sandbox transaction',
			'Statement: Create a statement',
			'Synchronization: Create a synchronization',
			'Synchronization: Get a synchronization',
			'Transaction: Get a transaction',
			'Transaction: Get many transactions',
			'Transaction: Get transactions updated by a synchronization',
		]);
	});
});

describe('Canvas subtitle', () => {
	const nodeTypes = {
		getByName: () => new Ponto(),
		getByNameAndVersion: () => new Ponto(),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;

	function subtitle(resource: string, operation: string): unknown {
		const node: INode = {
			id: '1',
			name: 'Ponto',
			type: 'n8n-nodes-ponto.ponto',
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource, operation },
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(node, ponto.subtitle, 'internal', {});
	}

	test('in words for every operation', () => {
		expect(subtitle('transaction', 'getAll')).toBe('Get Many: Transactions');
		expect(subtitle('account', 'revoke')).toBe('Revoke: Account');
		expect(subtitle('statement', 'create')).toBe('Create: Statement');
		for (const entry of everyOperation) {
			const [resource, operation] = entry.split('.');
			expect(subtitle(resource, operation)).toMatch(/^[A-Z][A-Za-z ]+: [A-Z][A-Za-z ]+$/);
		}
	});

	test('falls back to the raw values for an unknown operation', () => {
		expect(subtitle('transaction', 'unknownThing')).toBe('unknownThing: transaction');
	});
});

describe('Node names, descriptions and search', () => {
	const trigger = new PontoTrigger().getNodeType().description;
	const connectTrigger = new PontoConnectTrigger().description;

	test('the node and both triggers have distinct names and descriptions', () => {
		const all = [ponto, trigger, connectTrigger];
		expect(new Set(all.map((d) => d.displayName)).size).toBe(3);
		expect(new Set(all.map((d) => d.description)).size).toBe(3);
		// The panel drops "Trigger": the webhook trigger must not read as Ponto Connect itself.
		expect(connectTrigger.displayName.replace(/ Trigger$/, '')).not.toBe('Ponto Connect');
		expect(connectTrigger.displayName).toMatch(/Webhook/);
	});

	test("the merged Ponto entry (n8n shows the polling trigger's description for it) describes actions and the trigger", () => {
		// n8n merges pontoTrigger into the ponto entry and shows the trigger's description there,
		// also in "What happens next?" where only the actions apply.
		expect(trigger.description).not.toMatch(/^Starts the workflow/);
		expect(trigger.description).toMatch(/read/i);
		expect(trigger.description).toMatch(/start a workflow on each new/i);
	});

	test('labels fit the parameter panel', () => {
		const labels = (properties: INodeProperties[]) =>
			properties.filter((p) => p.type !== 'notice').map((p) => p.displayName);
		for (const label of [...labels(connectTrigger.properties), ...labels(trigger.properties)])
			expect(label.length).toBeLessThanOrEqual(36);
	});

	test('the Ponto Trigger: version 2 for new nodes, version 1 kept as a polling node, same fields', () => {
		const versioned = new PontoTrigger();
		expect(versioned.description.defaultVersion).toBe(2);
		const [v1, v2] = [versioned.getNodeType(1).description, versioned.getNodeType(2).description];
		expect([v1.version, v1.polling, v2.version, v2.polling]).toEqual([1, true, 2, undefined]);
		expect(typeof versioned.getNodeType(2).trigger).toBe('function');
		expect(typeof versioned.getNodeType(1).poll).toBe('function');
		// v2 schedules itself with the same Poll Times field n8n adds to v1, so a workflow keeps its schedule.
		expect(v2.properties[0]).toMatchObject({ name: 'pollTimes', type: 'fixedCollection' });
		expect(v2.properties.slice(1)).toEqual(v1.properties);
	});

	test('the nodes panel search finds bank statement, CAMT, CODA, OFX and Odoo', () => {
		const searchable = (codex: { alias: string[] }, d: INodeTypeDescription) =>
			[d.displayName, ...codex.alias].join(' | ').toLowerCase();
		for (const term of ['bank statement', 'camt', 'coda', 'ofx', 'odoo']) {
			expect({ term, found: searchable(pontoCodex, ponto).includes(term) }).toEqual({
				term,
				found: true,
			});
		}
		expect(triggerCodex.alias.length).toBeGreaterThan(0);
		expect(connectTriggerCodex.alias).toEqual(expect.arrayContaining(['Webhook']));
	});
});
