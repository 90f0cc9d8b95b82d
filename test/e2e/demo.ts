/**
 * `npm run demo` — the main job, end to end, on your machine:
 * builds the package (npm script), installs n8n 2.41.1 on Node 24 into a cache (first run only), starts the
 * Mango sandbox, starts a real n8n with the packed package and a credential pointing at the sandbox, imports
 * examples/report-calls.workflow.json, runs it and prints what the sandbox received.
 *
 *   npm run demo                # run once, print the table, stop everything
 *   npm run demo -- --serve     # ...then keep n8n (http://127.0.0.1:5678) and the sandbox running; Ctrl+C stops them
 *   options: --port 5678 (n8n), --sandbox-port 8787
 */
import { startSandbox, type MangoSandbox } from '../sandbox/mangoSandbox';
import { parseExecuteOutput, outputOf } from './executionOutput';
import {
	createInstance,
	n8nCli,
	startN8n,
	waitReady,
	type N8nInstance,
	type N8nServer,
} from './n8nProcess';
import { packPackage } from './packPackage';
import { OWNER, setupOwner } from './rest';
import { ensureRuntime, RUNTIMES } from './runtimes';
import { activateWorkflow, EXAMPLES, importCredential, importExamples } from './workflows';
import { PBX_CALL, WEBHOOK_PATH } from './scenarios';
import { argValue, isPortOpen, killAllGroupsSync, log, phase, printTimings, rmrf } from './util';

const TOKEN = 'demo-token';
const WIDGET_ID = '11078';

// first thing: whatever way the demo ends (also Ctrl+C during start-up), n8n and npm do not outlive it
process.on('exit', killAllGroupsSync);
/** set while serving: Ctrl+C then stops n8n and the sandbox in order; before that it just exits */
let onSignal: ((why: string) => void) | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
	// Ctrl+C reaches us twice (from the terminal and relayed by tsx): keep handling it
	process.on(sig, () => {
		if (onSignal) return onSignal(sig === 'SIGINT' ? 'Ctrl+C' : sig);
		process.stdout.write(`\n${sig}: stopping\n`);
		process.exit(130);
	});
}

function table(rows: string[][]): string {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
	const line = (r: string[]) => `│ ${r.map((cell, c) => cell.padEnd(widths[c])).join(' │ ')} │`;
	const rule = (l: string, m: string, r: string) =>
		`${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
	return [
		rule('┌', '┬', '┐'),
		line(rows[0]),
		rule('├', '┼', '┤'),
		...rows.slice(1).map(line),
		rule('└', '┴', '┘'),
	].join('\n');
}

function sandboxTable(sandbox: MangoSandbox): string {
	const rows = [
		[
			'callId',
			'dateStart (UTC)',
			'dateEnd (UTC)',
			'phoneFrom',
			'phoneTo',
			'recordLink',
			'reports',
			'recording updates',
		],
	];
	for (const c of sandbox.calls.values()) {
		rows.push([
			c.callId,
			c.dateStart,
			c.dateEnd,
			c.phoneFrom || '—',
			c.phoneTo,
			c.recordLink || '—',
			String(c.reportCount),
			String(c.recordingUpdates),
		]);
	}
	return table(rows);
}

function ledgerTable(sandbox: MangoSandbox): string {
	const rows = [['#', 'request', 'auth', 'answer']];
	for (const e of sandbox.ledger) {
		const body = e.answer.body as { status?: string; requestId?: string } | undefined;
		rows.push([
			String(e.seq),
			`${e.method} ${e.path}${e.query.widgetId ? `?widgetId=${e.query.widgetId}` : ''}`,
			e.auth,
			`${e.answer.httpStatus} ${body?.status ?? ''} ${body?.requestId ?? ''}`.trim(),
		]);
	}
	return table(rows);
}

async function main(): Promise<void> {
	const serve = process.argv.includes('--serve');
	const port = Number(argValue('--port') ?? 5678);
	const wantedSandboxPort = Number(argValue('--sandbox-port') ?? 8787);
	if (serve && (await isPortOpen(port))) {
		throw new Error(
			`port ${port} is already in use (another n8n?): stop it or pass --port <free port>`,
		);
	}

	const spec = RUNTIMES.find((r) => r.n8nVersion.startsWith('2.'))!;
	const [runtime, packed] = await Promise.all([
		phase(`n8n ${spec.n8nVersion} runtime (installed once into the cache)`, () =>
			ensureRuntime(spec),
		),
		phase('npm pack', packPackage),
	]);

	const sandboxPort = (await isPortOpen(wantedSandboxPort)) ? 0 : wantedSandboxPort;
	const sandbox = await startSandbox({ token: TOKEN, widgetId: WIDGET_ID, port: sandboxPort });
	log(`Mango sandbox (stands in for widgets-api.mango-office.ru) on ${sandbox.url}`);

	let inst: N8nInstance | undefined;
	let server: N8nServer | undefined;
	const cleanup = async () => {
		await server?.stop();
		await sandbox.close();
		if (inst) rmrf(inst.workDir);
		packed.cleanup();
	};
	try {
		inst = await createInstance(runtime, packed);
		inst.port = port;
		const i = inst;
		log(`n8n user folder: ${i.userFolder} (the package is unpacked in .n8n/nodes/node_modules/)`);
		const wf = await phase('import credential + example workflows', async () => {
			await importCredential(i, { accessToken: TOKEN, widgetId: WIDGET_ID, baseUrl: sandbox.url });
			const [reportCalls, , webhook] = await importExamples(i, [
				EXAMPLES.reportCalls,
				EXAMPLES.badInput,
				EXAMPLES.webhook,
			]);
			await activateWorkflow(i, webhook.id);
			return reportCalls.id;
		});
		const res = await phase(`n8n execute --id=${wf} (examples/${EXAMPLES.reportCalls})`, () =>
			n8nCli(i, ['execute', `--id=${wf}`, '--rawOutput'], { allowFailure: true }),
		);
		if (res.code !== 0) {
			throw new Error(
				`the workflow failed (exit ${res.code}); n8n's output (${res.logFile}):\n${res.stdout.split('\n').slice(-40).join('\n')}\n${res.stderr.slice(-3000)}`,
			);
		}
		const run = parseExecuteOutput(res.stdout);
		const out = outputOf(run, 'Attach Recording');

		process.stdout.write(`\nn8n ran "${wf}": ${out.length} items out of "Attach Recording":\n`);
		process.stdout.write(
			table([
				['callId', 'status', 'requestId'],
				...out.map((j) => [String(j.callId), String(j.status), String(j.requestId)]),
			]) + '\n',
		);
		process.stdout.write(
			`\nWhat the Mango sandbox received (${sandbox.ledger.length} requests):\n${ledgerTable(sandbox)}\n`,
		);
		process.stdout.write(`\nCalls stored by the sandbox:\n${sandboxTable(sandbox)}\n`);

		if (!serve) {
			printTimings();
			process.stdout.write(
				'\nRun `npm run demo -- --serve` to keep n8n and the sandbox running and open the workflows in the editor.\n',
			);
			return;
		}

		server = startN8n(i, 'start', { name: 'n8n-demo' });
		await phase('n8n start', () => waitReady(i, server!));
		await setupOwner(i);
		process.stdout.write(
			[
				'',
				`n8n is running: http://127.0.0.1:${port}   (log: ${server.logFile})`,
				`  sign in as ${OWNER.email} / ${OWNER.password}`,
				'  workflows: "Mango Calltracking: report PBX calls with recordings" (open it and click Execute workflow),',
				'             "… report calls, route rejected ones", and the active webhook "… PBX webhook → report call"',
				`  credential "Mango Calltracking (sandbox)" → ${sandbox.url}`,
				`Mango sandbox: ${sandbox.url}   see what it received: curl ${sandbox.url}/__sandbox/calls`,
				'Try the webhook as a PBX would:',
				`  curl -s -X POST http://127.0.0.1:${port}/webhook/${WEBHOOK_PATH} -H 'content-type: application/json' \\`,
				`    -d '${JSON.stringify({ ...PBX_CALL, linkedid: 'try-1' })}'`,
				'',
				'Press Ctrl+C to stop n8n and the sandbox (the temporary n8n user folder is removed).',
				'',
			].join('\n'),
		);
		const running = server;
		const why = await new Promise<string>((resolve) => {
			onSignal = resolve;
			const watch = setInterval(() => {
				if (running.exited) {
					clearInterval(watch);
					resolve(`n8n exited (code ${running.exitCode}); log tail:\n${running.logTail(30)}`);
				}
			}, 1000);
			watch.unref();
		});
		process.stdout.write(`\n${why}: stopping n8n and the sandbox…\n`);
	} finally {
		await cleanup();
	}
}

main().then(
	() => process.exit(0),
	(err: unknown) => {
		process.stderr.write(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}\n`);
		process.exit(1);
	},
);
