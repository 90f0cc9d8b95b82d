/**
 * A Mango-compatible calltracking HTTP server for tests, the demo and the end-to-end tier (node:http, no framework).
 * Per request: read the body; decide the fault from (seed, method, callId, attempt) before any check; wait the
 * latency; answer (a fault, or the checked Mango route); record the request in the ledger.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerControlRequest, isControlPath } from './controlRoutes';
import { answerDelayMs, checkFaultPlan, chooseFault, type FaultPlan } from './faultPlan';
import { baseUrl, isLoopbackHost } from './loopbackHost';
import { errorAnswer, faultAnswer, newRequestId, withoutToken, type Answer } from './mangoAnswers';
import {
	answerMangoRequest,
	callIdOf,
	isExternalCallRoute,
	matchRoute,
	type ParsedJson,
} from './mangoRoutes';
import { checkToken } from './requestAuth';
import type { LedgerEntry, MangoSandbox, SandboxOptions, StoredCall } from './sandboxTypes';

export type {
	FaultKind,
	FaultPlan,
	LedgerAnswer,
	LedgerEntry,
	MangoSandbox,
	SandboxOptions,
	StoredCall,
	TokenPresentation,
} from './sandboxTypes';

const MAX_BODY_BYTES = 1024 * 1024;
const RESERVED_ANSWER_FIELDS = ['status', 'requestId', 'error', 'calls'];

function checkOptions(options: SandboxOptions): void {
	if (typeof options.token !== 'string' || options.token === '')
		throw new Error('startSandbox: token is required');
	if (typeof options.widgetId !== 'string' || options.widgetId === '') {
		throw new Error('startSandbox: widgetId is required');
	}
	const port = options.port ?? 0;
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`startSandbox: bad port ${port}`);
	const host = options.host ?? '127.0.0.1';
	if (!isLoopbackHost(host))
		throw new Error(`startSandbox: host ${host} is not a loopback address`);
	const reserved = Object.keys(options.extraAnswerFields ?? {}).filter((key) =>
		RESERVED_ANSWER_FIELDS.includes(key),
	);
	if (reserved.length > 0)
		throw new Error(`startSandbox: extraAnswerFields may not set ${reserved.join(', ')}`);
}

function readBody(request: IncomingMessage): Promise<Buffer | 'tooLarge'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				request.removeAllListeners('data');
				request.resume();
				resolve('tooLarge');
			} else {
				chunks.push(chunk);
			}
		});
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

function parseJson(body: Buffer): ParsedJson {
	if (body.length === 0) return { ok: false, problem: 'the body is empty; send a JSON object' };
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(body);
	} catch {
		return { ok: false, problem: 'the body is not valid UTF-8' };
	}
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		return { ok: false, problem: `the body is not JSON: ${(error as Error).message}` };
	}
}

function splitUrl(url: string): { rawPath: string; query: URLSearchParams } {
	const mark = url.indexOf('?');
	if (mark < 0) return { rawPath: url, query: new URLSearchParams() };
	return { rawPath: url.slice(0, mark), query: new URLSearchParams(url.slice(mark + 1)) };
}

function queryForLedger(query: URLSearchParams): Record<string, string> {
	const record: Record<string, string> = {};
	for (const [name, value] of query) record[name] = name === 'access_token' ? '[redacted]' : value;
	return record;
}

function send(response: ServerResponse, answer: Answer): void {
	const payload = answer.bodyIsText ? String(answer.body) : JSON.stringify(answer.body);
	response.writeHead(answer.httpStatus ?? 500, {
		...answer.headers,
		'content-length': String(Buffer.byteLength(payload)),
	});
	response.end(payload);
}

export async function startSandbox(options: SandboxOptions): Promise<MangoSandbox> {
	checkOptions(options);
	const { token, widgetId } = options;
	const extraAnswerFields = { ...(options.extraAnswerFields ?? {}) };
	const ledger: LedgerEntry[] = [];
	const calls = new Map<string, StoredCall>();
	const attempts = new Map<string, number>();
	const timers = new Set<NodeJS.Timeout>();
	let faults: FaultPlan | undefined =
		options.faults === undefined ? undefined : checkFaultPlan(options.faults);
	let seq = 0;
	let closed = false;

	const setFaults = (plan: FaultPlan | undefined): void => {
		faults = plan === undefined ? undefined : checkFaultPlan(plan);
	};
	const reset = (): void => {
		ledger.length = 0;
		calls.clear();
		attempts.clear();
		faults = undefined;
		seq = 0;
	};
	const nextAttempt = (method: string, callId: string | undefined): number => {
		const key = JSON.stringify([method, callId ?? null]);
		const attempt = (attempts.get(key) ?? 0) + 1;
		attempts.set(key, attempt);
		return attempt;
	};
	const wait = (ms: number): Promise<void> =>
		ms <= 0
			? Promise.resolve()
			: new Promise((resolve) => {
					const timer = setTimeout(() => {
						timers.delete(timer);
						resolve();
					}, ms);
					timers.add(timer);
				});

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const receivedAt = Date.now();
		const method = request.method ?? 'GET';
		const { rawPath, query } = splitUrl(request.url ?? '/');
		const body = await readBody(request);
		if (closed) return;
		if (body === 'tooLarge') {
			response.setHeader('connection', 'close');
			send(
				response,
				errorAnswer(
					413,
					newRequestId(0),
					'payload_too_large',
					`the body exceeds ${MAX_BODY_BYTES} bytes`,
				),
			);
			return;
		}
		const json = parseJson(body);

		if (isControlPath(rawPath)) {
			const control = answerControlRequest(method, rawPath, json, {
				ledger,
				calls,
				faults: () => faults,
				setFaults,
				reset,
			});
			send(response, {
				httpStatus: control.httpStatus,
				headers: { 'content-type': 'application/json; charset=utf-8' },
				body: control.body,
				outcome: 'ok',
			});
			return;
		}

		seq += 1;
		const requestId = newRequestId(seq);
		const route = matchRoute(method, rawPath);
		const callId = callIdOf(route, json);
		const attempt = nextAttempt(method, callId);
		const tokenCheck = checkToken(request.headers.authorization, query, token);
		const plan = isExternalCallRoute(route) ? faults : undefined;
		const fault = chooseFault(plan, method, callId, attempt);
		const entry: Omit<LedgerEntry, 'answer'> = {
			seq,
			method,
			path: rawPath,
			query: queryForLedger(query),
			auth: tokenCheck.auth,
			tokenInQuery: tokenCheck.tokenInQuery,
			contentType: request.headers['content-type'],
			rawBody: body.toString('utf8'),
			body: json.ok ? json.value : undefined,
			...(callId === undefined ? {} : { callId }),
			attempt,
			receivedAt,
		};

		if (fault === 'hang') {
			// Never answer: the socket stays open until the client gives up or close() destroys it.
			ledger.push({ ...entry, answer: { httpStatus: null, fault, outcome: 'fault' } });
			return;
		}
		await wait(answerDelayMs(plan, method, callId, attempt));
		if (closed) return;

		const answer = fault
			? faultAnswer(fault, requestId, plan, Date.now())
			: withoutToken(
					answerMangoRequest(
						route,
						{ method, rawPath, query, contentType: request.headers['content-type'], json },
						tokenCheck,
						{ widgetId, extraAnswerFields, calls },
						requestId,
					),
					token,
				);
		ledger.push({
			...entry,
			answer: {
				httpStatus: answer.httpStatus,
				...(answer.body === undefined ? {} : { body: answer.body }),
				...(answer.fault === undefined ? {} : { fault: answer.fault }),
				outcome: answer.outcome,
			},
		});
		if (answer.httpStatus === null) {
			request.socket.resetAndDestroy();
			return;
		}
		send(response, answer);
	}

	const server = createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			console.error('mango sandbox: request failed', error);
			if (!response.headersSent && !response.destroyed) {
				send(
					response,
					errorAnswer(
						500,
						newRequestId(0),
						'sandbox_failure',
						'the sandbox itself failed; see its log',
					),
				);
			} else {
				response.destroy();
			}
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;

	const close = async (): Promise<void> => {
		if (closed) return;
		closed = true;
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
		const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeAllConnections();
		await stopped;
	};

	return {
		url: baseUrl(address.address, address.port),
		port: address.port,
		token,
		widgetId,
		ledger,
		calls,
		setFaults,
		reset,
		close,
	};
}
