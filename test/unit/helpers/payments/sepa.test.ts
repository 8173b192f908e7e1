import {
	belgianCheckDigits,
	checkAmount,
	checkBic,
	checkExecutionDate,
	checkIban,
	checkSepaText,
	checkStructuredReference,
	IBAN_LENGTHS,
	MAX_CREDITOR_NAME,
	MAX_END_TO_END_ID,
	MAX_REMITTANCE,
	nonSepaCharacters,
	todayInBrussels,
} from '../../../../nodes/Ponto/helpers/payments';
import { validIbans } from '../../../support/fixtures';

/**
 * The payment validators against a corpus of good and bad values. Good IBANs are the published
 * example IBANs of 89 countries (checked independently when added); the bad ones are derived
 * from them by the typing errors mod-97 is meant to catch.
 */
const GOOD_IBANS = validIbans();

/** One digit changed: mod-97 catches every single-digit error. */
function oneDigitChanged(iban: string): string {
	const at = [...iban].findIndex((c, i) => i >= 4 && /\d/.test(c));
	const digit = Number(iban[at]);
	return iban.slice(0, at) + String((digit + 1) % 10) + iban.slice(at + 1);
}

/** Two different adjacent digits swapped: mod-97 catches every such transposition. */
function swapped(iban: string): string | undefined {
	for (let i = 4; i < iban.length - 1; i++) {
		if (/\d/.test(iban[i]) && /\d/.test(iban[i + 1]) && iban[i] !== iban[i + 1])
			return iban.slice(0, i) + iban[i + 1] + iban[i] + iban.slice(i + 2);
	}
	return undefined;
}

const counted = { good: 0, bad: 0 };
afterAll(() => {
	process.stdout.write(
		`payment validator corpus: ${counted.good} good, ${counted.bad} bad values\n`,
	);
	// The issue asks for at least 200 good and bad values together.
	expect(counted.good + counted.bad).toBeGreaterThanOrEqual(200);
});

describe('IBAN', () => {
	test('the corpus covers many countries, each with the registry length', () => {
		expect(GOOD_IBANS.length).toBeGreaterThanOrEqual(80);
		expect(new Set(GOOD_IBANS.map((iban) => iban.slice(0, 2))).size).toBe(GOOD_IBANS.length);
		for (const iban of GOOD_IBANS) expect(iban.length).toBe(IBAN_LENGTHS[iban.slice(0, 2)]);
	});

	test.each(GOOD_IBANS)('%s is valid', (iban) => {
		counted.good++;
		expect(checkIban(iban)).toEqual({ ok: true, value: iban });
	});

	test.each(GOOD_IBANS.map(oneDigitChanged))(
		'%s (one digit changed) is refused by its check digits',
		(iban) => {
			counted.bad++;
			expect(checkIban(iban)).toEqual({
				ok: false,
				problem: expect.stringMatching(/check digits do not match/),
			});
		},
	);

	test.each(
		GOOD_IBANS.map(swapped)
			.filter((iban): iban is string => iban !== undefined)
			.slice(0, 40),
	)('%s (two digits swapped) is refused', (iban) => {
		counted.bad++;
		expect(checkIban(iban)).toEqual({
			ok: false,
			problem: expect.stringMatching(/check digits do not match/),
		});
	});

	test.each([
		['be68 5390 0754 7034', 'BE68539007547034'],
		['BE68\u00a05390\u00a00754\u00a07034', 'BE68539007547034'],
		['  nl91abna0417164300 ', 'NL91ABNA0417164300'],
		['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
	])('%s is read as printed on an invoice', (input, expected) => {
		counted.good++;
		expect(checkIban(input)).toEqual({ ok: true, value: expected });
	});

	test.each([
		['', /is not an IBAN/],
		['BE6853900754703', /BE IBANs have 16 characters, this one has 15/],
		['BE685390075470344', /BE IBANs have 16 characters, this one has 17/],
		['DE8937040044053201300', /DE IBANs have 22 characters, this one has 21/],
		['XX68539007547034', /"XX" is not a country that uses IBANs/],
		['US68539007547034', /"US" is not a country that uses IBANs/],
		['1268539007547034', /two-letter country code/],
		['BEAB539007547034', /check digits/],
		['BE68-5390-0754-7034', /"-"/],
		['BE68.5390.0754.7034', /"\."/],
		['BE68539007547034é', /"é"/],
		['BE00539007547034', /check digits do not match/],
		['BE01539007547034', /check digits do not match/],
		['BE99539007547034', /check digits do not match/],
		['GB29NWBK60161331926818', /check digits do not match/],
		['FR1420041010050500013M02607', /check digits do not match/],
	])('%j is refused: %s', (input, problem) => {
		counted.bad++;
		const result = checkIban(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problem).toMatch(problem);
	});

	test.each([undefined, null, 42, {}, []])('%p is not an IBAN', (input) => {
		counted.bad++;
		expect(checkIban(input)).toEqual({ ok: false, problem: 'is not an IBAN' });
	});
});

describe('BIC', () => {
	test.each([
		'GEBABEBB',
		'GEBABEBB36A',
		'KREDBEBB',
		'BBRUBEBB010',
		'DEUTDEFF',
		'DEUTDEFF500',
		'NWBKGB2L',
		'ABNANL2A',
		'BNPAFRPP',
		'INGBNL2A',
		'gkccbebb',
		'AXAB BE22',
		'TRIOBEBB',
		'NBBEBEBB203',
		'UNCRITMM',
		'CITIUS33XXX',
		'BOFAUS3N',
		'RABONL2U',
		'BCEELULL',
		'ARSPBE22',
	])('%s is valid', (bic) => {
		counted.good++;
		expect(checkBic(bic)).toEqual({ ok: true, value: bic.replace(/\s/g, '').toUpperCase() });
	});

	test.each([
		['GEBABEB', /8 or 11 characters, this one has 7/],
		['GEBABEBB3', /this one has 9/],
		['GEBABEBB36', /this one has 10/],
		['GEBABEBB36AB', /this one has 12/],
		['GEB1BEBB', /first 4 characters/],
		['1EBABEBB', /first 4 characters/],
		['GEBAB1BB', /country code/],
		['GEBA12BB', /country code/],
		['GEBABEB!', /letters and digits/],
		['GEBABEBB-6A', /letters and digits/],
		['', /is not a BIC/],
		['BE68539007547034', /8 or 11 characters/],
	])('%j is refused', (input, problem) => {
		counted.bad++;
		const result = checkBic(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problem).toMatch(problem);
	});
});

describe('amount', () => {
	test.each([
		[1, 1, 100],
		['1', 1, 100],
		[0.01, 0.01, 1],
		['0.01', 0.01, 1],
		[12.5, 12.5, 1250],
		['12.50', 12.5, 1250],
		['12.5', 12.5, 1250],
		[999.99, 999.99, 99999],
		[1000, 1000, 100000],
		['1000.00', 1000, 100000],
		[' 42.10 ', 42.1, 4210],
		[0.1, 0.1, 10],
	])('%p is %p (%p cents) within a maximum of 1000', (input, value, cents) => {
		counted.good++;
		expect(checkAmount(input, 1000)).toEqual({ ok: true, value: { value, cents } });
	});

	test.each([
		[0, /is zero/],
		['0', /is zero/],
		['0.00', /is zero/],
		[-1, /is negative/],
		['-0.01', /is negative/],
		[0.001, /not an amount|more than two decimals/],
		['12.345', /more than two decimals/],
		[0.1 + 0.2, /more than two decimals/],
		['12,50', /after a dot/],
		['1,000.00', /not an amount such as/],
		['12.50 EUR', /not an amount such as/],
		['€12.50', /not an amount such as/],
		['1e3', /not an amount such as/],
		[1000.01, /Maximum Amount per Payment \(1000\)/],
		['5000', /Maximum Amount per Payment/],
		[Number.NaN, /is not an amount/],
		[Number.POSITIVE_INFINITY, /is not an amount/],
		['', /is not an amount/],
		[null, /is not an amount/],
		[true, /is not an amount/],
	])('%p is refused', (input, problem) => {
		counted.bad++;
		const result = checkAmount(input, 1000);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problem).toMatch(problem);
	});

	test('the SEPA ceiling holds whatever maximum the user sets', () => {
		counted.bad++;
		expect(checkAmount('1000000000.00', 1e12)).toEqual({
			ok: false,
			problem: expect.stringMatching(/more than a SEPA transfer can carry/),
		});
		expect(checkAmount('999999999.99', 1e12)).toEqual({
			ok: true,
			value: { value: 999999999.99, cents: 99999999999 },
		});
	});
});

describe('SEPA character set', () => {
	const name = { maxLength: MAX_CREDITOR_NAME, required: true };
	const remittance = { maxLength: MAX_REMITTANCE, required: false };
	const allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ";

	test.each([...allowed].filter((c) => c !== ' '))('%j is in the set', (char) => {
		counted.good++;
		expect(checkSepaText(`A${char}B`, name)).toEqual({ ok: true, value: `A${char}B` });
	});

	test.each([...'&@#$%*=!"<>;_[]{}|\\~^`€£§°²éèàçüöäñßøÆ\t\n\u00a0\u2019'])(
		'%j is named as not allowed',
		(char) => {
			counted.bad++;
			const result = checkSepaText(`Ab${char}c`, name);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.problem).toMatch(/position 3/);
		},
	);

	test('every offending character is named once, with its first position, and a suggestion without accents', () => {
		counted.bad++;
		expect(checkSepaText('Café & Crème & Co', name)).toEqual({
			ok: false,
			problem:
				'holds characters SEPA transfers do not allow: "é" (position 4), "&" (position 6), "è" (position 10)',
		});
		expect(checkSepaText('Société Générale', name)).toEqual({
			ok: false,
			problem:
				'holds characters SEPA transfers do not allow: "é" (position 5); without accents it would read "Societe Generale"',
		});
		expect(nonSepaCharacters('a\u2019b\u2019c')).toEqual([{ char: '\u2019', position: 2 }]);
	});

	test('lengths: 60 for names, 140 for remittances, counted after trimming', () => {
		counted.good += 2;
		counted.bad += 2;
		expect(checkSepaText('A'.repeat(60), name).ok).toBe(true);
		expect(checkSepaText(`  ${'A'.repeat(60)}  `, name)).toEqual({
			ok: true,
			value: 'A'.repeat(60),
		});
		expect(checkSepaText('A'.repeat(61), name)).toEqual({
			ok: false,
			problem: 'is 61 characters long; at most 60 are allowed',
		});
		expect(checkSepaText('x'.repeat(140), remittance).ok).toBe(true);
		expect(checkSepaText('x'.repeat(141), remittance)).toEqual({
			ok: false,
			problem: 'is 141 characters long; at most 140 are allowed',
		});
	});

	test('required and optional blanks', () => {
		counted.good++;
		counted.bad += 2;
		expect(checkSepaText('   ', name)).toEqual({ ok: false, problem: 'is empty' });
		expect(checkSepaText(undefined, name)).toEqual({ ok: false, problem: 'is empty' });
		expect(checkSepaText('', remittance)).toEqual({ ok: true, value: '' });
	});

	test.each([
		['INV-2024-0001', true],
		['A'.repeat(MAX_END_TO_END_ID), true],
		['A'.repeat(MAX_END_TO_END_ID + 1), false],
		['/INV1', false],
		['INV1/', false],
		['INV//1', false],
		['INV 1', false],
		['INV/1', true],
		['INV_1', false],
	])('end-to-end id %j valid: %p', (input, valid) => {
		if (valid) counted.good++;
		else counted.bad++;
		expect(
			checkSepaText(input, { maxLength: MAX_END_TO_END_ID, required: false, identifier: true }).ok,
		).toBe(valid);
	});
});

describe('structured references', () => {
	test.each([
		['+++090/9337/55493+++', '090933755493'],
		['***090/9337/55493***', '090933755493'],
		['090933755493', '090933755493'],
		['+++ 090 / 9337 / 55493 +++', '090933755493'],
		['+++000/0000/09797+++', '000000009797'],
		['+++123/4567/89002+++', '123456789002'],
		['+++000/0000/00097+++', '000000000097'],
	])('Belgian %s is valid', (input, digits) => {
		counted.good++;
		const result = checkStructuredReference(input);
		expect(result).toEqual({
			ok: true,
			value: {
				kind: 'belgian',
				value: digits,
				display: `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`,
			},
		});
	});

	test('Belgian check digits: the first ten digits mod 97, and 97 for a remainder of 0', () => {
		expect(belgianCheckDigits('1234567890')).toBe(String(1234567890 % 97).padStart(2, '0'));
		expect(belgianCheckDigits('0000000097')).toBe('97');
		expect(belgianCheckDigits('0000000000')).toBe('97');
	});

	test('every single-digit change of a Belgian reference is caught', () => {
		const good = '090933755493';
		for (let position = 0; position < 12; position++) {
			for (let digit = 0; digit <= 9; digit++) {
				if (String(digit) === good[position]) continue;
				const changed = good.slice(0, position) + digit + good.slice(position + 1);
				// A change in the check digits to the same remainder is impossible: they are the remainder.
				expect(checkStructuredReference(changed).ok).toBe(false);
				counted.bad++;
			}
		}
	});

	test.each([
		['+++090/9337/55494+++', /should be 93, not 94/],
		['+++090/9337/5549+++', /12 digits/],
		['+++090/9337/554933+++', /12 digits/],
		['+++09A/9337/55493+++', /12 digits/],
		['09093375549', /12 digits/],
		['+++000/0000/00000+++', /should be 97, not 00/],
	])('Belgian %s is refused', (input, problem) => {
		counted.bad++;
		const result = checkStructuredReference(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problem).toMatch(problem);
	});

	test.each([
		['RF18539007547034', 'RF18 5390 0754 7034'],
		['RF18 5390 0754 7034', 'RF18 5390 0754 7034'],
		['rf18 5390 0754 7034', 'RF18 5390 0754 7034'],
		['RF712348231', 'RF71 2348 231'],
		['RF18000000000539007547034', 'RF18 0000 0000 0539 0075 4703 4'],
	])('ISO 11649 %s is valid', (input, display) => {
		counted.good++;
		const result = checkStructuredReference(input);
		expect(result).toEqual({
			ok: true,
			value: { kind: 'iso11649', value: display.replace(/ /g, ''), display },
		});
	});

	test.each([
		['RF19539007547034', /check digits do not match/],
		['RF18539007547035', /check digits do not match/],
		['RF18539007574034', /check digits do not match/],
		['RF1853900754703', /check digits do not match/],
		['RF18', /1 to 21/],
		['RF1800000000005390075470345', /1 to 21/],
		['RFAB539007547034', /two check digits/],
		['RF18-5390-0754', /only letters and digits/],
		['RF00539007547034', /check digits do not match/],
		['RF', /two check digits/],
	])('ISO 11649 %s is refused', (input, problem) => {
		counted.bad++;
		const result = checkStructuredReference(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problem).toMatch(problem);
	});
});

describe('requested execution date', () => {
	const today = '2026-03-15';
	test.each([
		['2026-03-15', '2026-03-15'],
		['2026-03-16', '2026-03-16'],
		['2026-03-16T00:00:00', '2026-03-16'],
		['2027-03-15', '2027-03-15'],
		['2028-02-29', undefined],
	])('%s', (input, expected) => {
		const result = checkExecutionDate(input, today);
		if (expected) {
			counted.good++;
			expect(result).toEqual({ ok: true, value: expected });
		} else {
			counted.bad++;
			expect(result).toEqual({
				ok: false,
				problem: 'is more than a year ahead (today is 2026-03-15)',
			});
		}
	});

	test.each([
		['2026-03-14', /in the past/],
		['2020-01-01', /in the past/],
		['2026-02-30', /does not exist|not a day/],
		['2026-13-01', /not a day/],
		['tomorrow', /not a date/],
		['15/03/2026', /not a date/],
		['', /not a date/],
	])('%j is refused', (input, problem) => {
		counted.bad++;
		const result = checkExecutionDate(input, today);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problem).toMatch(problem);
	});

	test('today is the Brussels day, not the UTC one', () => {
		expect(todayInBrussels(Date.UTC(2026, 2, 14, 23, 30))).toBe('2026-03-15');
		expect(todayInBrussels(Date.UTC(2026, 6, 14, 21, 59))).toBe('2026-07-14');
		expect(todayInBrussels(Date.UTC(2026, 6, 14, 22, 0))).toBe('2026-07-15');
	});
});
