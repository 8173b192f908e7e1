import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { TOOL_MAX_RECORDS } from './toolUse';

/**
 * What an AI agent reads about each operation of the Ponto tool (`pontoTool`), written for an
 * agent: what comes back, in which order, which id to pass and which call returns it, the sign
 * of amounts, the date filters.
 *
 * How it reaches the agent (n8n 2.x): when n8n derives the tool variant from `usableAsTool`, it
 * adds its own "Tool Description" choice and a `toolDescription` text only if the node has no
 * `toolDescription` property; at run time the tool's description is the node's
 * `toolDescription` value, or "<action> in Ponto" when that is empty or set to automatic. So
 * the node declares `toolDescription` itself, once per resource and operation, shown only in
 * the tool variant (`@tool`), with this text as its default: the user finds it filled in and
 * can edit it; unedited, it follows the operation chosen.
 */
const WINDOW = 'since/until';

export const TOOL_DESCRIPTIONS: Record<string, string> = {
	'account:getAll':
		'List the bank accounts shared with this Ponto integration. Returns one record per account: id (pass it as the account id to the transaction, pending-transaction and synchronization tools), description, reference (usually the IBAN), holderName, currency, currentBalance and availableBalance (numbers in the account currency), financialInstitutionId (the bank), synchronizedAt (when Ponto last read the bank) and consentExpiresInDays. Call this first whenever you need an account id.',
	'account:get':
		'Get one bank account by its id (use an id returned by Get many accounts): balances, IBAN, holder, currency, when Ponto last synchronized it and the days left before the bank consent expires.',
	'account:requestReauthorization':
		'Get the link the account holder must open to renew the bank consent of one account (Ponto Connect only). Pass an account id returned by Get many accounts; use it when consentExpiresInDays is low or the account no longer synchronizes.',
	'account:revoke':
		'Remove one account from this integration (it stays in Ponto; Ponto Connect only). Pass an account id returned by Get many accounts. Afterwards its data can no longer be read until it is shared again.',
	'financialInstitution:getAll':
		'List the banks (financial institutions) Ponto connects to. Returns id, name, country (ISO 3166 code), bic and status (stable, beta) per bank. Filter by part of the name or a two-letter country code to keep the answer short. The id is what accounts show as financialInstitutionId.',
	'financialInstitution:get':
		'Get one bank (financial institution) by its id: an id returned by Get many financial institutions, or the financialInstitutionId of an account from Get many accounts.',
	'transaction:getAll': `List the booked transactions of one bank account, newest first (in the order Ponto received them). Pass the account's id: use an id returned by Get many accounts. Optional ${WINDOW}: ISO dates such as 2026-01-31 (UTC, inclusive) on the execution date; an empty string leaves that end open. Prefer a date window to a large limit: one call returns at most ${TOOL_MAX_RECORDS} transactions. Each record: id, executionDate (booking date), valueDate, amount (negative = money going out of the account, positive = money coming in), currency, counterpartName, counterpartReference (the other party's IBAN), remittanceInformation (the payment message or structured reference), description.`,
	'transaction:get':
		'Get one booked transaction by its id and the id of its account (ids returned by Get many transactions and Get many accounts). The amount is negative for money going out of the account, positive for money coming in.',
	'transaction:getUpdated':
		'Get the transactions a synchronization created or changed. Pass the id returned by Create synchronization once its status is success. Amounts are negative for money going out.',
	'pendingTransaction:getAll': `List the pending (not yet booked) transactions of one bank account, in the order Ponto lists them. Pass the account's id: use an id returned by Get many accounts. At most ${TOOL_MAX_RECORDS} per call. Each record: id, executionDate, valueDate, amount (negative = money going out), currency, counterpartName, counterpartReference, remittanceInformation, description. A pending transaction disappears once the bank books it; the booked one has another id.`,
	'pendingTransaction:get':
		'Get one pending (not yet booked) transaction by its id and the id of its account (ids returned by Get many pending transactions and Get many accounts).',
	'synchronization:create':
		'Ask Ponto to fetch fresh data from the bank for one account: pass an account id returned by Get many accounts. Returns a synchronization with an id and a status (pending, running, success, error). Ponto limits how often an account may be synchronized; when refused, read the data already there.',
	'synchronization:get':
		'Get the status of a synchronization (pending, running, success, error, with its errors) by the id Create synchronization returned.',
	'statement:create':
		'Build a bank statement of one account for a period, with opening and closing balances, in the format set in the node. Pass an account id returned by Get many accounts.',
	'organization:requestPaymentActivation':
		'Ask Ponto for the link where the organization activates payments (needed once before the first payment). Returns activationUrl for a person to open; nothing is paid.',
	'organization:requestPaymentRequestActivation':
		'Ask Ponto for the link where the organization activates payment requests (needed once before the first payment request). Returns activationUrl for a person to open.',
	'payment:create':
		'Prepare one SEPA credit transfer in EUR from an account (an id returned by Get many accounts): amount (positive, at most two decimals), creditor name and IBAN, remittance. Nothing is paid until a person signs it: returns signingUrl and status. The same input always gives the same payment (idempotent), so a retry never pays twice.',
	'payment:get':
		'Get a payment and its current status by the payment id Create payment returned and the id of its account.',
	'payment:delete': 'Delete a payment that is not signed yet, by its id and the id of its account.',
	'bulkPayment:create':
		'Prepare one bulk payment holding several SEPA credit transfers from one account (an id returned by Get many accounts). Nothing is paid until a person signs it: returns signingUrl and status.',
	'bulkPayment:get':
		'Get a bulk payment and its status by the id Create bulk payment returned and the id of its account.',
	'bulkPayment:delete':
		'Delete a bulk payment that is not signed yet, by its id and the id of its account.',
	'paymentRequest:create':
		'Ask someone to pay into an account (an id returned by Get many accounts): amount in EUR and remittance. Returns the link the payer opens to pay (signingUrl) and the request status.',
	'paymentRequest:get':
		'Get a payment request and its status (e.g. closed once paid) by its id and the id of its account.',
	'paymentRequest:delete':
		'Delete a payment request that is not paid yet, by its id and the id of its account.',
};

/** Text for an operation the table does not know yet (a new one): its own description. */
function fallback(option: INodePropertyOptions): string {
	const text = option.description ?? option.action ?? String(option.name);
	return `${text.replace(/[.\s]+$/, '')} (Ponto).`;
}

/**
 * One `toolDescription` property per resource and operation found in the node's properties,
 * shown only in the tool variant. A text is only a default: what the user writes is kept.
 */
export function toolDescriptionProperties(properties: INodeProperties[]): INodeProperties[] {
	const made = new Map<string, INodeProperties>();
	for (const property of properties) {
		if (property.name !== 'operation' || property.type !== 'options') continue;
		const resources = (property.displayOptions?.show?.resource ?? []) as string[];
		for (const resource of resources) {
			for (const option of (property.options ?? []) as INodePropertyOptions[]) {
				const key = `${resource}:${String(option.value)}`;
				if (made.has(key)) continue;
				const property: INodeProperties = {
					displayName: 'Description',
					name: 'toolDescription',
					type: 'string',
					default: '',
					required: true,
					typeOptions: { rows: 4 },
					description:
						'Explain to the LLM what this tool does, a good, specific description would allow LLMs to produce expected results much more often',
					displayOptions: {
						show: { '@tool': [true], resource: [resource], operation: [option.value] },
					},
				};
				property.default = TOOL_DESCRIPTIONS[key] ?? fallback(option);
				made.set(key, property);
			}
		}
	}
	return [...made.values()];
}

/** The node's properties with the tool descriptions first, where n8n puts its own. */
export function withToolDescriptions(properties: INodeProperties[]): INodeProperties[] {
	return [...toolDescriptionProperties(properties), ...properties];
}
