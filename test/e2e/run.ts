/**
 * The end-to-end tier: real n8n runtimes load the packed package and run the example workflows
 * against the Mango sandbox.
 *
 *   npm run test:e2e                        # everything (builds first)
 *   npx tsx test/e2e/run.ts --only 2        # only n8n 2.x;  --only 1 → only n8n 1.x
 *   npx tsx test/e2e/run.ts --scenario cli  # scenario ids: cli, webhook, bad-input, credential-test, queue-webhook
 *   npx tsx test/e2e/run.ts --keep          # keep the n8n work folders (logs, databases)
 *
 * Ends with exactly one line `e2e: N passed, N failed` (scenario × version checks) and exits non-zero on any failure.
 * A runtime that fails to install fails only its own scenarios; scenarios not started within
 * TIER_DEADLINE_MS after the runtimes are ready, or after Ctrl+C, are counted as failed.
 */
import { startSandbox, type MangoSandbox } from '../sandbox/mangoSandbox';
import { stopAllN8n } from './n8nProcess';
import { packPackage } from './packPackage';
import { ensureRuntime, selectRuntimes } from './runtimes';
import {
	QUEUE_SCENARIOS,
	SCENARIOS,
	ScenarioRun,
	type Scenario,
	type ScenarioContext,
} from './scenarios';
import { ensureServicePackages, stopAllServices } from './services';
import { argValue, killAllGroupsSync, log, phase, printTimings } from './util';

const SANDBOX_TOKEN = 'e2e-token-7f3a9c';
const SANDBOX_WIDGET = '11078';
const SCENARIO_TIMEOUT_MS = 8 * 60_000;
const TIER_DEADLINE_MS = 30 * 60_000;

interface Outcome {
	scenario: string;
	version: string;
	ok: boolean;
	seconds: number;
	detail: string;
}

/** set by SIGINT/SIGTERM: no further scenario starts */
let interrupted: string | undefined;

let totalsPrinted = false;
/** The one `e2e:` line, whichever way the run ends. */
function printTotals(passed: number, failed: number): void {
	if (totalsPrinted) return;
	totalsPrinted = true;
	process.stdout.write(`\ne2e: ${passed} passed, ${failed} failed\n`);
}

function message(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

async function runScenario(s: Scenario, ctx: ScenarioContext): Promise<Outcome> {
	const version = ctx.runtime.spec.label;
	const start = Date.now();
	const r = new ScenarioRun();
	ctx.sandbox.reset();
	let ok = false;
	let detail = '';
	try {
		await phase(`${s.id} @ ${version}`, async () => {
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => reject(new Error(`scenario timed out after ${SCENARIO_TIMEOUT_MS / 1000}s`)),
					SCENARIO_TIMEOUT_MS,
				);
			});
			try {
				await Promise.race([s.run(ctx, r), timeout]);
			} finally {
				clearTimeout(timer);
			}
		});
		ok = true;
		detail = r.notes.join('; ');
		log(`PASS ${s.id} @ ${version}: ${detail}`);
	} catch (err) {
		detail = err instanceof Error ? err.message : String(err);
		process.stdout.write(
			`\n✗ FAIL ${s.id} @ ${version}\n  ${s.title}\n${detail}\n\n` +
				`n8n logs (${r.instances.map((i) => i.workDir).join(', ')} kept):\n${r.logTails()}\n` +
				`sandbox ledger (${ctx.sandbox.ledger.length} requests):\n` +
				ctx.sandbox.ledger
					.map(
						(e) =>
							`  ${e.method} ${e.path} auth=${e.auth} → ${e.answer.httpStatus} ${JSON.stringify(e.answer.body ?? '').slice(0, 200)}`,
					)
					.join('\n') +
				'\n\n',
		);
	} finally {
		const open = await r.cleanup(ctx.keep || !ok);
		if (open.length > 0) {
			ok = false;
			detail = `ports still open after cleanup: ${open.join(', ')}${detail ? `; ${detail}` : ''}`;
			process.stdout.write(`\n✗ FAIL ${s.id} @ ${version}: ${detail}\n`);
		}
	}
	return {
		scenario: s.id,
		version,
		ok,
		seconds: (Date.now() - start) / 1000,
		detail: detail.split('\n')[0],
	};
}

async function main(): Promise<number> {
	const only = argValue('--only') ?? process.env.MANGO_E2E_ONLY;
	const onlyScenario = argValue('--scenario');
	const keep = process.argv.includes('--keep');
	const specs = selectRuntimes(only);
	const wanted = (s: Scenario) => !onlyScenario || onlyScenario.split(',').includes(s.id);
	const planned = specs.flatMap((spec) => {
		const major = Number(spec.n8nVersion.split('.')[0]);
		return [...SCENARIOS, ...QUEUE_SCENARIOS]
			.filter((s) => wanted(s) && (!s.majors || s.majors.includes(major)))
			.map((s) => ({ spec, s }));
	});
	if (planned.length === 0) {
		process.stdout.write('\nno scenario matched\n');
		printTotals(0, 1);
		return 1;
	}
	const needQueue = planned.some((p) => QUEUE_SCENARIOS.includes(p.s));

	// side by side; a failure fails only the scenarios that need what failed
	const [packR, servicesR, runtimesR] = await Promise.allSettled([
		phase('npm pack', packPackage),
		needQueue
			? phase('queue-mode packages (postgresql, redis-server)', ensureServicePackages)
			: Promise.resolve(),
		Promise.allSettled(
			specs.map((spec) => phase(`${spec.label} (install or reuse)`, () => ensureRuntime(spec))),
		),
	]);
	const runtimes = runtimesR.status === 'fulfilled' ? runtimesR.value : [];
	const broken = new Map<unknown, string>();
	const report = (key: unknown, what: string, r: PromiseSettledResult<unknown>) => {
		if (r.status === 'fulfilled') return;
		const err: unknown = r.reason;
		process.stdout.write(
			`\n✗ ${what} failed:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
		);
		broken.set(key, `${what} failed: ${message(err).split('\n')[0]}`);
	};
	report('pack', 'npm pack', packR);
	report('queue', 'installing postgresql/redis-server', servicesR);
	specs.forEach((spec, i) => report(spec, `${spec.label} runtime`, runtimes[i]));
	const packed = packR.status === 'fulfilled' ? packR.value : undefined;
	if (packed) log(`packed ${packed.tarball} (${packed.files.length} files)`);
	const deadline = Date.now() + TIER_DEADLINE_MS;

	const sandbox: MangoSandbox = await startSandbox({
		token: SANDBOX_TOKEN,
		widgetId: SANDBOX_WIDGET,
	});
	log(`Mango sandbox on ${sandbox.url}`);
	const outcomes: Outcome[] = [];
	try {
		for (const { spec, s } of planned) {
			const i = specs.indexOf(spec);
			const notRun =
				(interrupted && `not run: ${interrupted}`) ||
				broken.get('pack') ||
				broken.get(spec) ||
				(QUEUE_SCENARIOS.includes(s) && broken.get('queue')) ||
				(Date.now() > deadline &&
					`not started: the tier's deadline (${TIER_DEADLINE_MS / 60_000} min after the runtimes were ready) had passed`);
			const runtime = runtimes[i];
			if (notRun || !packed || runtime.status !== 'fulfilled') {
				const detail = notRun || 'not run';
				process.stdout.write(`\n✗ FAIL ${s.id} @ ${spec.label}: ${detail}\n`);
				outcomes.push({ scenario: s.id, version: spec.label, ok: false, seconds: 0, detail });
				continue;
			}
			const ctx: ScenarioContext = {
				runtime: runtime.value,
				packed,
				sandbox,
				keep,
				credential: { accessToken: SANDBOX_TOKEN, widgetId: SANDBOX_WIDGET, baseUrl: sandbox.url },
			};
			outcomes.push(await runScenario(s, ctx));
		}
	} finally {
		await stopAllN8n();
		await stopAllServices();
		await sandbox.close();
		packed?.cleanup();
	}

	process.stdout.write('\nResults:\n');
	for (const o of outcomes) {
		process.stdout.write(
			`  ${o.ok ? 'PASS' : 'FAIL'}  ${o.scenario.padEnd(16)} ${o.version.padEnd(24)} ${o.seconds.toFixed(1).padStart(6)}s  ${o.detail.slice(0, 110)}\n`,
		);
	}
	printTimings();
	const passed = outcomes.filter((o) => o.ok).length;
	const failed = outcomes.length - passed;
	printTotals(passed, failed);
	if (interrupted) return 130;
	return failed === 0 ? 0 : 1;
}

// whatever way the process ends, no process group of ours survives it
process.on('exit', killAllGroupsSync);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
	process.on(sig, () => {
		if (interrupted) return;
		interrupted = sig;
		process.stdout.write(
			`\n${sig}: stopping n8n, PostgreSQL and Redis; no further scenario starts\n`,
		);
		killAllGroupsSync();
		// main now winds down (the running scenario fails, the others count as not run) and prints the totals
		setTimeout(() => {
			printTotals(0, 1);
			process.exit(130);
		}, 30_000);
	});
}

main().then(
	(code) => process.exit(code),
	(err: unknown) => {
		process.stdout.write(
			`\n✗ e2e tier broke before or between scenarios:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
		);
		printTimings();
		printTotals(0, 1);
		process.exit(1);
	},
);
