import type { INodeProperties } from 'n8n-workflow';

import { description as callDescription } from './call/Call.resource';

/** Parameter name → the label the user sees, read from the UI descriptions so the two cannot drift apart. */
function labelsOf(properties: INodeProperties[]): Record<string, string> {
	const labels: Record<string, string> = {};
	for (const property of properties) {
		labels[property.name] ??= property.displayName;
		if (property.type !== 'collection') continue;
		for (const option of property.options ?? []) {
			if ('displayName' in option)
				labels[`${property.name}.${option.name}`] ??= `${option.displayName} (option)`;
		}
	}
	return labels;
}

export const PARAMETER_LABELS: Record<string, string> = {
	...labelsOf(callDescription),
	'credentials.baseUrl': 'Base URL (credential)',
};
