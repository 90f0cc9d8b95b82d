import { request, type Agent } from 'undici';
import { startSandbox, type MangoSandbox } from './mangoSandbox';
import {
	bearer,
	listCalls,
	newAgent,
	reportCall,
	REQUEST_ID,
	send,
	TOKEN,
	updateRecording,
	validReport,
	WIDGET_ID,
} from './sandboxTestClient';

let sandbox: MangoSandbox;
let agent: Agent;

beforeAll(async () => {
	sandbox = await startSandbox({ token: TOKEN, widgetId: WIDGET_ID });
	agent = newAgent();
});
afterAll(async () => {
	await agent.close();
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

function expectMangoError(
	reply: { status: number; json: any; text: string },
	status: number,
	code: string,
) {
	expect(reply.status).toBe(status);
	expect(reply.json).toEqual({
		status: 'error',
		requestId: expect.stringMatching(REQUEST_ID),
		error: { code, message: expect.any(String) },
	});
	expect(reply.text).not.toContain(TOKEN);
}

describe('POST /v1/calltracking/externalCall', () => {
	it('accepts the spec example, stores the call and records the request', async () => {
		const reply = await reportCall(agent, sandbox, validReport({ callId: '2' }));
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({ status: 'ok', requestId: expect.stringMatching(REQUEST_ID) });
		expect(sandbox.calls.get('2')).toEqual({
			...validReport({ callId: '2' }),
			reportCount: 1,
			recordingUpdates: 0,
		});
		expect(sandbox.ledger).toHaveLength(1);
		expect(sandbox.ledger[0]).toMatchObject({
			seq: 1,
			method: 'POST',
			path: '/v1/calltracking/externalCall',
			query: { widgetId: WIDGET_ID },
			auth: 'bearer',
			tokenInQuery: false,
			contentType: 'application/json',
			body: validReport({ callId: '2' }),
			callId: '2',
			attempt: 1,
			answer: { httpStatus: 200, body: reply.json, outcome: 'ok' },
		});
		expect(sandbox.ledger[0].rawBody).toBe(JSON.stringify(validReport({ callId: '2' })));
		expect(sandbox.ledger[0].answer.fault).toBeUndefined();
	});

	it('defaults phoneFrom and recordLink to empty strings', async () => {
		const { phoneFrom, recordLink, ...required } = validReport();
		expect((await reportCall(agent, sandbox, required)).status).toBe(200);
		expect(sandbox.calls.get('call-1')).toMatchObject({ phoneFrom: '', recordLink: '' });
	});

	it('tolerates repeats: counts them, numbers the attempts, keeps an earlier recordLink', async () => {
		const first = await reportCall(
			agent,
			sandbox,
			validReport({ recordLink: 'https://rec.example/1.mp3' }),
		);
		const second = await reportCall(
			agent,
			sandbox,
			validReport({ recordLink: '', phoneFrom: '+74951234567' }),
		);
		expect(second.status).toBe(200);
		expect(second.json.requestId).not.toBe(first.json.requestId);
		expect(sandbox.calls.get('call-1')).toMatchObject({
			reportCount: 2,
			phoneFrom: '+74951234567',
			recordLink: 'https://rec.example/1.mp3',
		});
		expect(sandbox.ledger.map((entry) => entry.attempt)).toEqual([1, 2]);
	});

	it('accepts the token as access_token query parameter and records that (redacted)', async () => {
		const reply = await reportCall(agent, sandbox, validReport(), {
			headers: {},
			query: `widgetId=${WIDGET_ID}&access_token=${TOKEN}`,
		});
		expect(reply.status).toBe(200);
		expect(sandbox.ledger[0]).toMatchObject({
			auth: 'query',
			tokenInQuery: true,
			query: { widgetId: WIDGET_ID, access_token: '[redacted]' },
		});
		expect(JSON.stringify(sandbox.ledger)).not.toContain(TOKEN);
	});

	it('accepts Content-Type with a utf-8 charset', async () => {
		const reply = await reportCall(agent, sandbox, validReport(), {
			headers: { ...bearer(), 'content-type': 'application/json; charset=UTF-8' },
		});
		expect(reply.status).toBe(200);
	});
});

describe('PUT /v1/calltracking/externalCall/{callId}', () => {
	it('attaches a recording to a reported call', async () => {
		await reportCall(agent, sandbox, validReport({ recordLink: '' }));
		const reply = await updateRecording(agent, sandbox, 'call-1', {
			recordLink: 'https://rec.example/call-1.mp3',
		});
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({ status: 'ok', requestId: expect.stringMatching(REQUEST_ID) });
		expect(sandbox.calls.get('call-1')).toMatchObject({
			recordLink: 'https://rec.example/call-1.mp3',
			recordingUpdates: 1,
			reportCount: 1,
		});
		expect(sandbox.ledger[1]).toMatchObject({ method: 'PUT', callId: 'call-1', attempt: 1 });
	});

	it('percent-decodes the callId from the path', async () => {
		await reportCall(agent, sandbox, validReport({ callId: 'a/b c' }));
		const reply = await updateRecording(agent, sandbox, 'a%2Fb%20c', {
			recordLink: 'https://r.example/x',
		});
		expect(reply.json.status).toBe('ok');
		expect(sandbox.calls.get('a/b c')?.recordLink).toBe('https://r.example/x');
		expect(sandbox.ledger[1]).toMatchObject({
			path: '/v1/calltracking/externalCall/a%2Fb%20c',
			callId: 'a/b c',
		});
	});

	it('answers an unknown callId with HTTP 200 and status error (call_not_found)', async () => {
		const reply = await updateRecording(agent, sandbox, 'never-reported', {
			recordLink: 'https://r.example/x',
		});
		expectMangoError(reply, 200, 'call_not_found');
		expect(reply.json.error.message).toContain('never-reported');
		expect(sandbox.ledger[0].answer.outcome).toBe('error');
		expect(sandbox.calls.size).toBe(0);
	});
});

describe('GET /v1/calltracking/{widgetId}/calls (credential test)', () => {
	it('answers ok with an empty list for a past minute', async () => {
		const reply = await listCalls(
			agent,
			sandbox,
			'dateStart=2020-01-01T00:00Z&dateEnd=2020-01-01T00:01Z',
		);
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({
			status: 'ok',
			requestId: expect.stringMatching(REQUEST_ID),
			calls: [],
		});
		expect(sandbox.ledger[0]).toMatchObject({
			method: 'GET',
			auth: 'bearer',
			attempt: 1,
			rawBody: '',
		});
	});

	it('lists the stored calls whose dateStart is in the range (minute precision, inclusive)', async () => {
		const starts = [
			'2020-08-19T08:15:59Z',
			'2020-08-19T08:16:00Z',
			'2020-08-19T08:17:59Z',
			'2020-08-19T08:18:00Z',
		];
		for (const [i, dateStart] of starts.entries()) {
			await reportCall(
				agent,
				sandbox,
				validReport({ callId: `c${i}`, dateStart, dateEnd: '2020-08-19T09:00:00Z' }),
			);
		}
		const reply = await listCalls(
			agent,
			sandbox,
			'dateStart=2020-08-19T08:16Z&dateEnd=2020-08-19T08:17Z',
		);
		expect(reply.json.calls).toEqual([
			validReport({ callId: 'c1', dateStart: starts[1], dateEnd: '2020-08-19T09:00:00Z' }),
			validReport({ callId: 'c2', dateStart: starts[2], dateEnd: '2020-08-19T09:00:00Z' }),
		]);
	});

	it('checks the token and the widgetId in the path', async () => {
		const range = 'dateStart=2020-01-01T00:00Z&dateEnd=2020-01-01T00:01Z';
		expectMangoError(await listCalls(agent, sandbox, range, { headers: {} }), 401, 'invalid_token');
		expectMangoError(
			await listCalls(agent, sandbox, range, { widgetId: '999' }),
			403,
			'widget_mismatch',
		);
		const viaQuery = await listCalls(agent, sandbox, `${range}&access_token=${TOKEN}`, {
			headers: {},
		});
		expect(viaQuery.json.status).toBe('ok');
	});

	it('also accepts the widgetId in the query (n8n credentials add it to every request), if it is the same', async () => {
		const range = 'dateStart=2020-01-01T00:00Z&dateEnd=2020-01-01T00:01Z';
		expect((await listCalls(agent, sandbox, `${range}&widgetId=${WIDGET_ID}`)).json.status).toBe(
			'ok',
		);
		const other = await listCalls(agent, sandbox, `${range}&widgetId=99999`);
		expectMangoError(other, 403, 'widget_mismatch');
		expect(other.json.error.message).toBe('widgetId "99999" does not match this token\'s widget');
	});

	it.each([
		[
			'seconds instead of minutes',
			'dateStart=2020-01-01T00:00:00Z&dateEnd=2020-01-01T00:01Z',
			'dateStart',
		],
		['no Z', 'dateStart=2020-01-01T00:00&dateEnd=2020-01-01T00:01Z', 'dateStart'],
		['not a real date', 'dateStart=2021-02-29T00:00Z&dateEnd=2021-03-01T00:01Z', 'dateStart'],
		['end before start', 'dateStart=2020-01-01T00:02Z&dateEnd=2020-01-01T00:01Z', 'dateEnd'],
		['missing dateEnd', 'dateStart=2020-01-01T00:00Z', 'dateEnd'],
		['unknown parameter', 'dateStart=2020-01-01T00:00Z&dateEnd=2020-01-01T00:01Z&limit=5', 'limit'],
		[
			'repeated parameter',
			'dateStart=2020-01-01T00:00Z&dateStart=2020-01-01T00:00Z&dateEnd=2020-01-01T00:01Z',
			'dateStart',
		],
	])('rejects %s', async (_, query, field) => {
		const reply = await listCalls(agent, sandbox, query);
		expectMangoError(reply, 400, 'validation_failed');
		expect(reply.json.error.message).toContain(`${field}:`);
	});
});

describe('unknown routes', () => {
	it.each([
		['GET', '/'],
		['GET', '/v1/calltracking/externalCall'],
		['DELETE', '/v1/calltracking/externalCall/call-1'],
		['POST', '/v2/calltracking/externalCall'],
		['POST', '/v1/calltracking/externalCall/'],
		['PUT', '/v1/calltracking/externalCall/a/b'],
	] as const)('%s %s → 404 not_found', async (method, path) => {
		const reply = await send(agent, `${sandbox.url}${path}?widgetId=${WIDGET_ID}`, {
			method,
			headers: bearer(),
			...(method === 'GET' || method === 'DELETE' ? {} : { body: validReport() }),
		});
		expectMangoError(reply, 404, 'not_found');
		expect(sandbox.ledger[0]).toMatchObject({
			method,
			path,
			answer: { httpStatus: 404, outcome: 'error' },
		});
	});
});

describe('check order and rejections', () => {
	const otherToken = 'not-the-token-123';

	it.each([
		['no token at all', {}, ''],
		['a wrong bearer token', bearer(otherToken), ''],
		['a wrong query token', {}, `&access_token=${otherToken}`],
		['a right header next to a wrong query token', bearer(), `&access_token=${otherToken}`],
		['another auth scheme', { authorization: `Basic ${TOKEN}` }, ''],
		['an empty bearer', { authorization: 'Bearer ' }, ''],
	])('401 invalid_token for %s, without echoing any token', async (_, headers, tokenQuery) => {
		const reply = await reportCall(agent, sandbox, validReport(), {
			headers,
			query: `widgetId=${WIDGET_ID}${tokenQuery}`,
		});
		expectMangoError(reply, 401, 'invalid_token');
		expect(reply.text).not.toContain(otherToken);
		expect(sandbox.ledger[0].auth).toBe(
			Object.keys(headers).length === 0 && !tokenQuery ? 'missing' : 'wrong',
		);
		expect(sandbox.calls.size).toBe(0);
	});

	it('checks the token before the widgetId', async () => {
		const reply = await reportCall(agent, sandbox, validReport(), {
			headers: {},
			query: 'widgetId=1',
		});
		expectMangoError(reply, 401, 'invalid_token');
	});

	it.each([
		['another widget', 'widgetId=99999'],
		['no widgetId', ''],
		['two widgetIds', `widgetId=${WIDGET_ID}&widgetId=${WIDGET_ID}`],
	])('403 widget_mismatch for %s', async (_, query) => {
		expectMangoError(
			await reportCall(agent, sandbox, validReport(), { query }),
			403,
			'widget_mismatch',
		);
		expectMangoError(
			await updateRecording(
				agent,
				sandbox,
				'call-1',
				{ recordLink: 'https://r.example/' },
				{ query },
			),
			403,
			'widget_mismatch',
		);
	});

	it('checks the widgetId before the Content-Type', async () => {
		const reply = await reportCall(agent, sandbox, 'not json', {
			query: 'widgetId=1',
			headers: bearer(),
		});
		expectMangoError(reply, 403, 'widget_mismatch');
	});

	it.each([
		['missing', undefined],
		['text/plain', 'text/plain'],
		['form-encoded', 'application/x-www-form-urlencoded'],
		['charset=latin1', 'application/json; charset=latin1'],
	])('415 unsupported_media_type for Content-Type: %s', async (_, contentType) => {
		const headers = { ...bearer(), ...(contentType ? { 'content-type': contentType } : {}) };
		const body = JSON.stringify(validReport());
		expectMangoError(
			await reportCall(agent, sandbox, body, { headers }),
			415,
			'unsupported_media_type',
		);
		expectMangoError(
			await updateRecording(agent, sandbox, 'call-1', '{"recordLink":"https://r.example/"}', {
				headers,
			}),
			415,
			'unsupported_media_type',
		);
	});

	it.each([
		['an empty body', ''],
		['broken JSON', '{"callId": "1",'],
		['an array', '[]'],
		['null', 'null'],
		['a string', '"call"'],
	])('400 invalid_json for %s', async (_, body) => {
		const headers = { ...bearer(), 'content-type': 'application/json' };
		expectMangoError(await reportCall(agent, sandbox, body, { headers }), 400, 'invalid_json');
		expectMangoError(
			await updateRecording(agent, sandbox, 'call-1', body, { headers }),
			400,
			'invalid_json',
		);
	});

	it('400 invalid_json for a body that is not UTF-8', async () => {
		const raw = await request(`${sandbox.url}/v1/calltracking/externalCall?widgetId=${WIDGET_ID}`, {
			dispatcher: agent,
			method: 'POST',
			headers: { ...bearer(), 'content-type': 'application/json' },
			body: Buffer.from([0x7b, 0xff, 0x7d]),
		});
		expect(raw.statusCode).toBe(400);
		expect(((await raw.body.json()) as any).error).toEqual({
			code: 'invalid_json',
			message: 'the body is not valid UTF-8',
		});
	});
});

describe('strict validation of the report (400 validation_failed, naming field and value)', () => {
	it.each([
		['a number callId', { callId: 2 }, 'callId', 'number 2'],
		['an empty callId', { callId: '' }, 'callId', '""'],
		['a callId with surrounding whitespace', { callId: ' 42 ' }, 'callId', '" 42 "'],
		['a missing callId', { callId: undefined }, 'callId', 'is required'],
		['a null dateStart', { dateStart: null }, 'dateStart', 'null'],
		[
			'a dateStart with a space',
			{ dateStart: '2020-08-19 08:16:10Z' },
			'dateStart',
			'"2020-08-19 08:16:10Z"',
		],
		[
			'a dateStart with milliseconds',
			{ dateStart: '2020-08-19T08:16:10.000Z' },
			'dateStart',
			'.000Z',
		],
		[
			'a dateStart with an offset',
			{ dateStart: '2020-08-19T08:16:10+03:00' },
			'dateStart',
			'+03:00',
		],
		['a dateStart without seconds', { dateStart: '2020-08-19T08:16Z' }, 'dateStart', '08:16Z'],
		['a dateStart as epoch seconds', { dateStart: 1597824970 }, 'dateStart', 'number 1597824970'],
		['February 30th', { dateStart: '2020-02-30T08:16:10Z' }, 'dateStart', '2020-02-30'],
		['hour 24', { dateEnd: '2020-08-19T24:00:00Z' }, 'dateEnd', 'T24:00:00Z'],
		['month 13', { dateEnd: '2020-13-19T08:16:20Z' }, 'dateEnd', '2020-13-19'],
		[
			'dateEnd before dateStart',
			{ dateEnd: '2020-08-19T08:16:09Z' },
			'dateEnd',
			'2020-08-19T08:16:10Z',
		],
		['a national phoneTo', { phoneTo: '84958784556' }, 'phoneTo', '"84958784556"'],
		['a formatted phoneTo', { phoneTo: '+7 (495) 878-45-56' }, 'phoneTo', '+7 (495) 878-45-56'],
		['a phoneTo starting +0', { phoneTo: '+04958784556' }, 'phoneTo', '+04958784556'],
		['a too short phoneTo', { phoneTo: '+7495878' }, 'phoneTo', '+7495878'],
		['a too long phoneTo', { phoneTo: '+7495878455612345' }, 'phoneTo', '+7495878455612345'],
		['a number phoneTo', { phoneTo: 74958784556 }, 'phoneTo', 'number 74958784556'],
		['a missing phoneTo', { phoneTo: undefined }, 'phoneTo', 'is required'],
		['a national phoneFrom', { phoneFrom: '89161234567' }, 'phoneFrom', '89161234567'],
		['a null phoneFrom', { phoneFrom: null }, 'phoneFrom', 'null'],
		['an extension as phoneFrom', { phoneFrom: '101' }, 'phoneFrom', '"101"'],
		[
			'an ftp recordLink',
			{ recordLink: 'ftp://rec.example/1.wav' },
			'recordLink',
			'ftp://rec.example/1.wav',
		],
		[
			'a bare file name recordLink',
			{ recordLink: '1597824970.123.wav' },
			'recordLink',
			'1597824970.123.wav',
		],
		[
			'a relative recordLink',
			{ recordLink: '/monitor/2020/08/19/x.wav' },
			'recordLink',
			'/monitor/',
		],
		[
			'a recordLink with a space',
			{ recordLink: 'http://rec.example/a b.wav' },
			'recordLink',
			'a b.wav',
		],
		['an unknown field', { duration: 10 }, 'duration', 'number 10'],
		['a misspelt field', { phone_to: '+74958784556' }, 'phone_to', '+74958784556'],
	])('rejects %s', async (_, overrides, field, shown) => {
		const body = JSON.parse(JSON.stringify(validReport(overrides)));
		const reply = await reportCall(agent, sandbox, body);
		expectMangoError(reply, 400, 'validation_failed');
		expect(reply.json.error.message).toContain(`${field}:`);
		expect(reply.json.error.message).toContain(shown);
		expect(sandbox.calls.size).toBe(0);
		expect(sandbox.ledger[0].answer.outcome).toBe('error');
	});

	it('names every problem at once', async () => {
		const reply = await reportCall(
			agent,
			sandbox,
			validReport({ callId: 7, phoneTo: '8495', extra: true }),
		);
		expect(reply.json.error.message).toMatch(/callId: .*phoneTo: .*extra: /);
	});

	it('never echoes the token, even where a client misplaced it', async () => {
		const inBody = await reportCall(agent, sandbox, validReport({ apiKey: TOKEN }));
		expect(inBody.json.error.message).toContain(
			'apiKey: unknown field (not in the spec), got "[redacted]"',
		);
		const inQuery = await reportCall(agent, sandbox, validReport(), {
			query: `widgetId=${WIDGET_ID}&token=${TOKEN}`,
		});
		expect(inQuery.json.error.message).toBe('token: unknown query parameter, got "[redacted]"');
		const asWidget = await reportCall(agent, sandbox, validReport(), {
			query: `widgetId=${TOKEN}`,
		});
		expectMangoError(asWidget, 403, 'widget_mismatch');
	});

	it('rejects an unknown query parameter', async () => {
		const reply = await reportCall(agent, sandbox, validReport(), {
			query: `widgetId=${WIDGET_ID}&debug=1`,
		});
		expectMangoError(reply, 400, 'validation_failed');
		expect(reply.json.error.message).toContain('debug: unknown query parameter, got "1"');
	});

	it.each([
		['a missing recordLink', 'call-1', {}, 'recordLink: is required'],
		[
			'an empty recordLink',
			'call-1',
			{ recordLink: '' },
			'recordLink: must be an absolute http(s) URL, got ""',
		],
		[
			'a non-URL recordLink',
			'call-1',
			{ recordLink: 'x.wav' },
			'recordLink: must be an absolute http(s) URL',
		],
		[
			'a number recordLink',
			'call-1',
			{ recordLink: 1 },
			'recordLink: must be a string, got number 1',
		],
		[
			'an extra field',
			'call-1',
			{ recordLink: 'https://r.example/', callId: 'call-1' },
			'callId: unknown field',
		],
		[
			'a callId with surrounding whitespace',
			'%20call-1',
			{ recordLink: 'https://r.example/' },
			'callId: must not start or end with whitespace',
		],
		[
			'broken percent-encoding',
			'call%E0%A4%A',
			{ recordLink: 'https://r.example/' },
			'callId: the path segment is not valid percent-encoding',
		],
	])('PUT rejects %s', async (_, rawCallId, body, message) => {
		await reportCall(agent, sandbox, validReport({ recordLink: '' }));
		const reply = await updateRecording(agent, sandbox, rawCallId, body);
		expectMangoError(reply, 400, 'validation_failed');
		expect(reply.json.error.message).toContain(message);
		expect(sandbox.calls.get('call-1')).toMatchObject({ recordLink: '', recordingUpdates: 0 });
	});
});

describe('extraAnswerFields', () => {
	it('are merged into every ok answer and no error answer', async () => {
		const extra = { balance: 12.5, news: { v: 2 } };
		const rich = await startSandbox({
			token: TOKEN,
			widgetId: WIDGET_ID,
			extraAnswerFields: extra,
		});
		try {
			const ok = await reportCall(agent, rich, validReport());
			expect(ok.json).toEqual({
				status: 'ok',
				requestId: expect.stringMatching(REQUEST_ID),
				...extra,
			});
			const put = await updateRecording(agent, rich, 'call-1', {
				recordLink: 'https://r.example/',
			});
			expect(put.json).toMatchObject(extra);
			const list = await listCalls(
				agent,
				rich,
				'dateStart=2020-08-19T08:00Z&dateEnd=2020-08-19T09:00Z',
			);
			expect(list.json).toMatchObject({
				...extra,
				calls: [expect.objectContaining({ callId: 'call-1' })],
			});
			const error = await reportCall(agent, rich, validReport({ callId: 1 }));
			expect(error.json).not.toHaveProperty('balance');
		} finally {
			await rich.close();
		}
	});

	it('may not shadow status, requestId, error or calls', async () => {
		await expect(
			startSandbox({ token: TOKEN, widgetId: WIDGET_ID, extraAnswerFields: { status: 'error' } }),
		).rejects.toThrow(/may not set status/);
	});
});

describe('the /__sandbox inspection and control endpoints', () => {
	it('show the ledger and the calls, without recording themselves', async () => {
		await reportCall(agent, sandbox, validReport());
		const ledger = await send(agent, `${sandbox.url}/__sandbox/ledger`);
		expect(ledger.status).toBe(200);
		expect(ledger.json).toEqual(JSON.parse(JSON.stringify(sandbox.ledger)));
		expect(ledger.json).toHaveLength(1);
		const calls = await send(agent, `${sandbox.url}/__sandbox/calls`);
		expect(calls.json).toEqual([{ ...validReport(), reportCount: 1, recordingUpdates: 0 }]);
		expect(sandbox.ledger).toHaveLength(1);
	});

	it('reset clears ledger, calls and faults in place', async () => {
		const { ledger, calls } = sandbox;
		await reportCall(agent, sandbox, validReport());
		sandbox.setFaults({ rates: { http500: 1 } });
		const reply = await send(agent, `${sandbox.url}/__sandbox/reset`, { method: 'POST' });
		expect(reply.json).toEqual({ status: 'ok' });
		expect(ledger).toHaveLength(0);
		expect(calls.size).toBe(0);
		expect((await reportCall(agent, sandbox, validReport())).status).toBe(200);
		expect(sandbox.ledger[0]).toMatchObject({ seq: 1, attempt: 1 });
	});

	it('set, show and clear the fault plan; reject a bad one', async () => {
		const url = `${sandbox.url}/__sandbox/faults`;
		const plan = { seed: 7, rates: { http503: 1 }, retryAfterSeconds: 3 };
		expect((await send(agent, url, { method: 'POST', body: plan })).json).toEqual({ status: 'ok' });
		expect((await send(agent, url)).json).toEqual(plan);
		const faulted = await reportCall(agent, sandbox, validReport());
		expect([faulted.status, faulted.headers['retry-after']]).toEqual([503, '3']);

		const bad = await send(agent, url, {
			method: 'POST',
			body: { rates: { http500: 0.7, reset: 0.7 } },
		});
		expect(bad.status).toBe(400);
		expect(bad.json.error).toEqual({
			code: 'invalid_fault_plan',
			message: expect.stringContaining('sum'),
		});
		expect((await send(agent, url, { method: 'POST', body: 'null' })).json).toEqual({
			status: 'ok',
		});
		expect((await send(agent, url)).json).toBeNull();
		expect((await reportCall(agent, sandbox, validReport())).status).toBe(200);
	});

	it('answer 404 for an unknown control route', async () => {
		const reply = await send(agent, `${sandbox.url}/__sandbox/nope`);
		expect(reply.status).toBe(404);
		expect(sandbox.ledger).toHaveLength(0);
	});
});

describe('startSandbox and close', () => {
	it.each([
		[{ token: TOKEN, widgetId: WIDGET_ID, host: '0.0.0.0' }, /loopback/],
		[{ token: '', widgetId: WIDGET_ID }, /token/],
		[{ token: TOKEN, widgetId: '' }, /widgetId/],
		[{ token: TOKEN, widgetId: WIDGET_ID, port: 70000 }, /port/],
		[{ token: TOKEN, widgetId: WIDGET_ID, faults: { rates: { hang: 2 } } }, /fault plan/],
	])('rejects bad options %#', async (options, message) => {
		await expect(startSandbox(options)).rejects.toThrow(message);
	});

	it('listens on loopback on a free port, and stops answering after close (idempotent)', async () => {
		const own = await startSandbox({ token: TOKEN, widgetId: WIDGET_ID });
		expect(own.url).toBe(`http://127.0.0.1:${own.port}`);
		expect(own.port).toBeGreaterThan(0);
		expect((await reportCall(agent, own, validReport())).status).toBe(200);
		await own.close();
		await own.close();
		await expect(reportCall(agent, own, validReport())).rejects.toThrow();
	});

	it('serves on IPv6 loopback too', async () => {
		const v6 = await startSandbox({ token: TOKEN, widgetId: WIDGET_ID, host: '::1' });
		try {
			expect(v6.url).toBe(`http://[::1]:${v6.port}`);
			expect((await reportCall(agent, v6, validReport())).status).toBe(200);
		} finally {
			await v6.close();
		}
	});
});
