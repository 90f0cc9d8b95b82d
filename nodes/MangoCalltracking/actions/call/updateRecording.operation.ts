import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildUpdateRecordingRequest } from '../../normalize/buildCallRequests';
import type { MangoRequest } from '../../transport/mangoSchemas';
import { requestOptions } from './requestOptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1716551234.1027',
		description: 'The ID the call was reported with (Report Call)',
	},
	{
		displayName: 'Record Link',
		name: 'recordLink',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://pbx.example.com/records/1716551234.1027.mp3',
		description: 'An http(s) URL of the call recording',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: requestOptions,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['call'], operation: ['updateRecording'] } },
	properties,
);

export function buildRequest(this: IExecuteFunctions, itemIndex: number): MangoRequest {
	return buildUpdateRecordingRequest({
		callId: this.getNodeParameter('callId', itemIndex),
		recordLink: this.getNodeParameter('recordLink', itemIndex),
	});
}
