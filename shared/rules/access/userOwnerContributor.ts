import type { Rule } from '../types';
import { eqi, get, show } from '../_util';
import { ROLE, isBelowWorkspace, namesRole, principalType, roleLabel, scopeOf } from './_roles';

export const rule: Rule = {
  id: 'AML-IAM-001',
  title: 'Owner and Contributor on the workspace are granted to groups, not users',
  severity: 'high',
  resourceKind: 'roleAssignment',
  rationale:
    'The workspace is the security boundary for data, computes, secrets and models; Owner or Contributor held directly by a person ' +
    'escapes group-based review and joiner/leaver processes and usually outlives the need.',
  remediation:
    'Remove the direct assignment (az role assignment delete --ids <assignment id>) and grant the role to an Entra group the user belongs to, ' +
    'ideally through Privileged Identity Management; for day-to-day work use AzureML Data Scientist or a narrower custom role.',
  references: [
    { title: 'PSRule Azure.RBAC.UseGroups', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.RBAC.UseGroups/' },
    { title: 'Manage access to Azure Machine Learning workspaces', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-assign-roles' },
    { title: 'Best practices for Azure RBAC', url: 'https://learn.microsoft.com/azure/role-based-access-control/best-practices' },
  ],
  check(ra, ctx) {
    if (isBelowWorkspace(ra, ctx)) return { status: 'skip', reason: 'assignment is scoped below the workspace' };
    const type = principalType(ra);
    if (!eqi(type, 'User')) return { status: 'skip', reason: `principal type ${show(type)} is not a user` };
    if (!namesRole(ra, ctx, [ROLE.owner, ROLE.contributor], ['Owner', 'Contributor'])) return { status: 'pass' };
    return {
      status: 'fail',
      path: 'properties.roleDefinitionId',
      message: `User ${show(get(ra, 'properties.principalId'))} holds ${roleLabel(ra, ctx)} directly at scope ${show(scopeOf(ra))}, which covers the workspace.`,
    };
  },
};
