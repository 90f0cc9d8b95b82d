/**
 * Reads what `n8n execute --rawOutput` prints (log lines, then the run as pretty JSON) and the run data in it.
 */

export interface NodeRun {
	/** outputs → items' json */
	outputs: Array<Array<Record<string, unknown>>>;
	/** outputs → items' pairedItem (which input item each output item came from) */
	pairedItems: unknown[][];
	error?: unknown;
}

export interface ExecutionRun {
	raw: any;
	finished: boolean;
	status?: string;
	error?: unknown;
	/** node name → its runs */
	runData: Record<string, NodeRun[]>;
}

/** Finds the end of the JSON value that starts with `{` at index start (string-aware brace matching). */
function matchBraces(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') inString = true;
		else if (c === '{') depth++;
		else if (c === '}') {
			depth--;
			if (depth === 0) return i;
		}
	}
	return -1;
}

/** Every top-level JSON object printed on its own lines in text. */
export function jsonObjectsIn(text: string): any[] {
	const found: any[] = [];
	let i = 0;
	while (i < text.length) {
		const at = text.indexOf('{', i);
		if (at < 0) break;
		if (at > 0 && text[at - 1] !== '\n') {
			i = at + 1;
			continue;
		}
		const end = matchBraces(text, at);
		if (end < 0) break;
		try {
			found.push(JSON.parse(text.slice(at, end + 1)));
			i = end + 1;
		} catch {
			i = at + 1;
		}
	}
	return found;
}

export function toExecutionRun(raw: any): ExecutionRun {
	const runData: Record<string, NodeRun[]> = {};
	const rd = raw?.data?.resultData?.runData ?? {};
	for (const [node, runs] of Object.entries<any[]>(rd)) {
		runData[node] = runs.map((r) => ({
			outputs: (r?.data?.main ?? []).map((items: any[] | null) =>
				(items ?? []).map((it) => it.json),
			),
			pairedItems: (r?.data?.main ?? []).map((items: any[] | null) =>
				(items ?? []).map((it) => it.pairedItem),
			),
			error: r?.error,
		}));
	}
	return {
		raw,
		finished: raw?.finished === true,
		status: raw?.status,
		error: raw?.data?.resultData?.error,
		runData,
	};
}

/** The execution printed by `n8n execute`: the last JSON object that has data.resultData. */
export function parseExecuteOutput(stdout: string): ExecutionRun {
	const objs = jsonObjectsIn(stdout).filter((o) => o?.data?.resultData);
	if (objs.length === 0) {
		throw new Error(
			`no execution JSON in n8n execute's output:\n${stdout.split('\n').slice(-40).join('\n')}`,
		);
	}
	return toExecutionRun(objs[objs.length - 1]);
}

/** Items (json) of a node's output in its first run. */
export function outputOf(
	run: ExecutionRun,
	node: string,
	output = 0,
): Array<Record<string, unknown>> {
	const runs = run.runData[node];
	if (!runs || runs.length === 0) {
		throw new Error(
			`node "${node}" did not run; nodes that ran: ${Object.keys(run.runData).join(', ')}`,
		);
	}
	return runs[0].outputs[output] ?? [];
}

/** The input item index each output item of a node's first run came from. */
export function pairedIndexes(
	run: ExecutionRun,
	node: string,
	output = 0,
): Array<number | undefined> {
	const runs = run.runData[node];
	if (!runs || runs.length === 0) throw new Error(`node "${node}" did not run`);
	return (runs[0].pairedItems[output] ?? []).map((p: any) =>
		Array.isArray(p) ? p[0]?.item : p?.item,
	);
}
