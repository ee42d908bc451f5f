import type { Rule } from '../types';
import { eqi, get, show } from '../_util';
import { policyRef, psruleRef } from './_refs';

const PATH = 'properties.publicNetworkAccess';

export const rule: Rule = {
  id: 'AML-WS-001',
  title: 'Workspace public network access is disabled',
  severity: 'high',
  resourceKind: 'workspace',
  rationale:
    'A workspace reachable from the internet exposes its control and data plane (models, data, jobs) to any network; ' +
    'private endpoints limit access to networks you control.',
  remediation:
    'Set properties.publicNetworkAccess to "Disabled" (az ml workspace update --public-network-access Disabled, or ' +
    'portal: Networking > Public access > Disabled) and reach the workspace through a private endpoint.',
  references: [
    policyRef('Azure Machine Learning Workspaces should disable public network access', 'Workspace_PublicNetworkAccessDisabled_Audit.json'),
    psruleRef('Azure.ML.PublicAccess'),
  ],
  check(ws) {
    const v = get(ws, PATH);
    if (eqi(v, 'Disabled')) return { status: 'pass' };
    // Missing counts as enabled: that is the service default, and the built-in policy treats it the same way.
    return { status: 'fail', path: PATH, message: `Public network access is ${show(v)}; it must be "Disabled".` };
  },
};
