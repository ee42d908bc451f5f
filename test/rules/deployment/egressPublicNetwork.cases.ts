import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment, workspace } from '../fixtures';

const managedVnet = { workspace: workspace({ managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' } }) };

export const cases: RuleCases = {
  ruleId: 'AML-OD-001',
  cases: [
    { name: 'egress disabled', resource: onlineDeployment('ep', 'blue', { egressPublicNetworkAccess: 'Disabled' }), expect: 'pass' },
    { name: 'egress enabled', resource: onlineDeployment('ep', 'blue', { egressPublicNetworkAccess: 'Enabled' }), expect: 'fail', severity: 'medium' },
    { name: 'egress enabled, sensitive data', resource: onlineDeployment('ep', 'blue', { egressPublicNetworkAccess: 'Enabled' }), options: { sensitiveData: true }, expect: 'fail', severity: 'high' },
    { name: 'not set: service default Enabled', resource: onlineDeployment('ep', 'blue'), expect: 'fail' },
    { name: 'workspace managed VNet governs egress', resource: onlineDeployment('ep', 'blue', { egressPublicNetworkAccess: 'Enabled' }), inventory: managedVnet, expect: 'skip' },
    { name: 'Kubernetes deployment', resource: onlineDeployment('ep', 'blue', { endpointComputeType: 'Kubernetes' }), expect: 'skip' },
  ],
};
