import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as call from './actions/call/Call.resource';
import { router } from './actions/router';

export class MangoCalltracking implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mango Calltracking',
		name: 'mangoCalltracking',
		icon: { light: 'file:mango.svg', dark: 'file:mango.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "updateRecording" ? "Update Recording" : "Report Call"}}',
		description:
			'Report calls from any PBX or CRM to Mango Office calltracking and attach their recordings',
		defaults: { name: 'Mango Calltracking' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mangoCalltrackingApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Call', value: 'call' }],
				default: 'call',
			},
			...call.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
