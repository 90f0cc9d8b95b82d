import fc from 'fast-check';
import { DateTime } from 'luxon';

import { normalizeDateTime } from '../../nodes/MangoCalltracking/normalize/normalizeDateTime';
import {
	attempt,
	check,
	expectRejection,
	MANGO_DATE,
	mangoDate,
	MAX_MS,
	MIN_MS,
	noisyString,
	RUNS,
	same,
	ZONES,
} from './fuzzHelpers';

const zone = fc.constantFrom(...ZONES);
const instant = fc.integer({ min: MIN_MS, max: MAX_MS });
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const dateLikeString = fc.oneof(
	fc.stringMatching(
		/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?( ?(Z|[+-]\d{2}(:?\d{2})?))?$/,
	),
	fc.stringMatching(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/),
	fc.stringMatching(/^\s?\d{1,17}(\.\d{1,15})?\s?$/),
	fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
);

const anyDateValue = fc.oneof(
	fc.anything(),
	noisyString,
	dateLikeString,
	fc.double(),
	fc.integer(),
	fc.date(),
	fc.date({ noInvalidDate: true }).map((d) => DateTime.fromJSDate(d)),
	fc.tuple(instant, zone).map(([ms, z]) => DateTime.fromMillis(ms, { zone: z })),
);

describe('dates (fuzz)', () => {
	test('anything: a Mango date within 1970–9999, or an InvalidValueError naming the field', () => {
		fc.assert(
			fc.property(anyDateValue, zone, (value, timeZone) => {
				const outcome = attempt(() => normalizeDateTime(value, timeZone, 'dateStart'));
				if (!outcome.ok) return expectRejection(outcome.error, 'dateStart', value);
				check(MANGO_DATE.test(outcome.value), `${outcome.value} has the Mango format`);
				const year = Number(outcome.value.slice(0, 4));
				check(year >= 1970 && year <= 9999, `${outcome.value} is within 1970–9999`);
				// Accepted dates are fixed points, in any time zone.
				same(
					normalizeDateTime(outcome.value, 'Asia/Tokyo', 'dateEnd'),
					outcome.value,
					'fixed point',
				);
			}),
			RUNS,
		);
	});

	test('round trips: a formatted UTC date, a Date, a Luxon DateTime and epoch milliseconds give the same date', () => {
		const forms: Array<(ms: number, timeZone: string) => unknown> = [
			(ms) => mangoDate(ms),
			(ms) => new Date(ms).toISOString(),
			(ms) => new Date(ms),
			(ms, timeZone) => DateTime.fromMillis(ms, { zone: timeZone }),
			(ms) => (ms >= 1e11 ? ms : mangoDate(ms)),
			// As text, 14 digits that form a valid YYYYMMDDHHMMSS read as a compact date-time, not as epoch milliseconds.
			(ms) => (ms >= 1e11 && ms < 1e13 ? ` ${ms}` : mangoDate(ms)),
		];
		fc.assert(
			fc.property(instant, zone, fc.nat({ max: forms.length - 1 }), (ms, timeZone, form) => {
				same(
					normalizeDateTime(forms[form](ms, timeZone), timeZone, 'dateStart'),
					mangoDate(ms),
					`form ${form}`,
				);
			}),
			RUNS,
		);
	});

	test('epoch seconds of a date round-trip; any fraction, number or text, is truncated', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 1e11 - 1 }),
				// A run of nines is where a float parse would round up into the next second.
				fc.oneof(fc.stringMatching(/^\d{1,15}$/), fc.stringMatching(/^9{5,15}\d{0,3}$/)),
				fc.nat({ max: 2 }),
				(seconds, fraction, form) => {
					const value =
						form === 0 ? seconds : form === 1 ? String(seconds) : `${seconds}.${fraction}`;
					same(
						normalizeDateTime(value, 'Europe/Moscow', 'dateStart'),
						mangoDate(seconds * 1000),
						`form ${form}`,
					);
				},
			),
			RUNS,
		);
	});

	test('fractional epoch numbers are truncated, never rounded up', () => {
		fc.assert(
			fc.property(fc.double({ min: 0, max: 1e11, maxExcluded: true, noNaN: true }), (seconds) => {
				same(
					normalizeDateTime(seconds, 'UTC', 'dateStart'),
					mangoDate(Math.floor(seconds) * 1000),
					'truncated',
				);
			}),
			RUNS,
		);
	});

	test('ISO 8601 with any offset and fraction gives the truncated UTC instant', () => {
		fc.assert(
			fc.property(
				instant,
				fc.integer({ min: -14 * 60, max: 14 * 60 }),
				fc.option(fc.stringMatching(/^\d{1,9}$/)),
				fc.constantFrom('T', ' '),
				fc.constantFrom('', ':', ' ', ' :'),
				(ms, offsetMinutes, fraction, separator, style) => {
					const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 60_000);
					const year = local.getUTCFullYear();
					fc.pre(year >= 1 && year <= 9999);
					const text = local.toISOString().slice(0, 19).replace('T', separator);
					const sign = offsetMinutes < 0 ? '-' : '+';
					const hours = pad(Math.floor(Math.abs(offsetMinutes) / 60));
					const minutes = pad(Math.abs(offsetMinutes) % 60);
					const offset = `${style.startsWith(' ') ? ' ' : ''}${sign}${hours}${style.endsWith(':') ? ':' : ''}${minutes}`;
					const value = `${text}${fraction === null ? '' : `.${fraction}`}${offset}`;
					same(normalizeDateTime(value, 'Pacific/Chatham', 'dateEnd'), mangoDate(ms), value);
				},
			),
			RUNS,
		);
	});
});
