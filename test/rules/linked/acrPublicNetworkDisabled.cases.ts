import type { RuleCases } from '../../../shared/rules/types';
import { registry } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ACR-003',
  cases: [
    { name: 'Premium, public access disabled', resource: registry({ publicNetworkAccess: 'Disabled' }), expect: 'pass' },
    { name: 'Premium, firewall denies by default', resource: registry({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Deny', ipRules: [] } }), expect: 'pass' },
    { name: 'Premium, open', resource: registry({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow' } }), expect: 'fail' },
    { name: 'Premium, nothing set (default Enabled)', resource: registry({}), expect: 'fail' },
    { name: 'Basic SKU cannot close public access', resource: registry({ publicNetworkAccess: 'Enabled' }, 'Basic'), expect: 'fail' },
    { name: 'SKU name in odd casing', resource: registry({ publicNetworkAccess: 'disabled' }, 'premium'), expect: 'pass' },
  ],
};
