import { E164_PATTERN } from '../transport/mangoSchemas';
import { InvalidValueError } from './InvalidValueError';

/*
 * Hand-written on purpose: the verified-node rules allow no runtime dependencies, and none of the libraries n8n
 * provides parses phone numbers. The rules below are the ones the package documents (README, field hints) and the
 * unit tests pin down, nothing more: we do not guess countries, we only apply the user's default country code.
 */

const COUNTRY_CODE = /^[1-9]\d{0,2}$/;
const SEPARATORS = /[\s\u00a0\-.()/]/g;

export interface PhoneSettings {
	/** Country calling code for numbers written without one, e.g. '7' (Russia, Kazakhstan) or '44'. */
	defaultCountryCode: string;
}

export function normalizeCountryCode(
	value: unknown,
	parameter = 'options.defaultCountryCode',
): string {
	const text = (typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '')
		.trim()
		.replace(/^\+/, '');
	if (!COUNTRY_CODE.test(text)) {
		throw new InvalidValueError(
			parameter,
			value,
			'a country calling code of 1–3 digits, e.g. 7 or 44',
		);
	}
	return text;
}

/**
 * Turns what PBXs and CRMs write (`8 (495) 123-45-67`, `"Ivan" <sip:+74951234567@pbx>`, `0049 30 1234567`) into
 * E.164 (`+74951234567`). Returns '' for an empty value when `optional`.
 */
export function normalizePhone(
	value: unknown,
	settings: PhoneSettings,
	{ parameter, optional = false }: { parameter: string; optional?: boolean },
): string {
	const expected = `a phone number in international format (E.164, e.g. +74951234567), or a national number of country code +${settings.defaultCountryCode}`;
	const fail = (why?: string) =>
		new InvalidValueError(parameter, value, why ? `${expected} (${why})` : expected);

	let text: string;
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) text = String(value);
	else if (typeof value === 'string') text = value;
	else if ((value === undefined || value === null) && optional) return '';
	else throw fail();

	text = stripAddressDecorations(text.trim());
	if (text === '') {
		if (optional) return '';
		throw fail('the number is required');
	}

	// "+8 (495) …" is a Russian slip for 8 or +7, and would otherwise pass as a number in Vietnam (+84).
	if (settings.defaultCountryCode === '7' && /^\+8[\s\u00a0\-.(]/.test(text)) {
		throw fail('+8 is not a country code: write 8 (495) … or +7 (495) …');
	}

	const compact = text.replace(SEPARATORS, '');
	if (!/^\+?\d+$/.test(compact))
		throw fail('only digits, spaces, dashes, dots and brackets are allowed');

	const digits = toInternationalDigits(compact, settings.defaultCountryCode);
	if (digits === undefined) {
		if (/^\d{2,5}$/.test(compact))
			throw fail('this looks like an internal extension, not a phone number');
		throw fail('not a complete number');
	}
	const e164 = `+${digits}`;
	if (!E164_PATTERN.test(e164))
		throw fail('an international number has 8 to 15 digits and does not start with 0');
	return e164;
}

/** Unwraps `"Name" <…>`, drops `tel:`/`sip:` schemes, `;parameters` and `@host`. */
function stripAddressDecorations(text: string): string {
	const bracketed = /<([^>]*)>/.exec(text);
	let address = (bracketed ? bracketed[1] : text).trim();
	address = address.replace(/^(?:tel|sips?):/i, '');
	address = address.replace(/[;@].*$/, '');
	return address.trim();
}

/** The number's digits with its country code, or undefined when it cannot be made international. */
function toInternationalDigits(compact: string, countryCode: string): string | undefined {
	if (compact.startsWith('+')) return compact.slice(1);
	if (compact.startsWith('00')) return compact.slice(2);
	if (countryCode === '7') {
		// Russia and Kazakhstan: 810 is the old international prefix, 8 the trunk prefix.
		if (compact.startsWith('810') && compact.length > 11) return compact.slice(3);
		if (compact.length === 11 && (compact.startsWith('8') || compact.startsWith('7')))
			return `7${compact.slice(1)}`;
		if (compact.length === 10) return `7${compact}`;
		return undefined;
	}
	const national = compact.startsWith('0') ? compact.slice(1) : compact;
	if (national.length < 6) return undefined;
	return `${countryCode}${national}`;
}
