import type { IDataObject } from 'n8n-workflow';

/** A JSON:API resource object as Ponto sends it (docs/ponto-api.md §5.1). */
export interface JsonApiResource {
	type: string;
	id: string;
	attributes?: IDataObject;
	relationships?: Record<string, JsonApiRelationship | undefined>;
	meta?: IDataObject;
	links?: IDataObject;
}

export interface JsonApiRelationship {
	data?: { type: string; id: string } | null;
	links?: IDataObject;
}

export interface JsonApiDocument {
	data?: JsonApiResource | JsonApiResource[] | null;
	links?: { first?: string; prev?: string | null; next?: string | null };
	meta?: IDataObject;
	errors?: PontoErrorObject[];
}

/** One entry of Ponto's `errors` array (§5.3); also the shape of synchronization errors. */
export interface PontoErrorObject {
	code?: string;
	detail?: string;
	meta?: IDataObject;
	source?: { pointer?: string };
}

export type TransactionDateField = 'executionDate' | 'valueDate';

export type SynchronizationSubtype =
	'accountDetails' | 'accountTransactions' | 'accountTransactionsWithUnsettled';

export const SYNCHRONIZATION_SUBTYPES: readonly SynchronizationSubtype[] = [
	'accountDetails',
	'accountTransactions',
	'accountTransactionsWithUnsettled',
];

export type PontoCredentialType = 'pontoOAuth2Api' | 'pontoConnectOAuth2Api';
