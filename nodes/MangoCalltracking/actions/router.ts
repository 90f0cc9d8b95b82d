import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeFailure, toErrorItem, toNodeError } from '../helpers/errorItems';
import { errorOutputAcceptsDetails } from '../helpers/errorOutputSupport';
import { mapWithConcurrency } from '../helpers/mapWithConcurrency';
import { redactSecret } from '../helpers/redactSecret';
import { normalizeBaseUrl } from '../normalize/normalizeBaseUrl';
import type { MangoRequest } from '../transport/mangoSchemas';
import { CREDENTIAL_TYPE, sendMangoRequest } from '../transport/sendMangoRequest';
import { sendWithRetries } from '../transport/sendWithRetries';
import { reportCall, updateRecording } from './call/Call.resource';
import { PARAMETER_LABELS } from './parameterLabels';
import { readRequestOptions } from './readRequestOptions';

const operations: Record<
	string,
	(this: IExecuteFunctions, itemIndex: number, options: IDataObject) => MangoRequest
> = {
	reportCall: reportCall.buildRequest,
	updateRecording: updateRecording.buildRequest,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as string;
	const buildRequest = operations[operation];
	if (!buildRequest) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}

	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const failureContext = {
		redact: (text: string) => redactSecret(text, credentials.accessToken),
		labels: PARAMETER_LABELS,
	};
	const widgetId = String(credentials.widgetId ?? '');
	const cancelSignal = this.getExecutionCancelSignal?.();
	const continueOnFail = this.continueOnFail();
	const errorItemsWithDetails =
		errorOutputAcceptsDetails || this.getNode().onError !== 'continueErrorOutput';
	const concurrency = readConcurrency(this);

	const runItem = async (itemIndex: number): Promise<INodeExecutionData> => {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const settings = readRequestOptions(options);
		const request = buildRequest.call(this, itemIndex, options);
		if (settings.validateOnly) {
			const { method, path, body } = request;
			return {
				json: { validateOnly: true, method, path, query: { widgetId }, body: { ...body } },
				pairedItem: { item: itemIndex },
			};
		}
		const baseUrl = normalizeBaseUrl(credentials.baseUrl);
		const { answer } = await sendWithRetries(
			async () =>
				await sendMangoRequest(this, request, { baseUrl, timeout: settings.timeout, cancelSignal }),
			settings,
			cancelSignal,
		);
		return { json: { ...answer, callId: request.callId }, pairedItem: { item: itemIndex } };
	};

	const results = await mapWithConcurrency(items, concurrency, async (_item, itemIndex) => {
		try {
			return await runItem(itemIndex);
		} catch (error) {
			const failure = describeFailure(error, itemIndex, failureContext);
			if (continueOnFail) return toErrorItem(failure, itemIndex, errorItemsWithDetails);
			throw toNodeError(this.getNode(), error, failure, itemIndex);
		}
	});
	return [results];
}

/** Concurrency is one setting for the whole batch, read from the first item; an error there is item 0's to report. */
function readConcurrency(context: IExecuteFunctions): number {
	let options: IDataObject = {};
	try {
		options = context.getNodeParameter('options', 0, {}) as IDataObject;
	} catch {
		// The same expression fails again inside item 0's own run, where Continue On Fail applies.
	}
	return readRequestOptions(options).concurrency;
}
