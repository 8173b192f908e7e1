import type { JsonApiResource } from '../helpers/interfaces';

/** How an account is named in the editor's lists: its name, reference (IBAN) and currency. */
export function accountLabel(account: JsonApiResource): string {
	const a = account.attributes ?? {};
	return [a.description || a.product || 'Account', a.reference, a.currency]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(' · ');
}
