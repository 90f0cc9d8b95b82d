import { runInNewContext } from 'node:vm';

import { DateTime, Settings } from 'luxon';

import {
	MANGO_DATE_FORMAT,
	normalizeDateTime,
	normalizeTimeZone,
	parseDateTime,
} from '../../nodes/MangoCalltracking/normalize/normalizeDateTime';
import { expectInvalid } from './expectInvalid';

const MANGO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const normalize = (value: unknown, timeZone = 'UTC') =>
	normalizeDateTime(value, timeZone, 'dateStart');

describe('normalizeDateTime: accepted values', () => {
	test.each<[string, unknown, string, string]>([
		// ISO 8601 with Z or an offset: the time zone option does not matter
		['ISO with Z', '2024-05-01T12:30:00Z', 'Europe/Moscow', '2024-05-01T12:30:00Z'],
		['ISO with +03:00', '2024-05-01T12:30:00+03:00', 'UTC', '2024-05-01T09:30:00Z'],
		['ISO with -05:00', '2024-05-01T12:30:00-05:00', 'Europe/Moscow', '2024-05-01T17:30:00Z'],
		['ISO with +0300', '2024-05-01T12:30:00+0300', 'UTC', '2024-05-01T09:30:00Z'],
		[
			'ISO with +05:30 crossing midnight',
			'2024-05-01T02:00:00+05:30',
			'UTC',
			'2024-04-30T20:30:00Z',
		],
		[
			'space separator and spaced offset',
			'2024-05-01 12:30:00 +03:00',
			'UTC',
			'2024-05-01T09:30:00Z',
		],
		['surrounding whitespace', '  2024-05-01T12:30:00Z \n', 'UTC', '2024-05-01T12:30:00Z'],
		// no offset: read in the time zone option
		['no offset, space, Moscow', '2024-05-01 12:30:00', 'Europe/Moscow', '2024-05-01T09:30:00Z'],
		['no offset, T, Moscow', '2024-05-01T12:30:00', 'Europe/Moscow', '2024-05-01T09:30:00Z'],
		[
			'no offset, Moscow, previous UTC day',
			'2024-05-01 00:00:00',
			'Europe/Moscow',
			'2024-04-30T21:00:00Z',
		],
		['no offset, UTC', '2024-05-01 12:30:00', 'UTC', '2024-05-01T12:30:00Z'],
		[
			'no offset, New York summer',
			'2024-07-04 08:00:00',
			'America/New_York',
			'2024-07-04T12:00:00Z',
		],
		[
			'no offset, New York winter',
			'2024-01-04 08:00:00',
			'America/New_York',
			'2024-01-04T13:00:00Z',
		],
		['DD.MM.YYYY HH:MM:SS, Moscow', '01.05.2024 12:30:00', 'Europe/Moscow', '2024-05-01T09:30:00Z'],
		['DD.MM.YYYY HH:MM:SS, UTC', '31.12.2023 23:59:59', 'UTC', '2023-12-31T23:59:59Z'],
		['DD.MM.YYYY HH:MM, Moscow', '01.05.2024 12:30', 'Europe/Moscow', '2024-05-01T09:30:00Z'],
		// epoch seconds and milliseconds
		['epoch seconds, number', 1714566600, 'Europe/Moscow', '2024-05-01T12:30:00Z'],
		['epoch seconds, string', '1714566600', 'Europe/Moscow', '2024-05-01T12:30:00Z'],
		['epoch milliseconds, number', 1714566600000, 'UTC', '2024-05-01T12:30:00Z'],
		['epoch milliseconds, string', ' 1714566600000 ', 'UTC', '2024-05-01T12:30:00Z'],
		['epoch 0', 0, 'UTC', '1970-01-01T00:00:00Z'],
		['largest epoch seconds (below 1e11)', 99_999_999_999, 'UTC', '5138-11-16T09:46:39Z'],
		['1e11 is milliseconds', 1e11, 'UTC', '1973-03-03T09:46:40Z'],
		// fractional seconds are truncated, never rounded
		['fraction in ISO', '2024-05-01T12:30:00.999Z', 'UTC', '2024-05-01T12:30:00Z'],
		[
			'microseconds in ISO with offset',
			'2024-05-01T12:30:59.999999+03:00',
			'UTC',
			'2024-05-01T09:30:59Z',
		],
		['fraction without offset', '2024-05-01 12:30:00.9', 'Europe/Moscow', '2024-05-01T09:30:00Z'],
		['fractional epoch seconds, number', 1714566600.999, 'UTC', '2024-05-01T12:30:00Z'],
		['fractional epoch seconds, string', '1714566600.999', 'UTC', '2024-05-01T12:30:00Z'],
		[
			'long fraction of epoch seconds, string',
			'1714566600.99999999',
			'UTC',
			'2024-05-01T12:30:00Z',
		],
		['epoch milliseconds with 999 ms', 1714566600999, 'UTC', '2024-05-01T12:30:00Z'],
		['fractional epoch milliseconds, string', '1714566600999.9', 'UTC', '2024-05-01T12:30:00Z'],
		// year bounds
		['first second of 1970', '1970-01-01T00:00:00Z', 'UTC', '1970-01-01T00:00:00Z'],
		['last second of 9999', '9999-12-31T23:59:59Z', 'UTC', '9999-12-31T23:59:59Z'],
		['last millisecond of 9999 as epoch ms', 253402300799999, 'UTC', '9999-12-31T23:59:59Z'],
	])('%s: %p in %s', (_name, value, timeZone, expected) => {
		const result = normalize(value, timeZone);
		expect(result).toBe(expected);
		expect(result).toMatch(MANGO_DATE);
		// A formatted Mango date is a fixed point in any time zone.
		expect(normalize(result, 'Asia/Tokyo')).toBe(result);
	});

	test('a Luxon DateTime in any zone, fraction dropped', () => {
		const value = DateTime.fromISO('2024-05-01T12:30:00.999', { zone: 'Europe/Moscow' });
		expect(normalize(value, 'America/New_York')).toBe('2024-05-01T09:30:00Z');
	});

	test('a DateTime from another copy of Luxon (duck-typed, as n8n expressions return it)', () => {
		const foreign = { isLuxonDateTime: true, toMillis: () => Date.UTC(2024, 4, 1, 12, 30, 0, 500) };
		expect(normalize(foreign)).toBe('2024-05-01T12:30:00Z');
	});

	test('a JS Date, fraction dropped', () => {
		expect(normalize(new Date('2024-05-01T12:30:00.750Z'), 'Europe/Moscow')).toBe(
			'2024-05-01T12:30:00Z',
		);
	});

	test('a JS Date from another realm (the expression sandbox)', () => {
		const foreign: unknown = runInNewContext('new Date(Date.UTC(2024, 4, 1, 12, 30, 5))');
		expect(foreign instanceof Date).toBe(false);
		expect(normalize(foreign)).toBe('2024-05-01T12:30:05Z');
	});

	test('parseDateTime returns a UTC DateTime truncated to the second', () => {
		const parsed = parseDateTime('2024-05-01T12:30:00.999+03:00', 'UTC', 'dateStart');
		expect(parsed.zoneName).toBe('UTC');
		expect(parsed.millisecond).toBe(0);
		expect(parsed.toISO()).toBe('2024-05-01T09:30:00.000Z');
	});

	test('MANGO_DATE_FORMAT is the Luxon format of the spec', () => {
		expect(MANGO_DATE_FORMAT).toBe("yyyy-MM-dd'T'HH:mm:ss'Z'");
		expect(
			DateTime.fromISO('2020-08-19T08:16:10Z', { zone: 'utc' }).toFormat(MANGO_DATE_FORMAT),
		).toBe('2020-08-19T08:16:10Z');
	});
});

describe('normalizeDateTime: daylight saving time', () => {
	const realNow = Settings.now;
	afterEach(() => {
		Settings.now = realNow;
	});

	// Luxon resolves a wall-clock time with a guess based on the offset *now*; the result must not depend on the
	// day the workflow runs. January and July put "now" on either side of the DST rules.
	const NOWS = [Date.UTC(2025, 0, 15), Date.UTC(2025, 6, 15)];

	test.each<[string, string, string, string]>([
		[
			'gap moves forward (02:30 does not exist → 03:30 CEST)',
			'2024-03-31 02:30:00',
			'Europe/Berlin',
			'2024-03-31T01:30:00Z',
		],
		['gap, DD.MM.YYYY', '31.03.2024 02:30:00', 'Europe/Berlin', '2024-03-31T01:30:00Z'],
		[
			'gap in New York (02:30 → 03:30 EDT)',
			'2024-03-10T02:30:00',
			'America/New_York',
			'2024-03-10T07:30:00Z',
		],
		[
			'ambiguous takes the earlier offset (02:30 CEST)',
			'2024-10-27 02:30:00',
			'Europe/Berlin',
			'2024-10-27T00:30:00Z',
		],
		['ambiguous, T separator', '2024-10-27T02:30:00', 'Europe/Berlin', '2024-10-27T00:30:00Z'],
		['ambiguous, DD.MM.YYYY', '27.10.2024 02:30:00', 'Europe/Berlin', '2024-10-27T00:30:00Z'],
		[
			'ambiguous in New York (01:30 EDT)',
			'2024-11-03 01:30:00',
			'America/New_York',
			'2024-11-03T05:30:00Z',
		],
		[
			'ambiguous in Santiago (23:30 -03:00)',
			'2024-04-06 23:30:00',
			'America/Santiago',
			'2024-04-07T02:30:00Z',
		],
		[
			'just after the overlap (03:00 CET)',
			'2024-10-27 03:00:00',
			'Europe/Berlin',
			'2024-10-27T02:00:00Z',
		],
		[
			'just before the overlap (01:59:59 CEST)',
			'2024-10-27 01:59:59',
			'Europe/Berlin',
			'2024-10-26T23:59:59Z',
		],
	])('%s: %s in %s', (_name, value, timeZone, expected) => {
		for (const now of NOWS) {
			Settings.now = () => now;
			expect(normalize(value, timeZone)).toBe(expected);
		}
	});

	test('an explicit offset picks the second occurrence of an ambiguous time', () => {
		expect(normalize('2024-10-27T02:30:00+01:00', 'Europe/Berlin')).toBe('2024-10-27T01:30:00Z');
	});
});

describe('normalizeDateTime: rejections name the parameter', () => {
	test.each<[string, unknown, string]>([
		['date only', '2024-05-01', 'UTC'],
		['DD.MM.YYYY date only', '01.05.2024', 'UTC'],
		['empty string', '', 'UTC'],
		['whitespace', '   ', 'UTC'],
		['garbage', 'yesterday at noon', 'UTC'],
		['slashes', '2024/05/01 12:30:00', 'UTC'],
		['US order', '05/01/2024 12:30:00', 'UTC'],
		['February 30th', '2024-02-30T12:00:00Z', 'UTC'],
		['month 13', '2024-13-01T00:00:00Z', 'UTC'],
		['hour 25', '2024-05-01T25:00:00Z', 'UTC'],
		['invalid DD.MM.YYYY', '32.01.2024 12:00:00', 'UTC'],
		['DD.MM.YYYY with an offset', '01.05.2024 12:30:00+03:00', 'UTC'],
		['epoch with letters', '1714566600abc', 'UTC'],
		['negative epoch, number', -1, 'UTC'],
		['negative epoch, string', '-1714566600', 'UTC'],
		['NaN', Number.NaN, 'UTC'],
		['Infinity', Number.POSITIVE_INFINITY, 'UTC'],
		['null', null, 'UTC'],
		['undefined', undefined, 'UTC'],
		['boolean', true, 'UTC'],
		['object', { date: '2024-05-01T12:30:00Z' }, 'UTC'],
		['array', ['2024-05-01T12:30:00Z'], 'UTC'],
		['invalid Date', new Date('not a date'), 'UTC'],
		['invalid Luxon DateTime', DateTime.invalid('test'), 'UTC'],
		// years outside 1970–9999 (in UTC)
		['last second of 1969', '1969-12-31T23:59:59Z', 'UTC'],
		['1970 in Moscow is 1969 in UTC', '1970-01-01 02:59:59', 'Europe/Moscow'],
		['1970 with +03:00 is 1969 in UTC', '1970-01-01T00:00:00+03:00', 'UTC'],
		['9999 with -01:00 is 10000 in UTC', '9999-12-31T23:30:00-01:00', 'UTC'],
		['year 10000 as epoch ms', 253402300800000, 'UTC'],
		['year 10000 as a Date', new Date(253402300800000), 'UTC'],
		['a Date before 1970', new Date(-1000), 'UTC'],
		['beyond the Date range', 9e15, 'UTC'],
	])('%s: %p', (_name, value, timeZone) => {
		expectInvalid(() => normalizeDateTime(value, timeZone, 'dateEnd'), 'dateEnd', value);
	});

	test('the year-bound error says which years are allowed', () => {
		const error = expectInvalid(
			() => normalize('1969-12-31T23:59:59Z'),
			'dateStart',
			'1969-12-31T23:59:59Z',
		);
		expect(error.expected).toMatch(/1970.*9999/);
	});
});

describe('normalizeTimeZone', () => {
	test.each<[unknown, string, string]>([
		['Europe/Moscow', 'UTC', 'Europe/Moscow'],
		['  Europe/Berlin ', 'UTC', 'Europe/Berlin'],
		['UTC', 'Europe/Moscow', 'UTC'],
		['Etc/GMT-3', 'UTC', 'Etc/GMT-3'],
		['', 'Europe/Moscow', 'Europe/Moscow'],
		['   ', 'Asia/Almaty', 'Asia/Almaty'],
		[undefined, 'America/New_York', 'America/New_York'],
		[null, 'UTC', 'UTC'],
	])('%p with fallback %p → %p', (value, fallback, expected) => {
		expect(normalizeTimeZone(value, fallback)).toBe(expected);
	});

	test.each<unknown>(['Mars/Olympus_Mons', 'Moscow', 'MSK+1', 'Europe/Moscow/x'])(
		'rejects %p naming options.timezone',
		(value) => {
			expectInvalid(() => normalizeTimeZone(value, 'UTC'), 'options.timezone', value);
		},
	);

	test('an invalid fallback (the instance time zone) is rejected too', () => {
		expectInvalid(() => normalizeTimeZone('', 'Not/AZone'), 'options.timezone', '');
	});

	test('the normalised zone is usable for reading wall-clock times', () => {
		const zone = normalizeTimeZone(' Asia/Kolkata ', 'UTC');
		expect(normalizeDateTime('2024-05-01 12:00:00', zone, 'dateStart')).toBe(
			'2024-05-01T06:30:00Z',
		);
	});
});
