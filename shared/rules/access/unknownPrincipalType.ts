import type { Rule } from '../types';
import { eqi, get, show } from '../_util';
import { isBelowWorkspace, principalType, roleLabel } from './_roles';

// ARM reports principalType "Unknown" (or none, for assignments made before the property existed and never
// resolved) when the object no longer exists in the tenant or belongs to another directory.
export const rule: Rule = {
  id: 'AML-IAM-003',
  title: 'Every role assignment on the workspace names a resolvable principal',
  severity: 'medium',
  resourceKind: 'roleAssignment',
  rationale:
    'An assignment whose principal cannot be resolved belongs to a deleted identity or a foreign directory: nobody can review who holds ' +
    'the access, and a recreated object with a reused id could inherit it.',
  remediation:
    'Identify the assignment (az role assignment list --scope <workspace id> --include-inherited) and delete it if the principal was deleted, ' +
    'or re-grant the access to a known group.',
  references: [
    { title: 'Troubleshoot Azure RBAC: role assignments with identity not found', url: 'https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#role-assignments-with-identity-not-found' },
    { title: 'Best practices for Azure RBAC', url: 'https://learn.microsoft.com/azure/role-based-access-control/best-practices' },
  ],
  check(ra, ctx) {
    if (isBelowWorkspace(ra, ctx)) return { status: 'skip', reason: 'assignment is scoped below the workspace' };
    const type = principalType(ra);
    if (type !== undefined && !eqi(type, 'Unknown')) return { status: 'pass' };
    return {
      status: 'fail',
      path: 'properties.principalType',
      message: `Assignment of ${roleLabel(ra, ctx)} to principal ${show(get(ra, 'properties.principalId'))} has principalType ${show(type)}; the identity cannot be reviewed.`,
    };
  },
};
