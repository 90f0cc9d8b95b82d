import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseCliArgs } from './cliArgs';
import { newAgent, send } from './sandboxTestClient';

const TSX = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const CLI = join(__dirname, 'cli.ts');

function startCli(args: string[]): ChildProcessWithoutNullStreams {
	return spawn(TSX, [CLI, ...args], { stdio: 'pipe' });
}

/** The first stdout line, or the process's stderr if it exits first. */
function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
	return new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (out.includes('\n')) resolve(out.split('\n')[0]);
		});
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
	});
}

describe('npm run sandbox (cli.ts)', () => {
	it('prints the base URL, serves Mango and the control endpoints, and stops cleanly on SIGTERM', async () => {
		const child = startCli([
			'--port',
			'0',
			'--token',
			'cli-token',
			'--widget-id',
			'4242',
			'--faults',
			'{"seed":3}',
		]);
		const agent = newAgent();
		try {
			const url = await firstLine(child);
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			const reply = await send(
				agent,
				`${url}/v1/calltracking/4242/calls?dateStart=2020-01-01T00:00Z&dateEnd=2020-01-01T00:01Z`,
				{
					headers: { authorization: 'Bearer cli-token' },
				},
			);
			expect(reply.json).toMatchObject({ status: 'ok', calls: [] });
			const faults = await send(agent, `${url}/__sandbox/faults`);
			expect(faults.json).toEqual({ seed: 3 });
			const ledger = await send(agent, `${url}/__sandbox/ledger`);
			expect(ledger.json).toEqual([expect.objectContaining({ method: 'GET', auth: 'bearer' })]);
		} finally {
			await agent.close();
			const exited = once(child, 'exit');
			child.kill('SIGTERM');
			const [code] = await exited;
			expect(code).toBe(0);
		}
	});
});

describe('parseCliArgs', () => {
	it('defaults to 127.0.0.1:8787, demo-token, widget 11078, no faults', () => {
		expect(parseCliArgs([])).toEqual({
			help: false,
			port: 8787,
			host: '127.0.0.1',
			token: 'demo-token',
			widgetId: '11078',
		});
	});

	it('reads every option', () => {
		const args = [
			'--port',
			'0',
			'--host',
			'::1',
			'--token',
			't',
			'--widget-id',
			'7',
			'--faults',
			'{"seed":2}',
		];
		expect(parseCliArgs(args)).toEqual({
			help: false,
			port: 0,
			host: '::1',
			token: 't',
			widgetId: '7',
			faults: { seed: 2 },
		});
		expect(parseCliArgs(['--help']).help).toBe(true);
		expect(parseCliArgs(['--host', 'localhost', '--host', '127.0.0.2']).host).toBe('127.0.0.2');
	});

	it.each([
		[['--host', '0.0.0.0'], /loopback/],
		[['--host', '192.168.1.10'], /loopback/],
		[['--host', 'example.com'], /loopback/],
		[['--port', 'eighty'], /--port/],
		[['--port', '65536'], /--port/],
		[['--port', '-1'], /--port must/],
		[['--token'], /--token needs a value/],
		[['--faults', '{"rates":{"hang":3}}'], /fault plan/],
		[['--faults', 'hang'], /JSON fault plan/],
		[['--colour', 'red'], /unknown option --colour/],
	])('refuses %j', (args, message) => {
		expect(() => parseCliArgs(args)).toThrow(message);
	});
});
