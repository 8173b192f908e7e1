import type { IDataObject } from 'n8n-workflow';

import type { JsonApiResource } from './interfaces';

const DAY_MS = 86_400_000;

/**
 * The default output shape: `id`, the attributes at top level, and one `<name>Id` per to-one
 * relationship (`accountId`, `financialInstitutionId`, ...). Values are copied as sent, so
 * amounts stay the JSON numbers Ponto returned.
 */
export function flattenResource(resource: JsonApiResource): IDataObject {
	const flat: IDataObject = { id: resource.id, ...resource.attributes };
	for (const [name, relationship] of Object.entries(resource.relationships ?? {})) {
		const related = relationship?.data;
		if (related && typeof related.id === 'string') flat[`${name}Id`] = related.id;
	}
	const redirect = resource.links?.redirect;
	if (typeof redirect === 'string') flat.redirectUrl = redirect;
	return flat;
}

/** Whole days until `isoDate` (negative once passed), or null when the date is missing or invalid. */
export function daysUntil(isoDate: unknown, now: Date): number | null {
	if (typeof isoDate !== 'string' || isoDate === '') return null;
	const at = Date.parse(isoDate);
	if (Number.isNaN(at)) return null;
	return Math.floor((at - now.getTime()) / DAY_MS);
}

/**
 * Accounts carry freshness in resource-level meta (§4.2): when Ponto last synchronized the
 * account and the latest finished synchronization. Both are surfaced, plus the days left
 * before the PSD2 consent lapses, so a workflow can warn before syncing silently stops.
 */
export function flattenAccount(resource: JsonApiResource, now: Date): IDataObject {
	const flat = flattenResource(resource);
	const meta = resource.meta ?? {};
	flat.synchronizedAt = meta.synchronizedAt ?? null;
	if (meta.availability !== undefined) flat.availability = meta.availability;
	const latest = meta.latestSynchronization as JsonApiResource | undefined;
	flat.latestSynchronization =
		latest && typeof latest === 'object' ? flattenResource(latest) : null;
	flat.consentExpiresInDays = daysUntil(flat.authorizationExpirationExpectedAt, now);
	return flat;
}
