import type { Rule } from '../types';
import { get, show, str } from '../_util';
import { policyRef, psruleRef } from './_refs';

export const rule: Rule = {
  id: 'AML-WS-008',
  title: 'Workspace uses a user-assigned identity as its primary identity',
  severity: 'low',
  resourceKind: 'workspace',
  rationale:
    'A user-assigned identity outlives the workspace and can be granted least-privilege roles before the workspace exists, ' +
    'so permissions are reviewed and reused instead of re-created with each workspace.',
  remediation:
    'Set identity.type to "UserAssigned" (or "SystemAssigned,UserAssigned") with identity.userAssignedIdentities, and set ' +
    'properties.primaryUserAssignedIdentity to that identity\'s resource id (az ml workspace update --primary-user-assigned-identity <id>).',
  references: [
    policyRef('Azure Machine Learning workspaces should use user-assigned managed identity', 'Workspace_UAIEnabled_Audit.json'),
    psruleRef('Azure.ML.UserManagedIdentity'),
  ],
  check(ws) {
    const type = get(ws, 'identity.type');
    // "SystemAssigned,UserAssigned" counts: the primary identity decides what the workspace uses.
    if (!(typeof type === 'string' && type.toLowerCase().includes('userassigned'))) {
      return { status: 'fail', path: 'identity.type', message: `The workspace identity type is ${show(type)}; it has no user-assigned identity.` };
    }
    if (!str(get(ws, 'properties.primaryUserAssignedIdentity'))) {
      return { status: 'fail', path: 'properties.primaryUserAssignedIdentity', message: 'A user-assigned identity is attached but primaryUserAssignedIdentity is not set, so the workspace does not use it as primary.' };
    }
    return { status: 'pass' };
  },
};
