/**
 * Small helpers shared by the end-to-end tier: logging with timestamps, phase timings,
 * running commands as process groups (all tracked, so that any exit kills them), free ports, waiting.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const t0 = Date.now();
export function elapsed(since = t0): string {
	return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

export function argValue(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The first `cmd` on PATH (or in the usual system folders). */
export function which(cmd: string): string | undefined {
	for (const dir of (process.env.PATH ?? '')
		.split(':')
		.concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])) {
		const p = path.join(dir, cmd);
		if (dir && fs.existsSync(p)) return p;
	}
	return undefined;
}

export function log(msg: string): void {
	process.stdout.write(`[e2e ${elapsed()}] ${msg}\n`);
}

export const timings: Array<{ phase: string; seconds: number }> = [];

/** Runs fn, records and prints how long it took. */
export async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const start = Date.now();
	log(`▶ ${name}`);
	try {
		return await fn();
	} finally {
		const seconds = (Date.now() - start) / 1000;
		timings.push({ phase: name, seconds });
		log(`◀ ${name} (${seconds.toFixed(1)}s)`);
	}
}

export function printTimings(): void {
	if (timings.length === 0) return;
	const width = Math.max(...timings.map((t) => t.phase.length));
	process.stdout.write('\nPhase timings:\n');
	for (const t of timings) {
		process.stdout.write(`  ${t.phase.padEnd(width)}  ${t.seconds.toFixed(1).padStart(7)}s\n`);
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			if (addr && typeof addr === 'object') {
				const { port } = addr;
				srv.close(() => resolve(port));
			} else {
				srv.close(() => reject(new Error('could not get a free port')));
			}
		});
	});
}

export function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const sock = net.connect({ port, host });
		sock.once('connect', () => {
			sock.destroy();
			resolve(true);
		});
		sock.once('error', () => resolve(false));
	});
}

/** The last lines of a log file; database migration chatter (hundreds of lines on a fresh database) is left out. */
export function tail(file: string, lines = 60): string {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text
			.split('\n')
			.filter((l) => !/^(Starting|Finished) migration /.test(l))
			.slice(-lines)
			.join('\n');
	} catch {
		return `(no log at ${file})`;
	}
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions extends SpawnOptions {
	/** Kill the process group after this many ms. */
	timeoutMs?: number;
	/** Also append all output to this file. */
	logFile?: string;
}

// ---- every process group we start, so that the exit path can SIGKILL whatever is still running ----

const groups = new Set<number>();

export function trackGroup(pid: number): void {
	groups.add(pid);
}

export function untrackGroup(pid: number): void {
	groups.delete(pid);
}

/** For `process.on('exit')` and signals: SIGKILL every process group still tracked. */
export function killAllGroupsSync(): void {
	for (const pid of groups) killGroup(pid, 'SIGKILL');
	groups.clear();
}

/** Runs a command to completion in its own process group and collects its output. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
	const { timeoutMs, logFile, ...spawnOpts } = opts;
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			...spawnOpts,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		if (child.pid) trackGroup(child.pid);
		let stdout = '';
		let stderr = '';
		const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
		child.stdout!.on('data', (d: Buffer) => {
			stdout += d.toString();
			logStream?.write(d);
		});
		child.stderr!.on('data', (d: Buffer) => {
			stderr += d.toString();
			logStream?.write(d);
		});
		let timer: NodeJS.Timeout | undefined;
		if (timeoutMs) {
			timer = setTimeout(() => {
				stderr += `\n[e2e] timed out after ${timeoutMs} ms: ${cmd} ${args.join(' ')}\n`;
				killGroup(child.pid, 'SIGKILL');
			}, timeoutMs);
		}
		child.on('error', (err) => {
			if (timer) clearTimeout(timer);
			if (child.pid) untrackGroup(child.pid);
			logStream?.end();
			reject(err);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			if (child.pid) untrackGroup(child.pid);
			logStream?.end();
			resolve({ code, signal, stdout, stderr });
		});
	});
}

/** Like run(), but throws with the output tail when the command fails. */
export async function runOk(
	cmd: string,
	args: string[],
	opts: RunOptions = {},
): Promise<RunResult> {
	const res = await run(cmd, args, opts);
	if (res.code !== 0) {
		const out = `${res.stdout}\n${res.stderr}`.split('\n').slice(-40).join('\n');
		throw new Error(
			`command failed (exit ${res.code ?? res.signal}): ${cmd} ${args.join(' ')}\n${out}`,
		);
	}
	return res;
}

/** Sends a signal to a whole process group (the child was spawned detached). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGTERM'): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			/* already gone */
		}
	}
}

/** SIGTERM the group, wait up to graceMs, then SIGKILL; then it is no longer tracked. */
export async function stopGroup(pid: number | undefined, graceMs = 10_000): Promise<void> {
	if (!pid) return;
	killGroup(pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && groupAlive(pid)) await sleep(200);
	if (groupAlive(pid)) {
		killGroup(pid, 'SIGKILL');
		await sleep(200);
	}
	untrackGroup(pid);
}

function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

export function mkTmp(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function rmrf(p: string): void {
	fs.rmSync(p, { recursive: true, force: true });
}
