/**
 * Runs a real n8n: a fresh user folder with our packed package, the CLI (import/execute/publish),
 * and long-running processes (`n8n start`, `n8n worker`) in their own process groups.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InstalledRuntime } from './runtimes';
import { installIntoUserFolder, type PackedPackage } from './packPackage';
import { freePort, mkTmp, run, sleep, stopGroup, tail, trackGroup, type RunResult } from './util';

/** Fixed key: credentials imported by the CLI must be readable by the server and by workers. */
export const ENCRYPTION_KEY = 'mango-e2e-fixed-encryption-key-0123456789';

export interface N8nInstance {
	runtime: InstalledRuntime;
	/** N8N_USER_FOLDER (n8n keeps its data in <userFolder>/.n8n) */
	userFolder: string;
	/** folder for our logs and generated files */
	workDir: string;
	port: number;
	brokerPort: number;
	/** extra env (database, queue mode …) */
	extraEnv: Record<string, string>;
	/** set once its scenario was cleaned up: nothing may start on it any more */
	closed?: boolean;
}

function assertOpen(inst: N8nInstance, what: string): void {
	if (inst.closed) throw new Error(`n8n ${what}: the scenario was already cleaned up (timed out?)`);
}

export async function createInstance(
	runtime: InstalledRuntime,
	packed: PackedPackage,
	extraEnv: Record<string, string> = {},
): Promise<N8nInstance> {
	const workDir = mkTmp(`mango-e2e-n8n-${runtime.spec.n8nVersion}-`);
	const userFolder = path.join(workDir, 'user');
	fs.mkdirSync(userFolder, { recursive: true });
	await installIntoUserFolder(packed, userFolder);
	return {
		runtime,
		userFolder,
		workDir,
		port: await freePort(),
		brokerPort: await freePort(),
		extraEnv,
	};
}

export function n8nEnv(
	inst: N8nInstance,
	overrides: Record<string, string> = {},
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	// a clean environment: only what a shell would have, no npm_* / NODE_PATH from our own npm run
	for (const k of ['HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'USER', 'TERM']) {
		if (process.env[k] !== undefined) env[k] = process.env[k];
	}
	Object.assign(env, {
		PATH: inst.runtime.pathEnv,
		N8N_USER_FOLDER: inst.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(inst.port),
		N8N_RUNNERS_BROKER_PORT: String(inst.brokerPort),
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'UTC',
		...inst.runtime.spec.env,
		...inst.extraEnv,
		...overrides,
	});
	return env;
}

export interface CliResult extends RunResult {
	logFile: string;
}

let cliCounter = 0;

/** Runs `n8n <args>` to completion. Throws with the output tail unless allowFailure. */
export async function n8nCli(
	inst: N8nInstance,
	args: string[],
	opts: { allowFailure?: boolean; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliResult> {
	assertOpen(inst, args[0]);
	const logFile = path.join(
		inst.workDir,
		`cli-${++cliCounter}-${args[0].replace(/[^a-z:]/gi, '')}.log`,
	);
	const res = await run(inst.runtime.nodeBin, [inst.runtime.n8nBin, ...args], {
		cwd: inst.workDir,
		env: n8nEnv(inst, opts.env),
		logFile,
		timeoutMs: opts.timeoutMs ?? 180_000,
	});
	if (res.code !== 0 && !opts.allowFailure) {
		throw new Error(
			`n8n ${args.join(' ')} failed (exit ${res.code ?? res.signal}); log tail (${logFile}):\n${tail(logFile, 60)}`,
		);
	}
	return { ...res, logFile };
}

export interface N8nServer {
	pid: number;
	logFile: string;
	command: string;
	exited: boolean;
	exitCode: number | null;
	stop(): Promise<void>;
	logTail(lines?: number): string;
	log(): string;
}

/** Starts a long-running n8n process (`start`, `worker`, `webhook`) in its own process group. */
export function startN8n(
	inst: N8nInstance,
	command: 'start' | 'worker' | 'webhook',
	opts: { env?: Record<string, string>; args?: string[]; name?: string } = {},
): N8nServer {
	assertOpen(inst, command);
	const logFile = path.join(inst.workDir, `${opts.name ?? command}.log`);
	const out = fs.openSync(logFile, 'a');
	const child = spawn(inst.runtime.nodeBin, [inst.runtime.n8nBin, command, ...(opts.args ?? [])], {
		cwd: inst.workDir,
		env: n8nEnv(inst, opts.env),
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	if (!child.pid) throw new Error(`could not start n8n ${command}`);
	trackGroup(child.pid);
	const server: N8nServer = {
		pid: child.pid,
		logFile,
		command,
		exited: false,
		exitCode: null,
		stop: async () => {
			await stopGroup(child.pid, 15_000);
			running.delete(server);
		},
		logTail: (lines = 60) => tail(logFile, lines),
		log: () => {
			try {
				return fs.readFileSync(logFile, 'utf8');
			} catch {
				return '';
			}
		},
	};
	child.on('exit', (code) => {
		server.exited = true;
		server.exitCode = code;
	});
	running.add(server);
	return server;
}

/** Polls GET /healthz/readiness until n8n answers 200. */
export async function waitReady(
	inst: N8nInstance,
	server: N8nServer,
	timeoutMs = 180_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const url = `http://127.0.0.1:${inst.port}/healthz/readiness`;
	while (Date.now() < deadline) {
		if (server.exited) {
			throw new Error(
				`n8n ${server.command} exited (code ${server.exitCode}) before it was ready; log tail:\n${server.logTail()}`,
			);
		}
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
			if (res.status === 200) return;
		} catch {
			/* not listening yet */
		}
		await sleep(500);
	}
	throw new Error(
		`n8n ${server.command} was not ready within ${timeoutMs / 1000}s; log tail:\n${server.logTail()}`,
	);
}

/** Waits until a line matching re shows up in the server's log. */
export async function waitForLog(
	server: N8nServer,
	re: RegExp,
	timeoutMs = 120_000,
): Promise<RegExpMatchArray> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const m = server.log().match(re);
		if (m) return m;
		if (server.exited) break;
		await sleep(300);
	}
	throw new Error(
		`n8n ${server.command}: no log line matching ${re} (exited: ${server.exited}); log tail:\n${server.logTail()}`,
	);
}

/** n8n processes still running, for a graceful stop at the end (the exit path SIGKILLs via util's registry). */
const running = new Set<N8nServer>();

export async function stopAllN8n(): Promise<void> {
	await Promise.all([...running].map((s) => s.stop()));
}

/** Writes JSON to a file in the instance's work dir and returns the path. */
export function writeJson(inst: N8nInstance, name: string, data: unknown, mode = 0o644): string {
	const file = path.join(inst.workDir, name);
	fs.writeFileSync(file, JSON.stringify(data, null, 2), { mode });
	return file;
}
