import fc from 'fast-check';

import {
	buildUpdateRecordingRequest,
	EXTERNAL_CALL_PATH,
} from '../../nodes/MangoCalltracking/normalize/buildCallRequests';
import { normalizeCallId } from '../../nodes/MangoCalltracking/normalize/normalizeCallId';
import {
	attempt,
	check,
	expectRejection,
	HTTP_URL,
	noisyString,
	RUNS,
	same,
	unicodeString,
} from './fuzzHelpers';

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const callIdLike = fc.oneof(
	fc.anything(),
	noisyString,
	fc.string({ unit: 'grapheme', maxLength: 20 }),
	unicodeString(20),
	fc.stringMatching(/^\s{0,3}[0-9]{10}\.[0-9]{1,6}\s{0,3}$/), // Asterisk uniqueid
	fc.double(),
	fc.integer(),
	fc.bigInt(),
);

describe('call IDs (fuzz)', () => {
	test('anything: a non-empty, trimmed, well-formed string, or an InvalidValueError naming callId', () => {
		fc.assert(
			fc.property(callIdLike, (value) => {
				const outcome = attempt(() => normalizeCallId(value));
				if (!outcome.ok) return expectRejection(outcome.error, 'callId', value);
				check(typeof outcome.value === 'string' && outcome.value !== '', 'a non-empty string');
				same(outcome.value, outcome.value.trim(), 'trimmed');
				check(!LONE_SURROGATE.test(outcome.value), 'no lone surrogate');
				same(normalizeCallId(outcome.value), outcome.value, 'fixed point');
				if (typeof value === 'string') same(outcome.value, value.trim(), 'a text is only trimmed');
				if (typeof value === 'number' || typeof value === 'bigint')
					same(outcome.value, String(value), 'stringified');
			}),
			RUNS,
		);
	});

	test('text with visible content is kept as is, trimmed', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), (text) => {
				fc.pre(text.trim() !== '' && !/^\.{1,2}$/.test(text.trim()));
				same(normalizeCallId(text), text.trim(), 'trimmed text');
			}),
			RUNS,
		);
	});

	test('Update Recording: the callId is percent-encoded into one path segment and decodes back', () => {
		fc.assert(
			fc.property(
				callIdLike,
				fc.constantFrom('https://pbx.example.com/rec/1.mp3', 'http://10.0.0.1/a b.wav'),
				(callId, recordLink) => {
					const outcome = attempt(() => buildUpdateRecordingRequest({ callId, recordLink }));
					if (!outcome.ok) return expectRejection(outcome.error, 'callId', callId);
					const { method, path, body } = outcome.value;
					same(method, 'PUT', 'method');
					check(path.startsWith(`${EXTERNAL_CALL_PATH}/`), 'under externalCall/');
					const segment = path.slice(EXTERNAL_CALL_PATH.length + 1);
					check(/^[A-Za-z0-9\-_.!~*'()%]+$/.test(segment), `${segment} is one encoded segment`);
					same(
						decodeURIComponent(segment),
						normalizeCallId(callId),
						'the segment decodes to the callId',
					);
					same(outcome.value.callId, normalizeCallId(callId), 'the request carries the callId');
					check('recordLink' in body && HTTP_URL.test(body.recordLink), 'the body has the link');
					same(Object.keys(body).join(), 'recordLink', 'the body has nothing else');
				},
			),
			RUNS,
		);
	});
});
