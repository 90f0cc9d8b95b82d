import fc from 'fast-check';

import {
	isLoopbackHost,
	normalizeBaseUrl,
} from '../../nodes/MangoCalltracking/normalize/normalizeBaseUrl';
import { normalizeRecordLink } from '../../nodes/MangoCalltracking/normalize/normalizeRecordLink';
import {
	absoluteUrl,
	attempt,
	check,
	expectRejection,
	HTTP_URL,
	noisyString,
	RUNS,
	same,
	unicodeString,
} from './fuzzHelpers';

const webUrl = absoluteUrl(['http', 'https', 'HTTP', 'Https']);
const otherSchemeUrl = absoluteUrl([
	'ftp',
	'file',
	'ws',
	'wss',
	'javascript',
	'data',
	'mailto',
	'sip',
	'httpx',
	'http+unix',
]);
const urlish = fc.oneof(
	fc
		.tuple(
			fc.constantFrom(
				'http://',
				'https://',
				'HTTP://',
				'http:',
				'https:/',
				' https://',
				'http://[',
				'http://127.0.0.1',
			),
			unicodeString(30),
		)
		.map(([scheme, rest]) => `${scheme}${rest}`),
	fc.tuple(webUrl, unicodeString(8)).map(([url, junk]) => `${url}${junk}`),
);

describe('record links (fuzz)', () => {
	test('anything: "" (optional only), an http(s) URL without whitespace, or an InvalidValueError naming recordLink', () => {
		fc.assert(
			fc.property(
				fc.oneof(fc.anything(), noisyString, urlish, webUrl, otherSchemeUrl),
				fc.boolean(),
				(value, required) => {
					const outcome = attempt(() => normalizeRecordLink(value, { required }));
					if (!outcome.ok) return expectRejection(outcome.error, 'recordLink', value);
					if (outcome.value === '') return check(!required, 'only an optional link may be empty');
					check(HTTP_URL.test(outcome.value), `${outcome.value} is an http(s) URL`);
					const url = new URL(outcome.value);
					check(url.hostname !== '', 'the URL has a host');
					same(url.href, outcome.value, 'the URL is already WHATWG-normalised');
					same(
						normalizeRecordLink(outcome.value, { required: true }),
						outcome.value,
						'fixed point',
					);
				},
			),
			RUNS,
		);
	});

	test('every generated http(s) URL is accepted and keeps its host, path and query', () => {
		fc.assert(
			fc.property(webUrl, fc.boolean(), (value, required) => {
				const result = normalizeRecordLink(value, { required });
				const before = new URL(value);
				const after = new URL(result);
				same(after.protocol, before.protocol, 'protocol');
				same(after.host, before.host, 'host');
				same(after.pathname, before.pathname, 'path');
				same(after.search, before.search, 'query');
			}),
			RUNS,
		);
	});

	test('other schemes are rejected', () => {
		fc.assert(
			fc.property(otherSchemeUrl, fc.boolean(), (value, required) => {
				const outcome = attempt(() => normalizeRecordLink(value, { required }));
				check(!outcome.ok, `${value} is rejected`);
				if (!outcome.ok) expectRejection(outcome.error, 'recordLink', value);
			}),
			RUNS,
		);
	});
});

describe('base URL (fuzz)', () => {
	test('anything: https (http only to this machine), no query, fragment, credentials or trailing slash', () => {
		fc.assert(
			fc.property(fc.oneof(fc.anything({ maxDepth: 1 }), noisyString, urlish, webUrl), (value) => {
				const outcome = attempt(() => normalizeBaseUrl(value));
				if (!outcome.ok) return expectRejection(outcome.error, 'credentials.baseUrl', value);
				const url = new URL(outcome.value);
				check(
					url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)),
					`${outcome.value} is safe`,
				);
				check(
					url.search === '' && url.hash === '' && url.username === '' && url.password === '',
					`${outcome.value} is bare`,
				);
				check(!outcome.value.endsWith('/'), `${outcome.value} has no trailing slash`);
				same(normalizeBaseUrl(outcome.value), outcome.value, 'fixed point');
			}),
			RUNS,
		);
	});
});
