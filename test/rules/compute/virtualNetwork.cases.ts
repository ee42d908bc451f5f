import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';
import { SUBNET_ID, cluster, compute, instance } from './_fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-CMP-002',
  cases: [
    { name: 'cluster in a customer subnet', resource: cluster({ subnet: { id: SUBNET_ID } }), expect: 'pass' },
    {
      name: 'instance without subnet in a managed-VNet workspace',
      resource: instance({ subnet: null }),
      inventory: { workspace: workspace({ managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' } }) },
      expect: 'pass',
    },
    {
      name: 'cluster without subnet, managed VNet allowing internet outbound',
      resource: cluster({}),
      inventory: { workspace: workspace({ managedNetwork: { isolationMode: 'AllowInternetOutbound' } }) },
      expect: 'pass',
    },
    { name: 'cluster without subnet, no managed VNet', resource: cluster({}), inventory: { workspace: workspace({ managedNetwork: { isolationMode: 'Disabled' } }) }, expect: 'fail' },
    { name: 'instance with an empty subnet id, workspace reports no managedNetwork', resource: instance({ subnet: { id: '' } }), expect: 'fail' },
    { name: 'attached VM is out of scope', resource: compute('dsvm', 'VirtualMachine', { address: '10.0.0.4' }), expect: 'skip' },
  ],
};
