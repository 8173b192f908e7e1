import { mod97 } from './iban';
import type { Checked } from './iban';

/**
 * Structured creditor references, checked digit by digit before a payment leaves:
 * - the Belgian structured communication (OGM/VCS) `+++123/4567/89002+++`: 12 digits, the last
 *   two being the first ten mod 97 (97 when that is 0);
 * - the ISO 11649 creditor reference `RF18 5390 0754 7034`: "RF", two check digits, up to 21
 *   letters or digits, valid when (rest + "RF" + check digits), letters as numbers, mod 97 is 1.
 */
export type StructuredReference =
	| { kind: 'belgian'; value: string; display: string }
	| { kind: 'iso11649'; value: string; display: string };

const BELGIAN = /^(?:\+{3}|\*{3})?\s*(\d{3})\s*\/?\s*(\d{4})\s*\/?\s*(\d{5})\s*(?:\+{3}|\*{3})?$/;

export function belgianCheckDigits(first10: string): string {
	const remainder = mod97(first10);
	return String(remainder === 0 ? 97 : remainder).padStart(2, '0');
}

export function checkBelgianReference(input: string): Checked<StructuredReference> {
	const text = input.trim();
	const match = BELGIAN.exec(text);
	if (!match) {
		return {
			ok: false,
			problem:
				'is not a Belgian structured communication: it has 12 digits, written +++123/4567/89002+++',
		};
	}
	const digits = match[1] + match[2] + match[3];
	const expected = belgianCheckDigits(digits.slice(0, 10));
	if (digits.slice(10) !== expected) {
		return {
			ok: false,
			problem: `is not a valid Belgian structured communication: its last two digits should be ${expected}, not ${digits.slice(10)} (a typo?)`,
		};
	}
	return {
		ok: true,
		value: { kind: 'belgian', value: digits, display: `+++${match[1]}/${match[2]}/${match[3]}+++` },
	};
}

export function checkRfReference(input: string): Checked<StructuredReference> {
	const text = input.replace(/\s+/g, '').toUpperCase();
	if (!text.startsWith('RF'))
		return { ok: false, problem: 'is not an ISO 11649 reference: it starts with RF' };
	if (!/^RF\d{2}/.test(text))
		return {
			ok: false,
			problem: 'is not an ISO 11649 reference: RF is followed by two check digits',
		};
	const rest = text.slice(4);
	if (rest.length < 1 || rest.length > 21)
		return {
			ok: false,
			problem:
				'is not an ISO 11649 reference: after RF and the check digits come 1 to 21 letters or digits',
		};
	if (!/^[A-Z0-9]+$/.test(rest))
		return {
			ok: false,
			problem:
				'is not an ISO 11649 reference: after RF and the check digits only letters and digits are allowed',
		};
	const check = text.slice(2, 4);
	if (check === '00' || check === '01' || check === '99' || mod97(rest + text.slice(0, 4)) !== 1) {
		return {
			ok: false,
			problem: 'is not a valid ISO 11649 reference: its check digits do not match (a typo?)',
		};
	}
	const display = text.replace(/(.{4})/g, '$1 ').trim();
	return { ok: true, value: { kind: 'iso11649', value: text, display } };
}

/** A structured reference of either kind: RF… is ISO 11649, digits (with +++ or ***) Belgian. */
export function checkStructuredReference(input: unknown): Checked<StructuredReference> {
	if (typeof input !== 'string' && typeof input !== 'number')
		return { ok: false, problem: 'is not a structured reference' };
	const text = String(input).trim();
	if (text === '') return { ok: false, problem: 'is empty' };
	return /^rf/i.test(text) ? checkRfReference(text) : checkBelgianReference(text);
}
