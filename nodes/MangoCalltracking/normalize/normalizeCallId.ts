import { InvalidValueError } from './InvalidValueError';

/** Mango wants callId as a non-empty string; PBX ids often arrive as numbers (Asterisk's uniqueid). */
export function normalizeCallId(value: unknown, parameter = 'callId'): string {
	let text: string | undefined;
	if (typeof value === 'string') text = value.trim();
	else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
	else if (typeof value === 'bigint') text = value.toString();
	// A lone UTF-16 surrogate (a string cut inside an emoji) cannot be sent: encodeURIComponent throws a URIError on
	// it in the PUT path, and UTF-8 turns it into U+FFFD in the POST body, so Mango would store another ID.
	// "." and ".." are dot segments that URL parsing removes from the PUT path, which would then name another resource.
	if (
		text === undefined ||
		text === '' ||
		/[\uD800-\uDFFF]/u.test(text) ||
		/^\.{1,2}$/.test(text)
	) {
		throw new InvalidValueError(
			parameter,
			value,
			'the call ID from your PBX or CRM as a non-empty text or number',
		);
	}
	return text;
}
