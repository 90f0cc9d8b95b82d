import type { INodeProperties } from 'n8n-workflow';

import * as reportCall from './reportCall.operation';
import * as updateRecording from './updateRecording.operation';

export { reportCall, updateRecording };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Report Call',
				value: 'reportCall',
				description: 'Send a finished call from your PBX or CRM to Mango calltracking',
				action: 'Report a call',
			},
			{
				name: 'Update Recording',
				value: 'updateRecording',
				description: 'Attach a recording link to a call reported earlier',
				action: 'Update the recording of a call',
			},
		],
		default: 'reportCall',
	},
	...reportCall.description,
	...updateRecording.description,
];
