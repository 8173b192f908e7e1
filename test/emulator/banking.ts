// Banking number helpers: mod-97 arithmetic, IBANs, Belgian structured communication, cents.

// Aliases of globals used per transaction (global lookups are slow inside jest's vm context).
const round = Math.round;
const stringOf = String;

/** Remainder of a long decimal string modulo 97, without big integers. */
export function mod97(digits: string): number {
	let remainder = 0;
	for (let i = 0; i < digits.length; i++) {
		remainder = (remainder * 10 + (digits.charCodeAt(i) - 48)) % 97;
	}
	return remainder;
}

/** Belgian check: remainder of the first ten digits mod 97, with 97 in place of 0. */
function belgianCheck(tenDigits: string): string {
	const check = mod97(tenDigits) || 97;
	return stringOf(check).padStart(2, '0');
}

/**
 * Belgian structured communication (OGM/VCS) from ten base digits: the 12 digits
 * "ddddddddddcc", cc = base mod 97 (97 when 0). docs/ponto-api.md does not pin how Ponto
 * formats it (plain digits vs +++ddd/dddd/ddddd+++), so the emulator stores the 12 digits
 * plain; formatStructuredCommunication gives the printed form.
 */
export function structuredCommunication(tenDigits: string): string {
	if (!/^\d{10}$/.test(tenDigits)) throw new Error('structured communication needs 10 digits');
	return tenDigits + belgianCheck(tenDigits);
}

export function formatStructuredCommunication(twelveDigits: string): string {
	const d = twelveDigits.replace(/\D/g, '');
	return `+++${d.slice(0, 3)}/${d.slice(3, 7)}/${d.slice(7, 12)}+++`;
}

/** Accepts the plain 12 digits or the +++ddd/dddd/ddddd+++ (or ***...***) form. */
export function isValidStructuredCommunication(value: string): boolean {
	const plain = /^\d{12}$/.test(value)
		? value
		: (/^(\+{3}|\*{3})(\d{3})\/(\d{4})\/(\d{5})\1$/.exec(value) ?? []).slice(2).join('');
	if (plain.length !== 12) return false;
	return belgianCheck(plain.slice(0, 10)) === plain.slice(10);
}

function ibanNumeric(text: string): string {
	let out = '';
	for (const ch of text) {
		const code = ch.charCodeAt(0);
		out += code >= 65 && code <= 90 ? String(code - 55) : ch;
	}
	return out;
}

/** Builds an IBAN with correct ISO 13616 check digits from a country code and a BBAN. */
export function iban(country: string, bban: string): string {
	const check = 98 - mod97(ibanNumeric(`${bban}${country}00`));
	return `${country}${String(check).padStart(2, '0')}${bban}`;
}

export function isValidIban(value: string): boolean {
	const v = value.replace(/\s+/g, '').toUpperCase();
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(v)) return false;
	return mod97(ibanNumeric(v.slice(4) + v.slice(0, 4))) === 1;
}

/** A random, valid IBAN for the country (Belgian ones also pass the national mod-97 check). */
export function randomIban(
	country: string | null,
	digits: (n: number) => string,
	letters: () => string,
): string {
	switch (country) {
		case 'NL':
			return iban('NL', `${letters()}${digits(10)}`);
		case 'DE':
			return iban('DE', digits(18));
		case 'FR':
			return iban('FR', digits(23));
		case 'LU':
			return iban('LU', digits(16));
		default: {
			const base = digits(10);
			return iban('BE', base + belgianCheck(base));
		}
	}
}

/** Exact conversion of a 2-decimal JSON number to integer cents. */
export function toCents(amount: number): number {
	return round(amount * 100);
}

/** The JSON number for an integer amount of cents (prints with at most 2 decimals). */
export function fromCents(cents: number): number {
	return cents / 100;
}
