import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class MangoCalltrackingApi implements ICredentialType {
	name = 'mangoCalltrackingApi';

	displayName = 'Mango Calltracking API';

	icon: Icon = { light: 'file:mango.svg', dark: 'file:mango.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-mango-calltracking/n8n-nodes-mango-calltracking#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The calltracking API token from the Mango Office personal cabinet (Calltracking → Settings → API). Sent only as an Authorization: Bearer header.',
		},
		{
			displayName: 'Widget ID',
			name: 'widgetId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 11078',
			description: 'The ID of your calltracking widget (product) in Mango Office',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://widgets-api.mango-office.ru',
			description:
				'Where the Mango calltracking API lives. Change it only for a test server: plain http:// is accepted only for 127.0.0.1, localhost or [::1].',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
			qs: { widgetId: '={{$credentials.widgetId}}' },
		},
	};

	// A read-only request: the calls of one minute long past. A wrong token or widget ID makes it fail.
	// The node refuses a plain-http base URL that is not loopback; this test cannot refuse, so it upgrades such a URL
	// to https (the token never travels in clear text) and, like the node, follows no redirect.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.baseUrl || "https://widgets-api.mango-office.ru").trim().replace(/\\/+$/, "").replace(/^http:\\/\\/(?!(?:127(?:\\.\\d{1,3}){3}|localhost|\\[::1\\])(?::\\d+)?(?:\\/|$))/i, "https://") }}',
			disableFollowRedirect: true,
			url: '=/v1/calltracking/{{encodeURIComponent($credentials.widgetId)}}/calls',
			method: 'GET',
			qs: { dateStart: '2020-01-01T00:00Z', dateEnd: '2020-01-01T00:01Z' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: 'error',
					message: 'Mango rejected the token or widget ID',
				},
			},
		],
	};
}
