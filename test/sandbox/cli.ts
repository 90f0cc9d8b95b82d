/**
 * Standalone Mango sandbox:
 *   npm run sandbox -- --port 8787 --token demo-token --widget-id 11078 [--host 127.0.0.1] [--faults '<FaultPlan JSON>']
 * Prints the base URL alone on the first stdout line (for scripts), details on stderr, and stays up until
 * SIGINT/SIGTERM. Control it over HTTP with /__sandbox/{ledger,calls,faults,reset}. Bad options: exit code 2.
 */
import { parseCliArgs, USAGE, type CliOptions } from './cliArgs';
import { startSandbox } from './mangoSandbox';

async function main(): Promise<void> {
	let options: CliOptions;
	try {
		options = parseCliArgs(process.argv.slice(2));
	} catch (error) {
		console.error(`mango sandbox: ${(error as Error).message}\n${USAGE}`);
		process.exit(2);
	}
	if (options.help) {
		console.log(USAGE);
		return;
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
