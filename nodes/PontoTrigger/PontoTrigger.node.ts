import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import type { PontoCredentialType } from '../Ponto/helpers/interfaces';
import { isPontoId } from '../Ponto/helpers/validation';
import { MAX_PAGE_SIZE, PontoClient } from '../Ponto/transport';
import { pollNewTransactions } from './poll';
import type { TriggerEvent } from './poll';

export class PontoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ponto Trigger',
		name: 'pontoTrigger',
		icon: { light: 'file:../Ponto/ponto.svg', dark: 'file:../Ponto/ponto.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] === "pendingTransaction" ? "New pending transaction" : "New transaction" }}',
		description: 'Starts the workflow for each new booked (or pending) bank transaction in Ponto, exactly once',
		defaults: { name: 'Ponto Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'pontoConnectOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['pontoConnectOAuth2Api'] } },
			},
			{
				name: 'pontoOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['pontoOAuth2Api'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Ponto Connect (OAuth2, Client Certificate)', value: 'pontoConnectOAuth2Api' },
					{ name: 'Ponto Custom Integration (OAuth2 Client Credentials)', value: 'pontoOAuth2Api' },
				],
				default: 'pontoOAuth2Api',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'New Booked Transaction',
						value: 'transaction',
						description: 'Each booked transaction once, including late or back-dated bookings',
					},
					{
						name: 'New Pending Transaction',
						value: 'pendingTransaction',
						description: 'Each pending (not yet booked) transaction once; when it books it comes again as a booked one with a new ID',
					},
				],
				default: 'transaction',
			},
			{
				displayName: 'Accounts',
				name: 'accountsToWatch',
				type: 'options',
				options: [
					{ name: 'All Accounts of the Credential', value: 'all' },
					{ name: 'Selected Accounts', value: 'selected' },
				],
				default: 'all',
			},
			{
				displayName: 'Account Names or IDs',
				name: 'accountIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getAccounts', loadOptionsDependsOn: ['authentication'] },
				default: [],
				required: true,
				displayOptions: { show: { accountsToWatch: ['selected'] } },
				description:
					'The accounts to watch. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'First Run: Back-Fill (Days)',
						name: 'backfillDays',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 400 },
						default: 0,
						description: 'On its first poll the trigger emits the transactions of this many past days; 0 emits nothing and only starts watching',
					},
					{
						displayName: 'Max Synchronizations per Account per Day',
						name: 'maxSynchronizationsPerDay',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 4 },
						default: 2,
						description: 'PSD2 allows about four unattended bank accesses per account per day, shared with Ponto and other apps',
						displayOptions: { show: { synchronize: [true] } },
					},
					{
						displayName: 'Overlap Window (Days)',
						name: 'overlapDays',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 60 },
						default: 7,
						description: 'How far back each poll re-reads, to catch bookings Ponto lists late. Records already emitted are never emitted again.',
					},
					{
						displayName: 'Synchronize Before Each Poll',
						name: 'synchronize',
						type: 'boolean',
						default: false,
						description:
							'Whether to ask Ponto to fetch fresh data from the bank before reading (unattended; limited per day). Off: read what Ponto refreshed on its own schedule.',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: {
			async getAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const authentication = (this.getCurrentNodeParameter('authentication') as PontoCredentialType | undefined) ?? 'pontoOAuth2Api';
				const client = await PontoClient.create(this, authentication);
				const options: INodePropertyOptions[] = [];
				await client.paginate('/accounts', MAX_PAGE_SIZE, (page) => {
					for (const account of page) {
						const a = account.attributes ?? {};
						options.push({ name: [a.description || a.product || 'Account', a.reference, a.currency].filter(Boolean).join(' · '), value: account.id });
					}
					return MAX_PAGE_SIZE;
				});
				return options;
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const number = (key: string, fallback: number, min: number, max: number): number => {
			const value = options[key] ?? fallback;
			if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
				throw new NodeOperationError(this.getNode(), `Option "${key}" must be a whole number from ${min} to ${max}`);
			}
			return value;
		};
		let accountIds: string[] | undefined;
		if (this.getNodeParameter('accountsToWatch', 'all') === 'selected') {
			const selected = this.getNodeParameter('accountIds', []) as unknown;
			const ids = Array.isArray(selected) ? selected : [selected];
			const invalid = ids.filter((id) => !isPontoId(id));
			if (!ids.length || invalid.length) {
				throw new NodeOperationError(this.getNode(), `Account Names or IDs: ${invalid.length ? `"${String(invalid[0])}" is not a Ponto account ID` : 'choose at least one account'}`);
			}
			accountIds = ids as string[];
		}
		return await pollNewTransactions.call(this, {
			authentication: this.getNodeParameter('authentication', 'pontoOAuth2Api') as PontoCredentialType,
			event: this.getNodeParameter('event', 'transaction') as TriggerEvent,
			accountIds,
			backfillDays: number('backfillDays', 0, 0, 400),
			overlapDays: number('overlapDays', 7, 1, 60),
			synchronize: options.synchronize === true,
			maxSynchronizationsPerDay: number('maxSynchronizationsPerDay', 2, 1, 4),
		});
	}
}
