import type { Checked } from './iban';

/**
 * The restricted character set of SEPA credit transfers (docs/ponto-api.md §4.9: creditor name
 * and remittance in `a-zA-Z0-9/-?:().,'+` and space): anything else may be refused or mangled
 * by the banks on the way, so it is refused here, each offending character named.
 */
const SEPA_CHAR = /[A-Za-z0-9/\-?:().,'+ ]/;

/** Ponto's limits (docs/ponto-api.md §4.9) and the EPC rule for the end-to-end id (35). */
export const MAX_CREDITOR_NAME = 60;
export const MAX_REMITTANCE = 140;
export const MAX_END_TO_END_ID = 35;
export const MAX_BULK_REFERENCE = 35;

/** Characters outside the SEPA set, each once, in order of appearance, with their positions. */
export function nonSepaCharacters(text: string): Array<{ char: string; position: number }> {
	const seen = new Map<string, number>();
	[...text].forEach((char, index) => {
		if (!SEPA_CHAR.test(char) && !seen.has(char)) seen.set(char, index + 1);
	});
	return [...seen].map(([char, position]) => ({ char, position }));
}

function describeChar(char: string): string {
	if (char === '\n') return 'a line break';
	if (char === '\t') return 'a tab';
	if (/\s/.test(char))
		return `a special space (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
	return `"${char}"`;
}

/** The text with accents dropped (é -> e), as a suggestion; other characters stay. */
export function withoutAccents(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

export interface SepaTextRules {
	maxLength: number;
	required: boolean;
	/** EPC rule for identifiers: no leading or trailing "/", no "//". */
	identifier?: boolean;
}

/**
 * Text in the SEPA character set within a length; surrounding spaces are trimmed (not sent).
 * An empty optional text is `value: ''`.
 */
export function checkSepaText(input: unknown, rules: SepaTextRules): Checked<string> {
	if (input === undefined || input === null || (typeof input === 'string' && input.trim() === '')) {
		return rules.required ? { ok: false, problem: 'is empty' } : { ok: true, value: '' };
	}
	if (typeof input !== 'string' && typeof input !== 'number')
		return { ok: false, problem: 'is not text' };
	const text = String(input).trim();
	const bad = nonSepaCharacters(text);
	if (bad.length) {
		const list = bad
			.slice(0, 8)
			.map(({ char, position }) => `${describeChar(char)} (position ${position})`)
			.join(', ');
		const more = bad.length > 8 ? ` and ${bad.length - 8} more` : '';
		const suggestion = withoutAccents(text);
		const hint =
			nonSepaCharacters(suggestion).length === 0
				? `; without accents it would read "${suggestion.slice(0, 60)}"`
				: '';
		return {
			ok: false,
			problem: `holds characters SEPA transfers do not allow: ${list}${more}${hint}`,
		};
	}
	const length = [...text].length;
	if (length > rules.maxLength)
		return {
			ok: false,
			problem: `is ${length} characters long; at most ${rules.maxLength} are allowed`,
		};
	if (rules.identifier && (text.startsWith('/') || text.endsWith('/') || text.includes('//'))) {
		return { ok: false, problem: 'must not start or end with "/" nor contain "//"' };
	}
	if (rules.identifier && text.includes(' '))
		return { ok: false, problem: 'must not contain spaces' };
	return { ok: true, value: text };
}
