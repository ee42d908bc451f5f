import type { RuleCases } from '../../../shared/rules/types';
import { RG, SUB, workspace } from '../fixtures';

const spl = (name: string, status: string) => ({
  name,
  properties: {
    privateLinkResourceId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.DocumentDB/databaseAccounts/${name}/privateLinkResources/Sql`,
    groupId: 'Sql',
    requestMessage: 'Please approve',
    status,
  },
});

export const cases: RuleCases = {
  ruleId: 'AML-WS-016',
  cases: [
    { name: 'all approved', resource: workspace({ sharedPrivateLinkResources: [spl('cosmos-a', 'Approved'), spl('cosmos-b', 'approved')] }), expect: 'pass' },
    { name: 'one pending', resource: workspace({ sharedPrivateLinkResources: [spl('cosmos-a', 'Approved'), spl('cosmos-b', 'Pending')] }), expect: 'fail' },
    { name: 'status missing', resource: workspace({ sharedPrivateLinkResources: [{ name: 'cosmos-a', properties: {} }] }), expect: 'fail' },
    { name: 'no shared private links', resource: workspace({ sharedPrivateLinkResources: [] }), expect: 'skip' },
    { name: 'field absent', resource: workspace({}), expect: 'skip' },
  ],
};
