/** Tiny assertion helpers that say what was expected and what came. */
import { isDeepStrictEqual, inspect } from 'node:util';

export class CheckFailed extends Error {}

function show(v: unknown): string {
	return inspect(v, { depth: 6, breakLength: 120 });
}

export function check(cond: unknown, what: string, actual?: unknown): asserts cond {
	if (!cond)
		throw new CheckFailed(`${what}${actual !== undefined ? `\n  got: ${show(actual)}` : ''}`);
}

export function equal<T>(actual: T, expected: T, what: string): void {
	if (!isDeepStrictEqual(actual, expected)) {
		throw new CheckFailed(`${what}\n  expected: ${show(expected)}\n  got:      ${show(actual)}`);
	}
}
