import type { Rule, RuleOutcome } from '../types';
import { show } from '../_util';
import { learnRef } from '../workspace/_refs';
import { childrenOf, hasDeploymentNamed } from './_children';
import { isShare, shareOf, trafficEntries } from './_traffic';

const PATH = 'properties.mirrorTraffic';
const DEFAULT_MAX = 50;

function maxPercent(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100 ? v : DEFAULT_MAX;
}

export const rule: Rule = {
  id: 'AML-OE-007',
  title: 'Online endpoint mirrors a bounded share of traffic to one shadow deployment',
  severity: 'medium',
  resourceKind: 'onlineEndpoint',
  rationale:
    'Mirroring copies live requests, and the data in them, to a shadow deployment that is still being validated. The copy should be ' +
    'a bounded sample sent to one deployment that serves no live traffic, or the shadow quietly becomes a second production path.',
  remediation:
    'Keep properties.mirrorTraffic to a single deployment with at most the allowed share (policy option maxMirrorTrafficPercent, default 50), ' +
    'and give that deployment 0% live traffic; set it to 0 once the test is over (az ml online-endpoint update --mirror-traffic "green=0").',
  references: [learnRef('Safe rollout for online endpoints: test the deployment with mirrored traffic', 'how-to-safely-rollout-online-endpoints')],
  check(ep, ctx) {
    const entries = trafficEntries(ep, 'mirrorTraffic');
    // mirrorTraffic is newer than api-version 2022-10-01: absent means "not reported", not "no mirroring".
    if (entries === undefined) return { status: 'skip', reason: 'the endpoint reports no mirrorTraffic (older api-version, or never set)' };
    const max = maxPercent(ctx.options.maxMirrorTrafficPercent);
    const out: RuleOutcome[] = [];
    const active = entries.filter((e) => !(e.value === 0));
    const children = childrenOf(ep, ctx.inventory.onlineDeployments);
    for (const e of active) {
      const path = `${PATH}.${e.deployment}`;
      if (!isShare(e.value)) {
        out.push({ status: 'fail', path, message: `Mirror traffic for deployment "${e.deployment}" is ${show(e.value)}, not a whole percentage from 0 to 100.` });
        continue;
      }
      if (children && !hasDeploymentNamed(children, e.deployment)) {
        out.push({ status: 'fail', path, message: `${e.value}% of traffic is mirrored to deployment "${e.deployment}", which does not exist under this endpoint.` });
        continue;
      }
      if (e.value > max) out.push({ status: 'fail', path, message: `${e.value}% of live traffic is mirrored to deployment "${e.deployment}"; at most ${max}% is allowed.` });
      const live = shareOf(ep, 'traffic', e.deployment);
      if (live > 0) {
        out.push({ status: 'fail', path: `properties.traffic.${e.deployment}`, message: `Deployment "${e.deployment}" receives both ${live}% live traffic and ${e.value}% mirrored traffic; a shadow deployment must serve no live traffic.` });
      }
    }
    if (active.length > 1) {
      out.push({ status: 'fail', path: PATH, message: `Traffic is mirrored to ${active.length} deployments (${active.map((e) => e.deployment).join(', ')}); only one shadow deployment is allowed.` });
    }
    return out.length > 0 ? out : { status: 'pass' };
  },
};
