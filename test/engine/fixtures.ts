import type { INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../sandbox/mangoSandbox';
import type { MangoSandbox, SandboxOptions } from '../sandbox/sandboxTypes';

export const TOKEN = 'mango-test-credential-value-7f3a91';
export const WIDGET_ID = '11078';

export async function withSandbox(options: Partial<SandboxOptions> = {}): Promise<MangoSandbox> {
	return await startSandbox({ token: TOKEN, widgetId: WIDGET_ID, ...options });
}

export function credentialsFor(sandbox: MangoSandbox, overrides: Record<string, string> = {}) {
	return { accessToken: TOKEN, widgetId: WIDGET_ID, baseUrl: sandbox.url, ...overrides };
}

/** Report Call mapped from items like a PBX webhook's: {id, start, seconds, to, from, record}. */
export function reportCallFromItems(options: INodeParameters = {}): INodeParameters {
	return {
		resource: 'call',
		operation: 'reportCall',
		callId: '={{ $json.id }}',
		dateStart: '={{ $json.start }}',
		endMode: 'duration',
		duration: '={{ $json.seconds }}',
		phoneTo: '={{ $json.to }}',
		phoneFrom: '={{ $json.from }}',
		recordLink: '={{ $json.record ?? "" }}',
		options,
	};
}

export function updateRecordingFromItems(options: INodeParameters = {}): INodeParameters {
	return {
		resource: 'call',
		operation: 'updateRecording',
		callId: '={{ $json.callId }}',
		recordLink: "={{ 'https://pbx.example.com/records/' + $json.callId + '.mp3' }}",
		options,
	};
}

export function pbxCall(index: number, overrides: Record<string, unknown> = {}) {
	return {
		id: `call-${index}`,
		start: `2024-05-24 12:${String(index % 60).padStart(2, '0')}:05`,
		seconds: 30 + index,
		to: '8 (495) 123-45-67',
		from: `+7 912 345-${String(1000 + (index % 9000)).slice(0, 2)}-${String(10 + (index % 90))}`,
		...overrides,
	};
}
