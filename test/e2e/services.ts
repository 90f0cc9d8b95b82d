/**
 * PostgreSQL and Redis for queue mode, from Debian's packages: installed if missing (apt-get),
 * started on loopback on free ports in temporary data folders, stopped afterwards.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import {
	freePort,
	isPortOpen,
	log,
	mkTmp,
	rmrf,
	run,
	runOk,
	sleep,
	stopGroup,
	tail,
	trackGroup,
	untrackGroup,
	which,
} from './util';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export function findPgBin(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

/** Installs postgresql and redis-server from Debian's packages if they are not there. */
export async function ensureServicePackages(): Promise<void> {
	const missing: string[] = [];
	if (!findPgBin()) missing.push('postgresql');
	if (!which('redis-server')) missing.push('redis-server');
	if (missing.length === 0) return;
	if (!isRoot) {
		throw new Error(
			`queue mode needs ${missing.join(' and ')}: install them (sudo apt-get install ${missing.join(' ')})`,
		);
	}
	log(`installing ${missing.join(', ')} from Debian's packages (apt-get update first)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	// on a fresh machine unattended-upgrades may hold dpkg's lock for a while: wait for it
	const lock = ['-o', 'DPkg::Lock::Timeout=600'];
	await runOk('apt-get', [...lock, 'update'], { env, timeoutMs: 15 * 60_000 });
	// policy-rc.d exit 101: the packages must not start their own system-wide servers; we start ours
	const policy = '/usr/sbin/policy-rc.d';
	const hadPolicy = fs.existsSync(policy);
	if (!hadPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
	try {
		await runOk('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...missing], {
			env,
			timeoutMs: 25 * 60_000,
		});
	} finally {
		if (!hadPolicy) fs.rmSync(policy, { force: true });
	}
	if (!findPgBin() || !which('redis-server'))
		throw new Error('postgresql / redis-server still missing after apt-get install');
}

export interface Service {
	port: number;
	stop(): Promise<void>;
	logTail(): string;
}

/** Services still running, so that an interrupted run can stop them too. */
const runningServices = new Set<Service>();

function tracked(svc: Service): Service {
	const stop = svc.stop;
	svc.stop = async () => {
		runningServices.delete(svc);
		await stop();
	};
	runningServices.add(svc);
	return svc;
}

export async function stopAllServices(): Promise<void> {
	await Promise.all([...runningServices].map((s) => s.stop().catch(() => undefined)));
}

function asPostgres(cmd: string, args: string[]): [string, string[]] {
	return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

/** initdb + pg_ctl start in a temporary folder, trust auth on 127.0.0.1 only; creates database `n8n`. */
export async function startPostgres(): Promise<Service> {
	const bin = findPgBin();
	if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql');
	// under /tmp, not $TMPDIR: the postgres user must reach it
	const dir = fs.mkdtempSync('/tmp/mango-e2e-pg-');
	fs.chmodSync(dir, 0o755);
	const data = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	fs.mkdirSync(data, { mode: 0o700 });
	fs.writeFileSync(logFile, '');
	if (isRoot) await runOk('chown', ['-R', 'postgres:postgres', dir]);
	const port = await freePort();
	const [c1, a1] = asPostgres(path.join(bin, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'-E',
		'UTF8',
		'--locale=C',
	]);
	await runOk(c1, a1, { timeoutMs: 120_000 });
	const pgOpts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off`;
	const [c2, a2] = asPostgres(path.join(bin, 'pg_ctl'), [
		'-D',
		data,
		'-l',
		logFile,
		'-o',
		pgOpts,
		'-w',
		'-t',
		'60',
		'start',
	]);
	try {
		await runOk(c2, a2, { timeoutMs: 90_000 });
	} catch (err) {
		// the server's own words (e.g. "Address already in use") are in its log, not in pg_ctl's output
		const serverLog = tail(logFile, 30);
		rmrf(dir);
		throw new Error(`${err instanceof Error ? err.message : String(err)}\n${serverLog}`);
	}
	// the postmaster outlives pg_ctl: track it so that the exit path kills it too
	const postmaster = Number(
		fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0],
	);
	if (postmaster > 0) trackGroup(postmaster);
	const stop = async () => {
		const [c3, a3] = asPostgres(path.join(bin, 'pg_ctl'), [
			'-D',
			data,
			'-m',
			'immediate',
			'-w',
			'stop',
		]);
		await run(c3, a3, { timeoutMs: 60_000 });
		if (postmaster > 0) untrackGroup(postmaster);
		rmrf(dir);
	};
	try {
		const [c4, a4] = asPostgres(path.join(bin, 'createdb'), [
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			'postgres',
			'n8n',
		]);
		await runOk(c4, a4, { timeoutMs: 60_000 });
	} catch (err) {
		await stop();
		throw err;
	}
	return tracked({
		port,
		stop,
		logTail: () => tail(logFile, 30),
	});
}

/** redis-server on 127.0.0.1, no persistence, in its own process group. */
export async function startRedis(): Promise<Service> {
	const redis = which('redis-server');
	if (!redis) throw new Error('redis-server not found');
	const dir = mkTmp('mango-e2e-redis-');
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(
		redis,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
		],
		{ detached: true, stdio: ['ignore', out, out] },
	);
	fs.closeSync(out);
	if (child.pid) trackGroup(child.pid);
	const readTail = () => tail(logFile, 30);
	const deadline = Date.now() + 30_000;
	while (!(await isPortOpen(port))) {
		if (Date.now() > deadline || child.exitCode !== null) {
			await stopGroup(child.pid, 2000);
			throw new Error(`redis-server did not come up on ${port}:\n${readTail()}`);
		}
		await sleep(100);
	}
	return tracked({
		port,
		stop: async () => {
			await stopGroup(child.pid, 5000);
			rmrf(dir);
		},
		logTail: readTail,
	});
}
