/**
 * The public shapes of the Mango sandbox. Other test tiers code against these names: change them only together.
 */
import type { FaultKind, FaultPlan } from './faultPlan';

export type { FaultKind, FaultPlan } from './faultPlan';

export interface SandboxOptions {
	token: string;
	widgetId: string;
	/** Default 0: the OS picks a free port. */
	port?: number;
	/** Default '127.0.0.1'; only loopback addresses are accepted. */
	host?: string;
	faults?: FaultPlan;
	/** Merged into every ok answer, to prove clients keep unknown fields. */
	extraAnswerFields?: Record<string, unknown>;
}

export type TokenPresentation = 'bearer' | 'query' | 'missing' | 'wrong';

export interface LedgerAnswer {
	/** null = the socket was reset or left hanging. */
	httpStatus: number | null;
	body?: unknown;
	fault?: FaultKind;
	outcome: 'ok' | 'error' | 'fault';
}

export interface LedgerEntry {
	seq: number;
	method: string;
	path: string;
	/** The query string; an access_token value is recorded as '[redacted]'. */
	query: Record<string, string>;
	/** How the token came: query = the access_token= parameter. */
	auth: TokenPresentation;
	tokenInQuery: boolean;
	contentType: string | undefined;
	rawBody: string;
	/** Parsed JSON, or undefined when the body was empty or not JSON. */
	body: unknown;
	callId?: string;
	/** The nth request seen for this method + callId (1-based). */
	attempt: number;
	answer: LedgerAnswer;
	receivedAt: number;
}

export interface StoredCall {
	callId: string;
	dateStart: string;
	dateEnd: string;
	phoneTo: string;
	phoneFrom: string;
	recordLink: string;
	/** How many accepted POSTs carried this callId. */
	reportCount: number;
	/** How many accepted PUTs set its recording. */
	recordingUpdates: number;
}

export interface MangoSandbox {
	url: string;
	port: number;
	token: string;
	widgetId: string;
	ledger: LedgerEntry[];
	calls: Map<string, StoredCall>;
	setFaults(plan: FaultPlan | undefined): void;
	/** Clears ledger, calls, faults and attempt counters (in place: held references stay valid). */
	reset(): void;
	/** Stops listening and destroys every open socket, hanging ones included. */
	close(): Promise<void>;
}
