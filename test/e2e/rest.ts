/**
 * n8n's internal REST API, as the editor uses it: owner setup (sets the auth cookie) and the credential test.
 */
import type { N8nInstance } from './n8nProcess';
import { sleep } from './util';

const BROWSER_ID = 'mango-e2e-browser';

export interface RestSession {
	base: string;
	cookie: string;
}

async function call(
	session: { base: string; cookie?: string },
	method: string,
	path: string,
	body?: unknown,
) {
	const res = await fetch(`${session.base}${path}`, {
		method,
		headers: {
			'content-type': 'application/json',
			'browser-id': BROWSER_ID,
			...(session.cookie ? { cookie: session.cookie } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(60_000),
	});
	const text = await res.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, json, text, headers: res.headers };
}

export const OWNER = {
	email: 'owner@mango-e2e.test',
	firstName: 'Mango',
	lastName: 'Tester',
	password: 'Mango-e2e-Passw0rd',
};

/** Claims the instance (the first user becomes owner) and returns a logged-in session. */
export async function setupOwner(inst: N8nInstance): Promise<RestSession> {
	const base = `http://127.0.0.1:${inst.port}`;
	// /healthz/readiness turns 200 a few seconds before the REST controllers are mounted: wait for them
	const deadline = Date.now() + 60_000;
	let res = await call({ base }, 'POST', '/rest/owner/setup', OWNER);
	while ((res.status === 404 || res.json === undefined) && Date.now() < deadline) {
		await sleep(1000);
		res = await call({ base }, 'POST', '/rest/owner/setup', OWNER);
	}
	if (res.status !== 200)
		throw new Error(`POST /rest/owner/setup answered ${res.status}: ${res.text.slice(0, 500)}`);
	const setCookie = res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''];
	const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!auth)
		throw new Error(`owner setup set no n8n-auth cookie (set-cookie: ${setCookie.join(' | ')})`);
	return { base, cookie: auth };
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/** POST /rest/credentials/test — what the editor's "Retry"/"Save" on a credential does. */
export async function testCredential(
	session: RestSession,
	credential: { id: string; name: string; type: string; data: Record<string, unknown> },
): Promise<CredentialTestResult> {
	const res = await call(session, 'POST', '/rest/credentials/test', { credentials: credential });
	if (res.status !== 200)
		throw new Error(
			`POST /rest/credentials/test answered ${res.status}: ${res.text.slice(0, 500)}`,
		);
	const data = res.json?.data ?? res.json;
	return { status: data?.status, message: data?.message };
}

/**
 * POSTs JSON to a production webhook; retries while n8n answers 404 (webhooks register a few seconds
 * after readiness).
 */
export async function postWebhook(
	inst: N8nInstance,
	webhookPath: string,
	body: unknown,
	timeoutMs = 60_000,
): Promise<{ status: number; json: any; text: string }> {
	const url = `http://127.0.0.1:${inst.port}/webhook/${webhookPath}`;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(120_000),
		});
		const text = await res.text();
		if (res.status === 404 && Date.now() < deadline) {
			await sleep(1000);
			continue;
		}
		let json: any;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, json, text };
	}
}
