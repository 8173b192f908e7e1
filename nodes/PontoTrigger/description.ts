import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	ILoadOptionsFunctions,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { accountLabel } from '../Ponto/common/accountLabel';
import { authenticationProperty, pontoCredentials } from '../Ponto/common/descriptions';
import type { PontoCredentialType } from '../Ponto/helpers/interfaces';
import { describeValue, isPontoId } from '../Ponto/helpers/validation';
import {
	checkWholeNumber,
	getBooleanOption,
	getCollection,
	getList,
	getOption,
} from '../Ponto/actions/parameters';
import { MAX_PAGE_SIZE, PontoClient } from '../Ponto/transport';
import type { PollContext, PollSettings, TriggerEvent } from './poll';

// What both versions of the Ponto Trigger show and read: the same parameters, the same checks.

const event: INodeProperties = {
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
			description:
				'Each pending (not yet booked) transaction once; when it books it comes again as a booked one with a new ID',
		},
	],
	default: 'transaction',
};

const accountsToWatch: INodeProperties = {
	displayName: 'Accounts',
	name: 'accountsToWatch',
	type: 'options',
	options: [
		{ name: 'All Accounts of the Credential', value: 'all' },
		{ name: 'Selected Accounts', value: 'selected' },
	],
	default: 'all',
};

const accountIds: INodeProperties = {
	displayName: 'Account Names or IDs',
	name: 'accountIds',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getAccounts', loadOptionsDependsOn: ['authentication'] },
	default: [],
	required: true,
	displayOptions: { show: { accountsToWatch: ['selected'] } },
	description:
		'The accounts to watch. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const backfillDays: INodeProperties = {
	displayName: 'First Run: Back-Fill (Days)',
	name: 'backfillDays',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 400 },
	default: 0,
	description:
		'On its first poll the trigger emits the transactions of this many past days; 0 emits nothing and only starts watching',
};

const maxSynchronizationsPerDay: INodeProperties = {
	displayName: 'Max Synchronizations per Account per Day',
	name: 'maxSynchronizationsPerDay',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 4 },
	default: 2,
	description:
		'PSD2 allows about four unattended bank accesses per account per day, shared with Ponto and other apps',
	displayOptions: { show: { synchronize: [true] } },
};

const overlapDays: INodeProperties = {
	displayName: 'Overlap Window (Days)',
	name: 'overlapDays',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 60 },
	default: 7,
	description:
		'How far back each poll re-reads, to catch bookings Ponto lists late. Records already emitted are never emitted again.',
};

const synchronize: INodeProperties = {
	displayName: 'Synchronize Before Each Poll',
	name: 'synchronize',
	type: 'boolean',
	default: false,
	description:
		'Whether to ask Ponto to fetch fresh data from the bank before reading (unattended; limited per day). Off: read what Ponto refreshed on its own schedule.',
};

/** The poll settings, each checked against its description before any request. */
export function readSettings(this: PollContext): PollSettings {
	const options = getCollection.call(this, 'options', 'Options', undefined);
	const wholeNumber = (property: INodeProperties): number =>
		checkWholeNumber.call(this, property, options[property.name] ?? property.default, undefined);
	const settings: PollSettings = {
		authentication: getOption.call(this, authenticationProperty, undefined) as PontoCredentialType,
		event: getOption.call(this, event, undefined) as TriggerEvent,
		backfillDays: wholeNumber(backfillDays),
		overlapDays: wholeNumber(overlapDays),
		synchronize: getBooleanOption.call(
			this,
			options,
			'synchronize',
			synchronize.displayName,
			false,
			undefined,
		),
		maxSynchronizationsPerDay: wholeNumber(maxSynchronizationsPerDay),
	};
	if (getOption.call(this, accountsToWatch, undefined) === 'all') return settings;
	const ids = getList.call(this, 'accountIds', undefined);
	const invalid = ids.find((id) => !isPontoId(id));
	if (!ids.length || invalid !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`${accountIds.displayName}: ${ids.length ? `${describeValue(invalid)} is not a Ponto account ID` : 'choose at least one account'}`,
			{
				description:
					'Pick the accounts from the list, or give an expression that returns account IDs (UUIDs).',
			},
		);
	}
	return { ...settings, accountIds: ids as string[] };
}

/** A version's full description: the base, then `extra` (the schedule, the kind of trigger). */
export function versionDescription(
	base: INodeTypeBaseDescription,
	version: number,
	extra: Partial<INodeTypeDescription>,
	schedule: INodeProperties[] = [],
): INodeTypeDescription {
	return {
		...base,
		version,
		subtitle:
			'={{ $parameter["event"] === "pendingTransaction" ? "New pending transaction" : "New transaction" }}',
		defaults: { name: 'Ponto Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: pontoCredentials,
		properties: [
			...schedule,
			authenticationProperty,
			event,
			accountsToWatch,
			accountIds,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [backfillDays, maxSynchronizationsPerDay, overlapDays, synchronize],
			},
		],
		...extra,
	};
}

/** The account picker of both versions. */
export const loadOptions = {
	async getAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const authentication =
			(this.getCurrentNodeParameter('authentication') as PontoCredentialType | undefined) ??
			'pontoOAuth2Api';
		const client = await PontoClient.create(this, authentication);
		const options: INodePropertyOptions[] = [];
		await client.paginate('/accounts', MAX_PAGE_SIZE, (page) => {
			for (const account of page) options.push({ name: accountLabel(account), value: account.id });
			return MAX_PAGE_SIZE;
		});
		return options;
	},
};
