import type { RuleCases } from '../../../shared/rules/types';
import { WS_ID } from '../fixtures';
import { GUID, SUB_SCOPE, assignment, roleDefinition, perm } from './_rbac';

export const cases: RuleCases = {
  ruleId: 'AML-IAM-004',
  inventory: { roleDefinitions: [roleDefinition(GUID.rbacAdministrator, 'Role Based Access Control Administrator', 'BuiltInRole', [perm(['Microsoft.Authorization/roleAssignments/write'])])] },
  cases: [
    { name: 'User Access Administrator to a user at the subscription', resource: assignment({ role: GUID.userAccessAdministrator, principalType: 'User', scope: SUB_SCOPE }), expect: 'fail' },
    { name: 'RBAC Administrator to a user on the workspace', resource: assignment({ role: GUID.rbacAdministrator, principalType: 'User' }), expect: 'fail' },
    { name: 'User Access Administrator to a group', resource: assignment({ role: GUID.userAccessAdministrator, principalType: 'Group' }), expect: 'skip' },
    { name: 'Owner to a user is AML-IAM-001, not this rule', resource: assignment({ role: GUID.owner, principalType: 'User' }), expect: 'pass' },
    { name: 'below the workspace', resource: assignment({ role: GUID.userAccessAdministrator, principalType: 'User', scope: `${WS_ID}/onlineEndpoints/ep1` }), expect: 'skip' },
  ],
};
