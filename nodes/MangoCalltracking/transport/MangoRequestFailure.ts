import type { MangoAnswer } from './mangoSchemas';

/** Why one attempt at a Mango request failed; `retryable` marks what is worth another attempt. */
export type MangoFailureKind =
	| 'network' // no answer: refused, reset, DNS …
	| 'timeout' // no answer within the request timeout
	| 'cancelled' // the execution was stopped
	| 'rejected' // Mango answered, and the answer (status or HTTP code) says no
	| 'invalidAnswer'; // the answer is not Mango's JSON

export interface MangoFailureDetails {
	httpCode?: number;
	code?: unknown;
	requestId?: unknown;
	networkCode?: string;
	retryAfterMs?: number;
	answer?: MangoAnswer;
	bodyExcerpt?: string;
}

export class MangoRequestFailure extends Error {
	/** How many attempts were made before giving up (set by the retry loop). */
	attempts = 1;

	constructor(
		readonly kind: MangoFailureKind,
		message: string,
		readonly details: MangoFailureDetails,
		readonly retryable: boolean,
	) {
		super(message);
		this.name = 'MangoRequestFailure';
	}
}
