/** Ponto ids are UUIDs (every resource in the SDK fixtures and the API reference). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);

export function isPontoId(value: unknown): value is string {
	return typeof value === 'string' && UUID.test(value);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+(%[\w.]+)?$/;

export function isIpAddress(value: string): boolean {
	if (IPV4.test(value)) return true;
	if (!IPV6.test(value) || !value.includes(':')) return false;
	const groups = value.split('%')[0].split('::');
	if (groups.length > 2) return false;
	const parts = groups.flatMap((group) => (group === '' ? [] : group.split(':')));
	const validParts = parts.every((part) => /^[0-9a-fA-F]{1,4}$/.test(part));
	return validParts && (groups.length === 2 ? parts.length < 8 : parts.length === 8);
}

/**
 * What a parameter really holds once expressions resolved: a description for messages
 * ("an object", "a number", "empty") so errors say what was wrong, not just that it was.
 */
export function describeValue(value: unknown): string {
	if (value === undefined || value === null) return 'empty';
	if (typeof value === 'string') return value.trim() === '' ? 'empty' : `"${value.slice(0, 60)}"`;
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `${typeof value} ${String(value)}`;
}
