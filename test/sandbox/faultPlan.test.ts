import {
	answerDelayMs,
	checkFaultPlan,
	chooseFault,
	FAULT_KINDS,
	retryAfterHeader,
	seededUnit,
	type FaultKind,
} from './faultPlan';

describe('seededUnit', () => {
	it('is a pure function into [0, 1) that depends on every input', () => {
		const base = seededUnit(1, 'POST', 'call-1', 1, 'fault');
		expect(base).toBeGreaterThanOrEqual(0);
		expect(base).toBeLessThan(1);
		expect(seededUnit(1, 'POST', 'call-1', 1, 'fault')).toBe(base);
		expect(seededUnit(1, 'post', 'call-1', 1, 'fault')).toBe(base);
		const variants = [
			seededUnit(2, 'POST', 'call-1', 1, 'fault'),
			seededUnit(1, 'PUT', 'call-1', 1, 'fault'),
			seededUnit(1, 'POST', 'call-2', 1, 'fault'),
			seededUnit(1, 'POST', undefined, 1, 'fault'),
			seededUnit(1, 'POST', 'call-1', 2, 'fault'),
			seededUnit(1, 'POST', 'call-1', 1, 'jitter'),
		];
		for (const variant of variants) expect(variant).not.toBe(base);
	});
});

describe('chooseFault', () => {
	it('chooses nothing without a plan or rates', () => {
		expect(chooseFault(undefined, 'POST', 'a', 1)).toBeUndefined();
		expect(chooseFault({ latencyMs: 5 }, 'POST', 'a', 1)).toBeUndefined();
		expect(chooseFault({ rates: {} }, 'POST', 'a', 1)).toBeUndefined();
	});

	it.each(FAULT_KINDS)('always chooses %s at rate 1', (kind) => {
		for (let attempt = 1; attempt <= 50; attempt += 1) {
			expect(chooseFault({ rates: { [kind]: 1 } }, 'PUT', 'x', attempt)).toBe(kind);
		}
	});

	it('defaults the seed to 1', () => {
		const rates = { http500: 0.3, reset: 0.3 };
		for (let attempt = 1; attempt <= 50; attempt += 1) {
			expect(chooseFault({ rates }, 'POST', 'c', attempt)).toBe(
				chooseFault({ seed: 1, rates }, 'POST', 'c', attempt),
			);
		}
	});

	it('honours the rates over 2,000 draws and never picks a zero rate', () => {
		const rates = { http500: 0.1, http429: 0.2, hang: 0.05, nonJson: 0.15 };
		const counts = new Map<FaultKind | 'none', number>();
		for (let i = 0; i < 2000; i += 1) {
			const fault = chooseFault({ seed: 3, rates }, 'POST', `call-${i}`, 1 + (i % 3)) ?? 'none';
			counts.set(fault, (counts.get(fault) ?? 0) + 1);
		}
		const expected: Record<string, number> = {
			http500: 200,
			http429: 400,
			hang: 100,
			nonJson: 300,
			none: 1000,
		};
		for (const [kind, count] of Object.entries(expected)) {
			// Within 4.5 binomial standard deviations (the draws are fixed, so this never flakes).
			const tolerance = 4.5 * Math.sqrt(count * (1 - count / 2000));
			expect(Math.abs((counts.get(kind as FaultKind) ?? 0) - count)).toBeLessThan(tolerance);
		}
		expect([...counts.keys()].sort()).toEqual(['hang', 'http429', 'http500', 'nonJson', 'none']);
	});

	it('gives the same sequence for the same seed and another for another seed', () => {
		const rates = { http503: 0.25, error200: 0.25 };
		const sequence = (seed: number) =>
			Array.from({ length: 200 }, (_, i) =>
				chooseFault({ seed, rates }, 'POST', `c${i % 20}`, 1 + Math.floor(i / 20)),
			);
		expect(sequence(11)).toEqual(sequence(11));
		const other = sequence(12);
		expect(sequence(11).filter((fault, i) => fault !== other[i]).length).toBeGreaterThan(50);
	});
});

describe('answerDelayMs', () => {
	it('is latencyMs plus a seeded, uniform share of jitterMs', () => {
		expect(answerDelayMs(undefined, 'POST', 'a', 1)).toBe(0);
		expect(answerDelayMs({ latencyMs: 30 }, 'POST', 'a', 1)).toBe(30);
		const plan = { seed: 4, latencyMs: 30, jitterMs: 100 };
		const delays = Array.from({ length: 500 }, (_, i) => answerDelayMs(plan, 'POST', 'a', i + 1));
		expect(Math.min(...delays)).toBeGreaterThanOrEqual(30);
		expect(Math.max(...delays)).toBeLessThan(130);
		expect(Math.abs(delays.reduce((sum, d) => sum + d, 0) / delays.length - 80)).toBeLessThan(8);
		expect(answerDelayMs(plan, 'POST', 'a', 7)).toBe(delays[6]);
	});
});

describe('retryAfterHeader', () => {
	const now = Date.UTC(2026, 0, 2, 3, 4, 5, 600);

	it('sends delta-seconds, 1 by default, 0 allowed', () => {
		expect(retryAfterHeader(undefined, now)).toBe('1');
		expect(retryAfterHeader({ retryAfterSeconds: 0 }, now)).toBe('0');
		expect(retryAfterHeader({ retryAfterSeconds: 120 }, now)).toBe('120');
	});

	it('sends an HTTP-date rounded up to the next whole second', () => {
		expect(retryAfterHeader({ retryAfterHttpDate: true }, now)).toBe(
			'Fri, 02 Jan 2026 03:04:07 GMT',
		);
		expect(retryAfterHeader({ retryAfterHttpDate: true, retryAfterSeconds: 0 }, now)).toBe(
			'Fri, 02 Jan 2026 03:04:06 GMT',
		);
	});
});

describe('checkFaultPlan', () => {
	it('accepts a full plan and an empty one', () => {
		const plan = {
			seed: 9,
			latencyMs: 10,
			jitterMs: 5,
			rates: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.125])),
			retryAfterSeconds: 0,
			retryAfterHttpDate: true,
		};
		expect(checkFaultPlan(plan)).toEqual(plan);
		expect(checkFaultPlan({})).toEqual({});
	});

	it.each([
		[{ rates: { http500: 0.6, hang: 0.5 } }, 'rates: rates must sum to at most 1'],
		[{ rates: { http500: -0.1 } }, 'rates.http500'],
		[{ rates: { reset: 1.5 } }, 'rates.reset'],
		[{ rates: { http504: 0.1 } }, 'http504'],
		[{ retries: 3 }, 'retries'],
		[{ latencyMs: -1 }, 'latencyMs'],
		[{ retryAfterSeconds: 1.5 }, 'retryAfterSeconds'],
		[{ seed: '1' }, 'seed'],
		[null, 'plan'],
		[[], 'plan'],
	])('rejects %j', (plan, problem) => {
		expect(() => checkFaultPlan(plan)).toThrow(problem);
	});
});
