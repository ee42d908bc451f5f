import type { Rule } from '../types';
import { eqi, get, show, str } from '../_util';
import { learnRef } from '../workspace/_refs';

const PATH = 'properties.publicNetworkAccess';

export const rule: Rule = {
  id: 'AML-OE-002',
  title: 'Online endpoint is not reachable from public networks',
  severity: 'high',
  resourceKind: 'onlineEndpoint',
  rationale:
    'With public network access enabled, the scoring URI accepts requests from the whole internet, so a leaked key or token ' +
    'is usable from anywhere and the model is exposed to probing and denial of service.',
  remediation:
    'Set properties.publicNetworkAccess to "Disabled" (public_network_access: disabled in the endpoint YAML) and reach the endpoint ' +
    'through the workspace private endpoint.',
  references: [learnRef('Network isolation with managed online endpoints', 'concept-secure-online-endpoint')],
  check(ep) {
    // Kubernetes endpoints are exposed by the cluster's inference router, not by this flag (AML-CMP-014 judges that).
    if (str(get(ep, 'properties.compute'))) {
      return { status: 'skip', reason: 'a Kubernetes online endpoint is exposed by its cluster\'s inference router, not by publicNetworkAccess' };
    }
    const v = get(ep, PATH);
    if (eqi(v, 'Disabled')) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: `publicNetworkAccess is ${v === undefined ? 'not set (service default "Enabled")' : show(v)}, so the scoring URI is reachable from the internet.` };
  },
};
