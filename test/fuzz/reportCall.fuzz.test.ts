import fc from 'fast-check';

import {
	buildReportCallRequest,
	EXTERNAL_CALL_PATH,
	type ReportCallInput,
} from '../../nodes/MangoCalltracking/normalize/buildCallRequests';
import { normalizeCallId } from '../../nodes/MangoCalltracking/normalize/normalizeCallId';
import { normalizeDateTime } from '../../nodes/MangoCalltracking/normalize/normalizeDateTime';
import { normalizeDuration } from '../../nodes/MangoCalltracking/normalize/normalizeDuration';
import { normalizePhone } from '../../nodes/MangoCalltracking/normalize/normalizePhone';
import { normalizeRecordLink } from '../../nodes/MangoCalltracking/normalize/normalizeRecordLink';
import {
	absoluteUrl,
	attempt,
	check,
	COUNTRY_CODES,
	E164,
	HTTP_URL,
	MANGO_DATE,
	MAX_MS,
	MIN_MS,
	noisyString,
	RUNS,
	same,
	utf16String,
	ZONES,
} from './fuzzHelpers';

const BODY_KEYS = 'callId,dateStart,dateEnd,phoneTo,phoneFrom,recordLink';
const FIELDS = ['callId', 'dateStart', 'dateEnd', 'duration', 'phoneTo', 'phoneFrom', 'recordLink'];

/** Mostly plausible values, sometimes a broken one, sometimes anything at all. */
const mix = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>) =>
	fc.oneof(
		{ arbitrary: valid, weight: 8 },
		{ arbitrary: invalid, weight: 1 },
		{ arbitrary: fc.anything(), weight: 1 },
	);

const instant = fc.oneof(
	fc.integer({ min: MIN_MS, max: Date.UTC(2040, 0, 1) }),
	fc.integer({ min: MAX_MS - 40 * 24 * 3600 * 1000, max: MAX_MS }), // where a duration can overflow the year 9999
);
const dateValue = fc.oneof(
	instant.map((ms) => new Date(ms).toISOString()),
	instant.map((ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')),
	instant.map((ms) => Math.floor(ms / 1000)),
	instant.map((ms) => new Date(ms)),
	fc.constantFrom('2024-10-27 02:30:00', '27.10.2024 02:30:00', '2024-03-31 02:30:00'),
);
const badDate = fc.oneof(
	noisyString,
	fc.constantFrom('2024-05-01', '1969-12-31T23:59:59Z', 'now', '31.02.2024 10:00:00', ''),
);
const duration = fc.oneof(
	fc.nat({ max: 4000 }),
	fc.double({ min: 0, max: 31 * 86400, noNaN: true }),
	fc.nat({ max: 4000 }).map(String),
);
const badDuration = fc.oneof(
	fc.integer({ min: -100, max: -1 }),
	fc.constantFrom('ten', '', 31 * 86400 + 1, Number.NaN),
);
const phoneValue = fc.oneof(
	fc.stringMatching(/^\+[1-9]\d{7,14}$/),
	fc
		.stringMatching(/^[3489]\d{9}$/)
		.map((digits) => `8 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`),
	fc.stringMatching(/^0[1-9]\d{8}$/),
	fc.stringMatching(/^\+7\d{10}$/).map((number) => `"Caller" <sip:${number}@pbx>`),
);
const badPhone = fc.oneof(
	noisyString,
	fc.stringMatching(/^\d{2,5}$/),
	fc.constantFrom('+0123456789', 'anonymous'),
);
const link = fc.oneof(absoluteUrl(['http', 'https']), fc.constant(''));
const badLink = fc.oneof(
	noisyString,
	fc.constantFrom('ftp://pbx/1.wav', '1.wav', '/var/spool/asterisk/monitor/1.wav'),
);
const callId = fc.oneof(
	fc.string({ minLength: 1, maxLength: 20 }),
	fc.nat(),
	fc.stringMatching(/^\d{10}\.\d{1,6}$/),
);
const badCallId = fc.oneof(utf16String, fc.constantFrom('', '  ', Number.NaN, null));

const reportInput = fc.record(
	{
		callId: mix(callId, badCallId),
		dateStart: mix(dateValue, badDate),
		endMode: fc.oneof(
			{ arbitrary: fc.constantFrom('endTime', 'duration'), weight: 9 },
			{ arbitrary: fc.anything(), weight: 1 },
		),
		dateEnd: mix(dateValue, badDate),
		duration: mix(duration, badDuration),
		phoneTo: mix(phoneValue, badPhone),
		phoneFrom: mix(fc.oneof(phoneValue, fc.constant('')), badPhone),
		recordLink: mix(link, badLink),
	},
	{ requiredKeys: ['callId', 'dateStart', 'endMode', 'phoneTo'] },
) as fc.Arbitrary<ReportCallInput>;

const settings = fc.record({
	timeZone: fc.constantFrom(...ZONES),
	defaultCountryCode: fc.constantFrom(...COUNTRY_CODES),
});

/** True when `run` throws an InvalidValueError (any other exception escapes). */
function rejects(run: () => unknown): boolean {
	return !attempt(run).ok;
}

describe('Report Call parameter sets (fuzz)', () => {
	test('a body in the spec format, or an InvalidValueError naming the first invalid field', () => {
		let built = 0;
		const rejectedBy = new Map<string, number>();
		fc.assert(
			fc.property(reportInput, settings, (input, callSettings) => {
				const { timeZone, defaultCountryCode } = callSettings;
				const outcome = attempt(() => buildReportCallRequest(input, callSettings));
				const durationMode = input.endMode === 'duration';
				if (!outcome.ok) {
					const { parameter, value } = outcome.error;
					rejectedBy.set(parameter, (rejectedBy.get(parameter) ?? 0) + 1);
					check(FIELDS.includes(parameter), `${parameter} is a field`);
					check(
						outcome.error.message.startsWith(`Invalid ${parameter}: `),
						'the message names the field',
					);
					// Fields are checked in the order callId → dateStart → end → phoneTo → phoneFrom → recordLink:
					// the named field holds that value and the fields before it are valid.
					const order = [
						'callId',
						'dateStart',
						durationMode ? 'duration' : 'dateEnd',
						'phoneTo',
						'phoneFrom',
						'recordLink',
					];
					const position = order.indexOf(parameter);
					check(position >= 0, `${parameter} is checked in this mode`);
					check(
						Object.is(value, input[parameter as keyof ReportCallInput]),
						'the rejection carries the value',
					);
					if (position > 0) normalizeCallId(input.callId);
					if (position > 1) normalizeDateTime(input.dateStart, timeZone, 'dateStart');
					if (position > 3)
						normalizePhone(input.phoneTo, { defaultCountryCode }, { parameter: 'phoneTo' });
					if (position > 4)
						normalizePhone(
							input.phoneFrom,
							{ defaultCountryCode },
							{ parameter: 'phoneFrom', optional: true },
						);
					const rejectedAlone: Record<string, () => boolean> = {
						callId: () => rejects(() => normalizeCallId(input.callId)),
						dateStart: () =>
							rejects(() => normalizeDateTime(input.dateStart, timeZone, 'dateStart')),
						// an invalid end, or one before the start
						dateEnd: () => true,
						// an invalid duration, or one that ends after 9999
						duration: () => true,
						phoneTo: () =>
							rejects(() =>
								normalizePhone(input.phoneTo, { defaultCountryCode }, { parameter: 'phoneTo' }),
							),
						phoneFrom: () =>
							rejects(() =>
								normalizePhone(
									input.phoneFrom,
									{ defaultCountryCode },
									{ parameter: 'phoneFrom', optional: true },
								),
							),
						recordLink: () =>
							rejects(() => normalizeRecordLink(input.recordLink, { required: false })),
					};
					check(rejectedAlone[parameter](), `${parameter} is invalid on its own`);
					return;
				}
				built++;
				const { method, path, body } = outcome.value;
				same(method, 'POST', 'method');
				same(path, EXTERNAL_CALL_PATH, 'path');
				check('dateStart' in body, 'a Report Call body');
				if (!('dateStart' in body)) return;
				same(Object.keys(body).join(), BODY_KEYS, 'key order');
				same(outcome.value.callId, body.callId, 'the request carries the callId');
				same(body.callId, normalizeCallId(input.callId), 'callId');
				check(
					body.callId !== '' && body.callId === body.callId.trim(),
					'callId is non-empty and trimmed',
				);
				check(
					MANGO_DATE.test(body.dateStart) && MANGO_DATE.test(body.dateEnd),
					'dates in the Mango format',
				);
				same(
					body.dateStart,
					normalizeDateTime(input.dateStart, timeZone, 'dateStart'),
					'dateStart',
				);
				check(body.dateEnd >= body.dateStart, 'the end is not before the start');
				if (durationMode) {
					const seconds = (Date.parse(body.dateEnd) - Date.parse(body.dateStart)) / 1000;
					same(seconds, normalizeDuration(input.duration), 'dateEnd = dateStart + whole seconds');
				} else {
					same(body.dateEnd, normalizeDateTime(input.dateEnd, timeZone, 'dateEnd'), 'dateEnd');
				}
				check(E164.test(body.phoneTo), 'phoneTo is E.164');
				check(body.phoneFrom === '' || E164.test(body.phoneFrom), 'phoneFrom is E.164 or empty');
				check(
					body.recordLink === '' || HTTP_URL.test(body.recordLink),
					'recordLink is an http(s) URL or empty',
				);
				// What goes over the wire reads back the same.
				same(
					JSON.stringify(JSON.parse(Buffer.from(JSON.stringify(body), 'utf8').toString('utf8'))),
					JSON.stringify(body),
					'UTF-8 round trip',
				);
			}),
			RUNS,
		);
		// The generator reaches both outcomes, and rejections by every field.
		expect(built).toBeGreaterThan(1000);
		expect([...rejectedBy.keys()].sort()).toEqual([...FIELDS].sort());
	});
});
