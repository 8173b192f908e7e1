import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { JsonApiResource, TransactionDateField } from '../../helpers/interfaces';
import { isPageBeyondWindow } from '../../helpers/dateWindow';
import {
	STATEMENT_FORMATS,
	statementFile,
	statementFileName,
	statementFormat,
} from '../../statement';
import type { StatementFormatKey } from '../../statement';
import { buildStatement } from '../../statement/build';
import type { Statement } from '../../statement/model';
import { odooStatementLines } from '../../statement/odoo';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from '../../statement/calendar';
import { MAX_PAGE_SIZE } from '../../transport';
import type { PontoClient } from '../../transport';
import { accountLocator } from '../common.descriptions';
import { describeValue } from '../../helpers/validation';
import { checkWholeNumber, getOption, getPontoId, getText } from '../parameters';
import { readStatementPeriod, statementZone } from './readPeriod';

const FORMAT_KEYS: readonly string[] = STATEMENT_FORMATS.map((format) => format.key);
const MARGIN_MS = 7 * 86_400_000;

const bookLinesBy: INodeProperties = {
	displayName: 'Book Lines By',
	name: 'dateField',
	type: 'options',
	options: [
		{
			name: 'Execution Date',
			value: 'executionDate',
			description: 'The day the bank booked the transaction (as bank balances do)',
		},
		{ name: 'Value Date', value: 'valueDate', description: 'The day the amount took effect' },
	],
	default: 'executionDate',
};

const outputChoice: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	options: [
		{
			name: 'One Item With the Statement',
			value: 'statement',
			description: 'Header, balances, tie-out and all lines',
		},
		{
			name: 'One Item per Line, for Odoo',
			value: 'odooLines',
			description: "Fields of Odoo's account.bank.statement.line, for the Odoo node",
		},
	],
	default: 'statement',
};

const odooJournalId: INodeProperties = {
	displayName: 'Odoo Journal ID',
	name: 'odooJournalId',
	type: 'number',
	// Odoo ids are PostgreSQL integers.
	typeOptions: { minValue: 0, maxValue: 2_147_483_647 },
	default: 0,
	description:
		'ID of the bank journal in Odoo, added to every line as journal_id (0: leave it out and map it in the Odoo node)',
	displayOptions: { show: { output: ['odooLines'] } },
};

const properties: INodeProperties[] = [
	accountLocator,
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Custom Period', value: 'custom' },
			{ name: 'Last Month', value: 'lastMonth' },
			{ name: 'Last Week (Monday to Sunday)', value: 'lastWeek' },
			{ name: 'Month to Date', value: 'monthToDate' },
			{ name: 'Yesterday', value: 'yesterday' },
		],
		default: 'lastMonth',
		description: 'Days are counted in the time zone below',
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'First day of the statement (its date part is used)',
		displayOptions: { show: { period: ['custom'] } },
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Last day of the statement, included (its date part is used)',
		displayOptions: { show: { period: ['custom'] } },
	},
	bookLinesBy,
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'e.g. Europe/Brussels',
		description:
			"Zone that decides a bank day. Empty: the bank's zone, else Europe/Brussels. Zones west of UTC are refused: they would move bank days.",
	},
	outputChoice,
	odooJournalId,
	{
		displayName: 'Files',
		name: 'files',
		type: 'multiOptions',
		options: STATEMENT_FORMATS.map((format) => ({ name: format.label, value: format.key })).sort(
			(a, b) => a.name.localeCompare(b.name),
		),
		default: [],
		description: 'Statement files to attach as binary data, one binary property per format',
		displayOptions: { show: { output: ['statement'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['statement'], operation: ['create'] } },
	properties,
);

/** Booked transactions newest first, down to the first page wholly before the period (with margin). */
async function transactionsSince(
	client: PontoClient,
	accountId: string,
	since: number,
	itemIndex: number,
): Promise<JsonApiResource[]> {
	const transactions: JsonApiResource[] = [];
	const window = { field: 'executionDate' as const, since, marginMs: MARGIN_MS };
	await client.paginate(
		`/accounts/${accountId}/transactions`,
		MAX_PAGE_SIZE,
		(page) => {
			transactions.push(...page);
			return isPageBeyondWindow(page, window) ? 0 : MAX_PAGE_SIZE;
		},
		{ itemIndex, resource: 'account' },
	);
	return transactions;
}

function statementJson(statement: Statement): IDataObject {
	const { account, lines, tieOut, ...header } = statement;
	return {
		...header,
		accountId: account.id,
		iban: account.iban,
		currency: account.currency,
		holderName: account.holderName,
		institutionName: account.institutionName,
		openingBalance: statement.openingBalanceCents / 100,
		closingBalance: statement.closingBalanceCents / 100,
		lineCount: lines.length,
		tieOut: { ...tieOut },
		lines: lines.map((entry) => ({ ...entry, amount: entry.amountCents / 100 })),
	};
}

export async function execute(
	this: IExecuteFunctions,
	client: PontoClient,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const accountId = getPontoId.call(this, 'accountId', 'Account', itemIndex);
	const dateField = getOption.call(this, bookLinesBy, itemIndex) as TransactionDateField;
	const zoneParameter = getText.call(this, 'timeZone', 'Time Zone', itemIndex).trim();
	if (zoneParameter && !isValidTimeZone(zoneParameter)) {
		throw new NodeOperationError(
			this.getNode(),
			`Time Zone: ${describeValue(zoneParameter)} is not a time zone`,
			{
				itemIndex,
				description:
					"Use an IANA zone name such as Europe/Brussels, or leave it empty for the bank's zone.",
			},
		);
	}
	const output = getOption.call(this, outputChoice, itemIndex);
	const files =
		output === 'statement' ? (this.getNodeParameter('files', itemIndex, []) as unknown) : [];
	const unknownFormat = Array.isArray(files)
		? files.find((format) => !FORMAT_KEYS.includes(String(format)))
		: undefined;
	if (!Array.isArray(files) || unknownFormat !== undefined) {
		const what = Array.isArray(files)
			? `${describeValue(unknownFormat)} is not a statement format`
			: `${describeValue(files)} is not a list of statement formats`;
		throw new NodeOperationError(this.getNode(), `Files: ${what}`, {
			itemIndex,
			description: `Known formats: ${FORMAT_KEYS.join(', ')}.`,
		});
	}
	const journal =
		output === 'odooLines'
			? checkWholeNumber.call(
					this,
					odooJournalId,
					this.getNodeParameter('odooJournalId', itemIndex, 0),
					itemIndex,
				)
			: 0;
	// The period is checked first in the zone given (or the default); the bank's own zone, known
	// only after reading the account, then fixes the days.
	if (zoneParameter) statementZone.call(this, itemIndex, zoneParameter);
	readStatementPeriod.call(this, itemIndex, zoneParameter || DEFAULT_TIME_ZONE);

	const account = await client.getResource(`/accounts/${accountId}`, {
		itemIndex,
		resource: 'account',
	});
	const institutionId = account.relationships?.financialInstitution?.data?.id;
	const institution = institutionId
		? await client.getResource(`/financial-institutions/${institutionId}`, {
				itemIndex,
				resource: 'financial institution',
			})
		: undefined;
	const zone = statementZone.call(this, itemIndex, zoneParameter, institution);
	const { from, to, since } = readStatementPeriod.call(this, itemIndex, zone);
	const transactions = await transactionsSince(client, accountId, since, itemIndex);
	const { page: pending } = await client.listPage(
		`/accounts/${accountId}/pending-transactions`,
		MAX_PAGE_SIZE,
		{ itemIndex, resource: 'account' },
	);
	const statement = buildStatement({
		account,
		institution,
		transactions,
		pending,
		from,
		to,
		timeZone: zone,
		dateField,
		now: Date.now(),
	});

	if (output === 'odooLines') {
		return odooStatementLines(statement, journal > 0 ? journal : undefined).map((json) => ({
			json,
		}));
	}
	const binary: IBinaryKeyData = {};
	for (const key of files as StatementFormatKey[]) {
		const format = statementFormat(key);
		const fileName = statementFileName(statement, key, format.extension);
		binary[key] = await this.helpers.prepareBinaryData(
			statementFile(format, statement),
			fileName,
			format.mimeType,
		);
	}
	return [{ json: statementJson(statement), ...(files.length ? { binary } : {}) }];
}
