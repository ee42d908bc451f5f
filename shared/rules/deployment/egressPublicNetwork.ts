import type { Rule } from '../types';
import { eqi, get, show } from '../_util';
import { learnRef } from '../workspace/_refs';
import { managedNetworkEnabled } from '../workspace/_managedNetwork';
import { skipUnlessManaged } from './_computeType';

const PATH = 'properties.egressPublicNetworkAccess';

/**
 * The flag is the legacy isolation method. With a workspace managed VNet it "no longer applies" (Learn: outbound
 * traffic follows the managed network's rules, judged by AML-WS-004/005), so the rule skips there rather than
 * fail deployments whose egress is already controlled.
 */
export const rule: Rule = {
  id: 'AML-OD-001',
  title: 'Managed online deployment has public egress disabled',
  severity: 'medium',
  resourceKind: 'onlineDeployment',
  rationale:
    'With public egress enabled, scoring code can send request data and model outputs anywhere on the internet, and the deployment ' +
    'pulls its image and model over public endpoints.',
  remediation:
    'Enable the workspace managed virtual network (preferred), or recreate the deployment with properties.egressPublicNetworkAccess ' +
    '"Disabled" (egress_public_network_access: disabled in the deployment YAML).',
  references: [learnRef('Network isolation with managed online endpoints', 'concept-secure-online-endpoint')],
  check(dep, ctx) {
    const skip = skipUnlessManaged(dep, 'egressPublicNetworkAccess applies to managed deployments');
    if (skip) return skip;
    if (managedNetworkEnabled(ctx.inventory.workspace)) {
      return { status: 'skip', reason: 'the workspace runs a managed VNet, whose outbound rules govern deployment egress (AML-WS-004)' };
    }
    const v = get(dep, PATH);
    if (eqi(v, 'Disabled')) return { status: 'pass' };
    return {
      status: 'fail',
      path: PATH,
      ...(ctx.options.sensitiveData === true ? { severity: 'high' as const } : {}),
      message: `egressPublicNetworkAccess is ${v === undefined ? 'not set (service default "Enabled")' : show(v)} and the workspace has no managed VNet, so the deployment can reach the internet.`,
    };
  },
};
