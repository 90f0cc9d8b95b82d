import { sleep } from 'n8n-workflow';

import { MangoRequestFailure } from './MangoRequestFailure';
import type { MangoAnswer } from './mangoSchemas';
import { retryWait, type RetrySettings } from './retryPolicy';

export interface RetryOutcome {
	answer: MangoAnswer;
	attempts: number;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries run out. Only transient failures
 * (MangoRequestFailure.retryable) are tried again; a stopped execution ends the wait at once.
 */
export async function sendWithRetries(
	attempt: () => Promise<MangoAnswer>,
	settings: RetrySettings,
	cancelSignal?: AbortSignal,
	random: () => number = Math.random,
): Promise<RetryOutcome> {
	for (let attempts = 1; ; attempts++) {
		const result = await attempt().then(
			(answer) => ({ answer }),
			(error: unknown) => ({ error }),
		);
		if ('answer' in result) return { answer: result.answer, attempts };
		const failure = result.error;
		if (!(failure instanceof MangoRequestFailure)) throw failure;
		failure.attempts = attempts;
		if (!failure.retryable || attempts > settings.maxRetries || cancelSignal?.aborted)
			throw failure;
		await sleepUnlessCancelled(
			retryWait(attempts, settings, failure.details.retryAfterMs, random),
			cancelSignal,
		);
		if (cancelSignal?.aborted) throw failure;
	}
}

/**
 * n8n 2.x's `sleep` takes the signal and clears its timer on abort; 1.x's ignores it, so the race below is what
 * makes the wait end promptly on every version.
 */
async function sleepUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (ms <= 0) return;
	if (!signal) return await sleep(ms);
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms, signal).catch(() => undefined), aborted]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}
