import type { IDataObject } from 'n8n-workflow';

import type { JsonApiResource } from '../helpers/interfaces';
import { MAX_PAGE_SIZE } from '../transport';
import type { PontoClient, RequestOptions } from '../transport';

export interface CollectOptions extends RequestOptions {
	/** How many records to return (Infinity for all). */
	wanted: number;
	shape: (resource: JsonApiResource) => IDataObject;
	/** Client-side filter. When set, pages are read whole, as skipped rows do not count. */
	keep?: (resource: JsonApiResource) => boolean;
	/** True when no later page can hold a wanted record (e.g. a page older than Since). */
	isLastPage?: (page: JsonApiResource[]) => boolean;
}

/**
 * Reads a collection into output records, asking each page for exactly what is still
 * wanted, so N records cost ceil(N / 100) requests and a limit of L <= 100 costs one.
 */
export async function collectRecords(
	client: PontoClient,
	path: string,
	{ wanted, shape, keep, isLastPage, ...requestOptions }: CollectOptions,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	const pageSizeFor = (remaining: number) => (keep ? MAX_PAGE_SIZE : remaining);
	await client.paginate(
		path,
		pageSizeFor(wanted),
		(page) => {
			for (const resource of page) {
				if (records.length >= wanted) break;
				if (!keep || keep(resource)) records.push(shape(resource));
			}
			const remaining = wanted - records.length;
			if (remaining <= 0 || isLastPage?.(page)) return 0;
			return pageSizeFor(remaining);
		},
		requestOptions,
	);
	return records;
}
