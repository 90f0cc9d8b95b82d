import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { MangoRequestFailure } from './MangoRequestFailure';
import type { MangoAnswer, MangoRequest } from './mangoSchemas';
import { readMangoAnswer } from './readMangoAnswer';
import { isRetriedNetworkCode } from './retryPolicy';

export const CREDENTIAL_TYPE = 'mangoCalltrackingApi';

export interface TransportSettings {
	baseUrl: string;
	/** Milliseconds one attempt may take. */
	timeout: number;
	/** The execution's cancel signal: an abort while it is set is the user stopping the execution. */
	cancelSignal?: AbortSignal;
}

/**
 * One attempt: sends the request with the credential's authentication (Bearer header, widgetId query) and reads
 * Mango's answer. Every failure becomes a MangoRequestFailure; the raw client error is dropped, since its request
 * config carries the Authorization header.
 */
export async function sendMangoRequest(
	context: IExecuteFunctions,
	request: MangoRequest,
	settings: TransportSettings,
): Promise<MangoAnswer> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${settings.baseUrl}${request.path}`,
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: request.body,
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: settings.timeout,
		// A redirect would carry the Authorization header to wherever it points (n8n copies it across origins).
		disableFollowRedirect: true,
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		throw describeTransportError(error, settings);
	}
	return readMangoAnswer({
		statusCode: response.statusCode,
		headers: response.headers as Record<string, unknown>,
		body: response.body,
	});
}

function describeTransportError(
	error: unknown,
	{ timeout, cancelSignal }: TransportSettings,
): MangoRequestFailure {
	const networkCode = findErrorCode(error);
	const message = findCauseMessage(error);
	if (cancelSignal?.aborted || networkCode === 'ERR_CANCELED') {
		return new MangoRequestFailure(
			'cancelled',
			'The request to Mango was cancelled: the execution was stopped',
			{ networkCode },
			false,
		);
	}
	if (
		/timeout|timed out/i.test(message) ||
		networkCode === 'ETIMEDOUT' ||
		networkCode === 'ESOCKETTIMEDOUT'
	) {
		return new MangoRequestFailure(
			'timeout',
			`Mango did not answer within ${timeout} ms (timeout)`,
			{ networkCode: networkCode ?? 'ETIMEDOUT' },
			true,
		);
	}
	return new MangoRequestFailure(
		'network',
		`Could not reach Mango: ${message || 'network error'}${networkCode ? ` (${networkCode})` : ''}`,
		{ networkCode },
		isRetriedNetworkCode(networkCode),
	);
}

/** The first `code` such as ECONNRESET along the error's cause chain (NodeApiError → axios error → socket error). */
function findErrorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** The innermost readable message (the socket's own words, e.g. "socket hang up"). */
function findCauseMessage(error: unknown): string {
	let message = '';
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		const text = (current as { message?: unknown }).message;
		if (typeof text === 'string' && text !== '') message = text;
		current = (current as { cause?: unknown }).cause;
	}
	return message;
}
