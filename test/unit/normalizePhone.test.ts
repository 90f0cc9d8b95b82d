import {
	normalizeCountryCode,
	normalizePhone,
} from '../../nodes/MangoCalltracking/normalize/normalizePhone';
import { expectInvalid } from './expectInvalid';

const phoneTo = (value: unknown, defaultCountryCode = '7') =>
	normalizePhone(value, { defaultCountryCode }, { parameter: 'phoneTo' });
const phoneFrom = (value: unknown, defaultCountryCode = '7') =>
	normalizePhone(value, { defaultCountryCode }, { parameter: 'phoneFrom', optional: true });

const NBSP = '\u00a0';

describe('normalizePhone: accepted numbers become E.164', () => {
	test.each<[string, unknown, string, string]>([
		// Russian formats, default country code 7
		['E.164 as is', '+74951234567', '7', '+74951234567'],
		['11 digits with trunk 8', '84951234567', '7', '+74951234567'],
		['11 digits starting with 7', '74951234567', '7', '+74951234567'],
		['10 digits', '4951234567', '7', '+74951234567'],
		['10-digit mobile', '9161234567', '7', '+79161234567'],
		['+7 with brackets and dashes', '+7 (495) 123-45-67', '7', '+74951234567'],
		['8 with brackets and dashes', '8 (495) 123-45-67', '7', '+74951234567'],
		['8 with dashes only', '8-495-123-45-67', '7', '+74951234567'],
		['dots', '8.495.123.45.67', '7', '+74951234567'],
		['10 digits in brackets', '(495) 123 45 67', '7', '+74951234567'],
		['slashes', '+7/495/1234567', '7', '+74951234567'],
		['no-break spaces', `+7${NBSP}495${NBSP}123${NBSP}45${NBSP}67`, '7', '+74951234567'],
		['surrounding whitespace and tabs', ' \t +7 916 123 45 67 \n', '7', '+79161234567'],
		['+7 written in brackets', '(+7) 495 123-45-67', '7', '+74951234567'],
		// caller IDs and URIs
		['"Name" <8…>', '"Ivan Petrov" <84951234567>', '7', '+74951234567'],
		['"Name" <sip:+7…@pbx>', '"Ivan" <sip:+74951234567@pbx>', '7', '+74951234567'],
		['bare <…>', '<+74951234567>', '7', '+74951234567'],
		['sip: URI with host', 'sip:+74951234567@pbx.local', '7', '+74951234567'],
		['sip: URI with 8 and port', 'sip:84951234567@10.0.0.1:5060', '7', '+74951234567'],
		['sips: URI', 'sips:84951234567@pbx', '7', '+74951234567'],
		['tel: URI with ;ext=', 'tel:+7-495-123-45-67;ext=101', '7', '+74951234567'],
		['TEL: upper case', 'TEL:+74951234567', '7', '+74951234567'],
		// international prefixes
		['00 prefix', '0074951234567', '7', '+74951234567'],
		['00 prefix, foreign', '00 49 30 1234567', '7', '+49301234567'],
		['810 prefix', '810 49 30 1234567', '7', '+49301234567'],
		['8 10 prefix with dashes', '8-10-44-20-7946-0958', '7', '+442079460958'],
		['foreign E.164 under default 7', '+44 20 7946 0958', '7', '+442079460958'],
		// numbers
		['number, 11 digits with 8', 89161234567, '7', '+79161234567'],
		['number, 11 digits with 7', 74951234567, '7', '+74951234567'],
		['number, 10 digits', 9161234567, '7', '+79161234567'],
		// other default country codes: one trunk 0 dropped
		['44: national with trunk 0', '020 7946 0958', '44', '+442079460958'],
		['44: mobile with trunk 0', '07911 123456', '44', '+447911123456'],
		['44: national without trunk 0', '20 7946 0958', '44', '+442079460958'],
		['44: already international', '+44 7911 123456', '44', '+447911123456'],
		['44: 00 prefix', '0044 7911 123456', '44', '+447911123456'],
		['49: national with trunk 0', '030 1234567', '49', '+49301234567'],
		['49: brackets and dash', '(030) 123-4567', '49', '+49301234567'],
		['49: 0049 prefix', '0049 30 1234567', '49', '+49301234567'],
		['49: number without trunk 0', 301234567, '49', '+49301234567'],
		['49: Russian number must carry +7', '+7 495 123-45-67', '49', '+74951234567'],
		['1: North American number', '(212) 555-0123', '1', '+12125550123'],
		['380: trunk 0', '044 123 4567', '380', '+380441234567'],
		// bounds of E.164
		['8 digits (shortest)', '+12345678', '7', '+12345678'],
		['15 digits (longest)', '+123456789012345', '7', '+123456789012345'],
	])('%s: %p (default +%s)', (_name, value, defaultCountryCode, expected) => {
		expect(phoneTo(value, defaultCountryCode)).toBe(expected);
		// The result is a fixed point, whatever the default country code.
		expect(phoneTo(expected, defaultCountryCode)).toBe(expected);
		expect(phoneTo(expected, defaultCountryCode === '7' ? '44' : '7')).toBe(expected);
	});

	test('the optional phoneFrom is normalised the same way', () => {
		expect(phoneFrom('"Ivan" <sip:84951234567@pbx>')).toBe('+74951234567');
		expect(phoneFrom('07911 123456', '44')).toBe('+447911123456');
	});
});

describe('normalizePhone: an empty optional phoneFrom becomes an empty string', () => {
	test.each<[string, unknown]>([
		['undefined', undefined],
		['null', null],
		['empty string', ''],
		['whitespace', ` \t${NBSP}`],
		['empty caller ID', '"Anonymous" <>'],
		['empty tel: URI', 'tel:'],
	])('%s', (_name, value) => {
		expect(phoneFrom(value)).toBe('');
	});
});

describe('normalizePhone: rejections name the field and show the value', () => {
	test.each<[string, unknown, string, RegExp | undefined]>([
		// internal extensions
		['extension 101', '101', '7', /internal extension/],
		['extension 12', '12', '7', /internal extension/],
		['extension 12345', '12345', '7', /internal extension/],
		['extension in a SIP URI', 'sip:101@pbx', '7', /internal extension/],
		['extension in a caller ID', '"Reception" <102>', '7', /internal extension/],
		['extension as a number', 101, '7', /internal extension/],
		['extension under default 44', '2001', '44', /internal extension/],
		['extension with a trunk 0 under default 49', '0123', '49', /internal extension/],
		// letters and stray characters
		['letters', 'abc', '7', /only digits/],
		['vanity number', '+7 495 CALL-NOW', '7', /only digits/],
		['trailing letter', '8495123456x', '7', /only digits/],
		['plus in the middle', '+7 495 123+45-67', '7', /only digits/],
		['unbracketed name', '"Ivan" 84951234567', '7', /only digits/],
		['lone plus', '+', '7', /only digits/],
		// too short / incomplete
		['7 digits after +', '+1234567', '7', /8 to 15 digits/],
		['6 digits under default 7', '123456', '7', /not a complete number/],
		['9 digits under default 7', '495123456', '7', /not a complete number/],
		['12 digits starting with 8 (not 810)', '849512345678', '7', /not a complete number/],
		['11 digits starting with 9 under default 7', '94951234567', '7', /not a complete number/],
		['too short national under default 44', '0 12 34 5', '44', /not a complete number/],
		['00 and nothing else', '00', '7', /8 to 15 digits/],
		// too long
		['16 digits after +', '+1234567890123456', '7', /8 to 15 digits/],
		['16 digits after 00', '001234567890123456', '7', /8 to 15 digits/],
		['national number too long for +44', '0791112345678901', '44', /8 to 15 digits/],
		// leading 0 after +
		['+0…', '+0123456789', '7', /does not start with 0/],
		['000…', '000123456789', '7', /does not start with 0/],
		// empty required
		['empty string', '', '7', /required/],
		['whitespace', '   ', '7', /required/],
		['empty caller ID', '"Anonymous" <>', '7', /required/],
		['undefined', undefined, '7', undefined],
		['null', null, '7', undefined],
		// wrong types
		['object', { number: '+74951234567' }, '7', undefined],
		['array', ['+74951234567'], '7', undefined],
		['boolean true', true, '7', undefined],
		['boolean false', false, '7', undefined],
		['negative number', -84951234567, '7', undefined],
		['fractional number', 8495123456.7, '7', undefined],
		['unsafe integer', 2 ** 53, '7', undefined],
		['NaN', Number.NaN, '7', undefined],
		['bigint', BigInt(84951234567), '7', undefined],
	])('%s: %p (default +%s)', (_name, value, defaultCountryCode, why) => {
		const error = expectInvalid(() => phoneTo(value, defaultCountryCode), 'phoneTo', value);
		expect(error.expected).toContain('E.164');
		expect(error.expected).toContain(`+${defaultCountryCode}`);
		if (why) expect(error.message).toMatch(why);
	});

	test('an invalid optional phoneFrom is still an error, naming phoneFrom', () => {
		expectInvalid(() => phoneFrom('101'), 'phoneFrom', '101');
		expectInvalid(() => phoneFrom('not a number'), 'phoneFrom', 'not a number');
		expectInvalid(() => phoneFrom(false), 'phoneFrom', false);
	});
});

describe('normalizeCountryCode', () => {
	test.each<[unknown, string]>([
		['7', '7'],
		[7, '7'],
		['+44', '44'],
		[' 49 ', '49'],
		[380, '380'],
		['1', '1'],
	])('accepts %p as %p', (value, expected) => {
		expect(normalizeCountryCode(value)).toBe(expected);
	});

	test.each<unknown>([
		'',
		'0',
		'07',
		'1234',
		'+',
		'++7',
		'abc',
		'7a',
		'7 7',
		7.5,
		-7,
		0,
		null,
		undefined,
		{},
		true,
	])('rejects %p naming options.defaultCountryCode', (value) => {
		expectInvalid(() => normalizeCountryCode(value), 'options.defaultCountryCode', value);
	});
});
