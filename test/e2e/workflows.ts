/**
 * The example workflows in examples/ and the credential, as the tests import them into a real n8n.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { n8nCli, writeJson, type N8nInstance } from './n8nProcess';
import { REPO_ROOT } from './util';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const CREDENTIAL_TYPE = 'mangoCalltrackingApi';
export const CREDENTIAL_ID = 'mangoSandboxCred';
export const CREDENTIAL_NAME = 'Mango Calltracking (sandbox)';

export const EXAMPLES = {
	reportCalls: 'report-calls.workflow.json',
	webhook: 'pbx-webhook.workflow.json',
	badInput: 'bad-input.workflow.json',
} as const;

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, any>;
		credentials?: Record<string, { id: string; name: string }>;
		webhookId?: string;
	}>;
	connections: Record<string, unknown>;
	[k: string]: unknown;
}

export function loadExample(file: string): WorkflowJson {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
}

/** Points every Mango node of the workflow at the given credential. */
export function withCredential(
	wf: WorkflowJson,
	credentialId: string,
	credentialName: string,
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(wf)) as WorkflowJson;
	for (const node of copy.nodes) {
		if (node.credentials?.[CREDENTIAL_TYPE])
			node.credentials[CREDENTIAL_TYPE] = { id: credentialId, name: credentialName };
	}
	return copy;
}

export interface CredentialData {
	accessToken: string;
	widgetId: string;
	baseUrl: string;
}

export async function importCredential(
	inst: N8nInstance,
	data: CredentialData,
	id = CREDENTIAL_ID,
	name = CREDENTIAL_NAME,
): Promise<void> {
	// the token in clear: readable by us only
	const file = writeJson(
		inst,
		`credential-${id}.json`,
		[{ id, name, type: CREDENTIAL_TYPE, data }],
		0o600,
	);
	await n8nCli(inst, ['import:credentials', `--input=${file}`]);
}

/** Imports an example workflow (credential id substituted); returns its id. */
export async function importExample(
	inst: N8nInstance,
	file: string,
	credentialId = CREDENTIAL_ID,
): Promise<WorkflowJson> {
	const wf = withCredential(loadExample(file), credentialId, CREDENTIAL_NAME);
	const out = writeJson(inst, `wf-${file}`, wf);
	await n8nCli(inst, ['import:workflow', `--input=${out}`]);
	return wf;
}

/** Imports several example workflows with one CLI call; returns them in order. */
export async function importExamples(
	inst: N8nInstance,
	files: string[],
	credentialId = CREDENTIAL_ID,
): Promise<WorkflowJson[]> {
	const wfs = files.map((f) => withCredential(loadExample(f), credentialId, CREDENTIAL_NAME));
	const out = writeJson(inst, 'wf-examples.json', wfs);
	await n8nCli(inst, ['import:workflow', `--input=${out}`]);
	return wfs;
}

/** Activates (1.x) or publishes (2.x) a workflow so its webhook is registered at the next start. */
export async function activateWorkflow(inst: N8nInstance, id: string): Promise<void> {
	const major = Number(inst.runtime.spec.n8nVersion.split('.')[0]);
	if (major >= 2) await n8nCli(inst, ['publish:workflow', `--id=${id}`]);
	else await n8nCli(inst, ['update:workflow', `--id=${id}`, '--active=true']);
}
