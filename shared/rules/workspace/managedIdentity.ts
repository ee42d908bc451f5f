import type { Rule } from '../types';
import { eqi, get, show, str } from '../_util';
import { learnRef, MCSB_ML_BASELINE } from './_refs';

const PATH = 'identity.type';

export const rule: Rule = {
  id: 'AML-WS-007',
  title: 'Workspace has a managed identity',
  severity: 'medium',
  resourceKind: 'workspace',
  rationale:
    'The workspace identity is how it reaches its storage, key vault and registry without stored secrets; without one, ' +
    'access falls back to keys and credentials kept in the workspace.',
  remediation:
    'Set identity.type to "SystemAssigned", "UserAssigned" or both in the workspace ARM/Bicep definition (identity.type in the ' +
    'workspace YAML).',
  references: [learnRef('Set up authentication between Azure Machine Learning and other services', 'how-to-identity-based-service-authentication'), MCSB_ML_BASELINE],
  check(ws) {
    const type = get(ws, PATH);
    if (str(type) && !eqi(type, 'None')) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: `The workspace identity type is ${show(type)}; it has no managed identity.` };
  },
};
