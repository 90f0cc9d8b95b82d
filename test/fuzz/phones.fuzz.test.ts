import fc from 'fast-check';

import {
	normalizeCountryCode,
	normalizePhone,
} from '../../nodes/MangoCalltracking/normalize/normalizePhone';
import {
	attempt,
	check,
	COUNTRY_CODES,
	E164,
	expectRejection,
	noisyString,
	RUNS,
	same,
} from './fuzzHelpers';

const countryCode = fc.constantFrom(...COUNTRY_CODES);
const e164 = fc.stringMatching(/^\+[1-9]\d{7,14}$/);
const SEPARATORS = ['', '', '', ' ', '-', '.', '(', ')', '/', '\u00a0', '\t'];

/** Writes digits the way PBXs and CRMs do: random separators between the digits. */
const formatted = (digits: string) =>
	fc
		.array(fc.constantFrom(...SEPARATORS), { minLength: digits.length, maxLength: digits.length })
		.map((separators) =>
			digits
				.split('')
				.map((digit, i) => `${separators[i]}${digit}`)
				.join(''),
		);

/** Caller-ID and URI wrappings that must be peeled off. */
const WRAPPINGS: Array<(number: string) => string> = [
	(n) => n,
	(n) => ` ${n} `,
	(n) => `tel:${n}`,
	(n) => `tel:${n};ext=101`,
	(n) => `sip:${n}@pbx.local`,
	(n) => `sips:${n}@10.0.0.1:5061`,
	(n) => `"Ivan Petrov" <${n}>`,
	(n) => `"Reception 101" <sip:${n}@pbx>`,
	(n) => `<${n}>`,
];
const wrapping = fc.constantFrom(...WRAPPINGS);

const phone = (value: unknown, defaultCountryCode: string) =>
	normalizePhone(value, { defaultCountryCode }, { parameter: 'phoneTo' });

const phoneLike = fc.oneof(
	fc.stringMatching(/^\+?[0-9 ()\-.]{0,20}$/),
	fc.stringMatching(/^(8|7|\+7|00|810)?[0-9]{0,12}$/),
	fc.tuple(fc.stringMatching(/^\+?\d{1,16}$/), wrapping).map(([n, wrap]) => wrap(n)),
	fc.integer({ min: 0 }),
	fc.double(),
	fc.bigInt(),
);

describe('phones (fuzz)', () => {
	test('anything: E.164 (8–15 digits), or an InvalidValueError naming the field', () => {
		fc.assert(
			fc.property(
				fc.oneof(fc.anything(), noisyString, phoneLike),
				countryCode,
				fc.boolean(),
				(value, cc, optional) => {
					const parameter = optional ? 'phoneFrom' : 'phoneTo';
					const outcome = attempt(() =>
						normalizePhone(value, { defaultCountryCode: cc }, { parameter, optional }),
					);
					if (!outcome.ok) return expectRejection(outcome.error, parameter, value);
					if (outcome.value === '') return check(optional, 'only an optional phone may be empty');
					check(E164.test(outcome.value), `${outcome.value} is E.164`);
					// Idempotent, whatever the default country code.
					same(phone(outcome.value, '44'), outcome.value, 'fixed point');
				},
			),
			RUNS,
		);
	});

	test('an E.164 number normalises to itself, however it is written or wrapped', () => {
		fc.assert(
			fc.property(
				e164.chain((number) => fc.tuple(fc.constant(number), formatted(number.slice(1)))),
				fc.constantFrom('+', '00', '810'),
				wrapping,
				countryCode,
				([number, digits], prefix, wrap, cc) => {
					// 810 is the international prefix only under country code 7, and only when more than 11 digits follow
					// from it; "810" + 8 digits reads as a Russian 8 + 10-digit number.
					const usable =
						prefix === '810' ? (cc === '7' && number.length - 1 >= 9 ? prefix : '+') : prefix;
					// Under country code 7, "+8 …" with a separator after the 8 is rejected as the Russian "+8 (495)" slip.
					fc.pre(!(cc === '7' && usable === '+' && /^8[^\d]/.test(digits)));
					same(phone(wrap(`${usable}${digits}`), cc), number, `${usable}${digits}`);
				},
			),
			RUNS,
		);
	});

	test('Russian national forms (8…, 7…, 10 digits, +7…) all become +7 and the 10 digits', () => {
		fc.assert(
			fc.property(
				// Russian numbers start with 3, 4, 8 or 9 (a 10-digit "00…" would be an international prefix).
				fc
					.stringMatching(/^[3489]\d{9}$/)
					.chain((digits) =>
						fc.tuple(
							fc.constant(digits),
							fc.constantFrom('8', '7', '', '+7', '+7 ', '8 ', '007'),
							formatted(digits),
						),
					),
				wrapping,
				([digits, prefix, written], wrap) => {
					same(phone(wrap(`${prefix}${written}`), '7'), `+7${digits}`, `${prefix}${written}`);
				},
			),
			RUNS,
		);
	});

	test('other countries: a national number drops one trunk 0 and gets the default country code', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('44', '49', '33', '39', '1', '380', '86', '971'),
				fc.boolean(),
				fc.nat(),
				wrapping,
				(cc, trunk, seed, wrap) => {
					// At least 6 national digits (fewer looks like an extension) and 8 in all; at most 15 in all.
					const shortest = Math.max(6, 8 - cc.length);
					const length = shortest + (seed % (15 - cc.length - shortest + 1));
					const national = `${1 + (seed % 9)}${String(seed)
						.padStart(length, '7')
						.slice(-(length - 1))}`;
					same(phone(wrap(`${trunk ? '0' : ''}${national}`), cc), `+${cc}${national}`, national);
				},
			),
			RUNS,
		);
	});

	test('internal extensions (2–5 digits) are always rejected, naming the field', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^\d{2,5}$/),
				countryCode,
				wrapping,
				fc.boolean(),
				(extension, cc, wrap, optional) => {
					const parameter = optional ? 'phoneFrom' : 'phoneTo';
					const value = wrap(extension);
					const outcome = attempt(() =>
						normalizePhone(value, { defaultCountryCode: cc }, { parameter, optional }),
					);
					check(!outcome.ok, `${value} is rejected`);
					if (!outcome.ok) expectRejection(outcome.error, parameter, value);
				},
			),
			RUNS,
		);
	});

	test('letters anywhere in the number are rejected', () => {
		fc.assert(
			fc.property(
				e164,
				fc.nat(),
				fc.constantFrom(...'abcxyzABCXYZабвАБВ#*,'.split('')),
				countryCode,
				(number, at, letter, cc) => {
					const position = 1 + (at % (number.length - 1));
					const value = `${number.slice(0, position)}${letter}${number.slice(position)}`;
					const outcome = attempt(() => phone(value, cc));
					check(!outcome.ok, `${value} is rejected`);
					if (!outcome.ok) expectRejection(outcome.error, 'phoneTo', value);
				},
			),
			RUNS,
		);
	});

	test('normalizeCountryCode: 1–3 digits without a leading 0, or an InvalidValueError', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.anything({ maxDepth: 1 }),
					noisyString,
					fc.integer({ min: -10, max: 2000 }),
					fc.stringMatching(/^\s?\+?\d{1,4}\s?$/),
				),
				(value) => {
					const outcome = attempt(() => normalizeCountryCode(value));
					if (!outcome.ok)
						return expectRejection(outcome.error, 'options.defaultCountryCode', value);
					check(/^[1-9]\d{0,2}$/.test(outcome.value), `${outcome.value} is a country code`);
					same(normalizeCountryCode(outcome.value), outcome.value, 'fixed point');
				},
			),
			RUNS,
		);
	});
});
