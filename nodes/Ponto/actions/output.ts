import type { IDataObject } from 'n8n-workflow';

import type { JsonApiResource } from '../helpers/interfaces';

/** Raw JSON:API resource or the flattened record, as the Raw JSON:API Resource option says. */
export function shapeRecord(
	resource: JsonApiResource,
	raw: boolean,
	flatten: (resource: JsonApiResource) => IDataObject,
): IDataObject {
	return raw ? (resource as unknown as IDataObject) : flatten(resource);
}
