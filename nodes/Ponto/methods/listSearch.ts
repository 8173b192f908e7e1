import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { PontoCredentialType } from '../helpers/interfaces';
import { accountLabel } from '../common/accountLabel';
import { MAX_PAGE_SIZE, PontoClient } from '../transport';

async function clientFor(context: ILoadOptionsFunctions): Promise<PontoClient> {
	const authentication = context.getCurrentNodeParameter('authentication') as
		PontoCredentialType | undefined;
	return await PontoClient.create(context, authentication ?? 'pontoOAuth2Api');
}

/**
 * Where a list page starts: the first page's path, or the pagination token the editor hands
 * back, which must be a next-page link of this API as Ponto sent it: an absolute URL under the
 * API Base URL (after dot segments are resolved). A token is never used as a path, so
 * `/../../anything` cannot make the node call another path with the credential.
 */
function listStart(
	context: ILoadOptionsFunctions,
	client: PontoClient,
	firstPath: string,
	paginationToken?: string,
): string {
	if (paginationToken === undefined || paginationToken === '') return firstPath;
	let resolved: URL | undefined;
	try {
		resolved = /^https?:\/\//i.test(paginationToken) ? new URL(paginationToken) : undefined;
	} catch {
		resolved = undefined;
	}
	const path = paginationToken.split(/[?#]/)[0];
	if (
		!resolved ||
		!resolved.href.startsWith(`${client.baseUrl}/`) ||
		/\/\.{1,2}(\/|$)|%2e/i.test(path)
	) {
		throw new NodeOperationError(
			context.getNode(),
			'The page token of the list is not a next-page link of the Ponto API',
			{
				description: 'Close the list and open it again to start from its first page.',
			},
		);
	}
	return paginationToken;
}

function contains(haystack: unknown[], needle: string | undefined): boolean {
	if (!needle) return true;
	const lower = needle.toLowerCase();
	return haystack.some((value) => typeof value === 'string' && value.toLowerCase().includes(lower));
}

/** Accounts shared with the integration, one API page per list page, searchable by name or IBAN. */
export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await clientFor(this);
	const { page, next } = await client.listPage(
		listStart(this, client, '/accounts', paginationToken),
		MAX_PAGE_SIZE,
	);
	const results = page
		.filter((account) => {
			const a = account.attributes ?? {};
			return contains([a.description, a.product, a.reference, a.holderName], filter);
		})
		.map((account) => ({ name: accountLabel(account), value: account.id }));
	return { results, paginationToken: next };
}

/** Banks of the organization, filtered by name on the server (documented) and here. */
export async function searchFinancialInstitutions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await clientFor(this);
	const { page, next } = await client.listPage(
		listStart(this, client, '/financial-institutions', paginationToken),
		MAX_PAGE_SIZE,
		{ qs: filter ? { 'filter[name][contains]': filter } : undefined },
	);
	const results = page
		.filter((institution) => contains([institution.attributes?.name], filter))
		.map((institution) => {
			const a = institution.attributes ?? {};
			const flags = [
				a.status && a.status !== 'stable' ? a.status : '',
				a.deprecated ? 'deprecated' : '',
			]
				.filter(Boolean)
				.join(', ');
			const name = `${String(a.name ?? institution.id)}${a.country ? ` (${String(a.country)})` : ''}`;
			return { name: flags ? `${name} — ${flags}` : name, value: institution.id };
		});
	return { results, paginationToken: next };
}
