import { MangoRequestFailure } from '../../nodes/MangoCalltracking/transport/MangoRequestFailure';
import {
	readMangoAnswer,
	type RawHttpAnswer,
} from '../../nodes/MangoCalltracking/transport/readMangoAnswer';

function failureOf(raw: RawHttpAnswer): MangoRequestFailure {
	try {
		readMangoAnswer(raw);
	} catch (error) {
		if (error instanceof MangoRequestFailure) return error;
		throw error;
	}
	throw new Error('expected a MangoRequestFailure, but the answer was accepted');
}

const answer = (
	statusCode: number,
	body: unknown,
	headers: Record<string, unknown> = {},
): RawHttpAnswer => ({
	statusCode,
	headers,
	body,
});

describe('readMangoAnswer: success is status "ok" with a 2xx code', () => {
	test('a JSON text body with status ok is returned', () => {
		expect(readMangoAnswer(answer(200, '{"status":"ok","requestId":"r-1"}'))).toEqual({
			status: 'ok',
			requestId: 'r-1',
		});
	});

	test('unknown fields are kept, a numeric requestId too', () => {
		const result = readMangoAnswer(
			answer(200, '{"status":"ok","requestId":17,"callId":"2","extra":{"a":[1]}}'),
		);
		expect(result).toEqual({ status: 'ok', requestId: 17, callId: '2', extra: { a: [1] } });
	});

	test('an already parsed body is accepted', () => {
		expect(
			readMangoAnswer(answer(201, { status: 'ok', requestId: 'r-2', error: null })),
		).toMatchObject({
			status: 'ok',
			requestId: 'r-2',
		});
	});

	test('requestId is optional on success', () => {
		expect(readMangoAnswer(answer(204, '{"status":"ok"}'))).toEqual({ status: 'ok' });
	});
});

describe('readMangoAnswer: rejected answers', () => {
	test('status "error" with HTTP 200 is an error, not retried, with code, request and message', () => {
		const failure = failureOf(
			answer(
				200,
				'{"status":"error","requestId":"r-9","error":{"code":3101,"message":"Widget not found"}}',
			),
		);
		expect(failure.kind).toBe('rejected');
		expect(failure.retryable).toBe(false);
		expect(failure.details).toMatchObject({ httpCode: 200, code: 3101, requestId: 'r-9' });
		expect(failure.details.answer).toMatchObject({ status: 'error' });
		expect(failure.message).toContain('Widget not found');
		expect(failure.message).toContain('code 3101');
		expect(failure.message).toContain('request r-9');
		expect(failure.message).toContain('HTTP 200');
	});

	test.each([400, 401, 403, 404, 409, 422, 501])(
		'status "error" with HTTP %i is not retried',
		(httpCode) => {
			const failure = failureOf(
				answer(httpCode, { status: 'error', requestId: 'r', error: { code: 'E', message: 'no' } }),
			);
			expect(failure.kind).toBe('rejected');
			expect(failure.retryable).toBe(false);
			expect(failure.details.httpCode).toBe(httpCode);
		},
	);

	test.each([429, 500, 502, 503, 504])('status "error" with HTTP %i is retried', (httpCode) => {
		const failure = failureOf(answer(httpCode, { status: 'error', requestId: 'r' }));
		expect(failure.kind).toBe('rejected');
		expect(failure.retryable).toBe(true);
	});

	test('status "ok" with a non-2xx code is still an error', () => {
		const failure = failureOf(answer(401, '{"status":"ok","requestId":"r"}'));
		expect(failure.kind).toBe('rejected');
		expect(failure.retryable).toBe(false);
		expect(failure.details.httpCode).toBe(401);
	});

	test.each(['OK', 'success', 'fail', ''])(
		'status %p (anything but "ok") is an error',
		(status) => {
			expect(failureOf(answer(200, { status, requestId: 'r' })).kind).toBe('rejected');
		},
	);

	test('no error object: the message says no reason was given', () => {
		const failure = failureOf(answer(200, '{"status":"error","requestId":"r","error":null}'));
		expect(failure.message).toContain('no reason given');
		expect(failure.details.code).toBeUndefined();
	});
});

describe('readMangoAnswer: answers that are not Mango JSON', () => {
	test.each<[string, unknown]>([
		['plain text', 'Bad Gateway'],
		['HTML', '<html><body>nginx</body></html>'],
		['empty body', ''],
		['JSON null', 'null'],
		['JSON array', '[]'],
		['no status', '{"requestId":"r"}'],
		['status is not a string', '{"status":1}'],
		['undefined body', undefined],
	])('%s with HTTP 200 is an invalid answer, not retried', (_name, body) => {
		const failure = failureOf(answer(200, body));
		expect(failure.kind).toBe('invalidAnswer');
		expect(failure.retryable).toBe(false);
		expect(failure.details.httpCode).toBe(200);
	});

	test('a gateway error page is retried and its excerpt kept', () => {
		const failure = failureOf(answer(502, '<html>\n  <body>502   Bad Gateway</body>\n</html>'));
		expect(failure.kind).toBe('invalidAnswer');
		expect(failure.retryable).toBe(true);
		expect(failure.details.bodyExcerpt).toBe('<html> <body>502 Bad Gateway</body> </html>');
		expect(failure.message).toContain('HTTP 502');
	});

	test('an empty body says so in the message', () => {
		expect(failureOf(answer(503, '')).message).toContain('(empty body)');
	});

	test('a long body is cut to 200 characters and an ellipsis', () => {
		const failure = failureOf(answer(500, 'x'.repeat(5000)));
		expect(failure.details.bodyExcerpt).toBe(`${'x'.repeat(200)}…`);
		expect(failure.message.length).toBeLessThan(400);
	});
});

describe('readMangoAnswer: Retry-After', () => {
	test.each([429, 503])('HTTP %i keeps Retry-After (delta-seconds) in retryAfterMs', (httpCode) => {
		const failure = failureOf(answer(httpCode, '{"status":"error"}', { 'retry-after': '3' }));
		expect(failure.retryable).toBe(true);
		expect(failure.details.retryAfterMs).toBe(3000);
	});

	test('Retry-After on a non-JSON retried answer too', () => {
		expect(failureOf(answer(503, 'busy', { 'retry-after': '0' })).details.retryAfterMs).toBe(0);
	});

	test('Retry-After as an HTTP-date in the future', () => {
		const date = new Date(Date.now() + 20_000).toUTCString();
		const wait = failureOf(answer(429, 'slow down', { 'retry-after': date })).details.retryAfterMs;
		expect(wait).toBeGreaterThan(15_000);
		expect(wait).toBeLessThanOrEqual(20_000);
	});

	test('Retry-After is capped', () => {
		expect(
			failureOf(answer(429, '{"status":"error"}', { 'retry-after': '86400' })).details.retryAfterMs,
		).toBe(60_000);
	});

	test('Retry-After is ignored when the code is not retried, or absent', () => {
		expect(
			failureOf(answer(400, '{"status":"error"}', { 'retry-after': '3' })).details.retryAfterMs,
		).toBeUndefined();
		expect(failureOf(answer(503, '{"status":"error"}')).details.retryAfterMs).toBeUndefined();
	});
});
