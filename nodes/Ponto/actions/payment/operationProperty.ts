import type { INodeProperties } from 'n8n-workflow';

/** The Operation parameter of the three payment resources: Create, Delete (before signing), Get. */
export function paymentOperationProperty(
	resource: string,
	noun: string,
	create: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [
			{ name: 'Create', value: 'create', description: create, action: `Create a ${noun}` },
			{
				name: 'Delete',
				value: 'delete',
				description: `Delete a ${noun} that is not signed yet`,
				action: `Delete a ${noun}`,
			},
			{
				name: 'Get',
				value: 'get',
				description: `Get a ${noun} and its status`,
				action: `Get a ${noun}`,
			},
		],
		default: 'create',
	};
}
