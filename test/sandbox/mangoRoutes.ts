/**
 * The Mango calltracking routes and their checks, in order: token (401), widgetId (403), Content-Type (415),
 * JSON object body (400 invalid_json), strict validation (400 validation_failed), then the effect on the store.
 */
import { errorAnswer, okAnswer, type Answer } from './mangoAnswers';
import { tokenProblem, widgetProblem, type TokenCheck } from './requestAuth';
import type { StoredCall } from './sandboxTypes';
import {
	listCallsQuery,
	problemWithCallId,
	reportCallBody,
	updateRecordingBody,
	validate,
	type ListCallsQuery,
	type ReportCallBody,
} from './validateRequest';

export type MangoRoute =
	| { kind: 'reportCall' }
	| { kind: 'updateRecording'; rawCallId: string }
	| { kind: 'listCalls'; rawWidgetId: string }
	| { kind: 'notFound' };

export type ParsedJson = { ok: true; value: unknown } | { ok: false; problem: string };

export interface MangoRequest {
	method: string;
	rawPath: string;
	query: URLSearchParams;
	contentType: string | undefined;
	json: ParsedJson;
}

export interface SandboxStore {
	widgetId: string;
	extraAnswerFields: Record<string, unknown>;
	calls: Map<string, StoredCall>;
}

export function matchRoute(method: string, rawPath: string): MangoRoute {
	if (method === 'POST' && rawPath === '/v1/calltracking/externalCall')
		return { kind: 'reportCall' };
	const update = /^\/v1\/calltracking\/externalCall\/([^/]*)$/.exec(rawPath);
	if (method === 'PUT' && update) return { kind: 'updateRecording', rawCallId: update[1] };
	const list = /^\/v1\/calltracking\/([^/]+)\/calls$/.exec(rawPath);
	if (method === 'GET' && list) return { kind: 'listCalls', rawWidgetId: list[1] };
	return { kind: 'notFound' };
}

/** The externalCall routes are the only ones subject to faults and latency. */
export function isExternalCallRoute(route: MangoRoute): boolean {
	return route.kind === 'reportCall' || route.kind === 'updateRecording';
}

export function decodePathSegment(raw: string): string | undefined {
	try {
		return decodeURIComponent(raw);
	} catch {
		return undefined;
	}
}

/** The callId the request is about, as far as it can be told before any check: used for faults and the ledger. */
export function callIdOf(route: MangoRoute, json: ParsedJson): string | undefined {
	if (route.kind === 'updateRecording')
		return decodePathSegment(route.rawCallId) ?? route.rawCallId;
	if (route.kind === 'reportCall' && json.ok && isJsonObject(json.value)) {
		const callId = json.value.callId;
		return typeof callId === 'string' ? callId : undefined;
	}
	return undefined;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problemWithContentType(contentType: string | undefined): string | undefined {
	if (contentType === undefined) return 'Content-Type is missing: send application/json';
	const [mediaType, ...parameters] = contentType.split(';');
	if (mediaType.trim().toLowerCase() !== 'application/json') {
		return `Content-Type ${JSON.stringify(contentType)} is not application/json`;
	}
	for (const parameter of parameters) {
		const [name, value = ''] = parameter.split('=');
		const charset = value
			.trim()
			.replace(/^"(.*)"$/, '$1')
			.toLowerCase();
		if (name.trim().toLowerCase() === 'charset' && charset !== 'utf-8' && charset !== 'utf8') {
			return `Content-Type ${JSON.stringify(contentType)}: only charset=utf-8 is accepted`;
		}
	}
	return undefined;
}

/**
 * GET takes the widget ID in the path. n8n credentials add `widgetId` to every request's query, so the query may
 * carry it too, but then it must be the same widget.
 */
function listWidgetProblem(
	rawWidgetId: string,
	query: URLSearchParams,
	widgetId: string,
): string | undefined {
	const inPath = widgetProblem(
		[decodePathSegment(rawWidgetId) ?? rawWidgetId],
		widgetId,
		'in the path',
	);
	if (inPath || !query.has('widgetId')) return inPath;
	return widgetProblem(query.getAll('widgetId'), widgetId, 'query parameter');
}

/** Query parameters other than the allowed ones, and repeated ones, as validation problems. */
function queryProblems(query: URLSearchParams, allowed: readonly string[]): string[] {
	const problems: string[] = [];
	for (const name of new Set(query.keys())) {
		const values = query.getAll(name);
		if (!allowed.includes(name)) {
			problems.push(`${name}: unknown query parameter, got ${JSON.stringify(values[0])}`);
		} else if (values.length > 1 && name !== 'access_token' && name !== 'widgetId') {
			problems.push(`${name}: query parameter given ${values.length} times`);
		}
	}
	return problems;
}

function describeCallForList(call: StoredCall) {
	const { callId, dateStart, dateEnd, phoneTo, phoneFrom, recordLink } = call;
	return { callId, dateStart, dateEnd, phoneTo, phoneFrom, recordLink };
}

function storeReport(calls: Map<string, StoredCall>, report: ReportCallBody): void {
	const existing = calls.get(report.callId);
	if (!existing) {
		calls.set(report.callId, { ...report, reportCount: 1, recordingUpdates: 0 });
		return;
	}
	// Repeats are tolerated: the latest report wins, but an empty recordLink does not erase one set earlier.
	Object.assign(existing, { ...report, recordLink: report.recordLink || existing.recordLink });
	existing.reportCount += 1;
}

function callsInRange(calls: Map<string, StoredCall>, range: ListCallsQuery) {
	// Minute precision, both ends inclusive: a call started at 10:05:59 is in 10:05..10:05.
	const from = range.dateStart.slice(0, 16);
	const to = range.dateEnd.slice(0, 16);
	return [...calls.values()]
		.filter((call) => call.dateStart.slice(0, 16) >= from && call.dateStart.slice(0, 16) <= to)
		.sort((a, b) => a.dateStart.localeCompare(b.dateStart) || a.callId.localeCompare(b.callId))
		.map(describeCallForList);
}

export function answerMangoRequest(
	route: MangoRoute,
	request: MangoRequest,
	token: TokenCheck,
	store: SandboxStore,
	requestId: string,
): Answer {
	if (route.kind === 'notFound') {
		return errorAnswer(
			404,
			requestId,
			'not_found',
			`no route for ${request.method} ${request.rawPath}`,
		);
	}

	const badToken = tokenProblem(token.auth);
	if (badToken) return errorAnswer(401, requestId, 'invalid_token', badToken);

	const widget =
		route.kind === 'listCalls'
			? listWidgetProblem(route.rawWidgetId, request.query, store.widgetId)
			: widgetProblem(request.query.getAll('widgetId'), store.widgetId, 'query parameter');
	if (widget) return errorAnswer(403, requestId, 'widget_mismatch', widget);

	if (route.kind === 'listCalls') {
		const problems = queryProblems(request.query, [
			'dateStart',
			'dateEnd',
			'access_token',
			'widgetId',
		]);
		const dates = validate(listCallsQuery, {
			dateStart: request.query.get('dateStart') ?? undefined,
			dateEnd: request.query.get('dateEnd') ?? undefined,
		});
		if (!dates.ok) problems.push(dates.message);
		if (problems.length > 0 || !dates.ok) {
			return errorAnswer(400, requestId, 'validation_failed', problems.join('; '));
		}
		return okAnswer(requestId, store.extraAnswerFields, {
			calls: callsInRange(store.calls, dates.value),
		});
	}

	const badContentType = problemWithContentType(request.contentType);
	if (badContentType) return errorAnswer(415, requestId, 'unsupported_media_type', badContentType);
	if (!request.json.ok) return errorAnswer(400, requestId, 'invalid_json', request.json.problem);
	if (!isJsonObject(request.json.value)) {
		return errorAnswer(400, requestId, 'invalid_json', 'the body must be a JSON object');
	}

	const problems = queryProblems(request.query, ['widgetId', 'access_token']);

	if (route.kind === 'reportCall') {
		const report = validate(reportCallBody, request.json.value);
		if (!report.ok) problems.push(report.message);
		if (problems.length > 0 || !report.ok) {
			return errorAnswer(400, requestId, 'validation_failed', problems.join('; '));
		}
		storeReport(store.calls, report.value);
		return okAnswer(requestId, store.extraAnswerFields);
	}

	const callId = decodePathSegment(route.rawCallId);
	if (callId === undefined) {
		problems.push(
			`callId: the path segment is not valid percent-encoding, got ${JSON.stringify(route.rawCallId)}`,
		);
	} else {
		const badCallId = problemWithCallId(callId);
		if (badCallId) problems.push(`callId: ${badCallId}, got ${JSON.stringify(callId)}`);
	}
	const update = validate(updateRecordingBody, request.json.value);
	if (!update.ok) problems.push(update.message);
	if (problems.length > 0 || !update.ok || callId === undefined) {
		return errorAnswer(400, requestId, 'validation_failed', problems.join('; '));
	}
	const call = store.calls.get(callId);
	if (!call) {
		// Mango's "error with HTTP 200" case.
		return errorAnswer(
			200,
			requestId,
			'call_not_found',
			`no call with callId ${JSON.stringify(callId)} was reported`,
		);
	}
	call.recordLink = update.value.recordLink;
	call.recordingUpdates += 1;
	return okAnswer(requestId, store.extraAnswerFields);
}
