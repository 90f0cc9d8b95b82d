import {
	backoffDelay,
	isRetriedHttpCode,
	isRetriedNetworkCode,
	MAX_WAIT_MS,
	parseRetryAfter,
	retryWait,
} from '../../nodes/MangoCalltracking/transport/retryPolicy';

describe('isRetriedHttpCode', () => {
	test.each([429, 500, 502, 503, 504])('HTTP %i is transient', (code) => {
		expect(isRetriedHttpCode(code)).toBe(true);
	});

	test.each([
		200, 201, 204, 301, 304, 400, 401, 403, 404, 405, 408, 409, 413, 422, 451, 501, 505, 511, 0, -1,
	])('HTTP %i is not retried', (code) => {
		expect(isRetriedHttpCode(code)).toBe(false);
	});
});

describe('isRetriedNetworkCode', () => {
	test.each([
		'ECONNRESET', // includes "socket hang up"
		'ECONNREFUSED',
		'ENOTFOUND',
		'EAI_AGAIN',
		'ETIMEDOUT',
		'ESOCKETTIMEDOUT',
		'ECONNABORTED',
		'EPIPE',
		'ENETUNREACH',
		'EHOSTUNREACH',
		'UND_ERR_SOCKET',
		'UND_ERR_CONNECT_TIMEOUT',
		'UND_ERR_HEADERS_TIMEOUT',
	])('%s is transient', (code) => {
		expect(isRetriedNetworkCode(code)).toBe(true);
	});

	test.each([
		undefined,
		'',
		'EACCES',
		'ERR_INVALID_URL',
		'CERT_HAS_EXPIRED',
		'DEPTH_ZERO_SELF_SIGNED_CERT',
		'ERR_TLS_CERT_ALTNAME_INVALID',
		'ERR_CANCELED',
	])('%p is not retried', (code) => {
		expect(isRetriedNetworkCode(code)).toBe(false);
	});
});

describe('backoffDelay: exponential with full jitter', () => {
	test('the ceiling doubles with every retry', () => {
		const half = () => 0.5;
		expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, 1000, half))).toEqual([
			500, 1000, 2000, 4000, 8000,
		]);
	});

	test('full jitter: random 0 waits nothing, random just below 1 waits just below the ceiling', () => {
		expect(backoffDelay(3, 1000, () => 0)).toBe(0);
		expect(backoffDelay(3, 1000, () => 0.999999)).toBe(3999);
	});

	test('capped at MAX_WAIT_MS, also when 2^retry overflows', () => {
		expect(MAX_WAIT_MS).toBe(60_000);
		expect(backoffDelay(10, 1000, () => 0.999999)).toBe(59_999);
		expect(backoffDelay(2000, 1000, () => 0.5)).toBe(30_000);
	});

	test('retry 0 is treated like retry 1', () => {
		expect(backoffDelay(0, 1000, () => 0.5)).toBe(500);
	});

	test('a zero base means no wait', () => {
		expect(backoffDelay(5, 0, () => 0.9)).toBe(0);
	});

	test('whole milliseconds within [0, ceiling) for Math.random', () => {
		for (let i = 0; i < 200; i++) {
			const wait = backoffDelay(3, 250);
			expect(Number.isInteger(wait)).toBe(true);
			expect(wait).toBeGreaterThanOrEqual(0);
			expect(wait).toBeLessThan(1000);
		}
	});
});

describe('parseRetryAfter', () => {
	const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

	test.each<[unknown, number]>([
		['0', 0],
		['5', 5000],
		[' 7 ', 7000],
		[3, 3000],
		[['2', '9'], 2000],
		['60', 60_000],
		['120', MAX_WAIT_MS],
		['99999999999999999999999', MAX_WAIT_MS],
	])('delta-seconds %p → %i ms', (header, expected) => {
		expect(parseRetryAfter(header, NOW)).toBe(expected);
	});

	test.each<[string, number]>([
		['Wed, 01 May 2024 12:00:30 GMT', 30_000],
		['Wed, 01 May 2024 12:00:00 GMT', 0],
		['Wed, 01 May 2024 11:00:00 GMT', 0],
		['Wed, 01 May 2024 13:00:00 GMT', MAX_WAIT_MS],
	])('HTTP-date %p → %i ms', (header, expected) => {
		expect(parseRetryAfter(header, NOW)).toBe(expected);
	});

	test.each<unknown>([undefined, null, '', '   ', 'soon', '-5', '1.5', '5s', [], {}, true])(
		'%p is unreadable → undefined',
		(header) => {
			expect(parseRetryAfter(header, NOW)).toBeUndefined();
		},
	);

	test('defaults `now` to the current time', () => {
		const inTenSeconds = new Date(Date.now() + 10_500).toUTCString();
		const wait = parseRetryAfter(inTenSeconds);
		expect(wait).toBeGreaterThan(8_000);
		expect(wait).toBeLessThanOrEqual(10_500);
	});
});

describe('retryWait', () => {
	const settings = { maxRetries: 3, retryDelay: 1000 };

	test("the server's Retry-After wins over the backoff, even when it is 0", () => {
		const random = jest.fn(() => 0.5);
		expect(retryWait(2, settings, 4000, random)).toBe(4000);
		expect(retryWait(2, settings, 0, random)).toBe(0);
		expect(random).not.toHaveBeenCalled();
	});

	test('without Retry-After it is the jittered backoff for that retry', () => {
		expect(retryWait(1, settings, undefined, () => 0.5)).toBe(500);
		expect(retryWait(3, settings, undefined, () => 0.5)).toBe(2000);
	});
});
