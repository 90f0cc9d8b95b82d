import { MangoRequestFailure } from '../../nodes/MangoCalltracking/transport/MangoRequestFailure';
import type { MangoAnswer } from '../../nodes/MangoCalltracking/transport/mangoSchemas';
import { sendWithRetries } from '../../nodes/MangoCalltracking/transport/sendWithRetries';

const OK: MangoAnswer = { status: 'ok', requestId: 'r-1' };
const FAST = { maxRetries: 3, retryDelay: 1 };

const transient = (retryAfterMs?: number) =>
	new MangoRequestFailure(
		'rejected',
		'Mango answered HTTP 503',
		{ httpCode: 503, retryAfterMs },
		true,
	);
const network = () =>
	new MangoRequestFailure(
		'network',
		'Could not reach Mango: socket hang up',
		{ networkCode: 'ECONNRESET' },
		true,
	);
const permanent = () =>
	new MangoRequestFailure('rejected', 'Mango answered HTTP 400', { httpCode: 400 }, false);

/** An attempt function that plays `outcomes` in order: a failure is thrown, an answer returned. */
function scripted(...outcomes: Array<MangoAnswer | Error>) {
	return jest.fn(async (): Promise<MangoAnswer> => {
		const next = outcomes.shift();
		if (next === undefined) throw new Error('attempt called more often than scripted');
		if (next instanceof Error) throw next;
		return next;
	});
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
	return await promise.then(
		() => {
			throw new Error('expected a rejection');
		},
		(error: unknown) => error,
	);
}

describe('sendWithRetries', () => {
	afterEach(() => {
		jest.useRealTimers();
	});

	test('a first success is returned with attempts 1', async () => {
		const attempt = scripted(OK);
		await expect(sendWithRetries(attempt, FAST)).resolves.toEqual({ answer: OK, attempts: 1 });
		expect(attempt).toHaveBeenCalledTimes(1);
	});

	test('transient failures are retried until a success', async () => {
		const attempt = scripted(transient(), network(), OK);
		await expect(sendWithRetries(attempt, FAST, undefined, () => 0)).resolves.toEqual({
			answer: OK,
			attempts: 3,
		});
		expect(attempt).toHaveBeenCalledTimes(3);
	});

	test('gives up after 1 + maxRetries attempts with the last failure, which records the attempts', async () => {
		const last = transient();
		const attempt = scripted(transient(), transient(), transient(), last);
		const error = await rejectionOf(sendWithRetries(attempt, FAST, undefined, () => 0));
		expect(error).toBe(last);
		expect((error as MangoRequestFailure).attempts).toBe(4);
		expect(attempt).toHaveBeenCalledTimes(4);
	});

	test('maxRetries 0 means a single attempt', async () => {
		const attempt = scripted(transient(), OK);
		const error = await rejectionOf(sendWithRetries(attempt, { maxRetries: 0, retryDelay: 1 }));
		expect((error as MangoRequestFailure).attempts).toBe(1);
		expect(attempt).toHaveBeenCalledTimes(1);
	});

	test('a non-retryable failure stops at once', async () => {
		const rejected = permanent();
		const attempt = scripted(rejected, OK);
		await expect(sendWithRetries(attempt, FAST)).rejects.toBe(rejected);
		expect(attempt).toHaveBeenCalledTimes(1);
		expect(rejected.attempts).toBe(1);
	});

	test('a non-retryable failure after retries stops there', async () => {
		const rejected = permanent();
		const attempt = scripted(transient(), rejected, OK);
		await expect(sendWithRetries(attempt, FAST, undefined, () => 0)).rejects.toBe(rejected);
		expect(attempt).toHaveBeenCalledTimes(2);
		expect(rejected.attempts).toBe(2);
	});

	test('an error that is not a MangoRequestFailure is thrown as is, never retried', async () => {
		const bug = new TypeError('boom');
		const attempt = scripted(bug, OK);
		await expect(sendWithRetries(attempt, FAST)).rejects.toBe(bug);
		expect(attempt).toHaveBeenCalledTimes(1);
	});

	test('the backoff draws its jitter from `random` once per retry', async () => {
		const random = jest.fn(() => 0);
		await sendWithRetries(
			scripted(transient(), transient(), OK),
			{ maxRetries: 5, retryDelay: 10 },
			undefined,
			random,
		);
		expect(random).toHaveBeenCalledTimes(2);
	});

	test('Retry-After 0 replaces a long backoff (the retry is immediate)', async () => {
		const random = jest.fn(() => 0.99);
		const started = Date.now();
		// Without Retry-After this would wait ~59 s (retryDelay 100 s, capped at 60 s).
		const outcome = await sendWithRetries(
			scripted(transient(0), transient(0), OK),
			{ maxRetries: 3, retryDelay: 100_000 },
			undefined,
			random,
		);
		expect(outcome.attempts).toBe(3);
		expect(random).not.toHaveBeenCalled();
		expect(Date.now() - started).toBeLessThan(1000);
	});

	test('Retry-After is waited out exactly before the next attempt', async () => {
		jest.useFakeTimers();
		const attempt = scripted(transient(5000), OK);
		const outcome = sendWithRetries(
			attempt,
			{ maxRetries: 2, retryDelay: 1 },
			new AbortController().signal,
			() => 0.99,
		);
		await jest.advanceTimersByTimeAsync(4999);
		expect(attempt).toHaveBeenCalledTimes(1);
		await jest.advanceTimersByTimeAsync(1);
		expect(attempt).toHaveBeenCalledTimes(2);
		await expect(outcome).resolves.toEqual({ answer: OK, attempts: 2 });
	});

	test('the jittered backoff is waited out without a cancel signal too', async () => {
		jest.useFakeTimers();
		const attempt = scripted(network(), OK);
		// retry 1: ceiling 1000 ms, random 0.5 → 500 ms
		const outcome = sendWithRetries(
			attempt,
			{ maxRetries: 1, retryDelay: 1000 },
			undefined,
			() => 0.5,
		);
		await jest.advanceTimersByTimeAsync(499);
		expect(attempt).toHaveBeenCalledTimes(1);
		await jest.advanceTimersByTimeAsync(1);
		await expect(outcome).resolves.toEqual({ answer: OK, attempts: 2 });
	});

	test('cancelling during a long wait ends it promptly with the last failure, leaving no timer behind', async () => {
		jest.useFakeTimers();
		const controller = new AbortController();
		const failure = transient(60_000);
		const attempt = scripted(failure, OK);
		const outcome = rejectionOf(sendWithRetries(attempt, FAST, controller.signal));
		await jest.advanceTimersByTimeAsync(10);
		expect(attempt).toHaveBeenCalledTimes(1);
		controller.abort();
		await expect(outcome).resolves.toBe(failure);
		expect(attempt).toHaveBeenCalledTimes(1);
		expect(jest.getTimerCount()).toBe(0);
	});

	test('cancelling during a long wait, in real time', async () => {
		const controller = new AbortController();
		const failure = transient(60_000);
		const attempt = scripted(failure, OK);
		const started = Date.now();
		setTimeout(() => controller.abort(), 30);
		await expect(sendWithRetries(attempt, FAST, controller.signal)).rejects.toBe(failure);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(attempt).toHaveBeenCalledTimes(1);
	});

	test('an already cancelled execution makes one attempt and does not retry', async () => {
		const controller = new AbortController();
		controller.abort();
		const failure = transient(0);
		const attempt = scripted(failure, OK);
		await expect(sendWithRetries(attempt, FAST, controller.signal)).rejects.toBe(failure);
		expect(attempt).toHaveBeenCalledTimes(1);
	});

	test('a success is returned even if the signal fired meanwhile', async () => {
		const controller = new AbortController();
		const attempt = jest.fn(async () => {
			controller.abort();
			return OK;
		});
		await expect(sendWithRetries(attempt, FAST, controller.signal)).resolves.toEqual({
			answer: OK,
			attempts: 1,
		});
	});
});
