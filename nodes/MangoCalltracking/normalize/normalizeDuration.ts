import { InvalidValueError } from './InvalidValueError';

/** Longer than any real call; keeps a mis-mapped value (a timestamp, milliseconds) from producing a far-future end. */
const MAX_SECONDS = 31 * 24 * 3600;

/** Call length in whole seconds (fractions dropped), as CDRs give it: a number or a numeric string. */
export function normalizeDuration(value: unknown, parameter = 'duration'): number {
	const seconds =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value.trim())
				: NaN;
	if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
		throw new InvalidValueError(
			parameter,
			value,
			`the call length in seconds, from 0 to ${MAX_SECONDS} (31 days)`,
		);
	}
	return Math.floor(seconds);
}
