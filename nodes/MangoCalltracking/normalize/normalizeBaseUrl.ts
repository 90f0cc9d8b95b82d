import { InvalidValueError } from './InvalidValueError';
import { parseUrl } from './parseUrl';

export const DEFAULT_BASE_URL = 'https://widgets-api.mango-office.ru';

const EXPECTED = `an https:// URL such as ${DEFAULT_BASE_URL} (plain http:// only for 127.0.0.1, localhost or [::1])`;

/** The token travels in a header: never send it over plain HTTP, except to a server on this machine. */
export function normalizeBaseUrl(value: unknown, parameter = 'credentials.baseUrl'): string {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BASE_URL;
	const url = parseUrl(text);
	if (!url) throw new InvalidValueError(parameter, value, EXPECTED);
	const secure =
		url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
	if (
		!secure ||
		url.search !== '' ||
		url.hash !== '' ||
		url.username !== '' ||
		url.password !== ''
	) {
		throw new InvalidValueError(parameter, value, EXPECTED);
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function isLoopbackHost(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
