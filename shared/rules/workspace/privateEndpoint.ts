import type { ArmResource, Rule } from '../types';
import { eqi, get, show } from '../_util';
import { learnRef, policyRef } from './_refs';

const STATUS = 'properties.privateLinkServiceConnectionState.status';

/**
 * The workspace GET embeds its connections (`properties.privateEndpointConnections`) and the inventory lists them
 * separately; either source may be empty depending on how the inventory was built, so both are read.
 */
function connections(ws: ArmResource, listed: ArmResource[]): ArmResource[] {
  const embedded = get(ws, 'properties.privateEndpointConnections');
  return [...(Array.isArray(embedded) ? (embedded as ArmResource[]) : []), ...listed];
}

export const rule: Rule = {
  id: 'AML-WS-003',
  title: 'Workspace has an approved private endpoint',
  severity: 'high',
  resourceKind: 'workspace',
  rationale:
    'Without an approved private endpoint, clients can only reach the workspace over its public endpoint, so it cannot be network-isolated.',
  remediation:
    'Create a private endpoint for the workspace (az network private-endpoint create --group-id amlworkspace …, or portal: ' +
    'Networking > Private endpoint connections > + Private endpoint) and approve any pending connection.',
  references: [
    policyRef('Azure Machine Learning workspaces should use private link', 'Workspace_PrivateEndpoint_Audit_V2.json'),
    learnRef('Configure a private endpoint for an Azure Machine Learning workspace', 'how-to-configure-private-link'),
  ],
  check(ws, ctx) {
    const all = connections(ws, ctx.inventory.privateEndpointConnections);
    if (all.some((c) => eqi(get(c, STATUS), 'Approved'))) return { status: 'pass' };
    const seen = [...new Set(all.map((c) => show(get(c, STATUS))))];
    return {
      status: 'fail',
      path: 'properties.privateEndpointConnections',
      message: all.length === 0
        ? 'The workspace has no private endpoint connection.'
        : `No private endpoint connection is approved (states seen: ${seen.join(', ')}).`,
    };
  },
};
