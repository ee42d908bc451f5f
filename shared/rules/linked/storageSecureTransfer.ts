import type { Rule } from '../types';
import { get, show } from '../_util';

// `properties.supportsHttpsTrafficOnly` defaults to true for accounts created with api-version 2019-04-01 or
// later, and ARM returns it on GET; a missing value is judged as that default.
export const rule: Rule = {
  id: 'AML-LNK-ST-002',
  title: 'Workspace storage account accepts HTTPS only',
  severity: 'high',
  resourceKind: 'storageAccount',
  rationale: 'Plain HTTP requests to the storage account carry data and SAS tokens unencrypted across the network.',
  remediation: 'Set `properties.supportsHttpsTrafficOnly` to true (az storage account update -n <account> -g <rg> --https-only true).',
  references: [
    { title: 'PSRule Azure.Storage.SecureTransfer', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.Storage.SecureTransfer/' },
    { title: 'Azure Policy: Secure transfer to storage accounts should be enabled', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Storage/Storage_AuditForHTTPSEnabled_Audit.json' },
  ],
  check(sa) {
    const v = get(sa, 'properties.supportsHttpsTrafficOnly');
    if (v === undefined || v === true) return { status: 'pass' };
    return { status: 'fail', path: 'properties.supportsHttpsTrafficOnly', message: `supportsHttpsTrafficOnly is ${show(v)}; the workspace storage account accepts unencrypted HTTP.` };
  },
};
