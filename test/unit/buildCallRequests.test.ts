import {
	buildReportCallRequest,
	buildUpdateRecordingRequest,
	EXTERNAL_CALL_PATH,
	type ReportCallInput,
} from '../../nodes/MangoCalltracking/normalize/buildCallRequests';
import { expectInvalid } from './expectInvalid';

const MOSCOW = { timeZone: 'Europe/Moscow', defaultCountryCode: '7' };
const UTC = { timeZone: 'UTC', defaultCountryCode: '7' };

const SPEC_EXAMPLE: ReportCallInput = {
	callId: '2',
	dateStart: '2020-08-19T08:16:10Z',
	endMode: 'endTime',
	dateEnd: '2020-08-19T08:16:20Z',
	phoneTo: '+74958784556',
	phoneFrom: '',
	recordLink: 'http://adress.net',
};

const report = (overrides: Partial<ReportCallInput>, settings = UTC) =>
	buildReportCallRequest({ ...SPEC_EXAMPLE, ...overrides }, settings);

describe('buildReportCallRequest', () => {
	test('the spec example: POST to externalCall, keys in the spec order', () => {
		const request = buildReportCallRequest(SPEC_EXAMPLE, UTC);
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/calltracking/externalCall');
		expect(request.path).toBe(EXTERNAL_CALL_PATH);
		expect(request.callId).toBe('2');
		expect(Object.keys(request.body)).toEqual([
			'callId',
			'dateStart',
			'dateEnd',
			'phoneTo',
			'phoneFrom',
			'recordLink',
		]);
		expect(JSON.stringify(request.body)).toBe(
			'{"callId":"2","dateStart":"2020-08-19T08:16:10Z","dateEnd":"2020-08-19T08:16:20Z",' +
				'"phoneTo":"+74958784556","phoneFrom":"","recordLink":"http://adress.net/"}',
		);
	});

	test('every field normalised, key order kept when the input lists them differently', () => {
		const request = buildReportCallRequest(
			{
				recordLink: ' https://pbx.example.com/records/2024/05/01/call 1.mp3 ',
				phoneFrom: '"Ivan" <sip:84951234567@pbx>',
				phoneTo: '8 (916) 123-45-67',
				dateEnd: '01.05.2024 12:35:00',
				dateStart: '2024-05-01 12:30:00',
				endMode: 'endTime',
				callId: '  1714566600.42  ',
			},
			MOSCOW,
		);
		expect(Object.keys(request.body)).toEqual([
			'callId',
			'dateStart',
			'dateEnd',
			'phoneTo',
			'phoneFrom',
			'recordLink',
		]);
		expect(request.body).toEqual({
			callId: '1714566600.42',
			dateStart: '2024-05-01T09:30:00Z',
			dateEnd: '2024-05-01T09:35:00Z',
			phoneTo: '+79161234567',
			phoneFrom: '+74951234567',
			recordLink: 'https://pbx.example.com/records/2024/05/01/call%201.mp3',
		});
	});

	test('the time zone setting applies to dates without an offset only', () => {
		const body = report(
			{ dateStart: '2024-05-01 12:30:00', dateEnd: '2024-05-01T12:30:00+03:00' },
			MOSCOW,
		).body;
		expect(body).toMatchObject({
			dateStart: '2024-05-01T09:30:00Z',
			dateEnd: '2024-05-01T09:30:00Z',
		});
		const utc = report(
			{ dateStart: '2024-05-01 12:30:00', dateEnd: '2024-05-01 12:31:00' },
			UTC,
		).body;
		expect(utc).toMatchObject({
			dateStart: '2024-05-01T12:30:00Z',
			dateEnd: '2024-05-01T12:31:00Z',
		});
	});

	test('the default country code setting applies to national numbers', () => {
		const body = report(
			{ phoneTo: '020 7946 0958', phoneFrom: '07911 123456' },
			{ timeZone: 'UTC', defaultCountryCode: '44' },
		).body;
		expect(body).toMatchObject({ phoneTo: '+442079460958', phoneFrom: '+447911123456' });
	});

	test('phoneFrom and recordLink default to empty strings when absent', () => {
		const { phoneFrom: _phoneFrom, recordLink: _recordLink, ...required } = SPEC_EXAMPLE;
		const request = buildReportCallRequest(required, UTC);
		expect(request.body).toMatchObject({ phoneFrom: '', recordLink: '' });
		expect(Object.keys(request.body)).toHaveLength(6);
		expect(report({ phoneFrom: null, recordLink: '   ' }).body).toMatchObject({
			phoneFrom: '',
			recordLink: '',
		});
	});

	test.each<[unknown, string]>([
		[42, '42'],
		[1714566600.123, '1714566600.123'],
		[0, '0'],
		[BigInt('12345678901234567890'), '12345678901234567890'],
		['  call-7  ', 'call-7'],
	])('callId %p is sent as the string %p', (callId, expected) => {
		expect(report({ callId }).body).toMatchObject({ callId: expected });
	});

	describe('duration mode: dateEnd = dateStart + whole seconds', () => {
		test.each<[unknown, string]>([
			[10, '2020-08-19T08:16:20Z'],
			['10', '2020-08-19T08:16:20Z'],
			[10.9, '2020-08-19T08:16:20Z'],
			[' 59.999 ', '2020-08-19T08:17:09Z'],
			[0, '2020-08-19T08:16:10Z'],
			['0', '2020-08-19T08:16:10Z'],
			[0.99, '2020-08-19T08:16:10Z'],
			[3600, '2020-08-19T09:16:10Z'],
			[86400 * 31, '2020-09-19T08:16:10Z'],
		])('duration %p → dateEnd %s', (duration, dateEnd) => {
			const body = report({
				endMode: 'duration',
				duration,
				dateEnd: 'ignored in duration mode',
			}).body;
			expect(body).toMatchObject({ dateStart: '2020-08-19T08:16:10Z', dateEnd });
		});

		test('the start is truncated before the duration is added', () => {
			const body = report({
				endMode: 'duration',
				dateStart: '2020-08-19T08:16:10.900Z',
				duration: 0.5,
			}).body;
			expect(body).toMatchObject({
				dateStart: '2020-08-19T08:16:10Z',
				dateEnd: '2020-08-19T08:16:10Z',
			});
		});

		test.each<unknown>([
			-1,
			'-0.5',
			'abc',
			'',
			undefined,
			null,
			Number.NaN,
			86400 * 31 + 1,
			{},
			true,
		])('duration %p is rejected naming duration', (duration) => {
			expectInvalid(() => report({ endMode: 'duration', duration }), 'duration', duration);
		});

		test('an end after the year 9999 is rejected naming duration', () => {
			expectInvalid(
				() => report({ endMode: 'duration', dateStart: '9999-12-31T23:59:50Z', duration: 10 }),
				'duration',
				10,
			);
			expect(
				report({ endMode: 'duration', dateStart: '9999-12-31T23:59:50Z', duration: 9 }).body,
			).toMatchObject({
				dateEnd: '9999-12-31T23:59:59Z',
			});
		});
	});

	describe('end time mode', () => {
		test('an end equal to the start is allowed', () => {
			const body = report({
				dateStart: '2024-05-01T12:30:00Z',
				dateEnd: '2024-05-01T15:30:00+03:00',
			}).body;
			expect(body).toMatchObject({
				dateStart: '2024-05-01T12:30:00Z',
				dateEnd: '2024-05-01T12:30:00Z',
			});
		});

		test('an end within the same second as the start is allowed after truncation', () => {
			const body = report({
				dateStart: '2024-05-01T12:30:00.900Z',
				dateEnd: '2024-05-01T12:30:00.100Z',
			}).body;
			expect(body).toMatchObject({
				dateStart: '2024-05-01T12:30:00Z',
				dateEnd: '2024-05-01T12:30:00Z',
			});
		});

		test('an end before the start is rejected naming dateEnd, and says what the start is', () => {
			const dateEnd = '2024-05-01 12:29:59';
			const error = expectInvalid(
				() => report({ dateStart: '2024-05-01T09:30:00Z', dateEnd }, MOSCOW),
				'dateEnd',
				dateEnd,
			);
			expect(error.expected).toContain('2024-05-01T09:30:00Z');
		});

		test('a missing or invalid end is rejected naming dateEnd', () => {
			expectInvalid(() => report({ dateEnd: undefined }), 'dateEnd', undefined);
			expectInvalid(() => report({ dateEnd: '2024-05-01' }), 'dateEnd', '2024-05-01');
		});
	});

	test.each<[string, Partial<ReportCallInput>, unknown]>([
		['callId', { callId: '   ' }, '   '],
		['callId', { callId: null }, null],
		['dateStart', { dateStart: 'yesterday' }, 'yesterday'],
		['dateStart', { dateStart: '1969-12-31T23:59:59Z' }, '1969-12-31T23:59:59Z'],
		['phoneTo', { phoneTo: '101' }, '101'],
		['phoneTo', { phoneTo: '' }, ''],
		['phoneFrom', { phoneFrom: 'anonymous' }, 'anonymous'],
		['recordLink', { recordLink: 'ftp://pbx.example.com/1.mp3' }, 'ftp://pbx.example.com/1.mp3'],
		[
			'recordLink',
			{ recordLink: '/var/spool/asterisk/monitor/1.wav' },
			'/var/spool/asterisk/monitor/1.wav',
		],
		['recordLink', { recordLink: 42 }, 42],
	])('an invalid %s is rejected naming it', (parameter, overrides, value) => {
		expectInvalid(() => report(overrides), parameter, value);
	});
});

describe('buildUpdateRecordingRequest', () => {
	test('PUT to externalCall/<callId> with only recordLink in the body', () => {
		const request = buildUpdateRecordingRequest({
			callId: 'call2',
			recordLink: 'https://pbx.example.com/rec/2.mp3',
		});
		expect(request).toEqual({
			callId: 'call2',
			method: 'PUT',
			path: '/v1/calltracking/externalCall/call2',
			body: { recordLink: 'https://pbx.example.com/rec/2.mp3' },
		});
	});

	test.each<[unknown, string]>([
		['a/b c', 'a%2Fb%20c'],
		['  a/b c  ', 'a%2Fb%20c'],
		['../admin', '..%2Fadmin'],
		['id?x=1#frag', 'id%3Fx%3D1%23frag'],
		['50%', '50%25'],
		['звонок-1', '%D0%B7%D0%B2%D0%BE%D0%BD%D0%BE%D0%BA-1'],
		['1714566600.42', '1714566600.42'],
		[42, '42'],
	])('callId %p is percent-encoded in the path as %s', (callId, encoded) => {
		const request = buildUpdateRecordingRequest({ callId, recordLink: 'http://pbx/1.mp3' });
		expect(request.path).toBe(`${EXTERNAL_CALL_PATH}/${encoded}`);
		// The request also carries the call ID as sent (decoded), for the output item.
		expect(request.callId).toBe(decodeURIComponent(encoded));
	});

	test('the record link is normalised (scheme and host lower case, spaces encoded)', () => {
		const request = buildUpdateRecordingRequest({
			callId: 'c',
			recordLink: 'HTTPS://PBX.Example.com/rec/a b.mp3',
		});
		expect(request.body).toEqual({ recordLink: 'https://pbx.example.com/rec/a%20b.mp3' });
	});

	test.each<unknown>(['', '   ', undefined, null])(
		'recordLink %p is required here',
		(recordLink) => {
			expectInvalid(
				() => buildUpdateRecordingRequest({ callId: 'c', recordLink }),
				'recordLink',
				recordLink,
			);
		},
	);

	test.each<unknown>([
		'mailto:ops@example.com',
		'pbx.example.com/1.mp3',
		'file:///tmp/1.mp3',
		'https://',
		42,
		{},
	])('recordLink %p is rejected', (recordLink) => {
		expectInvalid(
			() => buildUpdateRecordingRequest({ callId: 'c', recordLink }),
			'recordLink',
			recordLink,
		);
	});

	test.each<unknown>(['', '  ', undefined, Number.NaN, Number.POSITIVE_INFINITY, true, {}])(
		'callId %p is rejected naming callId',
		(callId) => {
			expectInvalid(
				() => buildUpdateRecordingRequest({ callId, recordLink: 'http://pbx/1.mp3' }),
				'callId',
				callId,
			);
		},
	);
});
