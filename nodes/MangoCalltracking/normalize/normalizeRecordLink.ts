import { InvalidValueError } from './InvalidValueError';
import { parseUrl } from './parseUrl';

const EXPECTED =
	'an absolute http(s) URL of the recording, e.g. https://pbx.example.com/records/123.mp3';

/**
 * Returns the URL as Mango should receive it (WHATWG-normalised, so spaces and non-ASCII are percent-encoded),
 * or '' when the link is optional and empty.
 */
export function normalizeRecordLink(
	value: unknown,
	{ required, parameter = 'recordLink' }: { required: boolean; parameter?: string },
): string {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		if (required) throw new InvalidValueError(parameter, value, EXPECTED);
		return '';
	}
	if (typeof value !== 'string') throw new InvalidValueError(parameter, value, EXPECTED);
	const url = parseUrl(value.trim());
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
		throw new InvalidValueError(parameter, value, EXPECTED);
	}
	return url.href;
}
