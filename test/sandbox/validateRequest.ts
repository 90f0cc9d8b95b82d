/**
 * Strict validation of Mango calltracking requests (zod, unknown fields rejected). Every problem message names the
 * field and the value that was sent, e.g. `phoneTo: must be an E.164 number (^\+[1-9]\d{7,14}$), got "8495"`.
 */
import { z } from 'zod';

const DATE_TIME_SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const DATE_TIME_MINUTES = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})Z$/;
const E164 = /^\+[1-9]\d{7,14}$/;

function isRealDateTime(match: RegExpExecArray): boolean {
	const [year, month, day, hour, minute, second = 0] = match.slice(1).map(Number);
	if (hour > 23 || minute > 59 || second > 59) return false;
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

export function problemWithDateTime(value: string): string | undefined {
	const match = DATE_TIME_SECONDS.exec(value);
	if (!match) return 'must be YYYY-MM-DDTHH:MM:SSZ (UTC, second precision)';
	if (!isRealDateTime(match)) return 'is not a real calendar date-time';
	return undefined;
}

export function problemWithMinuteDateTime(value: string): string | undefined {
	const match = DATE_TIME_MINUTES.exec(value);
	if (!match) return 'must be YYYY-MM-DDTHH:MMZ (UTC, minute precision)';
	if (!isRealDateTime(match)) return 'is not a real calendar date-time';
	return undefined;
}

export function problemWithCallId(value: string): string | undefined {
	if (value === '') return 'must not be empty';
	if (value.trim() !== value) return 'must not start or end with whitespace';
	return undefined;
}

export function problemWithPhone(value: string): string | undefined {
	return E164.test(value) ? undefined : 'must be an E.164 number (^\\+[1-9]\\d{7,14}$)';
}

export function problemWithUrl(value: string): string | undefined {
	const problem = 'must be an absolute http(s) URL';
	if (!/^https?:\/\/[^\s]+$/i.test(value)) return problem;
	try {
		const url = new URL(value);
		if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
			return problem;
	} catch {
		return problem;
	}
	return undefined;
}

function checkedString(check: (value: string) => string | undefined) {
	return z
		.string({ required_error: 'is required', invalid_type_error: 'must be a string' })
		.superRefine((value, ctx) => {
			const problem = check(value);
			if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
		});
}

const emptyOr = (check: (value: string) => string | undefined) => (value: string) =>
	value === '' ? undefined : check(value);

function dateEndNotBeforeStart(
	dates: { dateStart: string; dateEnd: string },
	ctx: z.RefinementCtx,
	problemWithDate: (value: string) => string | undefined,
): void {
	if (problemWithDate(dates.dateStart) || problemWithDate(dates.dateEnd)) return;
	if (dates.dateEnd < dates.dateStart) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['dateEnd'],
			message: `must not be before dateStart ${JSON.stringify(dates.dateStart)}`,
		});
	}
}

export const reportCallBody = z
	.object({
		callId: checkedString(problemWithCallId),
		dateStart: checkedString(problemWithDateTime),
		dateEnd: checkedString(problemWithDateTime),
		phoneTo: checkedString(problemWithPhone),
		phoneFrom: checkedString(emptyOr(problemWithPhone)).default(''),
		recordLink: checkedString(emptyOr(problemWithUrl)).default(''),
	})
	.strict()
	.superRefine((body, ctx) => dateEndNotBeforeStart(body, ctx, problemWithDateTime));

export type ReportCallBody = z.output<typeof reportCallBody>;

export const updateRecordingBody = z.object({ recordLink: checkedString(problemWithUrl) }).strict();

export type UpdateRecordingBody = z.output<typeof updateRecordingBody>;

export const listCallsQuery = z
	.object({
		dateStart: checkedString(problemWithMinuteDateTime),
		dateEnd: checkedString(problemWithMinuteDateTime),
	})
	.strict()
	.superRefine((query, ctx) => dateEndNotBeforeStart(query, ctx, problemWithMinuteDateTime));

export type ListCallsQuery = z.output<typeof listCallsQuery>;

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	const text = JSON.stringify(value) ?? String(value);
	const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
	return typeof value === 'object' && value !== null
		? shown
		: `${typeof value} ${shown}`.replace(/^string /, '');
}

function valueAt(input: unknown, path: ReadonlyArray<string | number>): unknown {
	let current = input;
	for (const key of path) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

function describeIssue(issue: z.ZodIssue, input: unknown): string[] {
	if (issue.code === z.ZodIssueCode.unrecognized_keys) {
		return issue.keys.map(
			(key) =>
				`${key}: unknown field (not in the spec), got ${describeValue(valueAt(input, [...issue.path, key]))}`,
		);
	}
	const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
	const value = valueAt(input, issue.path);
	if (value === undefined) return [`${field}: ${issue.message}`];
	return [`${field}: ${issue.message}, got ${describeValue(value)}`];
}

/** Parses input with a schema, turning problems into one message (one clause per problem, field by field). */
export function validate<T>(
	schema: z.ZodType<T, z.ZodTypeDef, unknown>,
	input: unknown,
): Validated<T> {
	const parsed = schema.safeParse(input);
	if (parsed.success) return { ok: true, value: parsed.data };
	return {
		ok: false,
		message: parsed.error.issues.flatMap((issue) => describeIssue(issue, input)).join('; '),
	};
}
