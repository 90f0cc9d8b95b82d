import type { INodeParameters } from 'n8n-workflow';

import type { MangoSandbox } from '../sandbox/sandboxTypes';
import { credentialsFor, pbxCall, reportCallFromItems, withSandbox } from './fixtures';
import { runWorkflow } from './runWorkflow';

let sandbox: MangoSandbox;
beforeAll(async () => {
	sandbox = await withSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const calls = (count: number) => Array.from({ length: count }, (_, index) => pbxCall(index));
const postsFor = (callId: string) =>
	sandbox.ledger.filter((entry) => entry.method === 'POST' && entry.callId === callId);

async function report(items: object[], options: INodeParameters) {
	const result = await runWorkflow({
		items: items as never,
		credentials: credentialsFor(sandbox),
		nodes: [{ name: 'Report', continueOnFail: true, parameters: reportCallFromItems(options) }],
	});
	return result.outputs('Report')[0];
}

test('transient answers (429, 500, 502, 503) are retried per item until Mango accepts', async () => {
	sandbox.setFaults({
		seed: 11,
		retryAfterSeconds: 0,
		rates: { http500: 0.2, http502: 0.1, http503: 0.1, http429: 0.1 },
	});
	const output = await report(calls(40), { maxRetries: 10, retryDelay: 1 });
	expect(output.map((item) => item.json.status)).toEqual(Array(40).fill('ok'));
	expect(output.map((item) => item.pairedItem)).toEqual(calls(40).map((_, item) => ({ item })));
	const faulted = sandbox.ledger.filter((entry) => entry.answer.outcome === 'fault');
	expect(faulted.length).toBeGreaterThan(5);
	for (const item of output) {
		const posts = postsFor(String(item.json.callId));
		expect(posts[posts.length - 1].answer.outcome).toBe('ok');
		expect(posts.slice(0, -1).every((entry) => entry.answer.outcome === 'fault')).toBe(true);
	}
});

test('after the retries run out the error item says how many attempts and the last cause', async () => {
	sandbox.setFaults({ rates: { http503: 1 } });
	const [item] = await report(calls(1), { maxRetries: 2, retryDelay: 1 });
	expect(item.json.details).toMatchObject({
		attempts: 3,
		httpCode: 503,
		kind: 'rejected',
		code: 'unavailable',
	});
	expect(item.json.error).toContain('after 3 attempts');
	expect(postsFor('call-0')).toHaveLength(3);
});

test('other 4xx and status "error" answers are never retried', async () => {
	sandbox.setFaults({ rates: { error200: 1 } });
	const [rejected] = await report(calls(1), { maxRetries: 3, retryDelay: 1 });
	expect(rejected.json.details).toMatchObject({
		attempts: 1,
		httpCode: 200,
		code: 'temporary_failure',
	});
	expect(postsFor('call-0')).toHaveLength(1);

	sandbox.reset();
	const [invalid] = await report([pbxCall(1, { from: '+7123' })], {
		maxRetries: 3,
		retryDelay: 1,
		validateOnly: false,
	});
	expect(invalid.json.details).toMatchObject({ parameter: 'phoneFrom' });
	expect(sandbox.ledger).toHaveLength(0);
});

test('Retry-After is honoured between attempts', async () => {
	sandbox.setFaults({ rates: { http429: 1 }, retryAfterSeconds: 1 });
	const [item] = await report(calls(1), { maxRetries: 1, retryDelay: 0 });
	expect(item.json.details).toMatchObject({ attempts: 2, httpCode: 429 });
	const [first, second] = postsFor('call-0');
	expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
});

test('a request that hangs times out and is retried; resets are network errors and retried', async () => {
	sandbox.setFaults({ rates: { hang: 1 } });
	const [hung] = await report(calls(1), { maxRetries: 1, retryDelay: 0, timeout: 200 });
	expect(hung.json.details).toMatchObject({ kind: 'timeout', attempts: 2 });
	expect(hung.json.error).toContain('200 ms');
	expect(postsFor('call-0')).toHaveLength(2);

	sandbox.reset();
	sandbox.setFaults({ rates: { reset: 1 } });
	const [reset] = await report(calls(1), { maxRetries: 2, retryDelay: 0 });
	expect(reset.json.details).toMatchObject({
		kind: 'network',
		attempts: 3,
		networkCode: 'ECONNRESET',
	});
	expect(postsFor('call-0')).toHaveLength(3);
});

test('output order and pairing follow the input whatever finishes first', async () => {
	sandbox.setFaults({ seed: 5, latencyMs: 0, jitterMs: 40 });
	const output = await report(calls(30), { concurrency: 10 });
	expect(output.map((item) => item.json.callId)).toEqual(calls(30).map((call) => call.id));
	expect(output.map((item) => item.pairedItem)).toEqual(calls(30).map((_, item) => ({ item })));
	const arrival = sandbox.ledger.map((entry) => entry.callId);
	expect(arrival).not.toEqual(calls(30).map((call) => call.id)); // they really did run out of order
});

test('stopping the execution ends long Retry-After waits promptly and starts no further item', async () => {
	sandbox.setFaults({ rates: { http429: 1 }, retryAfterSeconds: 30 });
	const started = Date.now();
	let cancel: (() => void) | undefined;
	const running = runWorkflow({
		items: calls(20) as never,
		credentials: credentialsFor(sandbox),
		nodes: [
			{
				name: 'Report',
				continueOnFail: true,
				parameters: reportCallFromItems({ maxRetries: 3, concurrency: 2 }),
			},
		],
		onStarted: (execution) => (cancel = () => execution.cancel()),
	});
	while (sandbox.ledger.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
	cancel?.();
	await running.catch(() => undefined);
	expect(Date.now() - started).toBeLessThan(10_000);
	await new Promise((resolve) => setTimeout(resolve, 300));
	// Two items were waiting on Retry-After when the execution stopped; the eighteen others are never sent.
	expect(sandbox.ledger).toHaveLength(2);
});
