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
 */
import { startSandbox, type MangoSandbox } from '../sandbox/mangoSandbox';
import { killAllN8nSync, stopAllN8n } from './n8nProcess';
import { packPackage, type PackedPackage } from './packPackage';
import { ensureRuntimes, selectRuntimes, type InstalledRuntime } from './runtimes';
import {
	QUEUE_SCENARIOS,
	SCENARIOS,
	ScenarioRun,
	type Scenario,
	type ScenarioContext,
} from './scenarios';
import { ensureServicePackages, stopAllServices } from './services';
import { log, phase, printTimings } from './util';

const SANDBOX_TOKEN = 'e2e-token-7f3a9c';
const SANDBOX_WIDGET = '11078';
const SCENARIO_TIMEOUT_MS = 8 * 60_000;

interface Outcome {
	scenario: string;
	version: string;
	ok: boolean;
	seconds: number;
	detail: string;
}

function argValue(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
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
	const needQueue =
		QUEUE_SCENARIOS.some(wanted) && specs.some((s) => s.n8nVersion.startsWith('2.'));

	const [packed, runtimes] = (await Promise.all([
		phase('npm pack', packPackage),
		phase('runtimes (install or reuse)', () => ensureRuntimes(specs)),
		needQueue
			? phase('queue-mode packages (postgresql, redis-server)', ensureServicePackages)
			: Promise.resolve(),
	])) as [PackedPackage, InstalledRuntime[], void];
	log(`packed ${packed.tarball} (${packed.files.length} files)`);

	const sandbox: MangoSandbox = await startSandbox({
		token: SANDBOX_TOKEN,
		widgetId: SANDBOX_WIDGET,
	});
	log(`Mango sandbox on ${sandbox.url}`);
	const outcomes: Outcome[] = [];
	try {
		for (const runtime of runtimes) {
			const major = Number(runtime.spec.n8nVersion.split('.')[0]);
			const ctx: ScenarioContext = {
				runtime,
				packed,
				sandbox,
				keep,
				credential: { accessToken: SANDBOX_TOKEN, widgetId: SANDBOX_WIDGET, baseUrl: sandbox.url },
			};
			for (const s of [...SCENARIOS, ...QUEUE_SCENARIOS]) {
				if (!wanted(s) || (s.majors && !s.majors.includes(major))) continue;
				outcomes.push(await runScenario(s, ctx));
			}
		}
	} finally {
		await stopAllN8n();
		await sandbox.close();
		packed.cleanup();
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
	if (outcomes.length === 0) {
		process.stdout.write('\nno scenario matched\n');
		process.stdout.write('e2e: 0 passed, 1 failed\n');
		return 1;
	}
	process.stdout.write(`\ne2e: ${passed} passed, ${failed} failed\n`);
	return failed === 0 ? 0 : 1;
}

process.on('exit', killAllN8nSync);
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
	process.on(sig, () => {
		if (interrupted) return;
		interrupted = true;
		process.stdout.write(`\n${sig}: stopping n8n, PostgreSQL and Redis\n`);
		killAllN8nSync();
		const giveUp = setTimeout(() => process.exit(130), 20_000);
		void stopAllServices().finally(() => {
			clearTimeout(giveUp);
			process.stdout.write('e2e: 0 passed, 1 failed\n');
			process.exit(130);
		});
	});
}

main().then(
	(code) => process.exit(code),
	(err: unknown) => {
		process.stdout.write(
			`\n✗ e2e tier broke before or between scenarios:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
		);
		printTimings();
		process.stdout.write('\ne2e: 0 passed, 1 failed\n');
		process.exit(1);
	},
);
