/**
 * Standalone Mango sandbox:
 *   npm run sandbox -- --port 8787 --token demo-token --widget-id 11078 [--host 127.0.0.1] [--faults '<FaultPlan JSON>']
 * Prints the base URL alone on the first stdout line (for scripts), details on stderr, and stays up until
 * SIGINT/SIGTERM. Control it over HTTP with /__sandbox/{ledger,calls,faults,reset}.
 */
import { checkFaultPlan, type FaultPlan } from './faultPlan';
import { isLoopbackHost } from './loopbackHost';
import { startSandbox } from './mangoSandbox';

const USAGE =
	'usage: npm run sandbox -- [--port 8787] [--host 127.0.0.1] [--token demo-token] [--widget-id 11078] ' +
	'[--faults \'{"rates":{"http503":0.2}}\']';

interface CliOptions {
	port: number;
	host: string;
	token: string;
	widgetId: string;
	faults?: FaultPlan;
}

function parseArgs(args: string[]): CliOptions {
	const options: CliOptions = {
		port: 8787,
		host: '127.0.0.1',
		token: 'demo-token',
		widgetId: '11078',
	};
	for (let i = 0; i < args.length; i += 1) {
		const flag = args[i];
		if (flag === '--help' || flag === '-h') {
			console.log(USAGE);
			process.exit(0);
		}
		const value = args[i + 1];
		if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
		i += 1;
		switch (flag) {
			case '--port': {
				const port = Number(value);
				if (!/^\d+$/.test(value) || port > 65535)
					throw new Error(`--port must be 0..65535, got ${value}`);
				options.port = port;
				break;
			}
			case '--host':
				if (!isLoopbackHost(value))
					throw new Error(`--host must be a loopback address, got ${value}`);
				options.host = value;
				break;
			case '--token':
				options.token = value;
				break;
			case '--widget-id':
				options.widgetId = value;
				break;
			case '--faults':
				options.faults = checkFaultPlan(JSON.parse(value) as unknown);
				break;
			default:
				throw new Error(`unknown option ${flag}`);
		}
	}
	return options;
}

async function main(): Promise<void> {
	let options: CliOptions;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		console.error(`mango sandbox: ${(error as Error).message}\n${USAGE}`);
		process.exit(2);
	}
	const sandbox = await startSandbox(options);
	console.log(sandbox.url);
	console.error(
		`mango sandbox: listening on ${sandbox.url} for widgetId ${sandbox.widgetId}` +
			`${options.faults ? ' with faults' : ''}; inspect ${sandbox.url}/__sandbox/ledger; Ctrl-C to stop`,
	);
	const stop = (signal: NodeJS.Signals): void => {
		console.error(`mango sandbox: ${signal}, closing`);
		sandbox.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error('mango sandbox: failed to start:', error);
	process.exit(1);
});
