import type { RuleCases } from '../../../shared/rules/types';
import { RG, SUB, workspace } from '../fixtures';

const SUBNET = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-serverless`;

export const cases: RuleCases = {
  ruleId: 'AML-WS-013',
  cases: [
    { name: 'custom subnet, no public IP', resource: workspace({ serverlessComputeSettings: { serverlessComputeCustomSubnet: SUBNET, serverlessComputeNoPublicIP: true } }), expect: 'pass' },
    { name: 'custom subnet with public IPs', resource: workspace({ serverlessComputeSettings: { serverlessComputeCustomSubnet: SUBNET, serverlessComputeNoPublicIP: false } }), expect: 'fail' },
    { name: 'custom subnet, flag missing (default false)', resource: workspace({ serverlessComputeSettings: { serverlessComputeCustomSubnet: SUBNET } }), expect: 'fail' },
    { name: 'no custom subnet', resource: workspace({ serverlessComputeSettings: { serverlessComputeNoPublicIP: false } }), expect: 'skip' },
    { name: 'settings absent (older api-version)', resource: workspace({ publicNetworkAccess: 'Disabled' }), expect: 'skip' },
  ],
};
