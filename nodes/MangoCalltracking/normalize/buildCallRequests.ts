import {
	reportCallBodySchema,
	updateRecordingBodySchema,
	type MangoRequest,
} from '../transport/mangoSchemas';
import { normalizeCallId } from './normalizeCallId';
import { formatMangoDateTime, parseDateTime } from './normalizeDateTime';
import { normalizeDuration } from './normalizeDuration';
import { InvalidValueError } from './InvalidValueError';
import { normalizePhone } from './normalizePhone';
import { normalizeRecordLink } from './normalizeRecordLink';

export const EXTERNAL_CALL_PATH = '/v1/calltracking/externalCall';

export interface CallSettings {
	timeZone: string;
	defaultCountryCode: string;
}

export interface ReportCallInput {
	callId: unknown;
	dateStart: unknown;
	endMode: 'endTime' | 'duration';
	dateEnd?: unknown;
	duration?: unknown;
	phoneTo: unknown;
	phoneFrom?: unknown;
	recordLink?: unknown;
}

export interface UpdateRecordingInput {
	callId: unknown;
	recordLink: unknown;
}

export function buildReportCallRequest(
	input: ReportCallInput,
	settings: CallSettings,
): MangoRequest {
	const callId = normalizeCallId(input.callId);
	const start = parseDateTime(input.dateStart, settings.timeZone, 'dateStart');
	const end =
		input.endMode === 'duration'
			? start.plus({ seconds: normalizeDuration(input.duration) })
			: parseDateTime(input.dateEnd, settings.timeZone, 'dateEnd');
	// parseDateTime bounds dateEnd; an end computed from a late-9999 start needs the same bound (5-digit years).
	if (end.year > 9999) {
		throw new InvalidValueError(
			'duration',
			input.duration,
			'a call length that ends by the end of the year 9999',
		);
	}
	if (end < start) {
		throw new InvalidValueError(
			input.endMode === 'duration' ? 'duration' : 'dateEnd',
			input.endMode === 'duration' ? input.duration : input.dateEnd,
			`a call end at or after its start (${formatMangoDateTime(start)})`,
		);
	}
	const phoneSettings = { defaultCountryCode: settings.defaultCountryCode };
	const body = reportCallBodySchema.parse({
		callId,
		dateStart: formatMangoDateTime(start),
		dateEnd: formatMangoDateTime(end),
		phoneTo: normalizePhone(input.phoneTo, phoneSettings, { parameter: 'phoneTo' }),
		phoneFrom: normalizePhone(input.phoneFrom, phoneSettings, {
			parameter: 'phoneFrom',
			optional: true,
		}),
		recordLink: normalizeRecordLink(input.recordLink, { required: false }),
	});
	return { callId, method: 'POST', path: EXTERNAL_CALL_PATH, body };
}

export function buildUpdateRecordingRequest(input: UpdateRecordingInput): MangoRequest {
	const callId = normalizeCallId(input.callId);
	const body = updateRecordingBodySchema.parse({
		recordLink: normalizeRecordLink(input.recordLink, { required: true }),
	});
	return {
		callId,
		method: 'PUT',
		path: `${EXTERNAL_CALL_PATH}/${encodeURIComponent(callId)}`,
		body,
	};
}
