import type { Rule } from '../types';
import { str } from '../_util';
import { psruleRef, policyRef } from '../workspace/_refs';
import { managedNetworkEnabled } from '../workspace/_managedNetwork';
import { CLUSTER, INSTANCE, inner, skipUnlessType } from './_computeType';

export const rule: Rule = {
  id: 'AML-CMP-002',
  title: 'Compute runs inside a virtual network',
  severity: 'medium',
  resourceKind: 'compute',
  rationale:
    'A compute outside any virtual network reaches storage, key vault and registries over public endpoints and cannot be covered ' +
    'by network security groups or private endpoints.',
  remediation:
    'Either enable the workspace managed VNet (properties.managedNetwork.isolationMode) or create the compute in your subnet ' +
    '(properties.properties.subnet.id, az ml compute create … --subnet <subnet id>); computes cannot be moved, so recreate them.',
  references: [
    policyRef('Azure Machine Learning Computes should be in a virtual network', 'Vnet_Audit.json'),
    psruleRef('Azure.ML.ComputeVnet'),
  ],
  check(c, ctx) {
    const skip = skipUnlessType(c, [INSTANCE, CLUSTER]);
    if (skip) return skip;
    if (str(inner(c, 'subnet.id'))) return { status: 'pass' };
    // Managed-VNet computes have no subnet of their own; the policy and PSRule anchors misfire on them.
    if (managedNetworkEnabled(ctx.inventory.workspace)) return { status: 'pass' };
    return {
      status: 'fail',
      path: 'properties.properties.subnet.id',
      message: 'The compute has no subnet and the workspace has no managed VNet, so it runs outside any virtual network.',
    };
  },
};
