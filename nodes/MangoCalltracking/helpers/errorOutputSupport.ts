import * as n8nWorkflow from 'n8n-workflow';

/**
 * Whether this n8n routes an item whose json is `{error, details}` to a node's error output ("Continue (using error
 * output)"). n8n 2.x accepts json keys limited to `error`, `message` and `details`; n8n 1.x only `{error}` or
 * `{error, message}`. There is no version API for nodes, so the 2.x-only `N8N_NODES_API_VERSION` export of the
 * n8n-workflow that n8n gives us tells the two apart.
 */
export const errorOutputAcceptsDetails: boolean = 'N8N_NODES_API_VERSION' in n8nWorkflow;
