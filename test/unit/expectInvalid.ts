import { InvalidValueError } from '../../nodes/MangoCalltracking/normalize/InvalidValueError';

/** Runs `run` and returns the InvalidValueError it throws; any other outcome fails the test. */
export function catchInvalid(run: () => unknown): InvalidValueError {
	try {
		run();
	} catch (error) {
		if (error instanceof InvalidValueError) return error;
		throw error;
	}
	throw new Error('expected an InvalidValueError, but the call returned normally');
}

/** How a user's value must appear in the error message (strings quoted, long ones cut at 80 characters). */
export function shownValue(value: unknown): string | undefined {
	if (value === undefined) return 'undefined';
	if (value === null) return 'null';
	if (typeof value === 'string')
		return value === '' ? 'an empty string' : JSON.stringify(value.slice(0, 80)).slice(0, -1);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

/** Asserts that `run` rejects `value` naming `parameter`, and that the message names both. */
export function expectInvalid(
	run: () => unknown,
	parameter: string,
	value: unknown,
): InvalidValueError {
	const error = catchInvalid(run);
	expect(error.parameter).toBe(parameter);
	expect(error.value).toBe(value);
	expect(error.expected).not.toBe('');
	expect(error.message).toContain(`Invalid ${parameter}: `);
	const shown = shownValue(value);
	if (shown !== undefined) expect(error.message).toContain(shown);
	return error;
}
