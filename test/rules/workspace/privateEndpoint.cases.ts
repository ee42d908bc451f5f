import type { ArmResource, RuleCases } from '../../../shared/rules/types';
import { RG, SUB, child, workspace } from '../fixtures';

function pec(name: string, status: string): ArmResource {
  return {
    id: child('privateEndpointConnections', name),
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/privateEndpointConnections',
    properties: {
      provisioningState: 'Succeeded',
      privateEndpoint: { id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateEndpoints/${name}` },
      privateLinkServiceConnectionState: { status, description: '', actionsRequired: 'None' },
    },
  };
}

export const cases: RuleCases = {
  ruleId: 'AML-WS-003',
  cases: [
    {
      name: 'approved connection embedded in the workspace GET',
      resource: workspace({ publicNetworkAccess: 'Disabled', privateEndpointConnections: [pec('pe-mlw', 'Approved')] }),
      expect: 'pass',
    },
    {
      name: 'approved connection only in the separately listed connections',
      resource: workspace({ publicNetworkAccess: 'Disabled' }),
      inventory: { privateEndpointConnections: [pec('pe-mlw', 'Approved')] },
      expect: 'pass',
    },
    {
      name: 'one pending and one approved',
      resource: workspace({ privateEndpointConnections: [pec('pe-a', 'Pending'), pec('pe-b', 'approved')] }),
      expect: 'pass',
    },
    { name: 'no private endpoint at all', resource: workspace({ publicNetworkAccess: 'Enabled' }), expect: 'fail' },
    { name: 'empty embedded list', resource: workspace({ privateEndpointConnections: [] }), expect: 'fail' },
    {
      name: 'only pending or rejected connections',
      resource: workspace({ privateEndpointConnections: [pec('pe-a', 'Pending')] }),
      inventory: { privateEndpointConnections: [pec('pe-b', 'Rejected')] },
      expect: 'fail',
    },
  ],
};
