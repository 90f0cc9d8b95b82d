/**
 * Seeded, reproducible fault selection. A fault is a pure function of (seed, method, callId, attempt) — never of
 * arrival order — so concurrent clients see the same faults run after run.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export type FaultKind =
	| 'http500'
	| 'http502'
	| 'http503'
	| 'http429'
	| 'reset'
	| 'hang'
	| 'error200'
	| 'nonJson';

/** Fixed order: the cumulative-probability walk depends on it, so changing it changes every seeded sequence. */
export const FAULT_KINDS: readonly FaultKind[] = [
	'http500',
	'http502',
	'http503',
	'http429',
	'reset',
	'hang',
	'error200',
	'nonJson',
];

export interface FaultPlan {
	/** Default 1. */
	seed?: number;
	latencyMs?: number;
	jitterMs?: number;
	/** Probabilities 0..1, summed ≤ 1. */
	rates?: Partial<Record<FaultKind, number>>;
	/** Sent as Retry-After on 429 and 503; default 1; 0 allowed. */
	retryAfterSeconds?: number;
	/** Send Retry-After as an HTTP-date instead of delta-seconds. */
	retryAfterHttpDate?: boolean;
}

const probability = z.number().finite().min(0).max(1);
const nonNegativeMs = z.number().finite().min(0);

const faultPlanSchema = z
	.object({
		seed: z.number().finite().optional(),
		latencyMs: nonNegativeMs.optional(),
		jitterMs: nonNegativeMs.optional(),
		rates: z
			.object({
				http500: probability.optional(),
				http502: probability.optional(),
				http503: probability.optional(),
				http429: probability.optional(),
				reset: probability.optional(),
				hang: probability.optional(),
				error200: probability.optional(),
				nonJson: probability.optional(),
			})
			.strict()
			.refine((rates) => sumOfRates(rates) <= 1 + 1e-9, { message: 'rates must sum to at most 1' })
			.optional(),
		retryAfterSeconds: z.number().int().min(0).optional(),
		retryAfterHttpDate: z.boolean().optional(),
	})
	.strict();

function sumOfRates(rates: Partial<Record<FaultKind, number>>): number {
	return FAULT_KINDS.reduce((sum, kind) => sum + (rates[kind] ?? 0), 0);
}

/** Returns the plan if it is well formed; throws an Error naming every problem otherwise. */
export function checkFaultPlan(plan: unknown): FaultPlan {
	const parsed = faultPlanSchema.safeParse(plan);
	if (parsed.success) return parsed.data;
	const problems = parsed.error.issues.map((issue) => {
		const where = issue.path.length > 0 ? issue.path.join('.') : 'plan';
		return `${where}: ${issue.message}`;
	});
	throw new Error(`invalid fault plan: ${problems.join('; ')}`);
}

/** A uniform number in [0, 1), the same for the same inputs on every run and every machine. */
export function seededUnit(
	seed: number,
	method: string,
	callId: string | undefined,
	attempt: number,
	purpose: 'fault' | 'jitter',
): number {
	const digest = createHash('sha256')
		.update(JSON.stringify([seed, method.toUpperCase(), callId ?? null, attempt, purpose]))
		.digest();
	return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function chooseFault(
	plan: FaultPlan | undefined,
	method: string,
	callId: string | undefined,
	attempt: number,
): FaultKind | undefined {
	const rates = plan?.rates;
	if (!rates) return undefined;
	const draw = seededUnit(plan.seed ?? 1, method, callId, attempt, 'fault');
	let cumulative = 0;
	for (const kind of FAULT_KINDS) {
		const rate = rates[kind] ?? 0;
		cumulative += rate;
		if (rate > 0 && draw < cumulative) return kind;
	}
	return undefined;
}

/** latencyMs plus a uniform, seeded share of jitterMs. */
export function answerDelayMs(
	plan: FaultPlan | undefined,
	method: string,
	callId: string | undefined,
	attempt: number,
): number {
	const latency = plan?.latencyMs ?? 0;
	const jitter = plan?.jitterMs ?? 0;
	if (jitter === 0) return latency;
	return latency + jitter * seededUnit(plan?.seed ?? 1, method, callId, attempt, 'jitter');
}

/** The Retry-After header value: delta-seconds, or an HTTP-date no earlier than now + the delay. */
export function retryAfterHeader(plan: FaultPlan | undefined, now: number): string {
	const seconds = plan?.retryAfterSeconds ?? 1;
	if (!plan?.retryAfterHttpDate) return String(seconds);
	const at = Math.ceil((now + seconds * 1000) / 1000) * 1000;
	return new Date(at).toUTCString();
}
