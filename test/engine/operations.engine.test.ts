import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { MangoSandbox } from '../sandbox/sandboxTypes';
import {
	credentialsFor,
	pbxCall,
	reportCallFromItems,
	TOKEN,
	updateRecordingFromItems,
	WIDGET_ID,
	withSandbox,
} from './fixtures';
import { resolveCredentialTestRequest, runCredentialTest, runWorkflow } from './runWorkflow';

let sandbox: MangoSandbox;
beforeAll(async () => {
	sandbox = await withSandbox({ extraAnswerFields: { apiVersion: 'v1-sandbox' } });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('Report Call → Update Recording through the real engine', () => {
	test('three PBX calls reach Mango normalised, then get their recordings', async () => {
		const items = [
			{
				id: 'a-1',
				start: '2024-05-24 12:30:00',
				seconds: 95,
				to: '8 (495) 123-45-67',
				from: '"Ivan" <sip:89123456789@pbx>',
			},
			{ id: 1716551234.1027, start: 1716543000, seconds: '12.9', to: '+7 495 765-43-21', from: '' },
			{
				id: ' b/2 x ',
				start: '2024-05-24T12:30:00+05:00',
				seconds: 0,
				to: 'tel:+74951112233',
				from: '0049 30 1234567',
			},
		];
		const result = await runWorkflow({
			items,
			credentials: credentialsFor(sandbox),
			nodes: [
				{ name: 'Report', parameters: reportCallFromItems() },
				{ name: 'Recording', parameters: updateRecordingFromItems() },
			],
		});
		expect(result.error).toBeUndefined();

		const reported = result.outputs('Report')[0];
		expect(reported.map((item) => item.json.callId)).toEqual(['a-1', '1716551234.1027', 'b/2 x']);
		expect(reported.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		for (const item of reported) {
			expect(item.json).toMatchObject({ status: 'ok', apiVersion: 'v1-sandbox' });
			expect(String(item.json.requestId)).toMatch(/^sbx-/);
		}

		expect(sandbox.calls.get('a-1')).toMatchObject({
			dateStart: '2024-05-24T09:30:00Z', // Moscow, the workflow's time zone
			dateEnd: '2024-05-24T09:31:35Z',
			phoneTo: '+74951234567',
			phoneFrom: '+79123456789',
			recordLink: 'https://pbx.example.com/records/a-1.mp3',
			recordingUpdates: 1,
		});
		expect(sandbox.calls.get('1716551234.1027')).toMatchObject({
			dateStart: '2024-05-24T09:30:00Z',
			dateEnd: '2024-05-24T09:30:12Z',
			phoneFrom: '',
		});
		expect(sandbox.calls.get('b/2 x')).toMatchObject({
			dateStart: '2024-05-24T07:30:00Z',
			dateEnd: '2024-05-24T07:30:00Z',
			phoneFrom: '+49301234567',
			recordLink: 'https://pbx.example.com/records/b/2%20x.mp3',
		});
		const put = sandbox.ledger.find((entry) => entry.method === 'PUT' && entry.callId === 'b/2 x');
		expect(put?.path).toBe('/v1/calltracking/externalCall/b%2F2%20x');

		const recorded = result.outputs('Recording')[0];
		expect(recorded.map((item) => [item.json.status, item.json.callId])).toEqual([
			['ok', 'a-1'],
			['ok', '1716551234.1027'],
			['ok', 'b/2 x'],
		]);
	});

	test('date-times from expressions: Luxon DateTime, JS Date, epoch milliseconds, explicit time zone', async () => {
		const result = await runWorkflow({
			items: [{ id: 'd-1' }, { id: 'd-2' }, { id: 'd-3' }],
			credentials: credentialsFor(sandbox),
			nodes: [
				{
					name: 'Report',
					parameters: {
						resource: 'call',
						operation: 'reportCall',
						callId: '={{ $json.id }}',
						dateStart:
							"={{ $json.id === 'd-1' ? DateTime.fromISO('2024-05-24T12:30:00.900+03:00') : $json.id === 'd-2' ? new Date(Date.UTC(2024, 4, 24, 9, 30, 0)) : 1716543000999 }}",
						endMode: 'endTime',
						dateEnd: '2024-05-24 15:00:00',
						phoneTo: '74951234567',
						options: { timezone: 'Asia/Yekaterinburg' },
					},
				},
			],
		});
		expect(result.error).toBeUndefined();
		for (const id of ['d-1', 'd-2', 'd-3']) {
			expect(sandbox.calls.get(id)).toMatchObject({
				dateStart: '2024-05-24T09:30:00Z',
				dateEnd: '2024-05-24T10:00:00Z',
			});
		}
	});

	test('Validate Only outputs the request and sends nothing', async () => {
		const result = await runWorkflow({
			items: [pbxCall(1)],
			credentials: credentialsFor(sandbox),
			nodes: [{ name: 'Report', parameters: reportCallFromItems({ validateOnly: true }) }],
		});
		expect(sandbox.ledger).toHaveLength(0);
		const [item] = result.outputs('Report')[0];
		expect(item.json).toEqual({
			validateOnly: true,
			method: 'POST',
			path: '/v1/calltracking/externalCall',
			query: { widgetId: WIDGET_ID },
			body: {
				callId: 'call-1',
				dateStart: '2024-05-24T09:01:05Z',
				dateEnd: '2024-05-24T09:01:36Z',
				phoneTo: '+74951234567',
				phoneFrom: '+79123451011',
				recordLink: '',
			},
		});
		expect(Object.keys(item.json.body as object)).toEqual([
			'callId',
			'dateStart',
			'dateEnd',
			'phoneTo',
			'phoneFrom',
			'recordLink',
		]);
		expect(JSON.stringify(result.run)).not.toContain(TOKEN);
	});

	test('input items are not mutated', async () => {
		const items = [pbxCall(1), pbxCall(2)];
		const copy = JSON.parse(JSON.stringify(items));
		const result = await runWorkflow({
			items,
			credentials: credentialsFor(sandbox),
			nodes: [{ name: 'Report', parameters: reportCallFromItems() }],
		});
		expect(items).toEqual(copy);
		expect(result.outputs('Items Source')[0].map((item) => item.json)).toEqual(copy);
	});
});

describe('one bad item among good ones', () => {
	const items = [pbxCall(1), pbxCall(2, { to: '101' }), pbxCall(3)];

	test('Continue On Fail (regular output): every item comes out, paired, the bad one as {error, details}', async () => {
		const result = await runWorkflow({
			items,
			credentials: credentialsFor(sandbox),
			nodes: [{ name: 'Report', continueOnFail: true, parameters: reportCallFromItems() }],
		});
		expect(result.error).toBeUndefined();
		const output = result.outputs('Report')[0];
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.status).toBe('ok');
		expect(output[2].json.status).toBe('ok');
		expect(Object.keys(output[1].json).sort()).toEqual(['details', 'error']);
		expect(output[1].json.error).toContain('Phone To');
		expect(output[1].json.error).toContain('"101"');
		expect(output[1].json.error).toContain('item 1');
		expect(output[1].json.details).toMatchObject({ parameter: 'phoneTo', value: '101', itemIndex: 1 });
		expect([...sandbox.calls.keys()].sort()).toEqual(['call-1', 'call-3']);
	});

	test('Continue (using error output): the bad item goes to the error output, the others succeed', async () => {
		const result = await runWorkflow({
			items,
			credentials: credentialsFor(sandbox),
			nodes: [
				{ name: 'Report', onError: 'continueErrorOutput', parameters: reportCallFromItems() },
			],
		});
		expect(result.error).toBeUndefined();
		const [success, errors] = result.outputs('Report');
		expect(success.map((item) => [item.json.callId, item.pairedItem])).toEqual([
			['call-1', { item: 0 }],
			['call-3', { item: 2 }],
		]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(errors[0].json.details).toMatchObject({ parameter: 'phoneTo' });
		expect(String(errors[0].json.error)).toContain('101');
	});

	test('without Continue On Fail the node stops with a NodeOperationError naming parameter, value and item', async () => {
		const result = await runWorkflow({
			items,
			credentials: credentialsFor(sandbox),
			nodes: [
				{ name: 'Report', parameters: { ...reportCallFromItems(), options: { concurrency: 1 } } },
			],
		});
		expect(result.error?.name).toBe(NodeOperationError.name);
		expect(result.error?.message).toMatch(/Phone To in item 1: "101" is not a phone number/);
		expect(result.error?.message).toContain('internal extension');
		expect(sandbox.calls.has('call-3')).toBe(false);
	});
});

describe('what Mango answers decides', () => {
	test('status "error" with HTTP 200 is a failure that keeps code, message and requestId', async () => {
		const result = await runWorkflow({
			items: [{ callId: 'never-reported' }],
			credentials: credentialsFor(sandbox),
			nodes: [{ name: 'Recording', continueOnFail: true, parameters: updateRecordingFromItems() }],
		});
		const [item] = result.outputs('Recording')[0];
		const answer = sandbox.ledger[0].answer;
		expect(answer.httpStatus).toBe(200);
		const mango = answer.body as { requestId: string; error: { code: string; message: string } };
		expect(item.json.details).toMatchObject({
			code: mango.error.code,
			message: mango.error.message,
			requestId: mango.requestId,
			httpCode: 200,
			attempts: 1,
		});
		expect(item.json.error).toContain(mango.error.message);
		expect(sandbox.ledger).toHaveLength(1); // never retried
	});

	test('without Continue On Fail a Mango rejection is a NodeApiError with code, message and requestId', async () => {
		const result = await runWorkflow({
			items: [{ callId: 'never-reported' }],
			credentials: credentialsFor(sandbox),
			nodes: [{ name: 'Recording', parameters: updateRecordingFromItems() }],
		});
		expect(result.error?.name).toBe(NodeApiError.name);
		const mango = sandbox.ledger[0].answer.body as {
			requestId: string;
			error: { code: string; message: string };
		};
		expect(result.error?.message).toContain(mango.error.message);
		expect(result.error?.message).toContain(mango.error.code);
		expect(result.error?.message).toContain(mango.requestId);
		expect((result.error as unknown as NodeApiError).httpCode).toBe('200');
	});

	test('an answer that is not JSON is a failure with the HTTP status and an excerpt', async () => {
		sandbox.setFaults({ rates: { nonJson: 1 } });
		const result = await runWorkflow({
			items: [pbxCall(1)],
			credentials: credentialsFor(sandbox),
			nodes: [
				{
					name: 'Report',
					continueOnFail: true,
					parameters: reportCallFromItems({ maxRetries: 0 }),
				},
			],
		});
		const [item] = result.outputs('Report')[0];
		expect(item.json.details).toMatchObject({ kind: 'invalidAnswer', httpCode: 502 });
		expect(String((item.json.details as { bodyExcerpt: string }).bodyExcerpt)).toContain(
			'Bad Gateway',
		);
	});

	test('a wrong token is Mango saying no, not a crash, and the token stays out of the output', async () => {
		const result = await runWorkflow({
			items: [pbxCall(1)],
			credentials: credentialsFor(sandbox, { accessToken: 'wrong-token-value-123' }),
			nodes: [{ name: 'Report', continueOnFail: true, parameters: reportCallFromItems() }],
		});
		const [item] = result.outputs('Report')[0];
		expect(item.json.details).toMatchObject({ httpCode: 401, code: 'invalid_token' });
		expect(JSON.stringify(result.run)).not.toContain('wrong-token-value-123');
	});

	test('a plain-http base URL that is not loopback is refused before anything is sent', async () => {
		const result = await runWorkflow({
			items: [pbxCall(1)],
			credentials: credentialsFor(sandbox, { baseUrl: 'http://widgets-api.example.com' }),
			nodes: [{ name: 'Report', continueOnFail: true, parameters: reportCallFromItems() }],
		});
		const [item] = result.outputs('Report')[0];
		expect(item.json.details).toMatchObject({ parameter: 'credentials.baseUrl' });
		expect(sandbox.ledger).toHaveLength(0);
	});
});

describe('the token', () => {
	test('is sent only as a Bearer header and appears nowhere in output, errors or run data', async () => {
		sandbox.setFaults({ seed: 3, rates: { http500: 0.3, error200: 0.2 } });
		const items = Array.from({ length: 20 }, (_, index) =>
			pbxCall(index, index === 7 ? { to: 'x' } : {}),
		);
		const withContinue = await runWorkflow({
			items,
			credentials: credentialsFor(sandbox),
			nodes: [
				{
					name: 'Report',
					continueOnFail: true,
					parameters: reportCallFromItems({ retryDelay: 0, maxRetries: 1 }),
				},
			],
		});
		const withoutContinue = await runWorkflow({
			items: [{ callId: 'never-reported' }],
			credentials: credentialsFor(sandbox),
			nodes: [{ name: 'Recording', parameters: updateRecordingFromItems() }],
		});
		for (const result of [withContinue, withoutContinue]) {
			expect(JSON.stringify(result.run)).not.toContain(TOKEN);
			expect(String(result.error?.message) + String(result.error?.description)).not.toContain(
				TOKEN,
			);
		}
		expect(withContinue.outputs('Report')[0]).toHaveLength(20);
		expect(sandbox.ledger.length).toBeGreaterThan(0);
		for (const entry of sandbox.ledger) {
			expect(entry.auth).toBe('bearer');
			expect(entry.tokenInQuery).toBe(false);
			expect(entry.query).toEqual({ widgetId: WIDGET_ID });
			expect(entry.rawBody).not.toContain(TOKEN);
		}
	});
});

test("the harness's token check fails a run whose output holds the token", async () => {
	// Guards the guard: every runWorkflow call asserts the token is absent; here the user's own data carries it.
	await expect(
		runWorkflow({
			items: [pbxCall(1, { id: TOKEN })],
			credentials: credentialsFor(sandbox),
			nodes: [{ name: 'Report', parameters: reportCallFromItems({ validateOnly: true }) }],
		}),
	).rejects.toThrow('access token leaked');
});

describe('credential test', () => {
	test.each([
		['http://mango.example.com/', 'https://mango.example.com/v1/calltracking/11078/calls'],
		['', 'https://widgets-api.mango-office.ru/v1/calltracking/11078/calls'],
		['http://127.0.0.1:8787', 'http://127.0.0.1:8787/v1/calltracking/11078/calls'],
		['http://localhost:8787/', 'http://localhost:8787/v1/calltracking/11078/calls'],
		['http://127.0.0.1.example.com', 'https://127.0.0.1.example.com/v1/calltracking/11078/calls'],
	])(
		'with base URL %j it asks %s, never sending the token over plain http elsewhere',
		async (baseUrl, expected) => {
			const { url, request } = await resolveCredentialTestRequest({
				accessToken: TOKEN,
				widgetId: WIDGET_ID,
				baseUrl,
			});
			expect(`${url.origin}${url.pathname}`).toBe(expected);
			expect(request.disableFollowRedirect).toBe(true);
			expect(request.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
			expect(url.searchParams.get('widgetId')).toBe(WIDGET_ID);
		},
	);

	test('passes with the right token and widget ID', async () => {
		const result = await runCredentialTest(credentialsFor(sandbox));
		expect(result).toEqual({
			status: 'OK',
			message: 'Connection successful',
			url: expect.any(String),
		});
		expect(result.url).toContain(`/v1/calltracking/${WIDGET_ID}/calls`);
		expect(result.url).not.toContain(TOKEN);
	});

	test('fails with a wrong token or a wrong widget ID', async () => {
		expect(
			(await runCredentialTest(credentialsFor(sandbox, { accessToken: 'nope-nope' }))).status,
		).toBe('Error');
		expect((await runCredentialTest(credentialsFor(sandbox, { widgetId: '999' }))).status).toBe(
			'Error',
		);
	});
});

describe('review findings', () => {
	test("the body is sent with its keys in the specification's order", async () => {
		await runWorkflow({
			items: [pbxCall(1, { record: 'https://pbx.example.com/r/1.mp3' })],
			credentials: credentialsFor(sandbox),
			nodes: [{ name: 'Report', parameters: reportCallFromItems() }],
		});
		expect(Object.keys(JSON.parse(sandbox.ledger[0].rawBody))).toEqual([
			'callId',
			'dateStart',
			'dateEnd',
			'phoneTo',
			'phoneFrom',
			'recordLink',
		]);
	});

	test('a redirect is not followed, so the token never travels to where it points', async () => {
		const redirector: Server = createServer((request, response) => {
			response.writeHead(307, { location: `${sandbox.url}${request.url}` }).end();
		});
		await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = redirector.address() as AddressInfo;
			const result = await runWorkflow({
				items: [pbxCall(1)],
				credentials: credentialsFor(sandbox, { baseUrl: `http://127.0.0.1:${port}` }),
				nodes: [{ name: 'Report', continueOnFail: true, parameters: reportCallFromItems() }],
			});
			const [item] = result.outputs('Report')[0];
			expect(item.json.details).toMatchObject({ kind: 'rejected', httpCode: 307, attempts: 1 });
			expect(item.json.error).toContain('redirect');
			expect(sandbox.ledger).toHaveLength(0);
		} finally {
			await new Promise((resolve) => redirector.close(resolve));
		}
	});

	test("an expression that fails in the first item's options is that item's error, not the batch's", async () => {
		const result = await runWorkflow({
			items: [pbxCall(1, { limit: 'x' }), pbxCall(2, { limit: 2 })],
			credentials: credentialsFor(sandbox),
			nodes: [
				{
					name: 'Report',
					continueOnFail: true,
					parameters: {
						...reportCallFromItems(),
						options: {
							concurrency: "={{ $json.limit === 'x' ? $('No Such Node').item.json.limit : 2 }}",
						},
					},
				},
			],
		});
		expect(result.error).toBeUndefined();
		const output = result.outputs('Report')[0];
		expect(output).toHaveLength(2);
		expect(Object.keys(output[0].json).sort()).toEqual(['details', 'error']);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[1].json).toMatchObject({ status: 'ok', callId: 'call-2' });
	});
});
