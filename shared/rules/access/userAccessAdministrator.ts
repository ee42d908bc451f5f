import type { Rule } from '../types';
import { eqi, get, show } from '../_util';
import { ROLE, isBelowWorkspace, namesRole, principalType, roleLabel, scopeOf } from './_roles';

// Companion to AML-IAM-001 for the roles that can write role assignments: whoever holds them can grant
// themselves Owner on the workspace at any time, so a direct user assignment is as strong as Owner.
export const rule: Rule = {
  id: 'AML-IAM-004',
  title: 'Role-assignment administrator roles on the workspace are granted to groups, not users',
  severity: 'high',
  resourceKind: 'roleAssignment',
  rationale:
    'User Access Administrator and Role Based Access Control Administrator can grant any role, including Owner, at their scope; held ' +
    'directly by a person they bypass group review and are a one-step privilege escalation to the workspace.',
  remediation:
    'Remove the direct assignment and grant the role to a group through Privileged Identity Management, or replace it with ' +
    'Role Based Access Control Administrator constrained by a condition that limits which roles it may assign.',
  references: [
    { title: 'Best practices for Azure RBAC (limit privileged administrator role assignments)', url: 'https://learn.microsoft.com/azure/role-based-access-control/best-practices' },
    { title: 'Delegate Azure role assignment management using conditions', url: 'https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-overview' },
  ],
  check(ra, ctx) {
    if (isBelowWorkspace(ra, ctx)) return { status: 'skip', reason: 'assignment is scoped below the workspace' };
    const type = principalType(ra);
    if (!eqi(type, 'User')) return { status: 'skip', reason: `principal type ${show(type)} is not a user` };
    const admin = namesRole(ra, ctx, [ROLE.userAccessAdministrator, ROLE.rbacAdministrator], ['User Access Administrator', 'Role Based Access Control Administrator']);
    if (!admin) return { status: 'pass' };
    return {
      status: 'fail',
      path: 'properties.roleDefinitionId',
      message: `User ${show(get(ra, 'properties.principalId'))} holds ${roleLabel(ra, ctx)} directly at scope ${show(scopeOf(ra))} and can grant any role on the workspace.`,
    };
  },
};
