import type { Rule } from '../types';
import { get, show } from '../_util';

// `properties.enablePurgeProtection`: missing or null means off (it can only ever be turned on).
export const rule: Rule = {
  id: 'AML-LNK-KV-001',
  title: 'Workspace Key Vault has purge protection',
  severity: 'high',
  resourceKind: 'keyVault',
  rationale:
    'Without purge protection a deleted vault or key can be purged at once, destroying the datastore and connection secrets ' +
    'and, for a customer-managed-key workspace, making its data permanently unreadable; Azure requires it for CMK.',
  remediation: 'Set `properties.enablePurgeProtection` to true (az keyvault update -n <vault> -g <rg> --enable-purge-protection true); it cannot be turned off again.',
  references: [
    { title: 'PSRule Azure.KeyVault.PurgeProtect', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.KeyVault.PurgeProtect/' },
    { title: 'Azure Policy: Key vaults should have deletion protection enabled', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Key%20Vault/KeyVault_Recoverable_Audit.json' },
  ],
  check(kv) {
    const v = get(kv, 'properties.enablePurgeProtection');
    if (v === true) return { status: 'pass' };
    return { status: 'fail', path: 'properties.enablePurgeProtection', message: `enablePurgeProtection is ${show(v)}; deleted secrets and keys of the workspace vault can be purged immediately.` };
  },
};
