/**
 * Packs the package with `npm pack` and installs the tarball into an n8n user folder the way n8n's
 * community-node install does: unpacked into `<userFolder>/.n8n/nodes/node_modules/<name>`.
 * Nothing else of ours ends up on n8n's path (no repo node_modules, no n8n-workflow copy).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, mkTmp, rmrf, runOk } from './util';

const PKG = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
export const PACKAGE_NAME: string = PKG.name;
const PACKAGE_VERSION: string = PKG.version;

export interface PackedPackage {
	tarball: string;
	/** removes the tarball's temporary folder */
	cleanup(): void;
	/** files in the tarball (relative to package/) */
	files: string[];
}

/** Runs `npm pack` on the built package. Requires `npm run build` to have produced dist/. */
export async function packPackage(): Promise<PackedPackage> {
	const required: string[] = [...(PKG.n8n?.nodes ?? []), ...(PKG.n8n?.credentials ?? [])];
	const missing = required.filter((f) => !fs.existsSync(path.join(REPO_ROOT, f)));
	if (missing.length > 0) {
		throw new Error(
			`the package is not built (missing ${missing.join(', ')}): run \`npm run build\` first`,
		);
	}
	const dest = mkTmp('mango-e2e-pack-');
	const res = await runOk(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', dest],
		{
			cwd: REPO_ROOT,
			timeoutMs: 120_000,
		},
	);
	const info = JSON.parse(res.stdout.slice(res.stdout.indexOf('['))) as Array<{
		filename: string;
		files: Array<{ path: string }>;
	}>;
	const tarball = path.join(dest, path.basename(info[0].filename));
	if (!fs.existsSync(tarball)) throw new Error(`npm pack did not produce ${tarball}`);
	const files = info[0].files.map((f) => f.path);
	for (const f of required) {
		if (!files.includes(f)) throw new Error(`the packed tarball lacks ${f}`);
	}
	const bundled = files.filter((f) => f.startsWith('node_modules/'));
	if (bundled.length > 0)
		throw new Error(`the packed tarball ships node_modules: ${bundled.slice(0, 5).join(', ')}`);
	return { tarball, files, cleanup: () => rmrf(dest) };
}

/**
 * Unpacks the tarball into a fresh n8n user folder's `.n8n/nodes/node_modules/<name>` and writes the
 * `.n8n/nodes/package.json` n8n keeps there. Returns the installed package folder.
 */
export async function installIntoUserFolder(
	packed: PackedPackage,
	userFolder: string,
): Promise<string> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(target, { recursive: true });
	await runOk('tar', ['-xzf', packed.tarball, '-C', target, '--strip-components=1'], {
		timeoutMs: 60_000,
	});
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: PACKAGE_VERSION } },
			null,
			2,
		),
	);
	return target;
}
