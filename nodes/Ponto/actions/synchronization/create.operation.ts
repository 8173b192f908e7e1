import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';

import { adviceForCodes } from '../../helpers/errors';
import { flattenResource } from '../../helpers/flatten';
import { SYNCHRONIZATION_SUBTYPES } from '../../helpers/interfaces';
import type {
	JsonApiResource,
	PontoErrorObject,
	SynchronizationSubtype,
} from '../../helpers/interfaces';
import { describeValue, isIpAddress } from '../../helpers/validation';
import type { PontoClient } from '../../transport';
import { createSynchronization, waitForSynchronization } from '../../common/synchronization';
import { accountLocator, concurrencyOption, rawResourceOption } from '../common.descriptions';
import { shapeRecord } from '../output';
import {
	getBoolean,
	getBooleanOption,
	getOutputOptions,
	getPontoId,
	invalidParameter,
} from '../parameters';

const DEFAULT_TIMEOUT_S = 120;

const properties: INodeProperties[] = [
	accountLocator,
	{
		displayName: 'Subtype',
		name: 'subtype',
		type: 'options',
		default: 'accountTransactions',
		description: 'What Ponto should fetch from the bank',
		options: [
			{
				name: 'Account Details',
				value: 'accountDetails',
				description: 'Balances and account details',
			},
			{
				name: 'Account Transactions',
				value: 'accountTransactions',
				description: 'Booked transactions',
			},
			{
				name: 'Account Transactions With Unsettled',
				value: 'accountTransactionsWithUnsettled',
				description: 'Booked and pending transactions',
			},
		],
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until Ponto finished the synchronization and return its final state (success or error)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Customer IP Address',
				name: 'customerIpAddress',
				type: 'string',
				default: '',
				placeholder: 'e.g. 203.0.113.7',
				description:
					'IP address of the person who asked for this synchronization. Without it the bank access counts as unattended, and PSD2 allows only four unattended accesses per account per day.',
			},
			{
				displayName: 'Fail on Synchronization Error',
				name: 'failOnError',
				type: 'boolean',
				default: true,
				description:
					'Whether a synchronization that ends in error fails the item (with its error codes) when waiting; when off it is returned with status "error" and its errors',
			},
			concurrencyOption,
			rawResourceOption,
			{
				displayName: 'Timeout (Seconds)',
				name: 'waitTimeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600 },
				default: DEFAULT_TIMEOUT_S,
				description: 'How long to wait for the synchronization to finish',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['synchronization'], operation: ['create'] } },
	properties,
);

interface CreateParameters {
	accountId: string;
	subtype: SynchronizationSubtype;
	wait: boolean;
	customerIpAddress?: string;
	timeoutMs: number;
	failOnError: boolean;
	raw: boolean;
}

function readParameters(this: IExecuteFunctions, itemIndex: number): CreateParameters {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const subtype = this.getNodeParameter('subtype', itemIndex) as unknown;
	if (!SYNCHRONIZATION_SUBTYPES.includes(subtype as SynchronizationSubtype)) {
		throw invalidParameter(
			this,
			itemIndex,
			`Subtype: ${describeValue(subtype)} is not a synchronization subtype`,
			`Use one of ${SYNCHRONIZATION_SUBTYPES.join(', ')}.`,
		);
	}
	const wait = getBoolean.call(this, 'waitForCompletion', 'Wait for Completion', false, itemIndex);
	const { options, raw } = getOutputOptions.call(this, itemIndex);
	let customerIpAddress: string | undefined;
	if (options.customerIpAddress !== undefined && options.customerIpAddress !== '') {
		const ip =
			typeof options.customerIpAddress === 'string' ? options.customerIpAddress.trim() : '';
		if (!isIpAddress(ip)) {
			throw invalidParameter(
				this,
				itemIndex,
				`Customer IP Address: ${describeValue(options.customerIpAddress)} is not an IPv4 or IPv6 address`,
				'Pass the address of the person who triggered the synchronization, e.g. from the webhook request that started the workflow.',
			);
		}
		customerIpAddress = ip;
	}
	const timeout = options.waitTimeout ?? DEFAULT_TIMEOUT_S;
	if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 1 || timeout > 3600) {
		throw invalidParameter(
			this,
			itemIndex,
			`Timeout (Seconds): ${describeValue(timeout)} is not between 1 and 3600`,
			'Use a number of seconds from 1 to 3600.',
		);
	}
	const failOnError = getBooleanOption.call(
		this,
		options,
		'failOnError',
		'Fail on Synchronization Error',
		true,
		itemIndex,
	);
	return {
		accountId,
		subtype: subtype as SynchronizationSubtype,
		wait,
		customerIpAddress,
		timeoutMs: timeout * 1000,
		failOnError,
		raw,
	};
}

function failedSynchronizationError(
	this: IExecuteFunctions,
	synchronization: JsonApiResource,
	itemIndex: number,
): NodeApiError {
	const errors = (synchronization.attributes?.errors ?? []) as PontoErrorObject[];
	const codes =
		errors
			.map((error) => error.code)
			.filter(Boolean)
			.join(', ') || 'no error code';
	const detail = errors
		.map((error) => error.detail)
		.filter(Boolean)
		.join('; ');
	return new NodeApiError(
		this.getNode(),
		{
			errors: errors as unknown as JsonObject[],
			synchronizationId: synchronization.id,
		} as JsonObject,
		{
			message: `The synchronization failed (${codes})${detail ? `: ${detail}` : ''}`,
			description: `${adviceForCodes(errors) ?? 'Ponto could not reach the bank. Try again later.'} Synchronization ID: ${synchronization.id}.`,
			itemIndex,
		},
	);
}

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const parameters = readParameters.call(this, itemIndex);
	let synchronization = await createSynchronization(client, parameters, itemIndex);
	if (parameters.wait) {
		const created = synchronization;
		const waited = await waitForSynchronization(client, created, {
			timeoutMs: parameters.timeoutMs,
			signal: this.getExecutionCancelSignal?.(),
			itemIndex,
		});
		synchronization = waited.synchronization;
		if (!waited.finished) {
			throw new NodeOperationError(
				this.getNode(),
				`The synchronization did not finish within ${Math.round(parameters.timeoutMs / 1000)} s (status: ${String(synchronization.attributes?.status)})`,
				{
					itemIndex,
					description: `Ponto is still working on it. Read it later with Synchronization > Get, ID ${created.id}, or raise the timeout.`,
				},
			);
		}
		if (synchronization.attributes?.status === 'error' && parameters.failOnError) {
			throw failedSynchronizationError.call(this, synchronization, itemIndex);
		}
	}
	return [shapeRecord(synchronization, parameters.raw, flattenResource)];
}
