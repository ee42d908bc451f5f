import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-WS-015',
  cases: [
    { name: 'public, ACL denies by default', resource: workspace({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.0/24' }] } }), expect: 'pass' },
    { name: 'public, IP allow-list set', resource: workspace({ publicNetworkAccess: 'Enabled', ipAllowlist: ['198.51.100.7'] }), expect: 'pass' },
    { name: 'public, ACL allows all', resource: workspace({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Allow', ipRules: [] } }), expect: 'fail' },
    { name: 'public, empty allow-list reported', resource: workspace({ publicNetworkAccess: 'Enabled', ipAllowlist: [] }), expect: 'fail' },
    { name: 'publicNetworkAccess missing (default Enabled), ACL null', resource: workspace({ networkAcls: null }), expect: 'fail' },
    { name: 'public access disabled', resource: workspace({ publicNetworkAccess: 'Disabled', ipAllowlist: [] }), expect: 'skip' },
    { name: 'public, neither field reported at this api-version', resource: workspace({ publicNetworkAccess: 'Enabled' }), expect: 'skip' },
  ],
};
