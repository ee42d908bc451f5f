import type { Rule, RuleOutcome } from '../types';
import { show } from '../_util';
import { learnRef } from '../workspace/_refs';
import { childrenOf, hasDeploymentNamed } from './_children';
import { isShare, trafficEntries } from './_traffic';

const PATH = 'properties.traffic';

export const rule: Rule = {
  id: 'AML-OE-006',
  title: 'Online endpoint traffic adds up to 100% and names only existing deployments',
  severity: 'medium',
  resourceKind: 'onlineEndpoint',
  rationale:
    'Live traffic must go to deployments someone reviewed. A split that does not add up to 100%, or that names a deployment that no ' +
    'longer exists, means the routing in force is not the one declared, and requests can land on a deployment nobody intended.',
  remediation:
    'Set properties.traffic so that its whole-number shares add up to 100 (or are all 0 to stop live traffic) and name only deployments ' +
    'of this endpoint (az ml online-endpoint update --name <e> --traffic "blue=90 green=10").',
  references: [learnRef('Safe rollout for online endpoints', 'how-to-safely-rollout-online-endpoints')],
  check(ep, ctx) {
    const entries = trafficEntries(ep, 'traffic');
    if (entries === undefined) return { status: 'skip', reason: 'the endpoint reports no traffic map' };
    const out: RuleOutcome[] = [];
    const bad = entries.filter((e) => !isShare(e.value));
    for (const e of bad) {
      out.push({ status: 'fail', path: `${PATH}.${e.deployment}`, message: `Traffic for deployment "${e.deployment}" is ${show(e.value)}, not a whole percentage from 0 to 100.` });
    }
    const sum = entries.reduce((s, e) => s + (isShare(e.value) ? e.value : 0), 0);
    if (bad.length === 0 && sum !== 0 && sum !== 100) {
      out.push({ status: 'fail', path: PATH, message: `Live traffic shares add up to ${sum}%, not 100% (${entries.map((e) => `${e.deployment}=${String(e.value)}`).join(', ')}).` });
    }
    const children = childrenOf(ep, ctx.inventory.onlineDeployments);
    if (children) {
      for (const e of entries) {
        if (isShare(e.value) && !hasDeploymentNamed(children, e.deployment)) {
          out.push({ status: 'fail', path: `${PATH}.${e.deployment}`, message: `The traffic map names deployment "${e.deployment}" (${String(e.value)}%), which does not exist under this endpoint.` });
        }
      }
    }
    return out.length > 0 ? out : { status: 'pass' };
  },
};
