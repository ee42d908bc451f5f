import type { Rule } from '../types';
import { get } from '../_util';
import { learnRef, policyRef } from './_refs';

const PATH = 'properties.v1LegacyMode';

/**
 * Advisory. The built-in policy wants v1LegacyMode true (V1 API traffic stays in the private network), but true also
 * turns off V2 features such as the managed VNet, so the rule only reports when the mode is on.
 */
export const rule: Rule = {
  id: 'AML-WS-011',
  title: 'Workspace does not run in V1 legacy mode',
  severity: 'info',
  resourceKind: 'workspace',
  rationale:
    'V1 legacy mode keeps the V1 API inside the private network but disables V2 features such as managed network isolation; ' +
    'knowing which mode a workspace runs in explains other network findings.',
  remediation:
    'If the workspace no longer needs the V1 SDK/CLI, set properties.v1LegacyMode to false in its ARM/Bicep definition ' +
    'and use the V2 network isolation features instead.',
  references: [
    policyRef('Azure Machine Learning workspaces should enable V1LegacyMode', 'Workspace_EnableV1LegacyMode_Audit.json'),
    learnRef('Network isolation change with the V2 API', 'how-to-configure-network-isolation-with-v2'),
  ],
  check(ws) {
    // Missing means false, the service default.
    if (get(ws, PATH) !== true) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: 'v1LegacyMode is true: V1 API traffic stays private, but V2 features such as the managed VNet are unavailable.' };
  },
};
