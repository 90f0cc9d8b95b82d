import type { INodeProperties } from 'n8n-workflow';

/** Options every operation has: how requests are sent, retried and checked. Kept in alphabetical order. */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 1, maxValue: 50 },
		description:
			'How many requests to Mango may be in flight at once. Output items keep the input order. Read from the first item.',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: 3,
		typeOptions: { minValue: 0, maxValue: 10 },
		description:
			'How many times to try an item again after a transient failure (network error, timeout, HTTP 429, 500, 502, 503, 504). Rejections by Mango and invalid input are never retried.',
	},
	{
		displayName: 'Retry Delay (Ms)',
		name: 'retryDelay',
		type: 'number',
		default: 500,
		typeOptions: { minValue: 0, maxValue: 60000 },
		description:
			'Base delay of the exponential backoff with jitter, in milliseconds. A Retry-After header from Mango takes precedence.',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		default: 30000,
		typeOptions: { minValue: 1, maxValue: 600000 },
		description:
			'How long one request may take before it is abandoned (and retried), in milliseconds',
	},
	{
		displayName: 'Validate Only',
		name: 'validateOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to only check and normalize the input and output the request that would be sent, without sending anything to Mango',
	},
];
