import type { RuleCases } from '../../../shared/rules/types';
import { RG, SUB } from '../fixtures';
import { cluster, compute, instance } from './_fixtures';

const UAI = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-training`;

export const cases: RuleCases = {
  ruleId: 'AML-CMP-010',
  cases: [
    { name: 'cluster with a user-assigned identity', resource: cluster({}, {}, { identity: { type: 'UserAssigned', userAssignedIdentities: { [UAI]: {} } } }), expect: 'pass' },
    { name: 'instance with system identity', resource: instance({}, {}, { identity: { type: 'SystemAssigned' } }), expect: 'pass' },
    { name: 'cluster identity None', resource: cluster({}, {}, { identity: { type: 'None' } }), expect: 'fail' },
    { name: 'instance without identity block', resource: instance({}), expect: 'fail' },
    { name: 'Databricks attach is out of scope', resource: compute('dbx', 'Databricks', { workspaceUrl: 'https://adb-1.azuredatabricks.net' }), expect: 'skip' },
  ],
};
