import fc from 'fast-check';

import { InvalidValueError } from '../../nodes/MangoCalltracking/normalize/InvalidValueError';

/** Every property runs this many times; a fixed seed can be set with FUZZ_SEED to replay a failure. */
export const RUNS: fc.Parameters<unknown> = {
	numRuns: 10_000,
	...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
};

export const MANGO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const E164 = /^\+[1-9]\d{7,14}$/;
export const HTTP_URL = /^https?:\/\/\S+$/;

export const MIN_MS = Date.UTC(1970, 0, 1);
export const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The Mango format of an instant: UTC, truncated to the second. */
export function mangoDate(ms: number): string {
	return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: InvalidValueError };

/**
 * Runs a normaliser: its result, or the InvalidValueError it threw. Any other exception (TypeError, ZodError,
 * URIError, RangeError …) escapes and fails the property.
 */
export function attempt<T>(run: () => T): Outcome<T> {
	try {
		return { ok: true, value: run() };
	} catch (error) {
		if (error instanceof InvalidValueError) return { ok: false, error };
		throw error;
	}
}

/**
 * Plain assertions: jest's `expect` costs tens of microseconds a call, too much for 10,000 runs per property.
 * A failed check throws, and fast-check shrinks and reports the counterexample.
 */
export function check(condition: boolean, what: string): void {
	if (!condition) throw new Error(`property violated: ${what}`);
}

export function same(actual: unknown, expected: unknown, what: string): void {
	if (!Object.is(actual, expected)) {
		throw new Error(`property violated: ${what}: got ${show(actual)}, expected ${show(expected)}`);
	}
}

function show(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/** A rejection must name its field, carry the very value, and say what is expected. */
export function expectRejection(error: InvalidValueError, parameter: string, value: unknown): void {
	same(error.parameter, parameter, 'the rejection names the field');
	check(Object.is(error.value, value), 'the rejection carries the value');
	check(error.expected.length > 0, 'the rejection says what is expected');
	check(error.message.startsWith(`Invalid ${parameter}: `), `the message names ${parameter}`);
}

export const ZONES = [
	'UTC',
	'Europe/Moscow',
	'Europe/Berlin',
	'Europe/London',
	'America/New_York',
	'America/Santiago',
	'America/St_Johns',
	'Australia/Lord_Howe',
	'Asia/Kolkata',
	'Asia/Kathmandu',
	'Pacific/Chatham',
	'Africa/Casablanca',
] as const;

export const COUNTRY_CODES = ['7', '44', '49', '1', '380', '86', '971'] as const;

/**
 * Any Unicode text: BMP code units (lone surrogates included), astral code points, and a few characters that
 * matter here. Built by hand: fast-check's `unit: 'binary'` costs seconds to construct in every test file.
 */
const anyCharacter = fc.oneof(
	fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
	fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
	fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
	fc.constantFrom('a', '7', ' ', '\u00a0', '\u2009', '/', '%', '+', '\n'),
);

export const unicodeString = (maxLength: number) => fc.string({ unit: anyCharacter, maxLength });

/** UTF-16 strings with lone surrogates among the characters. */
export const utf16String = unicodeString(12);

/** Strings that look a bit like dates, phones or URLs, and strings that do not. */
export const noisyString = fc.oneof(
	fc.string(),
	unicodeString(30),
	fc.string({
		unit: fc.constantFrom(...'0123456789+-.:() TZ/<>"@;'.split(''), '\u00a0', '\t'),
		maxLength: 30,
	}),
);

/** Characters of URL paths, queries and fragments as people paste them: reserved, percent-encoded, spaces, non-ASCII. */
const urlCharacter = fc.oneof(
	fc.constantFrom(..."abcxyzABCXYZ0123456789-._~!$&'()*+,;=:@".split('')),
	fc.constantFrom(
		'%20',
		'%2F',
		'%D0%B7',
		'%',
		' ',
		'з',
		'é',
		'\u{1F4DE}',
		'"',
		'<',
		'|',
		'^',
		'`',
		'{',
	),
);
const urlPart = (maxLength: number) => fc.string({ unit: urlCharacter, maxLength });

/**
 * Absolute URLs with any scheme: a host name, IPv4 or IPv6 host and maybe a port, then path segments, a query and
 * a fragment. Built by hand: fast-check's webUrl costs about two seconds to construct in every test file.
 */
export const absoluteUrl = (schemes: readonly string[]) =>
	fc
		.tuple(
			fc.constantFrom(...schemes),
			fc.webAuthority({ withIPv4: true, withIPv6: true, withPort: true }),
			fc.array(urlPart(8), { maxLength: 4 }),
			fc.option(urlPart(12)),
			fc.option(urlPart(8)),
		)
		.map(
			([scheme, authority, segments, query, fragment]) =>
				`${scheme}://${authority}${segments.map((segment) => `/${segment}`).join('')}` +
				`${query === null ? '' : `?${query}`}${fragment === null ? '' : `#${fragment}`}`,
		);
