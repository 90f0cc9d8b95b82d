/**
 * The unauthenticated /__sandbox endpoints for standalone mode (end-to-end tests run the sandbox as a separate
 * process). Never subject to faults, never in the ledger.
 *   GET  /__sandbox/ledger  → LedgerEntry[]
 *   GET  /__sandbox/calls   → StoredCall[]
 *   GET  /__sandbox/faults  → the current FaultPlan, or null
 *   POST /__sandbox/reset   → clears ledger, calls and faults
 *   POST /__sandbox/faults  → body: a FaultPlan, or null to clear
 */
import type { FaultPlan } from './faultPlan';
import type { ParsedJson } from './mangoRoutes';
import type { LedgerEntry, StoredCall } from './sandboxTypes';

export interface SandboxControls {
	ledger: LedgerEntry[];
	calls: Map<string, StoredCall>;
	faults(): FaultPlan | undefined;
	setFaults(plan: FaultPlan | undefined): void;
	reset(): void;
}

export interface ControlAnswer {
	httpStatus: number;
	body: unknown;
}

const done = { status: 'ok' };

function failed(httpStatus: number, code: string, message: string): ControlAnswer {
	return { httpStatus, body: { status: 'error', error: { code, message } } };
}

export function isControlPath(rawPath: string): boolean {
	return rawPath === '/__sandbox' || rawPath.startsWith('/__sandbox/');
}

export function answerControlRequest(
	method: string,
	rawPath: string,
	json: ParsedJson,
	controls: SandboxControls,
): ControlAnswer {
	const route = `${method} ${rawPath}`;
	switch (route) {
		case 'GET /__sandbox/ledger':
			return { httpStatus: 200, body: controls.ledger };
		case 'GET /__sandbox/calls':
			return { httpStatus: 200, body: [...controls.calls.values()] };
		case 'GET /__sandbox/faults':
			return { httpStatus: 200, body: controls.faults() ?? null };
		case 'POST /__sandbox/reset':
			controls.reset();
			return { httpStatus: 200, body: done };
		case 'POST /__sandbox/faults': {
			if (!json.ok) return failed(400, 'invalid_json', json.problem);
			try {
				controls.setFaults(json.value === null ? undefined : (json.value as FaultPlan));
			} catch (error) {
				return failed(400, 'invalid_fault_plan', (error as Error).message);
			}
			return { httpStatus: 200, body: done };
		}
		default:
			return failed(404, 'not_found', `no sandbox control route for ${route}`);
	}
}
