/**
 * IBAN (ISO 13616) and BIC (ISO 9362) checks for SEPA credit transfers: what Ponto would
 * refuse, refused before a request leaves, with the reason in words.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** IBAN length per country, from the SWIFT IBAN registry. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
	AD: 24,
	AE: 23,
	AL: 28,
	AT: 20,
	AZ: 28,
	BA: 20,
	BE: 16,
	BG: 22,
	BH: 22,
	BI: 27,
	BR: 29,
	BY: 28,
	CH: 21,
	CR: 22,
	CY: 28,
	CZ: 24,
	DE: 22,
	DJ: 27,
	DK: 18,
	DO: 28,
	EE: 20,
	EG: 29,
	ES: 24,
	FI: 18,
	FK: 18,
	FO: 18,
	FR: 27,
	GB: 22,
	GE: 22,
	GI: 23,
	GL: 18,
	GR: 27,
	GT: 28,
	HN: 28,
	HR: 21,
	HU: 28,
	IE: 22,
	IL: 23,
	IQ: 23,
	IS: 26,
	IT: 27,
	JO: 30,
	KW: 30,
	KZ: 20,
	LB: 28,
	LC: 32,
	LI: 21,
	LT: 20,
	LU: 20,
	LV: 21,
	LY: 25,
	MC: 27,
	MD: 24,
	ME: 22,
	MK: 19,
	MN: 20,
	MR: 27,
	MT: 31,
	MU: 30,
	NI: 28,
	NL: 18,
	NO: 15,
	OM: 23,
	PK: 24,
	PL: 28,
	PS: 29,
	PT: 25,
	QA: 29,
	RO: 24,
	RS: 22,
	RU: 33,
	SA: 24,
	SC: 31,
	SD: 18,
	SE: 24,
	SI: 19,
	SK: 24,
	SM: 27,
	SO: 23,
	ST: 25,
	SV: 28,
	TL: 23,
	TN: 24,
	TR: 26,
	UA: 29,
	VA: 22,
	VG: 24,
	XK: 20,
	YE: 30,
};

/** The remainder mod 97 of a string of letters and digits, letters counted A=10 ... Z=35. */
export function mod97(text: string): number {
	let remainder = 0;
	for (const char of text) {
		const code = char.charCodeAt(0);
		const value = code >= 65 ? code - 55 : code - 48;
		remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
	}
	return remainder;
}

/** Spaces (as printed on invoices) removed, letters upper-cased. */
export function compactIban(text: string): string {
	return text.replace(/[\s\u00a0]+/g, '').toUpperCase();
}

/** An IBAN in its electronic form (no spaces, upper case), or what is wrong with it. */
export function checkIban(input: unknown): Checked<string> {
	if (typeof input !== 'string' || input.trim() === '')
		return { ok: false, problem: 'is not an IBAN' };
	const iban = compactIban(input);
	if (!/^[A-Z0-9]+$/.test(iban)) {
		const bad = [...new Set(input.replace(/[\s\u00a0A-Za-z0-9]/g, ''))]
			.map((c) => `"${c}"`)
			.join(', ');
		return {
			ok: false,
			problem: `is not an IBAN: it holds ${bad} (only letters and digits belong in an IBAN)`,
		};
	}
	const country = iban.slice(0, 2);
	if (!/^[A-Z]{2}$/.test(country))
		return { ok: false, problem: 'is not an IBAN: it must start with a two-letter country code' };
	const length = IBAN_LENGTHS[country];
	if (length === undefined)
		return { ok: false, problem: `is not an IBAN: "${country}" is not a country that uses IBANs` };
	if (iban.length !== length) {
		return {
			ok: false,
			problem: `is not an IBAN: ${country} IBANs have ${length} characters, this one has ${iban.length}`,
		};
	}
	if (!/^\d{2}$/.test(iban.slice(2, 4)))
		return { ok: false, problem: 'is not an IBAN: characters 3 and 4 must be check digits' };
	if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) {
		return {
			ok: false,
			problem: 'is not a valid IBAN: its check digits do not match (a typo or swapped digits?)',
		};
	}
	return { ok: true, value: iban };
}

/**
 * A BIC: 4 letters (institution), 2 letters (country), 2 letters or digits (location), and
 * optionally 3 letters or digits (branch). 8 or 11 characters; spaces removed, upper-cased.
 */
export function checkBic(input: unknown): Checked<string> {
	if (typeof input !== 'string' || input.trim() === '')
		return { ok: false, problem: 'is not a BIC' };
	const bic = input.replace(/\s+/g, '').toUpperCase();
	if (bic.length !== 8 && bic.length !== 11)
		return {
			ok: false,
			problem: `is not a BIC: a BIC has 8 or 11 characters, this one has ${bic.length}`,
		};
	if (!/^[A-Z]{4}/.test(bic))
		return {
			ok: false,
			problem: 'is not a BIC: the first 4 characters (the bank) must be letters',
		};
	if (!/^[A-Z]{4}[A-Z]{2}/.test(bic))
		return { ok: false, problem: 'is not a BIC: characters 5 and 6 must be a country code' };
	if (!/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic))
		return {
			ok: false,
			problem: 'is not a BIC: the location and branch codes hold only letters and digits',
		};
	return { ok: true, value: bic };
}
