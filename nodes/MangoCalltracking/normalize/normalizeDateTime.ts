import { DateTime, IANAZone } from 'luxon';

import { InvalidValueError } from './InvalidValueError';

/** Mango's only date format: UTC, whole seconds. */
export const MANGO_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss'Z'";

const EXPECTED =
	'a date-time: ISO 8601 (2024-05-01T12:30:00+03:00 or …Z), "YYYY-MM-DD HH:MM:SS", "DD.MM.YYYY HH:MM:SS" or "YYYYMMDDHHMMSS" read in the time zone option, or epoch seconds/milliseconds';
const EXPECTED_TIME = 'a date with a time of day: a bare date would silently become midnight';

/** Bare dates: ISO, Russian and compact (YYYYMMDD, which would otherwise read as epoch seconds in 1970). */
const BARE_DATE =
	/^(?:\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}|(?:19[89]\d|20\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))$/;

/** Bare numbers below this are epoch seconds (up to the year 5138), larger ones milliseconds. */
const EPOCH_MILLISECONDS_FROM = 1e11;
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;

export function normalizeTimeZone(
	value: unknown,
	fallback: string,
	parameter = 'options.timezone',
): string {
	const zone = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
	if (!IANAZone.isValidZone(zone) && zone !== 'UTC') {
		throw new InvalidValueError(parameter, value, 'an IANA time zone such as Europe/Moscow or UTC');
	}
	return zone;
}

/**
 * Reads the date-times that PBXs, CRMs and n8n expressions produce and returns a Luxon DateTime in UTC, truncated
 * to whole seconds. Date-times without an offset are read in `timeZone`; a time that falls into a DST gap moves
 * forward, an ambiguous one takes the earlier offset (Luxon's rules).
 */
export function parseDateTime(value: unknown, timeZone: string, parameter: string): DateTime {
	if (typeof value === 'string' && BARE_DATE.test(value.trim())) {
		throw new InvalidValueError(parameter, value, EXPECTED_TIME);
	}
	const parsed = toDateTime(value, timeZone);
	if (!parsed || !parsed.isValid) throw new InvalidValueError(parameter, value, EXPECTED);
	const utc = parsed.toUTC().startOf('second');
	if (utc.year < MIN_YEAR || utc.year > MAX_YEAR) {
		throw new InvalidValueError(
			parameter,
			value,
			`a date-time between the years ${MIN_YEAR} and ${MAX_YEAR}`,
		);
	}
	return utc;
}

export function formatMangoDateTime(dateTime: DateTime): string {
	return dateTime.toUTC().toFormat(MANGO_DATE_FORMAT);
}

export function normalizeDateTime(value: unknown, timeZone: string, parameter: string): string {
	return formatMangoDateTime(parseDateTime(value, timeZone, parameter));
}

function toDateTime(value: unknown, zone: string): DateTime | undefined {
	if (isLuxonDateTime(value)) return DateTime.fromMillis(value.toMillis(), { zone: 'utc' });
	if (isDate(value)) return DateTime.fromMillis(value.getTime(), { zone: 'utc' });
	if (typeof value === 'number') return fromEpoch(value);
	if (typeof value !== 'string') return undefined;

	const text = value.trim();
	// CDR exports write YYYYMMDDHHMMSS; as epoch milliseconds those digits would land after the year 2286.
	if (/^\d{14}$/.test(text)) {
		return inZone(DateTime.fromFormat(text, 'yyyyMMddHHmmss', { zone: 'utc' }), zone);
	}
	// The fraction is dropped before Number(): "1714566600.99999999" must not round up to the next second.
	if (/^\d+(\.\d+)?$/.test(text)) return fromEpoch(Number(text.replace(/\.\d+$/, '')));
	// Requiring a time keeps a bare date (a common mapping slip) from silently becoming midnight.
	if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
		const iso = text
			.replace(/\s+(?=(?:[+-]\d{2}(?::?\d{2})?|Z)$)/, '')
			.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
		if (/(?:[+-]\d{2}(?::?\d{2})?|Z)$/i.test(iso)) return DateTime.fromISO(iso, { zone });
		return inZone(DateTime.fromISO(iso, { zone: 'utc' }), zone);
	}
	if (/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/.test(text)) {
		const format = text.length > 16 ? 'dd.MM.yyyy HH:mm:ss' : 'dd.MM.yyyy HH:mm';
		return inZone(DateTime.fromFormat(text, format, { zone: 'utc' }), zone);
	}
	return undefined;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Reads a wall-clock time (parsed as if it were UTC) in `zone`. Luxon alone resolves an ambiguous time with a guess
 * based on the offset *now*, so the same input gave a different instant in summer and in winter; here an ambiguous
 * time always takes its first occurrence (the earlier offset), and a time in a DST gap keeps Luxon's rule (it moves
 * forward by the length of the gap).
 */
function inZone(wallClock: DateTime, zone: string): DateTime {
	const luxonPick = wallClock.setZone(zone, { keepLocalTime: true });
	if (!wallClock.isValid || !luxonPick.isValid) return luxonPick;
	const wall = wallClock.toMillis();
	const offsetMs = (instant: number) => luxonPick.zone.offset(instant) * 60_000;
	const occurrences = [
		luxonPick.toMillis(),
		wall - offsetMs(wall - DAY_MS),
		wall - offsetMs(wall + DAY_MS),
	].filter((instant) => wall - offsetMs(instant) === instant);
	if (occurrences.length === 0) return luxonPick;
	return DateTime.fromMillis(Math.min(...occurrences), { zone });
}

function fromEpoch(epoch: number): DateTime | undefined {
	if (!Number.isFinite(epoch) || epoch < 0) return undefined;
	const milliseconds = epoch < EPOCH_MILLISECONDS_FROM ? epoch * 1000 : epoch;
	return DateTime.fromMillis(Math.floor(milliseconds), { zone: 'utc' });
}

/** Duck-typed: the DateTime an expression returns comes from n8n's own copy of Luxon. */
function isLuxonDateTime(value: unknown): value is { toMillis(): number } {
	return (
		typeof value === 'object' &&
		value !== null &&
		(value as { isLuxonDateTime?: unknown }).isLuxonDateTime === true &&
		typeof (value as { toMillis?: unknown }).toMillis === 'function'
	);
}

/** Not `instanceof Date`: dates made inside the expression sandbox come from another realm. */
function isDate(value: unknown): value is Date {
	return Object.prototype.toString.call(value) === '[object Date]';
}
