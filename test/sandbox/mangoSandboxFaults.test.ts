import type { Agent } from 'undici';
import {
	answerDelayMs,
	chooseFault,
	FAULT_KINDS,
	type FaultKind,
	type FaultPlan,
} from './faultPlan';
import { startSandbox, type MangoSandbox } from './mangoSandbox';
import {
	listCalls,
	newAgent,
	reportCall,
	REQUEST_ID,
	send,
	TOKEN,
	updateRecording,
	validReport,
	WIDGET_ID,
	type Reply,
} from './sandboxTestClient';

let agent: Agent;
beforeAll(() => {
	agent = newAgent();
});
afterAll(() => agent.close());

async function withSandbox(
	faults: FaultPlan | undefined,
	use: (sandbox: MangoSandbox) => Promise<void>,
) {
	const sandbox = await startSandbox({ token: TOKEN, widgetId: WIDGET_ID, faults });
	try {
		await use(sandbox);
	} finally {
		await sandbox.close();
	}
}

/** Runs fn over items with at most `limit` in flight. */
async function inPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) await fn(items[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A reply, or the network error's code (or name) when there was no HTTP answer. */
async function outcomeOf(reply: Promise<Reply>): Promise<Reply | string> {
	try {
		return await reply;
	} catch (error) {
		const { code, name } = error as { code?: string; name?: string };
		return typeof code === 'string' ? code : (name ?? String(error));
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, deadlineMs = 5000): Promise<void> {
	const deadline = Date.now() + deadlineMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await sleep(5);
	}
}

const SOCKET_GONE = /^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/;

describe('each fault kind', () => {
	it.each([
		['http500', 500, 'internal_error'],
		['http502', 502, 'bad_gateway'],
		['http503', 503, 'unavailable'],
		['http429', 429, 'rate_limited'],
		['error200', 200, 'temporary_failure'],
	] as const)(
		'%s answers HTTP %i with code %s, stores nothing, is in the ledger',
		async (fault, status, code) => {
			await withSandbox({ rates: { [fault]: 1 } }, async (sandbox) => {
				const replies = [
					await reportCall(agent, sandbox, validReport()),
					await updateRecording(agent, sandbox, 'call-1', { recordLink: 'https://r.example/' }),
				];
				for (const reply of replies) {
					expect(reply.status).toBe(status);
					expect(reply.json).toEqual({
						status: 'error',
						requestId: expect.stringMatching(REQUEST_ID),
						error: { code, message: expect.any(String) },
					});
				}
				expect(sandbox.calls.size).toBe(0);
				expect(sandbox.ledger.map((entry) => entry.answer)).toEqual(
					replies.map((reply) => ({
						httpStatus: status,
						body: reply.json,
						fault,
						outcome: 'fault',
					})),
				);
			});
		},
	);

	it('nonJson answers 502 with an HTML body', async () => {
		await withSandbox({ rates: { nonJson: 1 } }, async (sandbox) => {
			const reply = await reportCall(agent, sandbox, validReport());
			expect(reply.status).toBe(502);
			expect(reply.headers['content-type']).toBe('text/html');
			expect(reply.text).toBe('<html><body>Bad Gateway</body></html>');
			expect(sandbox.ledger[0].answer).toEqual({
				httpStatus: 502,
				body: '<html><body>Bad Gateway</body></html>',
				fault: 'nonJson',
				outcome: 'fault',
			});
			expect(sandbox.calls.size).toBe(0);
		});
	});

	it('reset destroys the socket without an answer', async () => {
		await withSandbox({ rates: { reset: 1 } }, async (sandbox) => {
			expect(await outcomeOf(reportCall(agent, sandbox, validReport()))).toMatch(SOCKET_GONE);
			expect(sandbox.ledger[0]).toMatchObject({ callId: 'call-1', attempt: 1 });
			expect(sandbox.ledger[0].answer).toEqual({
				httpStatus: null,
				fault: 'reset',
				outcome: 'fault',
			});
			expect(sandbox.calls.size).toBe(0);
		});
	});

	it('hang never answers: the client gives up', async () => {
		await withSandbox({ rates: { hang: 1 } }, async (sandbox) => {
			const started = Date.now();
			const outcome = await outcomeOf(
				reportCall(agent, sandbox, validReport(), { timeoutMs: 150 }),
			);
			expect(outcome).toBe('TimeoutError');
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
			expect(sandbox.ledger[0].answer).toEqual({
				httpStatus: null,
				fault: 'hang',
				outcome: 'fault',
			});
			expect(sandbox.calls.size).toBe(0);
		});
	});

	it('close() destroys hanging sockets promptly', async () => {
		const sandbox = await startSandbox({
			token: TOKEN,
			widgetId: WIDGET_ID,
			faults: { rates: { hang: 1 } },
		});
		const pending = outcomeOf(reportCall(agent, sandbox, validReport()));
		await until(() => sandbox.ledger.length === 1);
		const started = Date.now();
		await sandbox.close();
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await pending).toMatch(SOCKET_GONE);
	});
});

describe('Retry-After', () => {
	it.each([
		['http429', {}, '1'],
		['http503', {}, '1'],
		['http429', { retryAfterSeconds: 0 }, '0'],
		['http503', { retryAfterSeconds: 7 }, '7'],
	] as const)('%s with %j sends delta-seconds %s', async (fault, extra, expected) => {
		await withSandbox({ rates: { [fault]: 1 }, ...extra }, async (sandbox) => {
			expect((await reportCall(agent, sandbox, validReport())).headers['retry-after']).toBe(
				expected,
			);
		});
	});

	it('can be an HTTP-date, no earlier than now + retryAfterSeconds', async () => {
		await withSandbox(
			{ rates: { http429: 1 }, retryAfterSeconds: 30, retryAfterHttpDate: true },
			async (sandbox) => {
				const before = Date.now();
				const header = (await reportCall(agent, sandbox, validReport())).headers['retry-after'];
				expect(header).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
				const delay = Date.parse(header as string) - before;
				expect(delay).toBeGreaterThanOrEqual(30_000);
				expect(delay).toBeLessThanOrEqual(32_000);
			},
		);
	});

	it('is not sent on other faults', async () => {
		await withSandbox({ rates: { http500: 1 } }, async (sandbox) => {
			expect(
				(await reportCall(agent, sandbox, validReport())).headers['retry-after'],
			).toBeUndefined();
		});
	});
});

describe('where faults and latency apply', () => {
	it('faults are decided before auth and validation', async () => {
		await withSandbox({ rates: { http500: 1 } }, async (sandbox) => {
			const reply = await reportCall(agent, sandbox, validReport({ phoneTo: 'bad' }), {
				headers: {},
			});
			expect(reply.status).toBe(500);
			expect(sandbox.ledger[0]).toMatchObject({
				auth: 'missing',
				callId: 'call-1',
				answer: { fault: 'http500' },
			});
		});
	});

	it('spare the credential GET, unknown routes and /__sandbox', async () => {
		await withSandbox({ rates: { http500: 1 }, latencyMs: 300 }, async (sandbox) => {
			const started = Date.now();
			const list = await listCalls(
				agent,
				sandbox,
				'dateStart=2020-01-01T00:00Z&dateEnd=2020-01-01T00:01Z',
			);
			expect(list.json.status).toBe('ok');
			expect((await send(agent, `${sandbox.url}/v1/nothing`)).status).toBe(404);
			expect((await send(agent, `${sandbox.url}/__sandbox/calls`)).status).toBe(200);
			expect(Date.now() - started).toBeLessThan(300);
			expect(sandbox.ledger.map((entry) => entry.answer.fault)).toEqual([undefined, undefined]);
		});
	});

	it('latency delays every externalCall answer, rejections included', async () => {
		await withSandbox({ latencyMs: 120 }, async (sandbox) => {
			const started = Date.now();
			const reply = await reportCall(agent, sandbox, validReport(), { headers: {} });
			expect(reply.status).toBe(401);
			expect(Date.now() - started).toBeGreaterThanOrEqual(115);
		});
	});

	it('jitter adds a seeded share of jitterMs', async () => {
		const plan = { seed: 5, latencyMs: 40, jitterMs: 200 };
		const expected = answerDelayMs(plan, 'POST', 'call-1', 1);
		expect(expected).toBeGreaterThanOrEqual(40);
		expect(expected).toBeLessThan(240);
		await withSandbox(plan, async (sandbox) => {
			const started = Date.now();
			await reportCall(agent, sandbox, validReport());
			expect(Date.now() - started).toBeGreaterThanOrEqual(Math.floor(expected) - 5);
		});
	});
});

describe('reproducibility', () => {
	const rates = {
		http500: 0.15,
		http503: 0.15,
		http429: 0.1,
		error200: 0.1,
		nonJson: 0.1,
		reset: 0.1,
	};
	const callIds = Array.from({ length: 20 }, (_, i) => `rep-${i}`);
	let seed42: Map<string, string> | undefined;

	/** callIds concurrently (in the given order), three attempts each, one after the other; → "method callId#attempt" → fault. */
	async function faultsSeen(seed: number, order: string[]): Promise<Map<string, string>> {
		const seen = new Map<string, string>();
		await withSandbox({ seed, rates }, async (sandbox) => {
			await Promise.all(
				order.map(async (callId) => {
					for (let attempt = 1; attempt <= 3; attempt += 1) {
						await outcomeOf(reportCall(agent, sandbox, validReport({ callId })));
						await outcomeOf(
							updateRecording(agent, sandbox, callId, { recordLink: 'https://r.example/' }),
						);
					}
				}),
			);
			for (const entry of sandbox.ledger) {
				seen.set(`${entry.method} ${entry.callId}#${entry.attempt}`, entry.answer.fault ?? 'none');
			}
		});
		return seen;
	}

	it('the same seed gives the same faults per method, callId and attempt, whatever the arrival order', async () => {
		const first = await faultsSeen(42, callIds);
		seed42 = first;
		const second = await faultsSeen(42, [...callIds].reverse());
		expect(first.size).toBe(120);
		expect(second).toEqual(first);
		for (const [key, fault] of first) {
			const [, method, callId, attempt] = /^(\w+) (.+)#(\d+)$/.exec(key)!;
			expect(chooseFault({ seed: 42, rates }, method, callId, Number(attempt)) ?? 'none').toBe(
				fault,
			);
		}
		const kinds = new Set(first.values());
		expect(kinds).toEqual(
			new Set(['none', 'http500', 'http503', 'http429', 'error200', 'nonJson', 'reset']),
		);
	});

	it('a different seed gives a different sequence', async () => {
		const a = seed42 ?? (await faultsSeen(42, callIds));
		const b = await faultsSeen(43, callIds);
		expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
		const differing = [...a.keys()].filter((key) => a.get(key) !== b.get(key));
		expect(differing.length).toBeGreaterThan(20);
	});

	it('reset() restarts the attempt count, so the same plan replays the same faults', async () => {
		await withSandbox(undefined, async (sandbox) => {
			const plan = { seed: 9, rates: { http500: 0.5 } };
			const statuses = async () => {
				sandbox.setFaults(plan);
				const seen: number[] = [];
				for (let i = 0; i < 12; i += 1)
					seen.push((await reportCall(agent, sandbox, validReport())).status);
				return seen;
			};
			const first = await statuses();
			expect(new Set(first)).toEqual(new Set([200, 500]));
			sandbox.reset();
			expect(await statuses()).toEqual(first);
			sandbox.setFaults(undefined);
			expect((await reportCall(agent, sandbox, validReport())).status).toBe(200);
		});
	});
});

describe('rates over 2,000 requests', () => {
	it('are roughly honoured, and clients see exactly what the ledger says', async () => {
		const rates = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.05])) as Record<
			FaultKind,
			number
		>;
		const sandbox = await startSandbox({
			token: TOKEN,
			widgetId: WIDGET_ID,
			faults: { seed: 2024, rates },
		});
		const seenByClient = new Map<string, number | string>();
		const replies: Promise<void>[] = [];
		let closing = false;
		try {
			// One attempt per callId, so arrival order cannot change attempt numbers. A worker waits for its answer
			// at most 100 ms and moves on: the hanging requests settle only when close() destroys their sockets.
			const callIds = Array.from({ length: 2000 }, (_, i) => `rate-${i}`);
			await inPool(callIds, 50, async (callId) => {
				const settled = outcomeOf(reportCall(agent, sandbox, validReport({ callId }))).then(
					(outcome) => {
						const seen = typeof outcome === 'string' ? outcome : outcome.status;
						seenByClient.set(callId, closing ? `after close: ${seen}` : seen);
					},
				);
				replies.push(settled);
				await Promise.race([settled, sleep(100)]);
			});
			const hangs = () => sandbox.ledger.filter((entry) => entry.answer.fault === 'hang').length;
			await until(() => sandbox.ledger.length === 2000 && seenByClient.size === 2000 - hangs());
		} finally {
			closing = true;
			await sandbox.close();
			await Promise.all(replies);
		}

		const counts = new Map<string, number>();
		for (const entry of sandbox.ledger) {
			const fault = entry.answer.fault ?? 'none';
			counts.set(fault, (counts.get(fault) ?? 0) + 1);
			const client = seenByClient.get(entry.callId!);
			if (fault === 'hang') expect(client).toMatch(/^after close: (ECONNRESET|UND_ERR_SOCKET)$/);
			else if (fault === 'reset') expect(client).toMatch(SOCKET_GONE);
			else expect(client).toBe(entry.answer.httpStatus);
		}
		// Expected 100 each (binomial sd ≈ 10) and 1,200 without a fault (sd ≈ 22).
		for (const kind of FAULT_KINDS)
			expect(Math.abs((counts.get(kind) ?? 0) - 100)).toBeLessThan(45);
		expect(Math.abs((counts.get('none') ?? 0) - 1200)).toBeLessThan(100);
		expect(sandbox.calls.size).toBe(counts.get('none'));
	});
});
