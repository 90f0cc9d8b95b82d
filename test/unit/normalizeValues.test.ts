import {
	describeValue,
	InvalidValueError,
} from '../../nodes/MangoCalltracking/normalize/InvalidValueError';
import {
	DEFAULT_BASE_URL,
	isLoopbackHost,
	normalizeBaseUrl,
} from '../../nodes/MangoCalltracking/normalize/normalizeBaseUrl';
import { normalizeCallId } from '../../nodes/MangoCalltracking/normalize/normalizeCallId';
import { normalizeDuration } from '../../nodes/MangoCalltracking/normalize/normalizeDuration';
import { normalizeRecordLink } from '../../nodes/MangoCalltracking/normalize/normalizeRecordLink';
import { expectInvalid } from './expectInvalid';

describe('normalizeCallId', () => {
	test.each<[unknown, string]>([
		['call2', 'call2'],
		['  1714566600.42 \n', '1714566600.42'],
		[42, '42'],
		[0, '0'],
		[-0, '0'],
		[1.5, '1.5'],
		[BigInt(7), '7'],
		['звонок 1', 'звонок 1'],
		['emoji \u{1F4DE}', 'emoji \u{1F4DE}'],
	])('%p → %p', (value, expected) => {
		expect(normalizeCallId(value)).toBe(expected);
	});

	test.each<unknown>([
		'',
		'   ',
		'\u00a0',
		undefined,
		null,
		Number.NaN,
		Number.POSITIVE_INFINITY,
		true,
		{},
		['1'],
	])('%p is rejected naming callId', (value) => {
		expectInvalid(() => normalizeCallId(value), 'callId', value);
	});

	test.each(['call\uD83D', '\uDCDE', 'a\uDC00\uD800b'])(
		'a lone surrogate (%p) is rejected',
		(value) => {
			expectInvalid(() => normalizeCallId(value), 'callId', value);
		},
	);

	test('the parameter name can be overridden', () => {
		expectInvalid(() => normalizeCallId('', 'items.callId'), 'items.callId', '');
	});
});

describe('normalizeRecordLink', () => {
	test.each<[string, string]>([
		['https://pbx.example.com/records/1.mp3', 'https://pbx.example.com/records/1.mp3'],
		['http://adress.net', 'http://adress.net/'],
		['  https://pbx.example.com/a.mp3  ', 'https://pbx.example.com/a.mp3'],
		['HTTPS://PBX.EXAMPLE.COM/A.mp3', 'https://pbx.example.com/A.mp3'],
		[
			'https://pbx.example.com/monitor/2024/05/01/out 1.wav',
			'https://pbx.example.com/monitor/2024/05/01/out%201.wav',
		],
		[
			'https://pbx.example.com/записи/1.mp3',
			'https://pbx.example.com/%D0%B7%D0%B0%D0%BF%D0%B8%D1%81%D0%B8/1.mp3',
		],
		['https://пример.рф/1.mp3', 'https://xn--e1afmkfd.xn--p1ai/1.mp3'],
		['http://10.0.0.5:8080/rec?id=1&t=a b#x', 'http://10.0.0.5:8080/rec?id=1&t=a%20b#x'],
	])('%p → %p', (value, expected) => {
		expect(normalizeRecordLink(value, { required: true })).toBe(expected);
		expect(normalizeRecordLink(value, { required: false })).toBe(expected);
	});

	test.each<unknown>([undefined, null, '', '  '])('empty %p is "" when optional', (value) => {
		expect(normalizeRecordLink(value, { required: false })).toBe('');
	});

	test.each<unknown>([undefined, null, '', '  '])('empty %p is rejected when required', (value) => {
		expectInvalid(() => normalizeRecordLink(value, { required: true }), 'recordLink', value);
	});

	test.each<unknown>([
		'ftp://pbx/1.mp3',
		'file:///var/spool/asterisk/monitor/1.wav',
		'1.wav',
		'/monitor/1.wav',
		'pbx.example.com/1.mp3',
		'javascript:alert(1)',
		'data:audio/mp3;base64,AAAA',
		'https://',
		'https://exa mple.com/',
		42,
		true,
		{ url: 'https://x/' },
	])('%p is rejected, optional or not', (value) => {
		expectInvalid(() => normalizeRecordLink(value, { required: false }), 'recordLink', value);
		expectInvalid(() => normalizeRecordLink(value, { required: true }), 'recordLink', value);
	});

	test('the parameter name can be overridden', () => {
		expectInvalid(
			() => normalizeRecordLink('x', { required: true, parameter: 'link' }),
			'link',
			'x',
		);
	});
});

describe('normalizeDuration', () => {
	test.each<[unknown, number]>([
		[0, 0],
		['0', 0],
		[10, 10],
		['10.9', 10],
		[' 59.999 ', 59],
		[0.4, 0],
		['1e3', 1000],
		[31 * 24 * 3600, 31 * 24 * 3600],
	])('%p → %i whole seconds', (value, expected) => {
		expect(normalizeDuration(value)).toBe(expected);
	});

	test.each<unknown>([
		-1,
		'-1',
		-0.5,
		31 * 24 * 3600 + 1,
		'',
		'  ',
		'ten',
		'10s',
		Number.NaN,
		Number.POSITIVE_INFINITY,
		null,
		undefined,
		true,
		{},
		[],
	])('%p is rejected naming duration', (value) => {
		expectInvalid(() => normalizeDuration(value), 'duration', value);
	});
});

describe('normalizeBaseUrl', () => {
	test.each<[unknown, string]>([
		[undefined, DEFAULT_BASE_URL],
		['', DEFAULT_BASE_URL],
		['   ', DEFAULT_BASE_URL],
		['https://widgets-api.mango-office.ru/', 'https://widgets-api.mango-office.ru'],
		['https://proxy.example.com/mango//', 'https://proxy.example.com/mango'],
		['HTTPS://Proxy.Example.com:8443/a/', 'https://proxy.example.com:8443/a'],
		['http://localhost:8080/', 'http://localhost:8080'],
		['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
		['http://127.10.20.30', 'http://127.10.20.30'],
		['http://[::1]:9000/', 'http://[::1]:9000'],
	])('%p → %p', (value, expected) => {
		const result = normalizeBaseUrl(value);
		expect(result).toBe(expected);
		expect(normalizeBaseUrl(result)).toBe(result);
	});

	test('the default is the production API host', () => {
		expect(DEFAULT_BASE_URL).toBe('https://widgets-api.mango-office.ru');
	});

	test.each<string>([
		'http://widgets-api.mango-office.ru',
		'http://10.0.0.1:8080',
		'http://127.0.0.1.evil.example',
		'http://localhost.evil.example',
		'ftp://widgets-api.mango-office.ru',
		'https://widgets-api.mango-office.ru/?access_token=x',
		'https://widgets-api.mango-office.ru/#x',
		'https://user:secret@widgets-api.mango-office.ru',
		'widgets-api.mango-office.ru',
		'not a url',
	])('%p is rejected naming credentials.baseUrl', (value) => {
		expectInvalid(() => normalizeBaseUrl(value), 'credentials.baseUrl', value);
	});

	test.each<[string, boolean]>([
		['localhost', true],
		['127.0.0.1', true],
		['127.255.255.254', true],
		['[::1]', true],
		['::1', false],
		['128.0.0.1', false],
		['127.0.0', false],
		['localhost.example', false],
		['mylocalhost', false],
	])('isLoopbackHost(%p) is %p', (host, expected) => {
		expect(isLoopbackHost(host)).toBe(expected);
	});
});

describe('InvalidValueError', () => {
	test('carries parameter, value and expected, and names itself', () => {
		const value = { a: 1 };
		const error = new InvalidValueError('phoneTo', value, 'a phone number');
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('InvalidValueError');
		expect(error.parameter).toBe('phoneTo');
		expect(error.value).toBe(value);
		expect(error.expected).toBe('a phone number');
		expect(error.message).toBe('Invalid phoneTo: {"a":1} — expected a phone number');
	});

	test.each<[unknown, string]>([
		[undefined, 'nothing (undefined)'],
		[null, 'null'],
		['', 'an empty string'],
		['101', '"101"'],
		[42, '42'],
		[false, 'false'],
		[BigInt(5), '[object BigInt]'],
		['x'.repeat(100), `"${'x'.repeat(80)}…"`],
	])('describeValue(%p) → %s', (value, expected) => {
		expect(describeValue(value)).toBe(expected);
	});

	test('describeValue survives values JSON cannot show', () => {
		const circular: Record<string, unknown> = {};
		circular.self = circular;
		expect(describeValue(circular)).toBe('[object Object]');
		expect(describeValue(() => 1)).toBe('() => 1');
		expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
	});
});
