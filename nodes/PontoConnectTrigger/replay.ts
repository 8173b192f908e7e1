import type { IDataObject } from 'n8n-workflow';

// Deliveries already accepted, by event id (docs/ponto-api.md §6.2: `data.id` identifies the
// event; a redelivery signs the same event again with a new token). Two memories:
// - this n8n instance's memory, which also covers deliveries still being started (bounded);
// - the workflow's static data, which n8n saves once the run is created (2.x: after the
//   execution row is stored; an n8n that cannot start the run does not save it), so a restart
//   or another webhook instance knows the event too. Bounded by age and count.
// n8n saves a workflow's static data whole, so two deliveries handled at the same moment may
// each save without the other's id: the instance memory still covers both, and downstream
// de-duplication by idempotencyKey covers the rest (docs/reliability.md).
const MEMORY_ENTRIES = 10_000;
const MEMORY_MS = 60 * 60_000;
/** How long and how many event ids the static data keeps. */
export const KEEP_EVENTS_MS = 7 * 86_400_000;
export const KEEP_EVENTS = 2_000;

const accepted = new Map<string, number>();

function sweep(now: number): void {
	for (const [key, until] of accepted) if (until <= now) accepted.delete(key);
	while (accepted.size >= MEMORY_ENTRIES) accepted.delete(accepted.keys().next().value as string);
}

/** What the trigger keeps in its static data: event id -> when it was accepted (epoch ms). */
export interface DeliveryRecord {
	events?: Record<string, number>;
}

function recorded(store: IDataObject): Record<string, number> {
	const events = (store as DeliveryRecord).events;
	return events && typeof events === 'object' ? events : {};
}

/**
 * Records the delivery of `eventId` in both memories; false when it was accepted before (in
 * this instance, or by any instance whose run n8n stored).
 */
export function isFirstDelivery(
	key: string,
	eventId: string,
	store: IDataObject,
	now = Date.now(),
): boolean {
	sweep(now);
	if (accepted.has(key)) return false;
	const events = recorded(store);
	const at = events[eventId];
	if (typeof at === 'number' && now - at < KEEP_EVENTS_MS) return false;
	accepted.set(key, now + MEMORY_MS);
	const kept = Object.entries(events).filter(
		([, when]) => typeof when === 'number' && now - when < KEEP_EVENTS_MS,
	);
	kept.sort((a, b) => b[1] - a[1]);
	(store as DeliveryRecord).events = Object.fromEntries([
		[eventId, now],
		...kept.slice(0, KEEP_EVENTS - 1),
	]);
	return true;
}

/** The delivery was not run (n8n failed to start it, or the trigger answered 500): it may come again. */
export function forgetDelivery(key: string, eventId: string, store: IDataObject): void {
	accepted.delete(key);
	const events = recorded(store);
	if (eventId in events) {
		const rest = { ...events };
		delete rest[eventId];
		(store as DeliveryRecord).events = rest;
	}
}

/** Tests: an n8n restart forgets this instance's memory. */
export function clearDeliveryMemory(): void {
	accepted.clear();
}
