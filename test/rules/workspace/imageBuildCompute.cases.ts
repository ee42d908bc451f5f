import type { ArmResource, RuleCases } from '../../../shared/rules/types';
import { RG, SUB, workspace } from '../fixtures';

function acr(properties: Record<string, unknown>, sku = 'Premium'): ArmResource {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crmltest`,
    name: 'crmltest',
    type: 'Microsoft.ContainerRegistry/registries',
    sku: { name: sku, tier: sku },
    properties: { adminUserEnabled: false, ...properties },
  };
}

export const cases: RuleCases = {
  ruleId: 'AML-WS-012',
  cases: [
    { name: 'private ACR, build compute set', resource: workspace({ imageBuildCompute: 'cpu-cluster' }), inventory: { containerRegistry: acr({ publicNetworkAccess: 'Disabled' }) }, expect: 'pass' },
    { name: 'private ACR, no build compute', resource: workspace({}), inventory: { containerRegistry: acr({ publicNetworkAccess: 'Disabled' }) }, expect: 'fail' },
    { name: 'ACR firewall denies by default, build compute empty', resource: workspace({ imageBuildCompute: '' }), inventory: { containerRegistry: acr({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Deny', ipRules: [] } }) }, expect: 'fail' },
    { name: 'public ACR', resource: workspace({}), inventory: { containerRegistry: acr({ publicNetworkAccess: 'Enabled' }, 'Basic') }, expect: 'skip' },
    { name: 'no linked ACR', resource: workspace({}), expect: 'skip' },
  ],
};
