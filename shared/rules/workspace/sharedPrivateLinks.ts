import type { Rule, RuleOutcome } from '../types';
import { eqi, get, show } from '../_util';
import { learnRef } from './_refs';

const BASE = 'properties.sharedPrivateLinkResources';

export const rule: Rule = {
  id: 'AML-WS-016',
  title: 'Workspace shared private links are approved',
  severity: 'low',
  resourceKind: 'workspace',
  rationale:
    'A shared private link that is pending, rejected or disconnected means traffic to that resource does not flow over the ' +
    'private path the configuration promises, and may fall back to a public endpoint or fail.',
  remediation:
    'Approve the pending connection on the target resource (its Networking > Private endpoint connections), or remove the entry ' +
    'from properties.sharedPrivateLinkResources.',
  references: [learnRef('Configure a private endpoint for an Azure Machine Learning workspace', 'how-to-configure-private-link')],
  check(ws) {
    const links = get(ws, BASE);
    if (!Array.isArray(links) || links.length === 0) return { status: 'skip', reason: 'the workspace has no shared private links' };
    const out: RuleOutcome[] = links.map((l, i) => {
      const status = get(l, 'properties.status');
      if (eqi(status, 'Approved')) return { status: 'pass' };
      return { status: 'fail', path: `${BASE}[${i}].properties.status`, message: `Shared private link ${show(get(l, 'name'))} is ${show(status)}, not "Approved".` };
    });
    return out;
  },
};
