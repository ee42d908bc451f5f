import type { Rule } from '../types';
import { get, show } from '../_util';

// `properties.enableSoftDelete` defaults to true and can no longer be switched off on new vaults; only an
// explicit false (an old vault never migrated) fails.
export const rule: Rule = {
  id: 'AML-LNK-KV-002',
  title: 'Workspace Key Vault keeps soft delete on',
  severity: 'medium',
  resourceKind: 'keyVault',
  rationale: 'Soft delete keeps deleted secrets, keys and the vault itself recoverable for the retention period, so an accidental or malicious delete is not final.',
  remediation: 'Set `properties.enableSoftDelete` to true (or remove the false value) and choose `properties.softDeleteRetentionInDays` (7–90); soft delete cannot be switched off again.',
  references: [
    { title: 'PSRule Azure.KeyVault.SoftDelete', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.KeyVault.SoftDelete/' },
    { title: 'Azure Key Vault soft-delete overview', url: 'https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview' },
  ],
  check(kv) {
    const v = get(kv, 'properties.enableSoftDelete');
    if (v !== false) return { status: 'pass' };
    return { status: 'fail', path: 'properties.enableSoftDelete', message: `enableSoftDelete is ${show(v)}; deleted secrets of the workspace vault are lost at once.` };
  },
};
