/** Test helpers: an undici client for the sandbox and a well-formed report to vary. Not a test file itself. */
import { Agent, request } from 'undici';
import type { MangoSandbox } from './mangoSandbox';

export const TOKEN = 'sbx-test-token-7e3a91';
export const WIDGET_ID = '11078';

export interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** The parsed body, or undefined when it is not JSON. */
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface SendOptions {
	method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
	headers?: Record<string, string>;
	/** A string is sent as is; anything else as JSON with Content-Type application/json (unless headers set one). */
	body?: unknown;
	/** Give up waiting for the answer after this long: the request rejects with a TimeoutError. */
	timeoutMs?: number;
}

export function bearer(token = TOKEN): Record<string, string> {
	return { authorization: `Bearer ${token}` };
}

export function validReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		callId: 'call-1',
		dateStart: '2020-08-19T08:16:10Z',
		dateEnd: '2020-08-19T08:16:20Z',
		phoneTo: '+74958784556',
		phoneFrom: '',
		recordLink: 'http://adress.net',
		...overrides,
	};
}

export function newAgent(): Agent {
	return new Agent({ keepAliveTimeout: 1000 });
}

export async function send(agent: Agent, url: string, options: SendOptions = {}): Promise<Reply> {
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	let body: string | undefined;
	if (typeof options.body === 'string') {
		body = options.body;
	} else if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
			headers['content-type'] = 'application/json';
		}
	}
	const reply = await request(url, {
		dispatcher: agent,
		method: options.method ?? (body === undefined ? 'GET' : 'POST'),
		headers,
		body,
		...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
	});
	const text = await reply.body.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: reply.statusCode, headers: reply.headers, text, json };
}

/** POST /v1/calltracking/externalCall?widgetId=… with the bearer token, unless options say otherwise. */
export function reportCall(
	agent: Agent,
	sandbox: MangoSandbox,
	body: unknown,
	options: SendOptions & { query?: string } = {},
): Promise<Reply> {
	const query = options.query ?? `widgetId=${sandbox.widgetId}`;
	return send(agent, `${sandbox.url}/v1/calltracking/externalCall?${query}`, {
		method: 'POST',
		headers: bearer(sandbox.token),
		body,
		...options,
	});
}

/** PUT /v1/calltracking/externalCall/{rawCallId}?widgetId=… — rawCallId goes into the path as given. */
export function updateRecording(
	agent: Agent,
	sandbox: MangoSandbox,
	rawCallId: string,
	body: unknown,
	options: SendOptions & { query?: string } = {},
): Promise<Reply> {
	const query = options.query ?? `widgetId=${sandbox.widgetId}`;
	return send(agent, `${sandbox.url}/v1/calltracking/externalCall/${rawCallId}?${query}`, {
		method: 'PUT',
		headers: bearer(sandbox.token),
		body,
		...options,
	});
}

/** GET /v1/calltracking/{widgetId}/calls?{query} — the credential test. */
export function listCalls(
	agent: Agent,
	sandbox: MangoSandbox,
	query: string,
	options: SendOptions & { widgetId?: string } = {},
): Promise<Reply> {
	const widgetId = options.widgetId ?? sandbox.widgetId;
	return send(agent, `${sandbox.url}/v1/calltracking/${widgetId}/calls?${query}`, {
		headers: bearer(sandbox.token),
		...options,
	});
}

export const REQUEST_ID = /^sbx-\d+-[0-9a-f]{8}$/;
