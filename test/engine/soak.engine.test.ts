/*
 * Nothing lost: 10,000 Report Calls through the real engine against a misbehaving Mango. Every input item must come
 * out exactly once, paired to itself, as a success Mango really recorded or as an error item that says why.
 */
import type { MangoSandbox } from '../sandbox/sandboxTypes';
import { credentialsFor, pbxCall, reportCallFromItems, TOKEN, withSandbox } from './fixtures';
import { runWorkflow } from './runWorkflow';

const ITEMS = 10_000;

let sandbox: MangoSandbox;
beforeAll(async () => {
	sandbox = await withSandbox({
		faults: {
			seed: 2026,
			retryAfterSeconds: 1,
			rates: { http500: 0.1, http429: 0.05, reset: 0.02, hang: 0.01 },
		},
	});
});
let stopExecution: (() => void) | undefined;
// If the test times out, the execution must not keep running into the suites after it.
afterAll(async () => {
	stopExecution?.();
	await sandbox.close();
});

test(`soak: ${ITEMS} calls with 10% 500, 5% 429 + Retry-After, 2% resets, 1% hangs`, async () => {
	const started = Date.now();
	const items = Array.from({ length: ITEMS }, (_, index) => pbxCall(index));
	const result = await runWorkflow({
		items,
		credentials: credentialsFor(sandbox),
		onStarted: (execution) => (stopExecution = () => execution.cancel()),
		nodes: [
			{
				name: 'Report',
				continueOnFail: true,
				parameters: reportCallFromItems({
					concurrency: 50,
					maxRetries: 3,
					retryDelay: 20,
					timeout: 3000,
				}),
			},
		],
	});
	const wallMs = Date.now() - started;
	const output = result.outputs('Report')[0];

	expect(result.error).toBeUndefined();
	expect(output).toHaveLength(ITEMS);
	const okAnswers = new Map(
		sandbox.ledger
			.filter((entry) => entry.answer.outcome === 'ok')
			.map((entry) => [entry.callId, (entry.answer.body as { requestId: string }).requestId]),
	);
	let successes = 0;
	const causes: Record<string, number> = {};
	output.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		if (item.json.status === 'ok') {
			successes++;
			expect(item.json.callId).toBe(items[index].id);
			expect(sandbox.calls.has(items[index].id)).toBe(true);
			expect(okAnswers.get(items[index].id)).toBe(item.json.requestId);
		} else {
			const details = item.json.details as {
				attempts: number;
				kind: string;
				httpCode?: number;
				networkCode?: string;
			};
			expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
			expect(details.attempts).toBe(4);
			expect(typeof item.json.error).toBe('string');
			const cause = `${details.kind}${details.httpCode ? ` ${details.httpCode}` : ''}${details.networkCode ? ` ${details.networkCode}` : ''}`;
			causes[cause] = (causes[cause] ?? 0) + 1;
		}
	});
	expect(successes + Object.values(causes).reduce((sum, count) => sum + count, 0)).toBe(ITEMS);
	expect(JSON.stringify(result.run)).not.toContain(TOKEN);

	const postsPerCall = new Map<string, number>();
	for (const entry of sandbox.ledger)
		postsPerCall.set(entry.callId ?? '', (postsPerCall.get(entry.callId ?? '') ?? 0) + 1);
	const receivedMoreThanOnce = [...postsPerCall.values()].filter((count) => count > 1).length;
	const storedMoreThanOnce = [...sandbox.calls.values()].filter(
		(call) => call.reportCount > 1,
	).length;
	const faults: Record<string, number> = {};
	for (const entry of sandbox.ledger)
		if (entry.answer.fault) faults[entry.answer.fault] = (faults[entry.answer.fault] ?? 0) + 1;

	const figures = {
		itemsIn: ITEMS,
		itemsOut: output.length,
		successes,
		errorItems: ITEMS - successes,
		errorCauses: causes,
		requestsReceived: sandbox.ledger.length,
		retries: sandbox.ledger.length - ITEMS,
		faultsInjected: faults,
		callIdsReceivedMoreThanOnce: receivedMoreThanOnce,
		callsRecordedMoreThanOnce: storedMoreThanOnce,
		wallSeconds: Math.round(wallMs / 100) / 10,
	};
	console.log(`soak figures: ${JSON.stringify(figures)}`);
	expect(successes).toBeGreaterThan(ITEMS * 0.99);
}, 300_000);
