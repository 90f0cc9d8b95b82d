/*
 * Runs workflows through n8n-core's real execution engine (WorkflowExecute), with our package loaded from dist/
 * by n8n's own PackageDirectoryLoader. n8n's NodeTestHarness is not published, so this is our small equivalent.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'mango-n8n-'));
// The engine logs every node error; the tests assert on them instead.
process.env.N8N_LOG_LEVEL ??= 'silent';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';

const PACKAGE_DIR = path.resolve(__dirname, '../..');
export const PACKAGE_NAME = 'n8n-nodes-mango-calltracking';
export const MANGO_NODE_TYPE = `${PACKAGE_NAME}.mangoCalltracking`;
export const SOURCE_NODE_TYPE = 'test.itemsSource';

/** A start node that emits the items given in its `items` parameter, like a trigger or a Set node would. */
class ItemsSource implements INodeType {
	description = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Items Source' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

let loaded: Promise<PackageDirectoryLoader> | undefined;
async function loadPackage(): Promise<PackageDirectoryLoader> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		await loader.loadAll();
		return loader;
	})();
	return await loaded;
}

function nodeTypesOf(loader: PackageDirectoryLoader): INodeTypes {
	const source = new ItemsSource();
	const byName = (type: string): INodeType | ReturnType<typeof loader.getNode>['type'] => {
		if (type === SOURCE_NODE_TYPE) return source;
		const name = type.startsWith(`${PACKAGE_NAME}.`) ? type.slice(PACKAGE_NAME.length + 1) : type;
		return loader.getNode(name).type;
	};
	return {
		getByName: (type) => byName(type),
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(byName(type), version),
		getKnownTypes: () => ({}),
	};
}

/** Returns the test credentials and applies the credential's `generic` authenticate, as n8n's CLI does. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly loader: PackageDirectoryLoader,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.loader.getCredential(typeName).type;
		const authenticate = type.authenticate;
		if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic') {
			return requestOptions;
		}
		const resolve = (value: unknown) =>
			workflow && node
				? workflow.expression.getSimpleParameterValue(node, value as string, 'internal', {
						$credentials: credentials,
					})
				: value;
		const options = { ...requestOptions };
		for (const [target, values] of Object.entries(authenticate.properties) as Array<
			[string, IDataObject]
		>) {
			const current = ((options as unknown as IDataObject)[target] ?? {}) as IDataObject;
			const added: IDataObject = {};
			for (const [key, value] of Object.entries(values))
				added[key] = resolve(value) as IDataObject[string];
			(options as unknown as IDataObject)[target] = { ...current, ...added };
		}
		return options;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used in tests');
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
		const data = this.credentials[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return this.loader.getCredential(type).type.properties;
	}
}

export interface MangoNodeSpec {
	name?: string;
	parameters: INodeParameters;
	continueOnFail?: boolean;
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
}

export interface WorkflowRun {
	run: IRun;
	/** The items of each output of a node's last run: outputs[0] is main, outputs[1] the error output. */
	outputs(nodeName: string): INodeExecutionData[][];
	/** The execution's error, if the workflow stopped on one. */
	error: IRun['data']['resultData']['error'];
}

export interface RunOptions {
	items: IDataObject[];
	nodes: MangoNodeSpec[];
	credentials: ICredentialDataDecryptedObject;
	timezone?: string;
	/** Called with the running execution, e.g. to cancel it. */
	onStarted?: (execution: { cancel(): void }) => void;
}

/** Items Source → Mango node(s) in a chain; runs the workflow and returns the engine's run data. */
export async function runWorkflow(options: RunOptions): Promise<WorkflowRun> {
	const loader = await loadPackage();
	const nodeTypes = nodeTypesOf(loader);
	const sourceName = 'Items Source';
	const nodes: INode[] = [
		{
			id: 'source',
			name: sourceName,
			type: SOURCE_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items) },
		},
		...options.nodes.map((spec, index) => {
			const node: INode = {
				id: `mango-${index}`,
				name: spec.name ?? `Mango ${index + 1}`,
				type: MANGO_NODE_TYPE,
				typeVersion: 1,
				position: [200 * (index + 1), 0],
				parameters: spec.parameters,
				credentials: { mangoCalltrackingApi: { id: 'cred-1', name: 'Mango test' } },
			};
			if (spec.continueOnFail) node.continueOnFail = true;
			if (spec.onError) node.onError = spec.onError;
			return node;
		}),
	];
	const connections: IWorkflowBase['connections'] = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = {
			main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
		};
	}
	const settings = { timezone: options.timezone ?? 'Europe/Moscow', executionOrder: 'v1' as const };
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'test',
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings,
	});
	const workflowData = {
		id: 'wf-1',
		name: 'test',
		nodes,
		connections,
		active: false,
		settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;

	const hooks = new ExecutionLifecycleHooks('manual', 'exec-1', workflowData);
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(loader, {
			mangoCalltrackingApi: options.credentials,
		}),
		hooks,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1/mcp-test',
		variables: {},
		userId: 'user-1',
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const execute = new WorkflowExecute(additionalData, 'manual');
	const execution = execute.run({ workflow, startNode: workflow.getNode(sourceName) ?? undefined });
	options.onStarted?.(execution);
	const run = await execution;
	assertTokenAbsent(run, options.credentials.accessToken);
	const runData = run.data.resultData.runData;
	return {
		run,
		error: run.data.resultData.error,
		outputs: (nodeName) => {
			const tasks = runData[nodeName];
			const last = tasks?.[tasks.length - 1];
			return (last?.data?.main ?? []).map((items) => items ?? []);
		},
	};
}

/**
 * Every engine test checks it: the access token appears nowhere in the run — output items, error messages and
 * descriptions, the engine's run data.
 */
function assertTokenAbsent(run: IRun, token: unknown): void {
	if (typeof token !== 'string' || token === '') return;
	const error = run.data.resultData.error;
	const texts = [JSON.stringify(run), error?.message, error?.description, error?.stack];
	if (texts.some((text) => typeof text === 'string' && text.includes(token))) {
		throw new Error('the access token leaked into the run data, an output item or an error');
	}
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
	url: string;
}

/**
 * Runs the credential's declared `test` request the way n8n's credential tester does: resolves its expressions
 * against the credential data, applies the credential's authentication, sends it, then applies the `rules`.
 */
export async function resolveCredentialTestRequest(
	credentials: ICredentialDataDecryptedObject,
): Promise<{
	url: URL;
	request: IHttpRequestOptions;
	rules: NonNullable<ICredentialTestRequest['rules']>;
}> {
	const loader = await loadPackage();
	const type = loader.getCredential('mangoCalltrackingApi').type;
	const test = type.test;
	if (!test) throw new Error('the credential declares no test');
	const node: INode = {
		id: 'cred-test',
		name: 'Credential Test',
		type: MANGO_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesOf(loader),
	});
	const resolve = (value: unknown): unknown => {
		if (typeof value === 'string') {
			return workflow.expression.getSimpleParameterValue(node, value, 'internal', {
				$credentials: credentials,
			});
		}
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
		}
		return value;
	};
	const request = resolve(test.request) as IHttpRequestOptions & { baseURL: string };
	const helper = new TestCredentialsHelper(loader, {});
	const authenticated = await helper.authenticate(
		credentials,
		'mangoCalltrackingApi',
		request,
		workflow,
		node,
	);
	const url = new URL(`${authenticated.baseURL ?? ''}${authenticated.url}`);
	for (const [key, value] of Object.entries((authenticated.qs ?? {}) as IDataObject)) {
		url.searchParams.set(key, String(value));
	}
	return { url, request: authenticated, rules: test.rules ?? [] };
}

export async function runCredentialTest(
	credentials: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const { url, request: authenticated, rules } = await resolveCredentialTestRequest(credentials);
	const { request: send } = await import('undici');
	const response = await send(url, {
		method: (authenticated.method ?? 'GET') as 'GET',
		headers: (authenticated.headers ?? {}) as Record<string, string>,
	});
	const text = await response.body.text();
	if (response.statusCode < 200 || response.statusCode >= 300) {
		return {
			status: 'Error',
			message: `HTTP ${response.statusCode}: ${text.slice(0, 200)}`,
			url: url.toString(),
		};
	}
	const body = JSON.parse(text) as IDataObject;
	for (const rule of rules) {
		if (
			rule.type === 'responseSuccessBody' &&
			body[rule.properties.key] === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message, url: url.toString() };
		}
	}
	return { status: 'OK', message: 'Connection successful', url: url.toString() };
}
