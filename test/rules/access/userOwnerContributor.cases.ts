import type { RuleCases } from '../../../shared/rules/types';
import { WS_ID } from '../fixtures';
import { GUID, RG_SCOPE, SUB_SCOPE, assignment, roleDefinition, perm } from './_rbac';

// A custom role that kept the name "Contributor" after being copied, and a subscription-scoped Owner definition.
const defs = [
  roleDefinition(GUID.owner, 'Owner', 'BuiltInRole', [perm(['*'])]),
  roleDefinition(GUID.custom, 'Contributor', 'CustomRole', [perm(['*'], ['Microsoft.Authorization/*/Write'])]),
  roleDefinition(GUID.dataScientist, 'AzureML Data Scientist', 'BuiltInRole', [perm(['Microsoft.MachineLearningServices/workspaces/*/read'])]),
];

export const cases: RuleCases = {
  ruleId: 'AML-IAM-001',
  inventory: { roleDefinitions: defs },
  cases: [
    { name: 'Owner to a user on the workspace', resource: assignment({ role: GUID.owner, principalType: 'User' }), expect: 'fail' },
    { name: 'Contributor to a user inherited from the subscription (definition not in inventory)', resource: assignment({ role: GUID.contributor, principalType: 'User', scope: SUB_SCOPE }), expect: 'fail' },
    { name: 'tenant-scoped definition id in upper case', resource: assignment({ role: GUID.owner, principalType: 'User', scope: RG_SCOPE, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${GUID.owner.toUpperCase()}` }), expect: 'fail' },
    { name: 'role matched by name', resource: assignment({ role: GUID.custom, principalType: 'User' }), expect: 'fail' },
    { name: 'principal type in lower case', resource: assignment({ role: GUID.owner, principalType: 'user' }), expect: 'fail' },
    { name: 'Owner inherited from a management group', resource: assignment({ role: GUID.owner, principalType: 'User', scope: '/providers/Microsoft.Management/managementGroups/mg-corp' }), expect: 'fail' },
    { name: 'Owner to a group', resource: assignment({ role: GUID.owner, principalType: 'Group' }), expect: 'skip' },
    { name: 'Contributor to a service principal', resource: assignment({ role: GUID.contributor, principalType: 'ServicePrincipal' }), expect: 'skip' },
    { name: 'user holds a data-plane role only', resource: assignment({ role: GUID.dataScientist, principalType: 'User' }), expect: 'pass' },
    { name: 'user holds Reader', resource: assignment({ role: GUID.reader, principalType: 'User', scope: SUB_SCOPE }), expect: 'pass' },
    { name: 'Owner on a compute below the workspace', resource: assignment({ role: GUID.owner, principalType: 'User', scope: `${WS_ID}/computes/cpu-cluster` }), expect: 'skip' },
  ],
};
