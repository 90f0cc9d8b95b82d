import type { IDataObject } from 'n8n-workflow';

import type { RetrySettings } from '../transport/retryPolicy';

export interface RequestSettings extends RetrySettings {
	concurrency: number;
	timeout: number;
	validateOnly: boolean;
}

const DEFAULT_REQUEST_SETTINGS: RequestSettings = {
	concurrency: 5,
	maxRetries: 3,
	retryDelay: 500,
	timeout: 30_000,
	validateOnly: false,
};

/** Reads the options shared by every operation; out-of-range numbers are clamped rather than rejected. */
export function readRequestOptions(options: IDataObject): RequestSettings {
	return {
		concurrency: wholeNumber(options.concurrency, DEFAULT_REQUEST_SETTINGS.concurrency, 1, 50),
		maxRetries: wholeNumber(options.maxRetries, DEFAULT_REQUEST_SETTINGS.maxRetries, 0, 10),
		retryDelay: wholeNumber(options.retryDelay, DEFAULT_REQUEST_SETTINGS.retryDelay, 0, 60_000),
		timeout: wholeNumber(options.timeout, DEFAULT_REQUEST_SETTINGS.timeout, 1, 600_000),
		validateOnly: options.validateOnly === true,
	};
}

function wholeNumber(value: unknown, fallback: number, min: number, max: number): number {
	const number =
		typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
	if (!Number.isFinite(number)) return fallback;
	return Math.min(max, Math.max(min, Math.floor(number)));
}
