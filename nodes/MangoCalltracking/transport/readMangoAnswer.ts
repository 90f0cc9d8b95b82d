import { isRetriedHttpCode, parseRetryAfter } from './retryPolicy';
import { MangoRequestFailure } from './MangoRequestFailure';
import { mangoAnswerSchema, type MangoAnswer } from './mangoSchemas';

export interface RawHttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * Decides what an HTTP answer means. The body decides: Mango can say `status: "error"` with HTTP 200, and only
 * `status: "ok"` with a 2xx code is a success. Unknown fields are kept.
 */
export function readMangoAnswer(raw: RawHttpAnswer): MangoAnswer {
	const httpCode = raw.statusCode;
	if (httpCode >= 300 && httpCode < 400) {
		const location = typeof raw.headers.location === 'string' ? ` to ${raw.headers.location}` : '';
		throw new MangoRequestFailure(
			'rejected',
			`Mango answered with a redirect (HTTP ${httpCode}${location}). Redirects are not followed, so the token is not sent elsewhere: check the Base URL of the credential`,
			{ httpCode },
			false,
		);
	}
	const retryable = isRetriedHttpCode(httpCode);
	const retryAfterMs = retryable ? parseRetryAfter(raw.headers['retry-after']) : undefined;
	const parsed = mangoAnswerSchema.safeParse(parseJson(raw.body));
	if (!parsed.success) {
		const bodyExcerpt = excerpt(raw.body);
		throw new MangoRequestFailure(
			'invalidAnswer',
			`Mango answered HTTP ${httpCode} with something that is not its JSON answer: ${bodyExcerpt || '(empty body)'}`,
			{ httpCode, bodyExcerpt, retryAfterMs },
			retryable,
		);
	}
	const answer = parsed.data;
	if (answer.status === 'ok' && httpCode >= 200 && httpCode < 300) return answer;

	const code = answer.error?.code;
	const reason =
		typeof answer.error?.message === 'string' && answer.error.message !== ''
			? answer.error.message
			: undefined;
	const facts = [
		code !== undefined ? `code ${String(code)}` : undefined,
		answer.requestId !== undefined ? `request ${String(answer.requestId)}` : undefined,
		`HTTP ${httpCode}`,
	].filter(Boolean);
	throw new MangoRequestFailure(
		'rejected',
		`Mango answered "${answer.status}": ${reason ?? 'no reason given'} (${facts.join(', ')})`,
		{ httpCode, code, requestId: answer.requestId, answer, retryAfterMs },
		retryable,
	);
}

function parseJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

function excerpt(body: unknown, max = 200): string {
	const text = (typeof body === 'string' ? body : (JSON.stringify(body) ?? ''))
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > max ? `${text.slice(0, max)}…` : text;
}
