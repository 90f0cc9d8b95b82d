/**
 * A value a user mapped into the node cannot be sent to Mango. Carries the parameter, the value and what is
 * expected, so the node can build an error that tells the user exactly what to fix.
 */
export class InvalidValueError extends Error {
	constructor(
		readonly parameter: string,
		readonly value: unknown,
		readonly expected: string,
	) {
		super(`Invalid ${parameter}: ${describeValue(value)} — expected ${expected}`);
		this.name = 'InvalidValueError';
	}
}

export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing (undefined)';
	if (value === null) return 'null';
	if (typeof value === 'string')
		return value === '' ? 'an empty string' : JSON.stringify(truncate(value));
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	try {
		return truncate(JSON.stringify(value) ?? String(value));
	} catch {
		return Object.prototype.toString.call(value);
	}
}

function truncate(text: string, max = 80): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}
