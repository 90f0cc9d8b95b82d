import { z } from 'zod';

/*
 * The shapes of Mango's "API for third-party PBXs", v1. Strict on what we send (the order of keys is the order
 * the specification lists them in), tolerant on what we read: unknown answer fields are kept.
 */

const mangoDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
/** E.164: a plus, a country code that does not start with 0, 8 to 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{7,14}$/;
const e164 = z.string().regex(E164_PATTERN);
const httpUrl = z.string().regex(/^https?:\/\/\S+$/);

export const reportCallBodySchema = z
	.object({
		callId: z.string().min(1),
		dateStart: mangoDateTime,
		dateEnd: mangoDateTime,
		phoneTo: e164,
		phoneFrom: z.union([e164, z.literal('')]),
		recordLink: z.union([httpUrl, z.literal('')]),
	})
	.strict();
export type ReportCallBody = z.infer<typeof reportCallBodySchema>;

export const updateRecordingBodySchema = z.object({ recordLink: httpUrl }).strict();
export type UpdateRecordingBody = z.infer<typeof updateRecordingBodySchema>;

export const mangoAnswerSchema = z
	.object({
		status: z.string(),
		requestId: z.union([z.string(), z.number()]).optional(),
		error: z
			.object({
				code: z.unknown().optional(),
				message: z.unknown().optional(),
			})
			.passthrough()
			.nullish(),
	})
	.passthrough();
export type MangoAnswer = z.infer<typeof mangoAnswerSchema>;

export interface MangoRequest {
	/** The call the request is about, as sent (trimmed, stringified). */
	callId: string;
	method: 'POST' | 'PUT';
	path: string;
	body: ReportCallBody | UpdateRecordingBody;
}
