/**
 * Answers in Mango's shape — `{status, requestId, error?: {code, message}}` — plus the injected fault answers.
 * No answer ever contains a token.
 */
import { randomBytes } from 'node:crypto';
import { retryAfterHeader, type FaultKind, type FaultPlan } from './faultPlan';

export type MangoErrorCode =
	| 'invalid_token'
	| 'widget_mismatch'
	| 'unsupported_media_type'
	| 'invalid_json'
	| 'validation_failed'
	| 'call_not_found'
	| 'not_found'
	| 'payload_too_large'
	| 'internal_error'
	| 'bad_gateway'
	| 'unavailable'
	| 'rate_limited'
	| 'temporary_failure'
	| 'sandbox_failure';

export interface Answer {
	/** null: no HTTP answer at all (the socket is reset or left hanging). */
	httpStatus: number | null;
	headers: Record<string, string>;
	/** A JSON value, or the exact text for a non-JSON answer. */
	body?: unknown;
	bodyIsText?: boolean;
	fault?: FaultKind;
	outcome: 'ok' | 'error' | 'fault';
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function newRequestId(seq: number): string {
	return `sbx-${seq}-${randomBytes(4).toString('hex')}`;
}

export function okAnswer(
	requestId: string,
	extraAnswerFields: Record<string, unknown>,
	fields = {},
): Answer {
	return {
		httpStatus: 200,
		headers: { ...JSON_HEADERS },
		body: { status: 'ok', requestId, ...extraAnswerFields, ...fields },
		outcome: 'ok',
	};
}

export function errorAnswer(
	httpStatus: number,
	requestId: string,
	code: MangoErrorCode,
	message: string,
): Answer {
	return {
		httpStatus,
		headers: { ...JSON_HEADERS },
		body: { status: 'error', requestId, error: { code, message } },
		outcome: 'error',
	};
}

/** Tokens shorter than this are test toys: replacing them would garble every message. */
const MIN_REDACTED_TOKEN_LENGTH = 8;

/**
 * An error message may echo what the client sent (a value, a widgetId); if the client put the token there, it is
 * replaced by '[redacted]', so no answer ever carries the token.
 */
export function withoutToken(answer: Answer, token: string): Answer {
	const body = answer.body as { error?: { code: string; message: string } } | undefined;
	const message = body?.error?.message;
	if (
		token.length < MIN_REDACTED_TOKEN_LENGTH ||
		message === undefined ||
		!message.includes(token)
	) {
		return answer;
	}
	return {
		...answer,
		body: { ...body, error: { ...body!.error!, message: message.split(token).join('[redacted]') } },
	};
}

function faultError(
	fault: FaultKind,
	httpStatus: number,
	requestId: string,
	code: MangoErrorCode,
	message: string,
	headers: Record<string, string> = {},
): Answer {
	const answer = errorAnswer(httpStatus, requestId, code, message);
	return { ...answer, headers: { ...answer.headers, ...headers }, fault, outcome: 'fault' };
}

export function faultAnswer(
	fault: FaultKind,
	requestId: string,
	plan: FaultPlan | undefined,
	now: number,
): Answer {
	const injected = '(sandbox fault injection)';
	switch (fault) {
		case 'http500':
			return faultError(
				fault,
				500,
				requestId,
				'internal_error',
				`internal server error ${injected}`,
			);
		case 'http502':
			return faultError(fault, 502, requestId, 'bad_gateway', `bad gateway ${injected}`);
		case 'http503':
			return faultError(fault, 503, requestId, 'unavailable', `service unavailable ${injected}`, {
				'retry-after': retryAfterHeader(plan, now),
			});
		case 'http429':
			return faultError(fault, 429, requestId, 'rate_limited', `too many requests ${injected}`, {
				'retry-after': retryAfterHeader(plan, now),
			});
		case 'error200':
			return faultError(
				fault,
				200,
				requestId,
				'temporary_failure',
				`temporary failure, try again ${injected}`,
			);
		case 'nonJson':
			return {
				httpStatus: 502,
				headers: { 'content-type': 'text/html' },
				body: '<html><body>Bad Gateway</body></html>',
				bodyIsText: true,
				fault,
				outcome: 'fault',
			};
		case 'reset':
		case 'hang':
			return { httpStatus: null, headers: {}, fault, outcome: 'fault' };
	}
}
