import type { RuleCases } from '../../../shared/rules/types';
import { keyVault } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-KV-003',
  cases: [
    { name: 'public access disabled', resource: keyVault({ publicNetworkAccess: 'Disabled' }), expect: 'pass' },
    { name: 'firewall deny with trusted services', resource: keyVault({ publicNetworkAccess: 'Enabled', networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] } }), expect: 'pass' },
    { name: 'open firewall', resource: keyVault({ publicNetworkAccess: 'Enabled', networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow' } }), expect: 'fail' },
    { name: 'nothing set (older api-version without publicNetworkAccess)', resource: keyVault({}), expect: 'fail' },
  ],
};
