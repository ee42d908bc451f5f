import type { RuleCases } from '../../../shared/rules/types';
import { GUID, roleDefinition, perm } from './_rbac';

const custom = (...permissions: unknown[]) => roleDefinition(GUID.custom, 'ML Operators (custom)', 'CustomRole', permissions);

export const cases: RuleCases = {
  ruleId: 'AML-IAM-002',
  cases: [
    {
      name: 'explicit operations only',
      resource: custom(perm(['Microsoft.MachineLearningServices/workspaces/read', 'Microsoft.MachineLearningServices/workspaces/computes/start/action', 'Microsoft.MachineLearningServices/workspaces/computes/stop/action'])),
      expect: 'pass',
    },
    { name: 'read-only wildcards', resource: custom(perm(['*/read', 'Microsoft.MachineLearningServices/workspaces/*/read'])), expect: 'pass' },
    { name: 'wildcard on another provider', resource: custom(perm(['Microsoft.Storage/*'])), expect: 'pass' },
    { name: 'full wildcard', resource: custom(perm(['*'])), expect: 'fail' },
    { name: 'provider wildcard', resource: custom(perm(['Microsoft.MachineLearningServices/*'])), expect: 'fail' },
    { name: 'workspace wildcard, odd casing', resource: custom(perm(['microsoft.machinelearningservices/WORKSPACES/*'])), expect: 'fail' },
    { name: 'all actions under workspaces (AzureML Data Scientist shape)', resource: custom(perm(['Microsoft.MachineLearningServices/workspaces/*/action'], ['Microsoft.MachineLearningServices/workspaces/delete'])), expect: 'fail' },
    { name: 'all writes everywhere', resource: custom(perm(['*/write'])), expect: 'fail' },
    { name: 'wildcard removed by the same notAction', resource: custom(perm(['Microsoft.MachineLearningServices/*', 'Microsoft.Storage/*/read'], ['microsoft.machinelearningservices/*'])), expect: 'pass' },
    { name: 'wildcard removed by a broader notAction', resource: custom(perm(['Microsoft.MachineLearningServices/workspaces/*'], ['Microsoft.MachineLearningServices/*'])), expect: 'pass' },
    { name: 'notAction removes only part of the wildcard', resource: custom(perm(['Microsoft.MachineLearningServices/*'], ['Microsoft.MachineLearningServices/workspaces/listKeys/action'])), expect: 'fail' },
    { name: 'notAction in another permission block does not count', resource: custom(perm(['Microsoft.MachineLearningServices/*']), perm([], ['Microsoft.MachineLearningServices/*'])), expect: 'fail' },
    { name: 'data-action wildcard', resource: custom(perm([], [], ['Microsoft.MachineLearningServices/workspaces/*'])), expect: 'fail' },
    { name: 'data-action wildcard removed by notDataActions', resource: custom(perm([], [], ['Microsoft.MachineLearningServices/*'], ['Microsoft.MachineLearningServices/*'])), expect: 'pass' },
    { name: 'type missing (template) is judged as custom', resource: roleDefinition(GUID.custom, 'From template', undefined, [perm(['*'])]), expect: 'fail' },
    { name: 'built-in Owner', resource: roleDefinition(GUID.owner, 'Owner', 'BuiltInRole', [perm(['*'])]), expect: 'skip' },
    { name: 'no permissions', resource: roleDefinition(GUID.custom, 'Empty', 'CustomRole', []), expect: 'pass' },
  ],
};
