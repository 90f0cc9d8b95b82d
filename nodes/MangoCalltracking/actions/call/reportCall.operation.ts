import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildReportCallRequest, type ReportCallInput } from '../../normalize/buildCallRequests';
import { normalizeTimeZone } from '../../normalize/normalizeDateTime';
import { normalizeCountryCode } from '../../normalize/normalizePhone';
import type { MangoRequest } from '../../transport/mangoSchemas';
import { requestOptions } from './requestOptions';

const DATE_HINT =
	'ISO 8601 with Z or an offset; "YYYY-MM-DD HH:MM:SS", "DD.MM.YYYY HH:MM:SS" or "YYYYMMDDHHMMSS" (read in the Time Zone option); or epoch seconds or milliseconds. Sent to Mango in UTC.';

const properties: INodeProperties[] = [
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1716551234.1027',
		description:
			"The call's ID in your PBX or CRM (e.g. Asterisk's uniqueid or linkedid). Use the same ID to attach the recording later.",
	},
	{
		displayName: 'Start Time',
		name: 'dateStart',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2024-05-24 12:30:00',
		description: 'When the call started',
		hint: DATE_HINT,
	},
	{
		displayName: 'Call End Given As',
		name: 'endMode',
		type: 'options',
		default: 'endTime',
		options: [
			{ name: 'End Time', value: 'endTime', description: 'A date-time, like the start time' },
			{
				name: 'Duration',
				value: 'duration',
				description: 'Seconds from the start (for CDRs that give a duration)',
			},
		],
	},
	{
		displayName: 'End Time',
		name: 'dateEnd',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2024-05-24 12:34:10',
		description: 'When the call ended; equal to the start time or later',
		hint: DATE_HINT,
		displayOptions: { show: { endMode: ['endTime'] } },
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 0 },
		description:
			'Call length in seconds; fractions are dropped. The end time becomes start + duration.',
		displayOptions: { show: { endMode: ['duration'] } },
	},
	{
		displayName: 'Phone To',
		name: 'phoneTo',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +74951234567',
		description:
			'The number that was called (your tracking number). National numbers, brackets, dashes, "tel:" and "sip:" addresses are converted to E.164.',
	},
	{
		displayName: 'Phone From',
		name: 'phoneFrom',
		type: 'string',
		default: '',
		placeholder: 'e.g. 8 (912) 345-67-89',
		description: "The caller's number. Optional; converted to E.164 like Phone To.",
	},
	{
		displayName: 'Record Link',
		name: 'recordLink',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://pbx.example.com/records/1716551234.1027.mp3',
		description:
			'An http(s) URL of the call recording. Optional; it can also be attached later with Update Recording.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		// n8n lists options alphabetically once there are five or more.
		options: (
			[
				{
					displayName: 'Default Country Code',
					name: 'defaultCountryCode',
					type: 'string',
					default: '7',
					placeholder: 'e.g. 7',
					description:
						'Country calling code for numbers written without one. With 7, 8XXXXXXXXXX, 7XXXXXXXXXX and 10-digit numbers become +7…; with another code one leading 0 is dropped.',
				},
				{
					displayName: 'Time Zone',
					name: 'timezone',
					type: 'string',
					default: '',
					placeholder: 'e.g. Europe/Moscow',
					description:
						"IANA time zone for date-times without an offset, e.g. an Asterisk CDR in server time. Empty: the workflow's time zone. A time in a DST gap moves forward; an ambiguous time takes the earlier offset.",
				},
				...requestOptions,
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['call'], operation: ['reportCall'] } },
	properties,
);

export function buildRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): MangoRequest {
	const endMode = this.getNodeParameter(
		'endMode',
		itemIndex,
		'endTime',
	) as ReportCallInput['endMode'];
	const input: ReportCallInput = {
		callId: this.getNodeParameter('callId', itemIndex),
		dateStart: this.getNodeParameter('dateStart', itemIndex),
		endMode,
		dateEnd: endMode === 'endTime' ? this.getNodeParameter('dateEnd', itemIndex) : undefined,
		duration: endMode === 'duration' ? this.getNodeParameter('duration', itemIndex) : undefined,
		phoneTo: this.getNodeParameter('phoneTo', itemIndex),
		phoneFrom: this.getNodeParameter('phoneFrom', itemIndex, ''),
		recordLink: this.getNodeParameter('recordLink', itemIndex, ''),
	};
	return buildReportCallRequest(input, {
		timeZone: normalizeTimeZone(options.timezone, this.getTimezone()),
		defaultCountryCode: normalizeCountryCode(options.defaultCountryCode ?? '7'),
	});
}
