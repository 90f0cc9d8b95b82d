/** The sandbox listens on loopback only: its /__sandbox control endpoints have no authentication. */
import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export function isLoopbackHost(host: string): boolean {
	if (host === 'localhost') return true;
	const family = isIP(host);
	if (family === 4) return loopback.check(host, 'ipv4');
	if (family === 6) return loopback.check(host, 'ipv6');
	return false;
}

export function baseUrl(address: string, port: number): string {
	return isIP(address) === 6 ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}
