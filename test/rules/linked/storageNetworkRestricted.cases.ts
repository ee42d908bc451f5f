import type { RuleCases } from '../../../shared/rules/types';
import { storage } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ST-004',
  cases: [
    { name: 'public access disabled', resource: storage({ publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Allow' } }), expect: 'pass' },
    { name: 'firewall denies by default', resource: storage({ publicNetworkAccess: 'Enabled', networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [{ value: '203.0.113.0/24', action: 'Allow' }] } }), expect: 'pass' },
    { name: 'network security perimeter', resource: storage({ publicNetworkAccess: 'SecuredByPerimeter' }), expect: 'pass' },
    { name: 'lower-case deny', resource: storage({ networkAcls: { defaultAction: 'deny' } }), expect: 'pass' },
    { name: 'open to all networks', resource: storage({ publicNetworkAccess: 'Enabled', networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow' } }), expect: 'fail' },
    { name: 'nothing set (defaults allow all)', resource: storage({}), expect: 'fail' },
  ],
};
