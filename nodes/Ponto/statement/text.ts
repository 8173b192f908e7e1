// Pure helpers shared by the statement writers: character sets, fixed-width fields, bank-number
// checks, dates, and the integrity check every writer runs first. No n8n imports.
import type { Statement } from './model';

/** Letters that Unicode does not decompose into a base letter + accent (NFKD leaves them as is). */
const ASCII_LETTERS: Record<string, string> = {
	Ø: 'O',
	ø: 'o',
	Ł: 'L',
	ł: 'l',
	Đ: 'D',
	đ: 'd',
	Ð: 'D',
	ð: 'd',
	Ħ: 'H',
	ħ: 'h',
	ı: 'i',
	Ŀ: 'L',
	ŀ: 'l',
	ß: 'ss',
	ẞ: 'SS',
	Æ: 'AE',
	æ: 'ae',
	Œ: 'OE',
	œ: 'oe',
	Þ: 'TH',
	þ: 'th',
	ſ: 's',
	ĸ: 'k',
	Ŋ: 'N',
	ŋ: 'n',
	'\u2018': "'",
	'\u2019': "'",
	'\u201a': "'",
	'\u201b': "'",
	'\u2032': "'",
	'\u00b4': "'",
	'\u201c': '"',
	'\u201d': '"',
	'\u201e': '"',
	'\u00ab': '"',
	'\u00bb': '"',
	'\u2010': '-',
	'\u2011': '-',
	'\u2012': '-',
	'\u2013': '-',
	'\u2014': '-',
	'\u2212': '-',
	'\u2026': '...',
	'\u20ac': 'EUR',
	'\u00a3': 'GBP',
	'\u00d7': 'x',
	'\u00b0': 'o',
};

/**
 * Printable ASCII only (0x20-0x7E): accents dropped ('Müller' -> 'Muller', 'Ł' -> 'L',
 * 'Ø' -> 'O'), line breaks and tabs become spaces, anything else unknown becomes '?'.
 */
export function foldToAscii(value: string): string {
	let out = '';
	for (const ch of value.normalize('NFKD')) {
		const code = ch.codePointAt(0) ?? 0;
		if (code >= 0x20 && code <= 0x7e) out += ch;
		else if (code >= 0x300 && code <= 0x36f)
			continue; // combining accent
		else if (ch === '\t' || ch === '\n' || ch === '\r' || ch === '\u00a0') out += ' ';
		else out += ASCII_LETTERS[ch] ?? '?';
	}
	return out;
}

/**
 * The last check of the single-byte formats (OFX 1, CODA) before their text is encoded one byte
 * per character: every line printable ASCII (0x20-0x7E), so no character can turn into a line
 * break or markup in the bytes. A failure is a bug of the writer, never silently passed on.
 */
export function assertPrintableAscii(lines: readonly string[], format: string): void {
	for (let index = 0; index < lines.length; index++) {
		if (!/^[\x20-\x7e]*$/.test(lines[index])) {
			throw new Error(
				`${format} line ${index + 1} holds a character outside printable ASCII; the file was not written`,
			);
		}
	}
}

/** One line of text: runs of whitespace (line breaks included) become one space, ends trimmed. */
export function oneLine(value: string | null | undefined): string {
	if (!value) return '';
	// Most values are one line already: no whitespace but single inner spaces.
	if (!NOT_ONE_LINE.test(value)) return value;
	return value.replace(/\s+/g, ' ').trim();
}

/** Whitespace other than a space, two spaces in a row, or a space at either end. */
const NOT_ONE_LINE = /[^\S ]| {2}|^ | $/;

/** The first `max` characters (code points, so a surrogate pair is never cut in half). */
export function truncate(value: string, max: number): string {
	// A string of at most `max` UTF-16 units has at most `max` code points.
	if (value.length <= max) return value;
	const chars = Array.from(value);
	return chars.length <= max ? value : chars.slice(0, max).join('');
}

/** Pieces of at most `width` characters, broken after a space when one is near enough. */
export function wrapWords(value: string, width: number): string[] {
	const trimmed = value.trim();
	if (trimmed.length <= width) return trimmed ? [trimmed] : [];
	const pieces: string[] = [];
	let rest = Array.from(trimmed);
	while (rest.length > width) {
		const space = rest.lastIndexOf(' ', width);
		const cut = space > width / 2 ? space : width;
		pieces.push(rest.slice(0, cut).join('').trim());
		rest = rest.slice(cut);
		while (rest[0] === ' ') rest.shift();
	}
	if (rest.length) pieces.push(rest.join(''));
	return pieces;
}

/** A character escapeXml changes or drops (any surrogate: the slow path keeps the paired ones). */
const XML_SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;

/** Removes characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/U+FFFF). */
function xmlChars(value: string): string {
	return value.replace(
		/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
		'',
	);
}

/** Text content or attribute value for XML. */
export function escapeXml(value: string): string {
	if (!XML_SPECIAL.test(value)) return value;
	return xmlChars(value)
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/** Element text for OFX (1.0.2 SGML defines only these three entities) and XML text nodes. */
export function escapeMarkupText(value: string): string {
	return xmlChars(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Alphanumeric fixed-width zone: cut to `width`, then blank-filled on the right. */
export function alpha(value: string, width: number): string {
	return value.slice(0, width).padEnd(width, ' ');
}

/** Numeric fixed-width zone: zero-filled on the left; throws if the number does not fit. */
export function numeric(value: number | string, width: number): string {
	const digits = String(value);
	if (!/^\d+$/.test(digits) || digits.length > width)
		throw new Error(`${digits} does not fit a ${width}-digit numeric zone`);
	return digits.padStart(width, '0');
}

/** Remainder of a decimal digit string modulo 97 (no big integers needed). */
export function mod97(digits: string): number {
	let remainder = 0;
	for (const ch of digits) remainder = (remainder * 10 + Number(ch)) % 97;
	return remainder;
}

/** True for the 12 digits of a Belgian structured communication (OGM/VCS) with a valid check. */
export function isBelgianStructuredReference(value: string): boolean {
	if (!/^\d{12}$/.test(value)) return false;
	const check = mod97(value.slice(0, 10)) || 97;
	return check === Number(value.slice(10));
}

/** The printed form of the 12 digits: '+++123/4567/89002+++'. */
export function formatStructuredCommunication(twelveDigits: string): string {
	return `+++${twelveDigits.slice(0, 3)}/${twelveDigits.slice(3, 7)}/${twelveDigits.slice(7, 12)}+++`;
}

/** Letters to numbers as ISO 13616 / ISO 11649 do (A = 10 ... Z = 35). */
function lettersToDigits(value: string): string {
	return value.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
}

/** An IBAN (no spaces, upper case) whose ISO 13616 check digits are right. */
export function isIban(value: string | null | undefined): value is string {
	if (!value || !/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(value)) return false;
	return mod97(lettersToDigits(value.slice(4) + value.slice(0, 4))) === 1;
}

/** An 8- or 11-character BIC as ISO 9362 (and the CAMT schema's BICIdentifier) allows. */
export function isBic(value: string | null | undefined): value is string {
	return !!value && /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/.test(value);
}

/**
 * A Belgian account number in the old 12-digit form (BBAN, printed 539-0075470-34): the last two
 * digits are the first ten modulo 97 (97 for 0), the rule of the structured communication.
 */
export function belgianBban(value: string | null | undefined): string | null {
	const digits = (value ?? '').replace(/[\s-]/g, '');
	return /^\d{12}$/.test(digits) && isBelgianStructuredReference(digits) ? digits : null;
}

/**
 * The ISO 11649 creditor reference of a line Ponto marked structured (compact, upper case), or
 * null. Belgian structured communications have their own field (`structuredReference`).
 */
export function creditorReferenceOf(line: {
	remittanceInformation: string;
	remittanceInformationType: string;
	structuredReference: string | null;
}): string | null {
	if (line.structuredReference || line.remittanceInformationType !== 'structured') return null;
	const compact = line.remittanceInformation.replace(/\s+/g, '').toUpperCase();
	return isCreditorReference(compact) ? compact : null;
}

/** An ISO 11649 creditor reference ('RF' + 2 check digits + up to 21 characters). */
export function isCreditorReference(value: string): boolean {
	if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(value)) return false;
	return mod97(lettersToDigits(value.slice(4) + value.slice(0, 4))) === 1;
}

/** 'YYYY-MM-DD' -> 'DDMMYY' (CODA). */
export function ddmmyy(date: string): string {
	return `${date.slice(8, 10)}${date.slice(5, 7)}${date.slice(2, 4)}`;
}

/** 'YYYY-MM-DD' -> 'YYYYMMDD'. */
export function compactDate(date: string): string {
	return date.replace(/-/g, '');
}

/** 'DD/MM/YYYY' or 'MM/DD/YYYY' from 'YYYY-MM-DD'. */
export function slashDate(date: string, order: 'DD/MM/YYYY' | 'MM/DD/YYYY'): string {
	const [year, month, day] = date.split('-');
	return order === 'DD/MM/YYYY' ? `${day}/${month}/${year}` : `${month}/${day}/${year}`;
}

/** The calendar day before a 'YYYY-MM-DD' day. */
export function previousDay(date: string): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The instant as 'YYYY-MM-DDTHH:MM:SSZ' (UTC, whole seconds). */
export function utcDateTime(instant: string): string {
	return `${new Date(instant).toISOString().slice(0, 19)}Z`;
}

/** The calendar day of an instant in a time zone ('YYYY-MM-DD'); UTC if the zone is unknown. */
export function localDay(instant: string, timeZone: string): string {
	const date = new Date(instant);
	try {
		const parts = new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).formatToParts(date);
		const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
		return `${get('year')}-${get('month')}-${get('day')}`;
	} catch {
		return date.toISOString().slice(0, 10);
	}
}

/** The sum of the credits (> 0) and of the debits' absolute values, in cents, with counts. */
export function movementTotals(statement: Statement): {
	credit: number;
	debit: number;
	credits: number;
	debits: number;
} {
	const totals = { credit: 0, debit: 0, credits: 0, debits: 0 };
	for (const line of statement.lines) {
		if (line.amountCents < 0) {
			totals.debit -= line.amountCents;
			totals.debits++;
		} else {
			totals.credit += line.amountCents;
			totals.credits++;
		}
	}
	return totals;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Refuses a statement that would produce a file whose numbers do not add up: amounts must be
 * integer cents in the account currency, lines inside the period, the totals equal to the sums
 * of the lines, and opening + credits - debits = closing. Every writer calls this first.
 */
export function assertStatementTies(statement: Statement): void {
	const problems: string[] = [];
	const { account, lines } = statement;
	const money = [
		statement.openingBalanceCents,
		statement.closingBalanceCents,
		statement.totalCreditCents,
		statement.totalDebitCents,
	];
	if (!money.every(Number.isSafeInteger))
		problems.push('balances and totals must be integer cents');
	if (!DAY.test(statement.from) || !DAY.test(statement.to) || statement.from > statement.to)
		problems.push(`bad period ${statement.from} .. ${statement.to}`);
	if (!/^[A-Z]{3}$/.test(account.currency))
		problems.push(`bad account currency '${account.currency}'`);
	for (const line of lines) {
		if (!Number.isSafeInteger(line.amountCents))
			problems.push(`line ${line.id}: amount ${line.amountCents} is not integer cents`);
		if (line.currency !== account.currency)
			problems.push(
				`line ${line.id}: currency ${line.currency} differs from the account's ${account.currency}`,
			);
		if (
			!DAY.test(line.bookingDate) ||
			line.bookingDate < statement.from ||
			line.bookingDate > statement.to
		) {
			problems.push(
				`line ${line.id}: booking date ${line.bookingDate} is outside ${statement.from} .. ${statement.to}`,
			);
		}
		if (!DAY.test(line.valueDate) || !DAY.test(line.executionDate))
			problems.push(`line ${line.id}: value and execution dates must be YYYY-MM-DD`);
	}
	const totals = movementTotals(statement);
	if (totals.credit !== statement.totalCreditCents)
		problems.push(
			`total credit ${statement.totalCreditCents} but the credit lines add up to ${totals.credit}`,
		);
	if (totals.debit !== statement.totalDebitCents)
		problems.push(
			`total debit ${statement.totalDebitCents} but the debit lines add up to ${totals.debit}`,
		);
	if (
		statement.openingBalanceCents + totals.credit - totals.debit !==
		statement.closingBalanceCents
	) {
		problems.push(
			`opening ${statement.openingBalanceCents} + credits ${totals.credit} - debits ${totals.debit} is not the closing ${statement.closingBalanceCents}`,
		);
	}
	if (problems.length)
		throw new Error(
			`Statement ${statement.id} cannot be written: ${problems.slice(0, 5).join('; ')}`,
		);
}
