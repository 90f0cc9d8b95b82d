import type { INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { describeValue, InvalidValueError } from '../normalize/InvalidValueError';
import { MangoRequestFailure } from '../transport/MangoRequestFailure';

/** What a failure of one item became: the message, and facts for the error item's `details`. */
export interface ItemFailure {
	message: string;
	description?: string;
	details: JsonObject;
}

export interface FailureContext {
	/** Removes the access token from any text. */
	redact: (text: string) => string;
	/** Parameter name → UI label. */
	labels: Record<string, string>;
}

export function describeFailure(
	error: unknown,
	itemIndex: number,
	{ redact, labels }: FailureContext,
): ItemFailure {
	if (error instanceof InvalidValueError) {
		const label = labels[error.parameter] ?? error.parameter;
		return {
			message: redact(
				`Invalid ${label} in item ${itemIndex}: ${describeValue(error.value)} is not ${error.expected}`,
			),
			description: `Parameter "${error.parameter}": change the value or the expression that produces it.`,
			details: {
				parameter: error.parameter,
				value: jsonValue(error.value, redact),
				expected: error.expected,
				itemIndex,
			},
		};
	}
	if (error instanceof MangoRequestFailure) {
		const { httpCode, code, requestId, networkCode, bodyExcerpt, answer } = error.details;
		const attemptsText = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
		const details: JsonObject = { kind: error.kind, attempts: error.attempts, itemIndex };
		if (code !== undefined) details.code = code as JsonObject[string];
		if (typeof answer?.error?.message === 'string') details.message = redact(answer.error.message);
		if (requestId !== undefined) details.requestId = requestId as JsonObject[string];
		if (httpCode !== undefined) details.httpCode = httpCode;
		if (networkCode !== undefined) details.networkCode = networkCode;
		if (bodyExcerpt !== undefined) details.bodyExcerpt = redact(bodyExcerpt);
		return { message: redact(`${error.message}${attemptsText} [item ${itemIndex}]`), details };
	}
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown }).description;
	return {
		message: redact(message),
		description: typeof description === 'string' ? redact(description) : undefined,
		details: { itemIndex },
	};
}

/** The user's value as it was when it is plain JSON, else a readable description of it. */
function jsonValue(value: unknown, redact: (text: string) => string): JsonObject[string] {
	if (typeof value === 'string') return redact(value);
	if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
	return redact(describeValue(value));
}

/**
 * The item that stands for a failed input item under Continue On Fail: json `{error, details}`, which n8n can also
 * route to the node's error output. An n8n that routes only `{error}` gets that when the error output is in use, so
 * that failures never flow on as successes; the message still names the code, requestId or parameter.
 */
export function toErrorItem(
	failure: ItemFailure,
	itemIndex: number,
	withDetails = true,
): INodeExecutionData {
	const json = withDetails
		? { error: failure.message, details: failure.details }
		: { error: failure.message };
	return { json, pairedItem: { item: itemIndex } };
}

/** The error to throw when Continue On Fail is off: NodeApiError when the request failed, else NodeOperationError. */
export function toNodeError(
	node: INode,
	error: unknown,
	failure: ItemFailure,
	itemIndex: number,
): Error {
	if (error instanceof MangoRequestFailure) {
		return new NodeApiError(node, failure.details, {
			message: failure.message,
			description: failure.description,
			httpCode: error.details.httpCode !== undefined ? String(error.details.httpCode) : undefined,
			itemIndex,
		});
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		// n8n's own errors (e.g. an expression that failed) keep their type and context, with the token removed.
		error.message = failure.message;
		if (failure.description !== undefined) error.description = failure.description;
		return error;
	}
	return new NodeOperationError(node, failure.message, {
		description: failure.description,
		itemIndex,
	});
}
