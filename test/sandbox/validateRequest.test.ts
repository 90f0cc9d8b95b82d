import {
	problemWithCallId,
	problemWithDateTime,
	problemWithMinuteDateTime,
	problemWithPhone,
	problemWithUrl,
	reportCallBody,
	validate,
} from './validateRequest';

describe('date-times', () => {
	it.each([
		'2020-08-19T08:16:10Z',
		'2020-02-29T23:59:59Z',
		'2000-02-29T00:00:00Z',
		'1999-12-31T23:59:59Z',
	])('accepts %s', (value) => expect(problemWithDateTime(value)).toBeUndefined());

	it.each([
		['1900-02-29T00:00:00Z', 'real'],
		['2021-02-29T00:00:00Z', 'real'],
		['2020-04-31T00:00:00Z', 'real'],
		['2020-00-10T00:00:00Z', 'real'],
		['2020-08-00T00:00:00Z', 'real'],
		['2020-08-19T24:00:00Z', 'real'],
		['2020-08-19T08:60:00Z', 'real'],
		['2020-08-19T08:16:60Z', 'real'],
		['2020-08-19t08:16:10z', 'YYYY'],
		['2020-8-19T08:16:10Z', 'YYYY'],
		['2020-08-19T08:16:10', 'YYYY'],
		['2020-08-19T08:16:10.5Z', 'YYYY'],
		[' 2020-08-19T08:16:10Z', 'YYYY'],
		['', 'YYYY'],
	])('rejects %s', (value, problem) => expect(problemWithDateTime(value)).toContain(problem));

	it('has a minute-precision variant for the list query', () => {
		expect(problemWithMinuteDateTime('2020-08-19T08:16Z')).toBeUndefined();
		expect(problemWithMinuteDateTime('2020-08-19T08:16:00Z')).toContain('YYYY-MM-DDTHH:MMZ');
		expect(problemWithMinuteDateTime('2020-02-30T08:16Z')).toContain('real');
	});
});

describe('phones, URLs and call IDs', () => {
	it.each(['+74958784556', '+12025550123', '+4930123456', '+123456789012345'])(
		'accepts phone %s',
		(value) => expect(problemWithPhone(value)).toBeUndefined(),
	);
	it.each([
		'84958784556',
		'74958784556',
		'+7 495 878 45 56',
		'+0495878455',
		'+1234567',
		'+1234567890123456',
		'',
	])('rejects phone %j', (value) => expect(problemWithPhone(value)).toBeDefined());

	it.each([
		'http://adress.net',
		'https://rec.example/a/b.mp3?x=1#t',
		'HTTPS://REC.EXAMPLE/X',
		'http://10.0.0.5:8080/r',
	])('accepts URL %s', (value) => expect(problemWithUrl(value)).toBeUndefined());
	it.each([
		'adress.net',
		'//adress.net/x',
		'ftp://adress.net/x',
		'file:///var/spool/asterisk/monitor/x.wav',
		'javascript:alert(1)',
		'http://',
		'http:// adress.net',
		' http://adress.net',
		'',
	])('rejects URL %j', (value) => expect(problemWithUrl(value)).toBeDefined());

	it.each([
		['', 'empty'],
		[' 1', 'whitespace'],
		['1\n', 'whitespace'],
	])('rejects callId %j', (value, problem) => expect(problemWithCallId(value)).toContain(problem));
	it.each(['1', 'a/b c', '1597824970.123', 'x y'])('accepts callId %j', (value) =>
		expect(problemWithCallId(value)).toBeUndefined(),
	);
});

describe('validate(reportCallBody)', () => {
	const report = {
		callId: '2',
		dateStart: '2020-08-19T08:16:10Z',
		dateEnd: '2020-08-19T08:16:10Z',
		phoneTo: '+74958784556',
	};

	it('fills the optional fields and allows dateEnd = dateStart', () => {
		expect(validate(reportCallBody, report)).toEqual({
			ok: true,
			value: { ...report, phoneFrom: '', recordLink: '' },
		});
	});

	it('writes one clause per problem, naming the field and the value', () => {
		const result = validate(reportCallBody, {
			...report,
			callId: 2,
			phoneFrom: '8916',
			note: 'x'.repeat(200),
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.message.split('; ')).toEqual([
			'callId: must be a string, got number 2',
			'phoneFrom: must be an E.164 number (^\\+[1-9]\\d{7,14}$), got "8916"',
			`note: unknown field (not in the spec), got "${'x'.repeat(76)}...`,
		]);
	});

	it('does not compare dates that are themselves invalid', () => {
		const result = validate(reportCallBody, { ...report, dateStart: '2020-13-01T00:00:00Z' });
		expect(result).toEqual({
			ok: false,
			message: 'dateStart: is not a real calendar date-time, got "2020-13-01T00:00:00Z"',
		});
	});
});
