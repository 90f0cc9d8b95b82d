/** Command-line options of the standalone sandbox (cli.ts). Pure: throws on a bad option. */
import { checkFaultPlan, type FaultPlan } from './faultPlan';
import { isLoopbackHost } from './loopbackHost';

export const USAGE =
	'usage: npm run sandbox -- [--port 8787] [--host 127.0.0.1] [--token demo-token] [--widget-id 11078] ' +
	'[--faults \'{"rates":{"http503":0.2}}\']';

export interface CliOptions {
	help: boolean;
	port: number;
	host: string;
	token: string;
	widgetId: string;
	faults?: FaultPlan;
}

export function parseCliArgs(args: string[]): CliOptions {
	const options: CliOptions = {
		help: false,
		port: 8787,
		host: '127.0.0.1',
		token: 'demo-token',
		widgetId: '11078',
	};
	for (let i = 0; i < args.length; i += 1) {
		const flag = args[i];
		if (flag === '--help' || flag === '-h') {
			options.help = true;
			continue;
		}
		const value = args[i + 1];
		if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
		i += 1;
		switch (flag) {
			case '--port':
				if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
					throw new Error(`--port must be 0..65535, got ${value}`);
				}
				options.port = Number(value);
				break;
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
			case '--faults': {
				let plan: unknown;
				try {
					plan = JSON.parse(value);
				} catch {
					throw new Error(`--faults must be a JSON fault plan, got ${value}`);
				}
				options.faults = checkFaultPlan(plan);
				break;
			}
			default:
				throw new Error(`unknown option ${flag}`);
		}
	}
	return options;
}
