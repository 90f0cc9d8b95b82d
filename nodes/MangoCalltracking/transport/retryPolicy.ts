/*
 * Pure retry arithmetic: which failures are worth another attempt and how long to wait before it.
 * Repeats of a callId are tolerated by Mango, so a POST that may have reached it can be sent again.
 */

export interface RetrySettings {
	/** Attempts after the first one. */
	maxRetries: number;
	/** Base of the exponential backoff, in milliseconds. */
	retryDelay: number;
}

/** No single wait longer than this, whatever the backoff or Retry-After says. */
export const MAX_WAIT_MS = 60_000;

const RETRIED_HTTP_CODES = new Set([429, 500, 502, 503, 504]);

const RETRIED_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ENETDOWN',
	'EHOSTDOWN',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function isRetriedHttpCode(httpCode: number): boolean {
	return RETRIED_HTTP_CODES.has(httpCode);
}

export function isRetriedNetworkCode(code: string | undefined): boolean {
	return code !== undefined && RETRIED_NETWORK_CODES.has(code);
}

/**
 * Exponential backoff with full jitter: a uniform wait in [0, retryDelay · 2^(retry-1)], capped.
 * `retry` counts from 1 (the wait before the second attempt).
 */
export function backoffDelay(
	retry: number,
	retryDelay: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(MAX_WAIT_MS, retryDelay * 2 ** Math.max(0, retry - 1));
	return Math.floor(random() * ceiling);
}

/**
 * Milliseconds a Retry-After header asks for (delta-seconds or an HTTP-date), capped at MAX_WAIT_MS;
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
	const text = Array.isArray(header) ? header[0] : header;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const value = String(text).trim();
	if (/^\d+$/.test(value)) return Math.min(MAX_WAIT_MS, Number(value) * 1000);
	// HTTP-date (RFC 9110): "Sun, 06 Nov 1994 08:49:37 GMT"; the obsolete forms end in GMT or a year too.
	if (!/\d{1,2}:\d{2}:\d{2}/.test(value) || !/\b\d{4}\b/.test(value)) return undefined;
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.min(MAX_WAIT_MS, Math.max(0, date - now));
}

/** The wait before retry number `retry`: the server's Retry-After when it gave one, else the jittered backoff. */
export function retryWait(
	retry: number,
	settings: RetrySettings,
	retryAfterMs: number | undefined,
	random: () => number = Math.random,
): number {
	return retryAfterMs ?? backoffDelay(retry, settings.retryDelay, random);
}
