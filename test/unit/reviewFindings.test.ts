/*
 * Inputs a review found to be read wrongly before: compact CDR dates, the "+8 (495)" slip, dot-segment call IDs,
 * loose Retry-After text and redirects.
 */
import { normalizeCallId } from '../../nodes/MangoCalltracking/normalize/normalizeCallId';
import { normalizeDateTime } from '../../nodes/MangoCalltracking/normalize/normalizeDateTime';
import { normalizePhone } from '../../nodes/MangoCalltracking/normalize/normalizePhone';
import { MangoRequestFailure } from '../../nodes/MangoCalltracking/transport/MangoRequestFailure';
import { readMangoAnswer } from '../../nodes/MangoCalltracking/transport/readMangoAnswer';
import { parseRetryAfter } from '../../nodes/MangoCalltracking/transport/retryPolicy';
import { expectInvalid } from './expectInvalid';

describe('compact and bare dates', () => {
	test.each([
		['20240524123000', 'Europe/Moscow', '2024-05-24T09:30:00Z'],
		['20240524123000', 'UTC', '2024-05-24T12:30:00Z'],
		[' 19991231235959 ', 'UTC', '1999-12-31T23:59:59Z'],
	])('YYYYMMDDHHMMSS %j in %s is a wall-clock date-time', (value, zone, expected) => {
		expect(normalizeDateTime(value, zone, 'dateStart')).toBe(expected);
	});

	test.each(['20240524', '2024-05-24', '24.05.2024', '19991231'])(
		'the bare date %j is rejected, not read as midnight or as 1970 epoch seconds',
		(value) => {
			const error = expectInvalid(
				() => normalizeDateTime(value, 'UTC', 'dateEnd'),
				'dateEnd',
				value,
			);
			expect(error.expected).toContain('bare date');
		},
	);

	test('8 digits that are no calendar date stay epoch seconds', () => {
		expect(normalizeDateTime('12345678', 'UTC', 'dateStart')).toBe('1970-05-23T21:21:18Z');
	});
});

describe('phones: the "+8 (495)" slip under country code 7', () => {
	test.each(['+8 (495) 123-45-67', '+8(495)1234567', '+8-495-123-45-67'])(
		'%j is rejected with a hint',
		(value) => {
			const error = expectInvalid(
				() => normalizePhone(value, { defaultCountryCode: '7' }, { parameter: 'phoneFrom' }),
				'phoneFrom',
				value,
			);
			expect(error.expected).toContain('+8 is not a country code');
		},
	);

	test.each([
		['+84912345678', '7', '+84912345678'],
		['+84 91 234 5678', '7', '+84912345678'],
		['+8 (495) 123-45-67', '44', '+84951234567'],
	])('%j with country code %s is a real +8x number', (value, countryCode, expected) => {
		expect(
			normalizePhone(value, { defaultCountryCode: countryCode }, { parameter: 'phoneTo' }),
		).toBe(expected);
	});
});

describe('call IDs that are URL dot segments', () => {
	test.each(['.', '..', ' .. '])('%j is rejected', (value) => {
		expectInvalid(() => normalizeCallId(value), 'callId', value);
	});

	test.each(['...', 'a.b', '.5'])('%j is an ordinary ID', (value) => {
		expect(normalizeCallId(value)).toBe(value);
	});
});

describe('Retry-After', () => {
	test.each(['abc 2024', 'soon', '1.5', '-1'])('loose text %j is ignored', (value) => {
		expect(parseRetryAfter(value, 0)).toBeUndefined();
	});

	test('an HTTP-date is read', () => {
		const now = Date.parse('Sun, 06 Nov 1994 08:49:30 GMT');
		expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(7000);
	});
});

describe('redirects', () => {
	test.each([301, 302, 307, 308])(
		'HTTP %i is a rejection that is not retried and names the target',
		(statusCode) => {
			let failure: unknown;
			try {
				readMangoAnswer({
					statusCode,
					headers: { location: 'https://elsewhere.example/' },
					body: '',
				});
			} catch (error) {
				failure = error;
			}
			expect(failure).toBeInstanceOf(MangoRequestFailure);
			const { kind, retryable, details, message } = failure as MangoRequestFailure;
			expect({ kind, retryable, httpCode: details.httpCode }).toEqual({
				kind: 'rejected',
				retryable: false,
				httpCode: statusCode,
			});
			expect(message).toContain('https://elsewhere.example/');
			expect(message).toContain('Base URL');
		},
	);
});
