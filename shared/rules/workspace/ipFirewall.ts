import type { Rule } from '../types';
import { eqi, get, show } from '../_util';
import { learnRef } from './_refs';

/**
 * networkAcls and ipAllowlist are in the stable 2025-06-01 workspaceRP.json, but Azure/bicep-types-az lists them
 * only for preview api-versions, so a GET may omit both keys. Omitted means "not reported", not "no firewall":
 * the rule then skips rather than invent a finding; AML-WS-001 already reports the public access itself.
 */
export const rule: Rule = {
  id: 'AML-WS-015',
  title: 'Publicly reachable workspace restricts source IP addresses',
  severity: 'medium',
  resourceKind: 'workspace',
  rationale:
    'If the workspace must stay reachable from public networks, an IP allow-list limits access to known egress addresses ' +
    'instead of the whole internet.',
  remediation:
    'Disable public network access, or set properties.networkAcls.defaultAction to "Deny" with ipRules for your egress ranges ' +
    '(portal: Networking > Public access > Enabled from selected IP addresses).',
  references: [learnRef('Enable public access only from internet IP ranges', 'how-to-configure-private-link')],
  check(ws) {
    const pna = get(ws, 'properties.publicNetworkAccess');
    if (eqi(pna, 'Disabled')) return { status: 'skip', reason: 'public network access is disabled' };
    const acls = get(ws, 'properties.networkAcls');
    const allow = get(ws, 'properties.ipAllowlist');
    if (eqi(get(acls, 'defaultAction'), 'Deny')) return { status: 'pass' };
    if (Array.isArray(allow) && allow.length > 0) return { status: 'pass' };
    const props = ws.properties ?? {};
    if (!('networkAcls' in props) && !('ipAllowlist' in props)) {
      return { status: 'skip', reason: 'the service did not report networkAcls or ipAllowlist at this api-version' };
    }
    return {
      status: 'fail',
      path: 'properties.networkAcls.defaultAction',
      message: `Public network access is ${show(pna ?? 'Enabled')} and no IP restriction applies (networkAcls.defaultAction ${show(get(acls, 'defaultAction'))}, ipAllowlist empty).`,
    };
  },
};
