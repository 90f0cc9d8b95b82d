/**
 * The end-to-end scenarios. Each one gets a fresh n8n user folder with the packed package, checks both what
 * n8n produced and what the sandbox received, and stops every process it started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MangoSandbox } from '../sandbox/mangoSandbox';
import { check, equal } from './assert';
import { outputOf, pairedIndexes, parseExecuteOutput } from './executionOutput';
import {
	createInstance,
	n8nCli,
	startN8n,
	waitForLog,
	waitReady,
	type N8nInstance,
	type N8nServer,
} from './n8nProcess';
import type { PackedPackage } from './packPackage';
import { postWebhook, setupOwner, testCredential } from './rest';
import type { InstalledRuntime } from './runtimes';
import { findPgBin, startPostgres, startRedis, type Service } from './services';
import { freePort, isPortOpen, rmrf, runOk, tail } from './util';
import {
	activateWorkflow,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	CREDENTIAL_TYPE,
	EXAMPLES,
	importCredential,
	importExample,
	type CredentialData,
} from './workflows';

export interface ScenarioContext {
	runtime: InstalledRuntime;
	packed: PackedPackage;
	sandbox: MangoSandbox;
	credential: CredentialData;
	/** keep the n8n work folders (logs, databases) even when the scenario passes */
	keep: boolean;
}

/**
 * What a scenario leaves for the runner: processes to stop, logs to show on failure. Once cleaned up it is
 * closed: a scenario that lost the race against its timeout and goes on cannot start anything new.
 */
export class ScenarioRun {
	instances: N8nInstance[] = [];
	servers: N8nServer[] = [];
	services: Array<{ name: string; svc: Service }> = [];
	/** more ports the scenario's processes listen on (checked closed after cleanup) */
	ports: number[] = [];
	notes: string[] = [];
	private closed = false;

	private assertOpen(): void {
		if (this.closed) throw new Error('the scenario was already cleaned up (timed out?)');
	}

	async instance(
		ctx: ScenarioContext,
		extraEnv: Record<string, string> = {},
	): Promise<N8nInstance> {
		this.assertOpen();
		const inst = await createInstance(ctx.runtime, ctx.packed, extraEnv);
		if (this.closed) rmrf(inst.workDir);
		this.assertOpen();
		this.instances.push(inst);
		return inst;
	}

	start(
		inst: N8nInstance,
		command: 'start' | 'worker',
		opts: Parameters<typeof startN8n>[2] = {},
	): N8nServer {
		this.assertOpen();
		const s = startN8n(inst, command, opts);
		this.servers.push(s);
		return s;
	}

	/**
	 * Starts `n8n start` and waits until it is ready; once more on new ports if another process took its
	 * port between freePort() and the start.
	 */
	async startReady(inst: N8nInstance, name = 'start'): Promise<N8nServer> {
		const server = this.start(inst, 'start', { name });
		try {
			await waitReady(inst, server);
			return server;
		} catch (err) {
			if (!server.exited || !IN_USE.test(server.log())) throw err;
			inst.port = await freePort();
			inst.brokerPort = await freePort();
			const again = this.start(inst, 'start', { name: `${name}-retry` });
			await waitReady(inst, again);
			return again;
		}
	}

	/**
	 * Starts a service for this scenario (once more if its port was taken meanwhile); stopped at cleanup,
	 * at once if cleanup already happened.
	 */
	async service(name: string, start: () => Promise<Service>): Promise<Service> {
		this.assertOpen();
		const svc = await start().catch((err: unknown) => {
			if (!IN_USE.test(String(err))) throw err;
			return start();
		});
		if (this.closed) {
			await svc.stop();
			this.assertOpen();
		}
		this.services.push({ name, svc });
		return svc;
	}

	note(s: string): void {
		this.notes.push(s);
	}

	/**
	 * Stops every process and service the scenario started (servers first, then databases) and returns the
	 * ports that are still open afterwards (should be none).
	 */
	async cleanup(keepFiles: boolean): Promise<string[]> {
		this.closed = true;
		for (const inst of this.instances) inst.closed = true;
		await Promise.all(this.servers.map((s) => s.stop()));
		for (const { svc } of this.services.reverse()) await svc.stop().catch(() => undefined);
		if (!keepFiles) for (const inst of this.instances) rmrf(inst.workDir);
		const ports = [
			...this.instances.flatMap((i) => [i.port, i.brokerPort]),
			...this.services.map((s) => s.svc.port),
			...this.ports,
		];
		const open: string[] = [];
		for (const p of ports) if (await isPortOpen(p)) open.push(String(p));
		return open;
	}

	/** The tails of the n8n logs, newest last, for a failure report. */
	logTails(lines = 40): string {
		const parts: string[] = [];
		for (const inst of this.instances) {
			const files = fs
				.readdirSync(inst.workDir)
				.filter((f) => f.endsWith('.log'))
				.map((f) => path.join(inst.workDir, f))
				.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
			const servers = files.filter((f) => !path.basename(f).startsWith('cli-'));
			const lastCli = files.filter((f) => path.basename(f).startsWith('cli-')).slice(-1);
			for (const f of [...lastCli, ...servers])
				parts.push(`--- ${f} (last ${lines} lines) ---\n${tail(f, lines)}`);
		}
		for (const { name, svc } of this.services) parts.push(`--- ${name} ---\n${svc.logTail()}`);
		return parts.join('\n');
	}
}

/** what a start log says when the port was taken */
const IN_USE = /EADDRINUSE|already in use/i;

export interface Scenario {
	id: string;
	title: string;
	/** run only on these n8n major versions (default: all) */
	majors?: number[];
	run(ctx: ScenarioContext, r: ScenarioRun): Promise<void>;
}

function mangoRequests(sandbox: MangoSandbox) {
	return sandbox.ledger.filter((e) => e.path.startsWith('/v1/calltracking/'));
}

/** Every request carried the token as a Bearer header and the widget as a query parameter. */
function checkTransport(sandbox: MangoSandbox, widgetId: string): void {
	for (const e of mangoRequests(sandbox)) {
		check(
			e.auth === 'bearer' && !e.tokenInQuery,
			`${e.method} ${e.path}: token must come as a Bearer header`,
			e.auth,
		);
		if (e.path.includes('/externalCall'))
			equal(e.query.widgetId, widgetId, `${e.method} ${e.path}: widgetId query`);
	}
}

// ---------------------------------------------------------------- 1. CLI
const reportCallsExpected = [
	{
		callId: 'demo-1001',
		dateStart: '2026-11-20T06:15:02Z',
		dateEnd: '2026-11-20T06:17:45Z',
		phoneFrom: '+74951234567',
		phoneTo: '+74957654321',
		recordLink: 'https://pbx.example.com/monitor/2026/11/20/demo-1001.mp3',
	},
	{
		callId: 'demo-1002',
		dateStart: '2026-11-20T08:02:10Z',
		dateEnd: '2026-11-20T08:03:00Z',
		phoneFrom: '+79165551234',
		phoneTo: '+74957654321',
		recordLink: 'https://pbx.example.com/monitor/2026/11/20/demo-1002.mp3',
	},
	{
		callId: 'demo-1003',
		dateStart: '2026-11-20T14:45:00Z',
		dateEnd: '2026-11-20T14:52:31Z',
		phoneFrom: '+79031112233',
		phoneTo: '+74957654321',
		recordLink: 'https://pbx.example.com/monitor/2026/11/20/demo-1003.mp3',
	},
];

/** A fresh n8n with the sandbox credential and one example workflow, run with `n8n execute`; its parsed run. */
async function executeExample(
	ctx: ScenarioContext,
	r: ScenarioRun,
	example: (typeof EXAMPLES)[keyof typeof EXAMPLES],
) {
	const inst = await r.instance(ctx);
	await importCredential(inst, ctx.credential);
	const wf = await importExample(inst, example);
	const res = await n8nCli(inst, ['execute', `--id=${wf.id}`, '--rawOutput']);
	return parseExecuteOutput(res.stdout);
}

export const cliScenario: Scenario = {
	id: 'cli',
	title:
		'CLI: import credential + workflow, n8n execute (3 calls → Report Call → Attach Recording)',
	async run(ctx, r) {
		const run = await executeExample(ctx, r, EXAMPLES.reportCalls);
		check(!run.error, 'the execution has no error', run.error);

		const reported = outputOf(run, 'Report Call');
		const attached = outputOf(run, 'Attach Recording');
		equal(reported.length, 3, 'Report Call output items');
		equal(attached.length, 3, 'Attach Recording output items');
		equal(
			attached.map((j) => j.callId),
			reportCallsExpected.map((c) => c.callId),
			'Attach Recording items are the three calls, in order',
		);
		for (const j of [...reported, ...attached]) {
			equal(j.status, 'ok', `output item ${String(j.callId)}: status`);
			check(
				typeof j.requestId === 'string' && j.requestId !== '',
				`output item ${String(j.callId)}: requestId`,
				j,
			);
		}

		equal(
			[...ctx.sandbox.calls.keys()].sort(),
			reportCallsExpected.map((c) => c.callId),
			'calls stored by the sandbox',
		);
		for (const exp of reportCallsExpected) {
			const got = ctx.sandbox.calls.get(exp.callId)!;
			equal(
				{ ...got, reportCount: undefined, recordingUpdates: undefined },
				{ ...exp, reportCount: undefined, recordingUpdates: undefined },
				`sandbox call ${exp.callId}`,
			);
			equal(got.reportCount, 1, `${exp.callId}: reported once`);
			equal(got.recordingUpdates, 1, `${exp.callId}: recording attached once`);
		}
		// the answers n8n output are the ones the sandbox gave
		const sandboxIds = new Set(
			mangoRequests(ctx.sandbox).map((e) => (e.answer.body as any)?.requestId),
		);
		for (const j of [...reported, ...attached])
			check(sandboxIds.has(j.requestId), `requestId ${String(j.requestId)} came from the sandbox`);
		checkTransport(ctx.sandbox, ctx.credential.widgetId);
		r.note(
			`3 calls reported, 3 recordings attached (${mangoRequests(ctx.sandbox).length} requests)`,
		);
	},
};

// ---------------------------------------------------------------- 2. Webhook
export const PBX_CALL = {
	linkedid: '1763814600.1042',
	uniqueid: '1763814600.1043',
	start: '2026-11-22T14:30:00',
	duration: 95,
	billsec: 81,
	disposition: 'ANSWERED',
	src: '8 (812) 555-01-02',
	dst: '+7 (495) 765-43-21',
	recordingUrl: 'https://pbx.example.com/monitor/2026/11/22/out-1042.wav',
};
const PBX_EXPECTED = {
	callId: PBX_CALL.linkedid,
	dateStart: '2026-11-22T11:30:00Z',
	dateEnd: '2026-11-22T11:31:35Z',
	phoneTo: '+74957654321',
	phoneFrom: '+78125550102',
	recordLink: PBX_CALL.recordingUrl,
	reportCount: 1,
	recordingUpdates: 0,
};
export const WEBHOOK_PATH = 'pbx-finished-call';

/** Posts the PBX call and checks the answer and the sandbox; returns the requestId. */
async function webhookRoundTrip(ctx: ScenarioContext, inst: N8nInstance): Promise<string> {
	const res = await postWebhook(inst, WEBHOOK_PATH, PBX_CALL);
	equal(res.status, 200, `POST /webhook/${WEBHOOK_PATH} status (body: ${res.text.slice(0, 300)})`);
	check(res.json && typeof res.json === 'object', 'the webhook answers JSON', res.text);
	equal(res.json.status, 'ok', 'webhook answer: status');
	equal(res.json.callId, PBX_CALL.linkedid, 'webhook answer: callId');
	check(
		typeof res.json.requestId === 'string' && res.json.requestId !== '',
		'webhook answer carries requestId',
		res.json,
	);
	const posts = mangoRequests(ctx.sandbox).filter((e) => e.method === 'POST');
	equal(posts.length, 1, 'the sandbox got one report');
	equal(
		(posts[0].answer.body as any)?.requestId,
		res.json.requestId,
		"the answer's requestId is the sandbox's",
	);
	equal(ctx.sandbox.calls.get(PBX_CALL.linkedid), PBX_EXPECTED, 'the call stored by the sandbox');
	checkTransport(ctx.sandbox, ctx.credential.widgetId);
	return res.json.requestId as string;
}

/** Imports the credential and the webhook example, activates it, starts n8n and waits until it is ready. */
async function startWithWebhook(
	r: ScenarioRun,
	ctx: ScenarioContext,
	inst: N8nInstance,
	name = 'start',
): Promise<N8nServer> {
	await importCredential(inst, ctx.credential);
	const wf = await importExample(inst, EXAMPLES.webhook);
	await activateWorkflow(inst, wf.id);
	return r.startReady(inst, name);
}

export const webhookScenario: Scenario = {
	id: 'webhook',
	title: 'Webhook: a PBX posts a finished call → Report Call → HTTP answer with requestId',
	async run(ctx, r) {
		const inst = await r.instance(ctx);
		await startWithWebhook(r, ctx, inst);
		const requestId = await webhookRoundTrip(ctx, inst);
		r.note(`webhook answered requestId ${requestId}`);
	},
};

// ---------------------------------------------------------------- 3. Bad input
export const badInputScenario: Scenario = {
	id: 'bad-input',
	title:
		'Bad input: the call with an invalid phone goes to the error output, the others are reported',
	async run(ctx, r) {
		const run = await executeExample(ctx, r, EXAMPLES.badInput);
		check(!run.error, 'the execution succeeds (the error is routed, not thrown)', run.error);
		const ok = outputOf(run, 'Report Call', 0);
		const failed = outputOf(run, 'Report Call', 1);
		equal(
			ok.map((j) => j.callId),
			['batch-2001', 'batch-2003'],
			'success output: the two good calls',
		);
		for (const j of ok) equal(j.status, 'ok', `${String(j.callId)}: status`);
		equal(failed.length, 1, 'error output: one item');
		// which input item it stands for: told by pairedItem (n8n may also merge the input item's fields into it)
		equal(
			pairedIndexes(run, 'Report Call', 1),
			[1],
			'the error item is the bad call (input item 1, batch-2002)',
		);
		check(
			typeof failed[0].error === 'string' && /phone/i.test(failed[0].error),
			'the error names the phone',
			failed[0],
		);
		equal(outputOf(run, 'Rejected Calls').length, 1, '"Rejected Calls" got the bad call');
		equal(outputOf(run, 'Reported').length, 2, '"Reported" got the good calls');
		equal(
			[...ctx.sandbox.calls.keys()].sort(),
			['batch-2001', 'batch-2003'],
			'calls stored by the sandbox',
		);
		check(
			!ctx.sandbox.ledger.some((e) => e.callId === 'batch-2002'),
			'the invalid call never reached the sandbox',
			ctx.sandbox.ledger.filter((e) => e.callId === 'batch-2002'),
		);
		r.note(`error item: ${JSON.stringify(failed[0]).slice(0, 160)}`);
	},
};

// ---------------------------------------------------------------- 4. Credential test
export const credentialTestScenario: Scenario = {
	id: 'credential-test',
	title: 'Credential test (REST, as the editor does it): right token passes, wrong token fails',
	async run(ctx, r) {
		const inst = await r.instance(ctx);
		await importCredential(inst, ctx.credential);
		await r.startReady(inst);
		const session = await setupOwner(inst);
		const base = { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE };

		const good = await testCredential(session, { ...base, data: { ...ctx.credential } });
		equal(good.status, 'OK', `right token: credential test status (message: ${good.message})`);
		const lists = mangoRequests(ctx.sandbox).filter((e) => e.method === 'GET');
		check(lists.length >= 1, 'the credential test asked the sandbox', ctx.sandbox.ledger);
		equal(
			lists[0].path,
			`/v1/calltracking/${ctx.credential.widgetId}/calls`,
			'credential test path',
		);
		equal(lists[0].auth, 'bearer', 'credential test sends the token as a Bearer header');
		equal(lists[0].answer.httpStatus, 200, 'sandbox accepted the right token');

		const before = ctx.sandbox.ledger.length;
		const bad = await testCredential(session, {
			...base,
			data: { ...ctx.credential, accessToken: 'wrong-token' },
		});
		equal(bad.status, 'Error', `wrong token: credential test status (message: ${bad.message})`);
		const later = ctx.sandbox.ledger.slice(before);
		check(
			later.length >= 1 && later.every((e) => e.auth === 'wrong' && e.answer.httpStatus === 401),
			'the sandbox refused the wrong token',
			later,
		);
		r.note(`right token → OK; wrong token → Error: ${bad.message}`);
	},
};

// ---------------------------------------------------------------- 5. Queue mode
export const queueScenario: Scenario = {
	id: 'queue-webhook',
	title:
		'Queue mode (PostgreSQL + Redis, main + 1 worker): the webhook execution runs on the worker',
	majors: [2],
	async run(ctx, r) {
		const [pg, redis] = await Promise.all([
			r.service('postgres', startPostgres),
			r.service('redis', startRedis),
		]);
		const inst = await r.instance(ctx, {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
		});
		const main = await startWithWebhook(r, ctx, inst, 'main');
		const workerBrokerPort = await freePort();
		r.ports.push(workerBrokerPort);
		const worker = r.start(inst, 'worker', {
			name: 'worker',
			args: ['--concurrency=2'],
			env: { N8N_RUNNERS_BROKER_PORT: String(workerBrokerPort) },
		});
		await waitForLog(worker, /n8n worker is now ready/i, 180_000);
		const requestId = await webhookRoundTrip(ctx, inst);
		const [, enqueued, job] = await waitForLog(
			main,
			/Enqueued execution (\d+) \(job (\d+)\)/,
			30_000,
		);
		await waitForLog(
			worker,
			new RegExp(`Worker started execution (${enqueued}) \\(job ${job}\\)`),
			30_000,
		);
		await waitForLog(
			worker,
			new RegExp(`Worker finished execution ${enqueued} \\(job ${job}\\)`),
			30_000,
		);
		check(
			!/Worker started execution/.test(main.log()),
			'the main process did not run the execution itself',
		);
		// the execution record in PostgreSQL: a finished webhook execution with that id
		const row = await runOk(path.join(findPgBin()!, 'psql'), [
			'-h',
			'127.0.0.1',
			'-p',
			String(pg.port),
			'-U',
			'postgres',
			'-d',
			'n8n',
			'-tA',
			'-F',
			'|',
			'-c',
			`select id, mode, status, finished from execution_entity where id = ${Number(enqueued)}`,
		]);
		equal(
			row.stdout.trim(),
			`${enqueued}|webhook|success|t`,
			'the execution record (id|mode|status|finished)',
		);
		r.note(
			`main enqueued execution ${enqueued} (job ${job}), the worker ran it (record: webhook/success); requestId ${requestId}`,
		);
	},
};

export const SCENARIOS: Scenario[] = [
	cliScenario,
	webhookScenario,
	badInputScenario,
	credentialTestScenario,
];
export const QUEUE_SCENARIOS: Scenario[] = [queueScenario];
